"""Listing and filtering submissions for staff."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from .models import ReplyRating, Submission, SubmissionReply
from .types import FINISHED, KINDS, STATUSES


@dataclass(frozen=True)
class QueueFilter:
    kind: str | None = None
    status: str | None = None
    due: str | None = None  # "overdue" or "soon"
    assigned: str | None = None  # "me", "none"
    unread: bool = False
    spam: bool = False

    @classmethod
    def from_args(cls, args: object) -> QueueFilter:
        get = args.get  # type: ignore[attr-defined]
        return cls(
            kind=get("kind") if get("kind") in KINDS else None,
            status=get("status") if get("status") in STATUSES else None,
            due=get("due") if get("due") in {"overdue", "soon"} else None,
            assigned=get("assigned") if get("assigned") in {"me", "none"} else None,
            unread=get("unread") == "1",
            spam=get("spam") == "1",
        )


def queue_query(f: QueueFilter, *, staff_id: int, now: datetime, soon_days: int) -> Select:
    query = select(Submission).where(Submission.spam.is_(f.spam))
    if f.kind:
        query = query.where(Submission.kind == f.kind)
    if f.status:
        query = query.where(Submission.status == f.status)
    if f.assigned == "me":
        query = query.where(Submission.assigned_to_id == staff_id)
    elif f.assigned == "none":
        query = query.where(Submission.assigned_to_id.is_(None))
    if f.unread:
        query = query.where(Submission.unread.is_(True))
    if f.due:
        limit = now if f.due == "overdue" else now + timedelta(days=soon_days)
        open_procedural = (Submission.status == "received") & (Submission.procedural_due <= limit)
        open_result = Submission.status.notin_(FINISHED) & (Submission.result_due <= limit)
        query = query.where(open_procedural | open_result)
    return query.order_by(Submission.procedural_due)


def list_queue(
    db: Session, f: QueueFilter, *, staff_id: int, now: datetime, soon_days: int, limit: int = 200
) -> list[Submission]:
    return list(
        db.scalars(queue_query(f, staff_id=staff_id, now=now, soon_days=soon_days).limit(limit))
    )


def open_follow_ups(db: Session) -> list[ReplyRating]:
    """不满意 ratings that no supervisor has followed up yet."""
    return list(
        db.scalars(
            select(ReplyRating)
            .join(SubmissionReply)
            .where(ReplyRating.rating == "unsatisfied", ReplyRating.follow_up_done_at.is_(None))
            .order_by(ReplyRating.created_at)
        )
    )
