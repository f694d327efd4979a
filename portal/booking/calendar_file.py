"""A booking as an iCalendar event: the .ics download, and the QR code a kiosk shows
instead (phones offer to add an event scanned from a code holding its text)."""

from __future__ import annotations

import icalendar
from flask_babel import gettext as _

from ..db import utcnow
from ..public_url import public_host
from . import services
from .models import Booking


def booking_calendar(booking: Booking) -> bytes:
    """The booking's visit as a one-event calendar (RFC 5545)."""
    visit = booking.session
    open_day = booking.open_day
    cal = icalendar.Calendar()
    cal.add("prodid", "-//procuratorate-portal//open days//EN")
    cal.add("version", "2.0")
    event = icalendar.Event()
    event.add("uid", f"booking-{booking.code}@{public_host()}")
    event.add("dtstamp", utcnow())
    event.add("dtstart", visit.starts_at)
    event.add("dtend", visit.ends_at)
    event.add("summary", open_day.title)
    event.add("location", f"{open_day.office.name}, {open_day.office.address}")
    event.add(
        "description",
        "\n".join(
            [
                _("Booking code: %(code)s", code=services.format_code(booking.code)),
                _("Bring the identity document you booked with."),
                open_day.what_to_bring,
            ]
        ).strip(),
    )
    cal.add_component(event)
    return cal.to_ical()
