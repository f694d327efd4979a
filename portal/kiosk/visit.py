"""One visitor at a time: a visit starts at a start-screen tile and ends when the
visitor finishes, taps End or walks away; its end leaves nothing behind.

Feature views call `complete(service)` with one line where a journey reaches its
end; off-kiosk it does nothing. Only counts are kept, never who or what.
"""

from __future__ import annotations

import time

from flask import request, session

from ..booking.services import local_date
from ..db import get_session, utcnow
from ..i18n import LANG_COOKIE, LARGE_TEXT_COOKIE
from ..submissions import services as submission_services
from ..submissions.views import DRAFT_KEY, files_dir
from . import services
from .device import KioskDevice, current_kiosk

VISIT_KEY = "kiosk_visit"


def _today():  # noqa: ANN202
    return local_date(utcnow())


def start_service(kiosk: KioskDevice, service: str) -> None:
    """Count the visit (once) and the service the visitor chose."""
    db = get_session()
    visit = session.get(VISIT_KEY)
    if not visit:
        services.count_use(db, kiosk.id, _today(), "started")
        visit = {"at": int(time.time()), "done": False}
    services.count_use(db, kiosk.id, _today(), "used", service)
    visit["service"] = service
    session[VISIT_KEY] = visit


def complete(service: str) -> None:
    """A journey reached its end at a kiosk: count it once per visit and service.

    Call it after the view's own commit: the count is committed on its own, so a
    journey is counted only once its work is stored. A journey reached without a
    start-screen tile (a link between services) still starts a visit, so completed
    visits are never more than started ones.
    """
    kiosk = current_kiosk()
    if kiosk is None:
        return
    visit = session.get(VISIT_KEY)
    if not visit:
        start_service(kiosk, service)
        visit = session[VISIT_KEY]
    completed = list(visit.get("completed", []))
    if service in completed:
        return
    db = get_session()
    services.count_use(db, kiosk.id, _today(), "completed", service)
    db.commit()
    session[VISIT_KEY] = {**visit, "done": True, "completed": [*completed, service]}


def left_behind() -> bool:
    """Something of a visit is still here (a visitor went back to the start screen, or
    chose a language there): the start screen then also ends the visit when left alone."""
    return bool(session) or any(c in request.cookies for c in (LANG_COOKIE, LARGE_TEXT_COOKIE))


def end_visit(kiosk: KioskDevice) -> None:
    """Forget everything of this visit on the server; keep only the counts.

    The session's draft (answers and unsent attachments) is deleted outright rather
    than left for the daily purge: the next visitor stands at the same screen.
    Bookings made and submissions sent stay: they are what the visitor came to do.
    """
    db = get_session()
    draft = submission_services.find_draft(db, session.get(DRAFT_KEY), utcnow())
    if draft is not None:
        submission_services.discard_draft(db, draft, files_dir())
    visit = session.get(VISIT_KEY)
    if visit and not visit.get("done"):
        services.count_use(db, kiosk.id, _today(), "abandoned", visit.get("service") or "")
    session.clear()
