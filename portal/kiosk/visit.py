"""One visitor at a time: a visit starts at a start-screen tile and ends when the
visitor finishes, taps End or walks away; its end leaves nothing behind."""

from __future__ import annotations

import time

from flask import session

from ..booking.services import local_date
from ..db import get_session, utcnow
from . import services
from .device import KioskDevice

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


def end_visit(kiosk: KioskDevice) -> None:
    """Forget everything of this visit on the server; keep only the language and counts."""
    visit = session.get(VISIT_KEY)
    if visit and not visit.get("done"):
        services.count_use(
            get_session(), kiosk.id, _today(), "abandoned", visit.get("service") or ""
        )
    session.clear()
