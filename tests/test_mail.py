"""Mail goes through the outbox: a failure keeps it, a retry sends it once."""

from __future__ import annotations

from datetime import timedelta

from click.testing import Result
from flask import Flask
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from portal.db import get_session, utcnow
from portal.mail import OutboxMail, queue_mail, send_pending


def _queue(app: Flask, to: str = "citizen@example.org") -> int:
    with app.app_context():
        db = get_session()
        mail = queue_mail(db, to=to, subject="Update", body="There is an update; check it.")
        db.commit()
        return mail.id


def test_queued_mail_reaches_the_smtp_server_once(app: Flask, db: Session, mailbox) -> None:
    _queue(app)
    with app.app_context():
        first = send_pending(get_session(), app.config)
        second = send_pending(get_session(), app.config)
    assert (first.sent, second.sent) == (1, 0)
    [message] = mailbox.to("citizen@example.org")
    assert message["Subject"] == "Update"
    assert "check it" in message.get_content()


def test_mail_queued_in_a_rolled_back_transaction_never_exists(app: Flask, db: Session) -> None:
    with app.app_context():
        session = get_session()
        queue_mail(session, to="a@example.org", subject="S", body="B")
        session.rollback()
    assert db.scalar(select(OutboxMail.id)) is None


def test_a_failed_delivery_stays_in_the_outbox_and_is_retried(
    app: Flask, db: Session, mailbox
) -> None:
    mail_id = _queue(app)
    port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = 1  # nothing listens there
    with app.app_context():
        report = send_pending(get_session(), app.config)
    assert (report.sent, report.failed) == (0, 1)
    stored = db.get(OutboxMail, mail_id)
    assert stored is not None and stored.sent_at is None and stored.attempts == 1
    assert stored.last_error == "ConnectionRefusedError"

    app.config["MAIL_PORT"] = port
    with app.app_context():
        early = send_pending(get_session(), app.config)
        later = send_pending(get_session(), app.config, now=utcnow() + timedelta(hours=1))
    assert (early.sent, later.sent) == (0, 1)
    assert len(mailbox.to("citizen@example.org")) == 1


def test_recipient_and_body_are_encrypted_at_rest(app: Flask, db: Session) -> None:
    _queue(app, to="secret-person@example.org")
    raw = db.execute(text("SELECT recipient, body FROM mail_outbox")).one()
    assert b"secret-person" not in bytes(raw[0])
    assert b"update" not in bytes(raw[1])


def test_send_pending_command_reports_failures(app: Flask) -> None:
    _queue(app)
    app.config["MAIL_PORT"] = 1
    result: Result = app.test_cli_runner().invoke(args=["mail", "send-pending"])
    assert result.exit_code == 1
    assert "0 sent, 1 failed" in result.output
