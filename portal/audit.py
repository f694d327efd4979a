"""An append-only, hash-chained record of every staff action.

Each entry's hash covers its own fields and the previous entry's hash, so that
changing, removing or reordering any entry breaks the chain from that point on
(`flask audit verify`). Appends are serialised through a single head row,
locked for the rest of the transaction, so concurrent writers cannot fork the
chain; the entry commits or rolls back with the action it records.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from .audit_labels import is_known_action
from .db import Base, UTCDateTime, utcnow

GENESIS = "0" * 64


class AuditEntry(Base):
    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    # No ON DELETE: staff accounts are deactivated, never deleted, or the chain would break.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), index=True)
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(80), index=True)
    target_type: Mapped[str | None] = mapped_column(String(60))
    target_id: Mapped[str | None] = mapped_column(String(120))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """One row: the sequence number and hash of the newest entry."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    hash: Mapped[str] = mapped_column(String(64), default=GENESIS)


def _digest(entry: AuditEntry) -> str:
    payload = {
        "seq": entry.seq,
        "at": entry.at.isoformat(timespec="microseconds"),
        "actor_id": entry.actor_id,
        "actor": entry.actor,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "details": entry.details or {},
        "prev": entry.prev_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _create_head(db: Session) -> None:
    """Insert the head row unless a concurrent transaction already did."""
    values = {"id": 1, "seq": 0, "hash": GENESIS}
    if db.get_bind().dialect.name == "postgresql":
        stmt = postgresql.insert(AuditHead).values(values).on_conflict_do_nothing()
    else:
        stmt = sqlite.insert(AuditHead).values(values).on_conflict_do_nothing()
    db.execute(stmt)


def record(
    db: Session,
    *,
    action: str,
    actor: str,
    actor_id: int | None = None,
    target_type: str | None = None,
    target_id: object = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append an entry; it is committed with the caller's transaction.

    `details` must never hold personal data (identity numbers, phones, names of
    citizens): record which record was touched, not what it says. `action` must be one
    of `audit_labels.ACTION_LABELS`, so that staff read it in their language.
    """
    if not is_known_action(action):
        raise ValueError(f"audit action {action!r} has no label in portal/audit_labels.py")
    head = db.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()).scalar()
    if head is None:
        _create_head(db)
        head = db.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()).scalar_one()
    entry = AuditEntry(
        seq=head.seq + 1,
        at=utcnow(),
        actor_id=actor_id,
        actor=actor,
        action=action,
        target_type=target_type,
        target_id=None if target_id is None else str(target_id),
        details=details or {},
        prev_hash=head.hash,
    )
    entry.hash = _digest(entry)
    head.seq, head.hash = entry.seq, entry.hash
    db.add(entry)
    db.flush()
    return entry


@dataclass(frozen=True)
class ChainReport:
    entries: int
    broken_at: int | None
    reason: str | None

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify(db: Session, batch: int = 5000) -> ChainReport:
    """Walk the chain in order and report the first entry that does not fit."""
    prev, expected_seq, count = GENESIS, 1, 0
    last_seq = 0
    while True:
        rows = db.scalars(
            select(AuditEntry)
            .where(AuditEntry.seq > last_seq)
            .order_by(AuditEntry.seq)
            .limit(batch)
        ).all()
        if not rows:
            break
        for entry in rows:
            if entry.seq != expected_seq:
                return ChainReport(count, expected_seq, "an entry is missing")
            if entry.prev_hash != prev:
                return ChainReport(count, entry.seq, "the link to the previous entry is broken")
            if _digest(entry) != entry.hash:
                return ChainReport(count, entry.seq, "the entry was altered")
            prev, expected_seq, count = entry.hash, expected_seq + 1, count + 1
            last_seq = entry.seq
    head = db.get(AuditHead, 1)
    if head is not None and (head.seq != count or head.hash != prev):
        return ChainReport(count, count + 1, "entries at the end were removed")
    return ChainReport(count, None, None)
