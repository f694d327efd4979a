"""Outgoing mail through an outbox table, so a mail failure never loses anything.

A service calls `queue_mail` inside its own transaction: the mail exists only
if the change that caused it was committed. After the request commits, the
mails it queued are sent at once; whatever fails stays in the outbox with a
back-off and is retried by `flask mail send-pending` (run it from cron).

Recipient and body are encrypted at rest. Subjects must carry no personal data
or case content: services pass fixed, translated subjects.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from flask import Flask, current_app, g, has_app_context
from sqlalchemy import Integer, String, event, or_, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from .crypto import EncryptedText
from .db import Base, UTCDateTime, utcnow

CLAIM_SECONDS = 300


class OutboxMail(Base):
    __tablename__ = "mail_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(EncryptedText)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(EncryptedText)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(200))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)


def queue_mail(db: Session, *, to: str, subject: str, body: str) -> OutboxMail:
    """Queue a plain-text mail in the caller's transaction."""
    if "\n" in subject or "\r" in subject:
        raise ValueError("a mail subject is one line")
    mail = OutboxMail(recipient=to.strip(), subject=subject, body=body)
    db.add(mail)
    db.flush()
    db.info.setdefault("mail_outbox", []).append(mail.id)
    return mail


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    gave_up: int = 0


def send_pending(
    db: Session,
    config: Mapping[str, object],
    *,
    ids: Iterable[int] | None = None,
    now: datetime | None = None,
    limit: int = 500,
) -> SendReport:
    """Send due mails (or just `ids`), each claimed first so two senders never both send it.

    Commits after each claim and each result: a crash between them leaves the
    claim to expire, and the mail is tried again later.
    """
    now = now or utcnow()
    report = SendReport()
    max_attempts = int(config.get("MAIL_MAX_ATTEMPTS", 8))
    query = select(OutboxMail.id).where(OutboxMail.sent_at.is_(None))
    if ids is not None:
        query = query.where(OutboxMail.id.in_(list(ids)))
    else:
        query = query.where(OutboxMail.next_attempt_at <= now, OutboxMail.attempts < max_attempts)
    candidates = list(db.scalars(query.order_by(OutboxMail.id).limit(limit)))
    db.commit()
    for mail_id in candidates:
        if not _claim(db, mail_id, now):
            continue
        mail = db.get(OutboxMail, mail_id)
        assert mail is not None
        try:
            _deliver(config, mail)
        except (OSError, smtplib.SMTPException) as exc:
            mail.attempts += 1
            mail.last_error = f"{type(exc).__name__}"[:200]
            mail.next_attempt_at = now + timedelta(minutes=2 ** min(mail.attempts, 10))
            mail.claimed_until = None
            report.failed += 1
            if mail.attempts >= max_attempts:
                report.gave_up += 1
        else:
            mail.attempts += 1
            mail.sent_at = utcnow()
            mail.last_error = None
            report.sent += 1
        db.commit()
    return report


def _claim(db: Session, mail_id: int, now: datetime) -> bool:
    result = db.execute(
        update(OutboxMail)
        .where(
            OutboxMail.id == mail_id,
            OutboxMail.sent_at.is_(None),
            or_(OutboxMail.claimed_until.is_(None), OutboxMail.claimed_until < now),
        )
        .values(claimed_until=now + timedelta(seconds=CLAIM_SECONDS))
    )
    db.commit()
    return result.rowcount == 1


def _deliver(config: Mapping[str, object], mail: OutboxMail) -> None:
    if not config.get("MAIL_ENABLED", True):
        raise smtplib.SMTPException("mail is disabled")
    message = EmailMessage()
    message["From"] = str(config["MAIL_SENDER"])
    message["To"] = mail.recipient
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = make_msgid(domain=str(config["MAIL_SENDER"]).rpartition("@")[2])
    message.set_content(mail.body)
    host, port = str(config["MAIL_SERVER"]), int(config["MAIL_PORT"])  # type: ignore[arg-type]
    with smtplib.SMTP(host, port, timeout=10) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            smtp.login(str(config["MAIL_USERNAME"]), str(config.get("MAIL_PASSWORD") or ""))
        smtp.send_message(message)


@event.listens_for(Session, "after_commit")
def _note_queued(db: Session) -> None:
    queued = db.info.pop("mail_outbox", None)
    if queued and has_app_context():
        g.setdefault("mail_outbox_ids", []).extend(queued)


@event.listens_for(Session, "after_rollback")
def _forget_queued(db: Session) -> None:
    db.info.pop("mail_outbox", None)


def init_app(app: Flask) -> None:
    @app.teardown_request
    def _send_queued(_exc: BaseException | None) -> None:
        ids = g.pop("mail_outbox_ids", None)
        if not ids:
            return
        from .db import get_session

        try:
            send_pending(get_session(), current_app.config, ids=ids)
        except Exception:  # noqa: BLE001 - the outbox keeps it; `flask mail send-pending` retries
            current_app.logger.exception("sending queued mail failed; it stays in the outbox")
