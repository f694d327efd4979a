"""Outgoing mail through an outbox table, so a mail failure never loses anything.

A service calls `queue_mail` inside its own transaction: the mail exists only
if the change that caused it was committed. Requests never talk to the SMTP
server (a slow or silent one would hold the citizen's request): mail is sent
by `flask mail worker` (a loop) or `flask mail send-pending` (cron), both
through `send_pending`. A failure stays in the outbox with a back-off; after
the last attempt the mail is given up, shown on the staff dashboard, and can
be put back with `flask mail requeue`.

Recipient and body are encrypted at rest. Subjects must carry no personal data
or case content: services pass fixed, translated subjects.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from sqlalchemy import ColumnElement, Integer, String, case, func, or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, Session, mapped_column

from .crypto import EncryptedText
from .db import Base, UTCDateTime, utcnow

CLAIM_SECONDS = 300
log = logging.getLogger(__name__)


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
    stop: threading.Event | None = None,
) -> SendReport:
    """Send due mails (or just `ids`), each claimed first so two senders never both send it.

    Commits after each claim and each result: a crash between them leaves the
    claim to expire, and the mail is tried again later. `stop` (set by the
    worker on SIGTERM) ends the run between two mails.
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
        if stop is not None and stop.is_set():
            break
        if not _claim(db, mail_id, now):
            continue
        mail = db.get(OutboxMail, mail_id)
        assert mail is not None
        try:
            _deliver(config, mail)
        except (OSError, smtplib.SMTPException) as exc:
            mail.attempts += 1
            mail.last_error = _error_name(exc)
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


def _error_name(exc: BaseException) -> str:
    """What went wrong, without the server's words (which may quote the recipient)."""
    # smtplib reports a server that stopped answering as "disconnected": name the timeout.
    if isinstance(exc, TimeoutError) or isinstance(exc.__context__, TimeoutError):
        return "TimeoutError"
    return type(exc).__name__[:200]


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
    timeout = float(config.get("MAIL_TIMEOUT", 10))  # type: ignore[arg-type]
    with smtplib.SMTP(host, port, timeout=timeout) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            smtp.login(str(config["MAIL_USERNAME"]), str(config.get("MAIL_PASSWORD") or ""))
        smtp.send_message(message)


def given_up(max_attempts: int) -> ColumnElement[bool]:
    """SQL condition: unsent mail that reached the attempt limit."""
    return (OutboxMail.sent_at.is_(None)) & (OutboxMail.attempts >= max_attempts)


@dataclass(frozen=True)
class OutboxCounts:
    waiting: int  # not sent yet, still being tried
    failed: int  # given up after the last attempt: needs `flask mail requeue`


def outbox_counts(db: Session, max_attempts: int) -> OutboxCounts:
    failed = OutboxMail.attempts >= max_attempts
    waiting, given = db.execute(
        select(func.count(case((~failed, 1))), func.count(case((failed, 1)))).where(
            OutboxMail.sent_at.is_(None)
        )
    ).one()
    return OutboxCounts(waiting=waiting or 0, failed=given or 0)


def requeue(
    db: Session, max_attempts: int, *, ids: Iterable[int] | None = None, now: datetime | None = None
) -> int:
    """Give unsent mail a fresh set of attempts, due now: `ids`, or every given-up mail.

    Sent mail is never requeued. Returns how many mails were requeued; the caller commits.
    """
    condition = (
        OutboxMail.sent_at.is_(None) & OutboxMail.id.in_(list(ids))
        if ids is not None
        else given_up(max_attempts)
    )
    result = db.execute(
        update(OutboxMail)
        .where(condition)
        .values(attempts=0, next_attempt_at=now or utcnow(), claimed_until=None)
    )
    return result.rowcount or 0


def run_worker(
    session: Callable[[], Session],
    config: Mapping[str, object],
    *,
    interval: float,
    stop: threading.Event,
) -> None:
    """Send due mail every `interval` seconds until `stop` is set (by SIGTERM).

    Each round is `send_pending`, as in cron; a database that is briefly
    unavailable only skips a round.
    """
    while not stop.is_set():
        db = session()
        try:
            report = send_pending(db, config, stop=stop)
        except SQLAlchemyError:
            log.exception("mail worker: the outbox could not be read; trying again")
            db.rollback()
        else:
            if report.sent or report.failed:
                log.info(
                    "mail worker: %d sent, %d failed, %d given up",
                    report.sent,
                    report.failed,
                    report.gave_up,
                )
        finally:
            db.close()
        stop.wait(interval)
