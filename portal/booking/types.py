"""Labels for identity document types, allocation modes and booking statuses."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .models import ATTENDED, CANCELLED, CONFIRMED, ENTERED, FCFS, LOTTERY, WAITLISTED

ID_TYPES = {
    "resident_card": _l("Resident identity card"),
    "hmt_permit": _l("Hong Kong, Macao or Taiwan travel permit"),
    "passport": _l("Passport"),
}

ALLOCATIONS = {
    FCFS: _l("First come, first served, with a waiting list"),
    LOTTERY: _l("Lottery after registration closes"),
}

STATUSES = {
    ENTERED: _l("Entered in the draw"),
    CONFIRMED: _l("Confirmed"),
    WAITLISTED: _l("On the waiting list"),
    CANCELLED: _l("Cancelled"),
    ATTENDED: _l("Attended"),
}
