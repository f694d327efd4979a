"""Kiosk rules: enrolment by one-time link, the device check, revocation, usage counts."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from .. import audit
from ..booking.models import Office
from ..db import utcnow
from .models import Kiosk, KioskUsage

ENROL_VALID = timedelta(hours=24)
SERVICES = ("inquiry", "submit", "booking", "documents", "surveys", "guides", "track", "answers")
EVENTS = ("started", "used", "completed", "abandoned")
VISIT = ""  # the service key of counts about the visit as a whole


class KioskError(Exception):
    """An enrolment link that is unknown, used or expired, or an unknown kiosk."""


def _audit(db: Session, action: str, kiosk: Kiosk, actor: str, actor_id: int | None) -> None:
    audit.record(
        db,
        action=f"kiosk.{action}",
        actor=actor,
        actor_id=actor_id,
        target_type="kiosk",
        target_id=kiosk.id,
    )


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def register_kiosk(
    db: Session, *, name: str, office_id: int | None, actor: str, actor_id: int | None = None
) -> tuple[Kiosk, str]:
    """A new kiosk and the token of its one-time enrolment link."""
    name = name.strip()
    if not name:
        raise KioskError("name")
    if office_id is not None and db.get(Office, office_id) is None:
        raise KioskError("office")
    kiosk = Kiosk(name=name[:100], office_id=office_id)
    db.add(kiosk)
    db.flush()
    token = _issue_token(kiosk)
    _audit(db, "register", kiosk, actor, actor_id)
    return kiosk, token


def reissue_enrolment(db: Session, kiosk: Kiosk, *, actor: str, actor_id: int | None = None) -> str:
    """A fresh link for a kiosk (a replaced screen, a link that expired); the old device stops."""
    token = _issue_token(kiosk)
    kiosk.device_key_hash = None
    kiosk.revoked_at = None
    _audit(db, "reissue", kiosk, actor, actor_id)
    return token


def _issue_token(kiosk: Kiosk) -> str:
    token = secrets.token_urlsafe(32)
    kiosk.enrol_token_hash = _digest(token)
    kiosk.enrol_expires_at = utcnow() + ENROL_VALID
    return token


def find_enrolment(db: Session, token: str, now: datetime) -> Kiosk:
    if not token or len(token) > 100:
        raise KioskError("token")
    kiosk = db.scalar(select(Kiosk).where(Kiosk.enrol_token_hash == _digest(token)))
    if kiosk is None or kiosk.enrol_expires_at is None or kiosk.enrol_expires_at <= now:
        raise KioskError("token")
    return kiosk


def claim_enrolment(db: Session, token: str, now: datetime) -> tuple[Kiosk, str]:
    """Use a link once: the kiosk gets a device secret, the link stops working."""
    kiosk = find_enrolment(db, token, now)
    device_secret = secrets.token_urlsafe(32)
    kiosk.device_key_hash = _digest(device_secret)
    kiosk.enrol_token_hash = None
    kiosk.enrol_expires_at = None
    kiosk.enrolled_at = now
    kiosk.revoked_at = None
    _audit(db, "enrol", kiosk, "kiosk", None)
    return kiosk, device_secret


def device_kiosk(db: Session, kiosk_id: int, device_secret: str) -> Kiosk | None:
    """The enrolled, unrevoked kiosk whose cookie this is, or None."""
    kiosk = db.get(Kiosk, kiosk_id)
    if kiosk is None or not kiosk.active or kiosk.device_key_hash is None:
        return None
    if not hmac.compare_digest(kiosk.device_key_hash, _digest(device_secret)):
        return None
    return kiosk


def revoke_kiosk(
    db: Session, kiosk: Kiosk, *, actor: str, actor_id: int | None, now: datetime
) -> None:
    kiosk.revoked_at = now
    kiosk.device_key_hash = None
    kiosk.enrol_token_hash = None
    kiosk.enrol_expires_at = None
    _audit(db, "revoke", kiosk, actor, actor_id)


def count_use(db: Session, kiosk_id: int, day: date, event: str, service: str = VISIT) -> None:
    """Add one to a day's count; concurrent visits at one kiosk never lose a count."""
    if event not in EVENTS or (service and service not in SERVICES):
        raise ValueError(f"unknown kiosk count {service}/{event}")
    dialect = db.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(KioskUsage).values(
        kiosk_id=kiosk_id, day=day, service=service, event=event, count=1
    )
    statement = statement.on_conflict_do_update(
        index_elements=["kiosk_id", "day", "service", "event"],
        set_={"count": KioskUsage.count + 1},
    )
    db.execute(statement)


@dataclass
class UsageDay:
    """One office's kiosk use on one day: visits and what they chose."""

    day: date
    office: str | None
    events: dict[str, int] = field(default_factory=dict)  # started, completed, abandoned
    chosen: dict[str, int] = field(default_factory=dict)  # service -> times chosen


def usage_report(db: Session, since: date) -> list[UsageDay]:
    """Counts per office and day since a day, newest first (all kiosks of an office summed)."""
    rows = db.execute(
        select(
            Office.name,
            KioskUsage.day,
            KioskUsage.service,
            KioskUsage.event,
            func.sum(KioskUsage.count),
        )
        .join(Kiosk, Kiosk.id == KioskUsage.kiosk_id)
        .outerjoin(Office, Office.id == Kiosk.office_id)
        .where(KioskUsage.day >= since)
        .group_by(Office.name, KioskUsage.day, KioskUsage.service, KioskUsage.event)
    ).all()
    days: dict[tuple[date, str | None], UsageDay] = {}
    for office, day, service, event, count in rows:
        entry = days.setdefault((day, office), UsageDay(day=day, office=office))
        target = entry.chosen if event == "used" else entry.events
        key = service if event == "used" else event
        target[key] = target.get(key, 0) + int(count or 0)
    return sorted(days.values(), key=lambda d: (-d.day.toordinal(), d.office or ""))


def list_kiosks(db: Session) -> list[Kiosk]:
    return list(db.scalars(select(Kiosk).order_by(Kiosk.name, Kiosk.id)))
