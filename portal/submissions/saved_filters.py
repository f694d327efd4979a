"""Queue filters a staff member saves under a name and picks again later.

Each list belongs to one staff member; only the filter's query arguments are
kept (no personal data), and they are read back through QueueFilter, so a
stored value that is no longer valid is simply dropped.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import audit
from ..db import utcnow
from ..staff.models import StaffUser
from .models import SavedQueueFilter
from .queries import QueueFilter
from .services import SubmissionError

MAX_NAME = 80
MAX_PER_STAFF = 20


def list_saved_filters(db: Session, staff_id: int) -> list[SavedQueueFilter]:
    return list(
        db.scalars(
            select(SavedQueueFilter)
            .where(SavedQueueFilter.staff_id == staff_id)
            .order_by(SavedQueueFilter.name)
        )
    )


def filter_of(saved: SavedQueueFilter) -> QueueFilter:
    return QueueFilter.from_args(dict(parse_qsl(saved.query)))


def save_filter(db: Session, staff: StaffUser, name: str, f: QueueFilter) -> SavedQueueFilter:
    """Keep `f` under `name` for `staff`; the same name again replaces the old one."""
    name = " ".join(name.split())
    if not name:
        raise SubmissionError(_l("Give the filter a name."), "name")
    if len(name) > MAX_NAME:
        raise SubmissionError(_l("Write %(n)d characters or fewer.", n=MAX_NAME), "name")
    saved = db.scalar(
        select(SavedQueueFilter).where(
            SavedQueueFilter.staff_id == staff.id, SavedQueueFilter.name == name
        )
    )
    if saved is None:
        count = db.scalar(select(func.count()).where(SavedQueueFilter.staff_id == staff.id))
        if (count or 0) >= MAX_PER_STAFF:
            raise SubmissionError(
                _l("You can keep %(n)d saved filters: delete one first.", n=MAX_PER_STAFF),
                "name",
            )
        saved = SavedQueueFilter(staff_id=staff.id, name=name, created_at=utcnow())
        db.add(saved)
    saved.query = f.query_string()
    db.flush()
    _audit(db, staff, "submission.filter_saved", saved)
    return saved


def delete_filter(db: Session, staff: StaffUser, filter_id: int) -> bool:
    """Delete one of `staff`'s own saved filters; someone else's is left alone."""
    saved = db.get(SavedQueueFilter, filter_id)
    if saved is None or saved.staff_id != staff.id:
        return False
    _audit(db, staff, "submission.filter_deleted", saved)
    db.delete(saved)
    db.flush()
    return True


def _audit(db: Session, staff: StaffUser, action: str, saved: SavedQueueFilter) -> None:
    audit.record(
        db,
        action=action,
        actor=staff.username,
        actor_id=staff.id,
        target_type="saved_queue_filter",
        target_id=saved.id,
    )
