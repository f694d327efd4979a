"""Listing and filtering submissions for staff."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from urllib.parse import urlencode

from sqlalchemy import ColumnElement, Select, case, select
from sqlalchemy.orm import Session

from ..pagination import Pager, count_rows, make_pager, paginate
from ..staff.models import StaffUser
from .models import ReplyRating, Submission, SubmissionReply
from .types import FINISHED, KINDS, RESTRICTED_KINDS, STATUSES

SORTS = ("subject", "kind", "received", "due", "assignee", "status")
PER_PAGE = 50
# Sorting by subject decrypts each submission: beyond this many matches the queue
# asks for a narrower filter instead (see QueuePage.subject_sort_refused).
SUBJECT_SORT_LIMIT = 5000


@dataclass(frozen=True)
class QueueFilter:
    kind: str | None = None
    status: str | None = None
    due: str | None = None  # "overdue" or "soon"
    assigned: str | None = None  # "me", "none"
    unread: bool = False
    spam: bool = False
    sort: str = "due"
    descending: bool = False

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
            sort=get("sort") if get("sort") in SORTS else "due",
            descending=get("dir") == "desc",
        )

    def as_args(self) -> dict[str, str]:
        """The query arguments that give this filter back (defaults left out)."""
        args = {
            "kind": self.kind or "",
            "status": self.status or "",
            "due": self.due or "",
            "assigned": self.assigned or "",
            "unread": "1" if self.unread else "",
            "spam": "1" if self.spam else "",
            "sort": "" if self.sort == "due" else self.sort,
            "dir": "desc" if self.descending else "",
        }
        return {key: value for key, value in args.items() if value}

    def query_string(self) -> str:
        return urlencode(self.as_args())

    def sorted_by(self, column: str) -> dict[str, str]:
        """The arguments for sorting by `column`: a second click reverses the order."""
        again = self.sort == column and not self.descending
        return {**self.as_args(), "sort": column, "dir": "desc" if again else "asc"}


def due_at(submission: Submission) -> datetime | None:
    """The date the next answer is due, or None when no clock runs."""
    if submission.status in FINISHED:
        return None
    return submission.procedural_due if submission.status == "received" else submission.result_due


def queue_query(f: QueueFilter, *, staff_id: int, now: datetime, soon_days: int) -> Select:
    # Kinds with their own role (judicial aid) are handled on their own pages.
    query = select(Submission).where(
        Submission.spam.is_(f.spam), Submission.kind.notin_(RESTRICTED_KINDS)
    )
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
    return query.order_by(Submission.procedural_due, Submission.id)


def _by_label(column: ColumnElement[str], labels: dict[str, object]) -> ColumnElement[str]:
    """Order by the label people read (in the current language), not the stored key."""
    return case({key: str(label) for key, label in labels.items()}, value=column, else_=column)


def _sort_keys(f: QueueFilter) -> list[ColumnElement[object]]:
    due = case(
        (Submission.status.in_(FINISHED), None),
        (Submission.status == "received", Submission.procedural_due),
        else_=Submission.result_due,
    )
    columns: dict[str, list[ColumnElement[object]]] = {
        "kind": [_by_label(Submission.kind, {k: v.title for k, v in KINDS.items()})],
        "status": [_by_label(Submission.status, dict(STATUSES))],
        "received": [Submission.received_at],
        # Submissions without a running clock come last either way.
        "due": [due.is_(None), due],
        "assignee": [StaffUser.display_name.is_(None), StaffUser.display_name],
    }
    keys = columns[f.sort]
    ordered = [k.desc() if f.descending and i == len(keys) - 1 else k for i, k in enumerate(keys)]
    tie = Submission.id.desc() if f.descending else Submission.id
    return [*ordered, tie]


@dataclass(frozen=True)
class QueuePage:
    items: list[Submission]
    pager: Pager
    subject_sort_refused: bool = False


def list_queue(
    db: Session,
    f: QueueFilter,
    *,
    staff_id: int,
    now: datetime,
    soon_days: int,
    page: int = 1,
    subject_of: Callable[[Submission], str] | None = None,
) -> QueuePage:
    """One page of the queue, sorted as asked. The subject is stored encrypted, so a
    subject sort reads the matching submissions and sorts them here (`subject_of`)."""
    base = queue_query(f, staff_id=staff_id, now=now, soon_days=soon_days)
    refused = False
    if f.sort == "subject" and subject_of is not None:
        total = count_rows(db, base)
        if total <= SUBJECT_SORT_LIMIT:
            pager = make_pager(page, PER_PAGE, total)
            rows = sorted(db.scalars(base), key=lambda s: (subject_of(s), s.id))
            if f.descending:
                rows.reverse()
            return QueuePage(rows[pager.offset : pager.offset + PER_PAGE], pager)
        f, refused = replace(f, sort="due", descending=False), True
    query = (
        base.order_by(None)
        .outerjoin(StaffUser, StaffUser.id == Submission.assigned_to_id)
        .order_by(*_sort_keys(f))
    )
    items, pager = paginate(db, query, page, PER_PAGE)
    return QueuePage(items, pager, refused)


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
