"""Mail goes through the outbox: a failure keeps it, a retry sends it once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta

from click.testing import Result
from flask import Flask
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from portal.db import get_session, utcnow
from portal.mail import (
    OutboxCounts,
    OutboxMail,
    outbox_counts,
    queue_mail,
    run_worker,
    send_pending,
)

from .conftest import TEST_PASSWORD
from .helpers import sign_in


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


def _counts(db: Session, max_attempts: int) -> OutboxCounts:
    db.rollback()
    return outbox_counts(db, max_attempts)


def _stored(db: Session, mail_id: int) -> OutboxMail:
    db.rollback()
    stored = db.get(OutboxMail, mail_id)
    assert stored is not None
    db.refresh(stored)
    return stored


def test_the_worker_gives_up_on_a_silent_server_after_the_timeout(
    app: Flask, db: Session, silent_smtp: int, mailbox
) -> None:
    mail_id = _queue(app)
    port = app.config["MAIL_PORT"]
    app.config.update(MAIL_PORT=silent_smtp, MAIL_TIMEOUT=1, MAIL_MAX_ATTEMPTS=1)
    stop = threading.Event()

    def work() -> None:
        with app.app_context():
            run_worker(get_session, app.config, interval=0.05, stop=stop)

    started = time.monotonic()
    worker = threading.Thread(target=work)
    worker.start()
    try:
        for _ in range(200):
            if _stored(db, mail_id).attempts:
                break
            time.sleep(0.05)
    finally:
        stop.set()
        worker.join(timeout=10)
    elapsed = time.monotonic() - started
    assert not worker.is_alive()
    assert 1 <= elapsed < 6, elapsed
    stored = _stored(db, mail_id)
    assert (stored.attempts, stored.sent_at, stored.last_error) == (1, None, "TimeoutError")
    assert _counts(db, 1) == OutboxCounts(waiting=0, failed=1)

    # Given up: cron does not try it again, until an operator requeues it.
    app.config["MAIL_PORT"] = port
    runner = app.test_cli_runner()
    assert "0 sent, 0 failed" in runner.invoke(args=["mail", "send-pending"]).output
    requeued = runner.invoke(args=["mail", "requeue", "--all-failed"])
    assert requeued.exit_code == 0 and "1 mail(s) requeued" in requeued.output
    assert "1 sent, 0 failed" in runner.invoke(args=["mail", "send-pending"]).output
    assert len(mailbox.to("citizen@example.org")) == 1
    assert _counts(db, 1) == OutboxCounts(waiting=0, failed=0)


def test_requeue_takes_ids_or_all_failed_and_never_resends_sent_mail(
    app: Flask, db: Session, deliver_mail, mailbox
) -> None:
    sent_id = _queue(app)
    deliver_mail()
    runner = app.test_cli_runner()
    assert runner.invoke(args=["mail", "requeue"]).exit_code != 0
    again = runner.invoke(args=["mail", "requeue", "--id", str(sent_id)])
    assert again.exit_code == 1 and "0 mail(s) requeued" in again.output
    failed_id = _queue(app, to="other@example.org")
    db.execute(update(OutboxMail).where(OutboxMail.id == failed_id).values(attempts=8))
    db.commit()
    assert _counts(db, 8) == OutboxCounts(waiting=0, failed=1)
    one = runner.invoke(args=["mail", "requeue", "--id", str(failed_id)])
    assert one.exit_code == 0 and "1 mail(s) requeued" in one.output
    assert _counts(db, 8) == OutboxCounts(waiting=1, failed=0)
    deliver_mail()
    assert len(mailbox.to("citizen@example.org")) == 1
    assert len(mailbox.to("other@example.org")) == 1


def test_the_worker_command_sends_queued_mail_and_stops_on_sigterm(
    app: Flask, database_url: str, smtp_server, mailbox
) -> None:
    _queue(app)
    env = {
        **os.environ,
        "PORTAL_DATABASE_URL": database_url,
        "PORTAL_INSTANCE_PATH": app.instance_path,
        "PORTAL_INDEX_DIR": str(app.config["INDEX_DIR"]),
        "PORTAL_SECRET_KEY": "test-secret-key-not-for-production",
        "PORTAL_MAIL_SERVER": "127.0.0.1",
        "PORTAL_MAIL_PORT": str(smtp_server[1]),
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "portal", "mail", "worker", "--interval", "0.2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        for _ in range(300):
            if mailbox.to("citizen@example.org") or worker.poll() is not None:
                break
            time.sleep(0.05)
        assert len(mailbox.to("citizen@example.org")) == 1
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(timeout=10)
    assert worker.returncode == 0, output
    assert "Mail worker stopped." in output


def test_admins_see_waiting_and_failed_mail_on_the_dashboard(
    app: Flask, db: Session, client, login_as, create_staff
) -> None:
    _queue(app)
    failed_id = _queue(app, to="other@example.org")
    limit = app.config["MAIL_MAX_ATTEMPTS"]
    db.execute(update(OutboxMail).where(OutboxMail.id == failed_id).values(attempts=limit))
    db.commit()
    login_as("moderator")
    assert 'data-testid="mail-failed"' not in client.get("/staff/").text
    admin = app.test_client()
    sign_in(admin, create_staff("admin"), TEST_PASSWORD)
    page = admin.get("/staff/").text
    assert 'data-testid="mail-waiting">1<' in page
    assert 'data-testid="mail-failed">1<' in page
    assert "flask mail requeue --all-failed" in page
