"""Public pages: open days and their calendar, booking, the booking page, the draw results."""

from __future__ import annotations

import io
from datetime import date, timedelta

import segno
from flask import (
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select
from wtforms.fields import SelectChoice

from ..db import get_session, utcnow
from ..downloads import download_response
from ..extensions import limiter
from ..i18n import current_locale
from ..inputs import as_int
from ..kiosk import visit as kiosk_visit
from ..kiosk.device import current_kiosk
from . import bp, services
from .calendar_file import booking_calendar
from .forms import ActionForm, BookingForm, FindBookingForm, show_error
from .models import LOTTERY, WAITLISTED, Booking, OpenDay
from .queries import list_offices, month_grid, upcoming_open_days
from .types import ID_TYPES, STATUSES

BOOKING_LIMIT = "20 per minute"  # per address: each booking is costly to undo
FIND_LIMIT = "10 per minute"  # codes must not be guessable by trying
SESSION_KEY = "booking_id"
CALENDAR_YEARS = 100  # how far from today `?month=` may go


def _open_day(open_day_id: int) -> OpenDay:
    open_day = get_session().get(OpenDay, open_day_id)
    if open_day is None:
        abort(404)
    return open_day


def _office_arg() -> int | None:
    return as_int(request.args.get("office"))


def _month_arg(today: date) -> date:
    """The first day of `?month=YYYY-MM`, within a century of today; this month otherwise."""
    try:
        year, month = (int(part) for part in request.args.get("month", "").split("-"))
        first = date(year, month, 1)
    except ValueError:
        return today.replace(day=1)
    return first if abs(first.year - today.year) <= CALENDAR_YEARS else today.replace(day=1)


@bp.route("/")
def list_open_days() -> ResponseReturnValue:
    db = get_session()
    office_id = _office_arg()
    return render_template(
        "booking/list.html",
        open_days=upcoming_open_days(db, utcnow(), office_id),
        offices=list_offices(db),
        office_id=office_id,
        now=utcnow(),
    )


@bp.route("/calendar")
def calendar() -> ResponseReturnValue:
    db = get_session()
    today = services.local_date(utcnow())
    first = _month_arg(today)
    office_id = _office_arg()
    previous = (first - timedelta(days=1)).replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return render_template(
        "booking/calendar.html",
        weeks=month_grid(db, first.year, first.month, office_id),
        first=first,
        previous=previous,
        following=following,
        today=today,
        offices=list_offices(db),
        office_id=office_id,
    )


@bp.route("/<int:open_day_id>")
def show_open_day(open_day_id: int) -> ResponseReturnValue:
    open_day = _open_day(open_day_id)
    return render_template("booking/show.html", open_day=open_day, now=utcnow(), id_types=ID_TYPES)


@bp.route("/<int:open_day_id>/availability.json")
def availability(open_day_id: int) -> ResponseReturnValue:
    """Seats left and waiting-list length of each session, as the page words them."""
    open_day = _open_day(open_day_id)
    now = utcnow()
    sessions = {
        str(visit.id): " ".join(render_template("booking/_availability.html", visit=visit).split())
        if visit.starts_at > now
        else _("Past")
        for visit in open_day.sessions
    }
    response = jsonify(sessions=sessions)
    response.headers["Cache-Control"] = "no-store"
    return response


def _booking_request(form: BookingForm) -> services.BookingRequest:
    members = tuple(line.strip() for line in (form.members.data or "").splitlines() if line.strip())
    return services.BookingRequest(
        session_id=int(form.session_id.data or 0),
        name=(form.name.data or "").strip(),
        id_type=form.id_type.data or "",
        id_number=form.id_number.data or "",
        phone=(form.phone.data or "").strip(),
        email=(form.email.data or "").strip(),
        birth_date=form.birth_date.data,
        members=members,
        language=current_locale(),
    )


@bp.route("/<int:open_day_id>/book", methods=["GET", "POST"])
@limiter.limit(BOOKING_LIMIT, methods=["POST"])
def book(open_day_id: int) -> ResponseReturnValue:
    open_day = _open_day(open_day_id)
    now = utcnow()
    form = BookingForm()
    form.session_id.choices = [SelectChoice(s.id, str(s.id)) for s in open_day.sessions]
    form.id_type.choices = [
        SelectChoice(k, v) for k, v in ID_TYPES.items() if k in open_day.id_type_set
    ]
    session_arg = as_int(request.args.get("session"))
    if request.method == "GET" and session_arg is not None:
        form.session_id.data = session_arg
    failure = None
    if form.validate_on_submit():
        db = get_session()
        try:
            booking = services.book_seat(db, open_day, _booking_request(form), now=now)
        except services.BookingError as exc:
            db.rollback()
            failure = show_error(form, exc)
        else:
            db.commit()
            kiosk_visit.complete("booking")
            session[SESSION_KEY] = booking.id
            return redirect(url_for(".my_booking"))
    closed = now < open_day.opens_at or now >= open_day.closes_at
    return render_template(
        "booking/book.html",
        form=form,
        open_day=open_day,
        failure=failure,
        now=now,
        closed=closed,
    )


def _my_booking() -> Booking:
    booking_id = session.get(SESSION_KEY)
    booking = get_session().get(Booking, booking_id) if booking_id else None
    if booking is None:
        abort(404)
    return booking


@bp.route("/booking")
def my_booking() -> ResponseReturnValue:
    booking_id = session.get(SESSION_KEY)
    if not booking_id:
        return redirect(url_for(".find_booking"))
    booking = _my_booking()
    db = get_session()
    return render_template(
        "booking/booking.html",
        booking=booking,
        position=services.waitlist_position(db, booking),
        code=services.format_code(booking.code),
        statuses=STATUSES,
        id_types=ID_TYPES,
        calendar_text=booking_calendar(booking).decode() if current_kiosk() else None,
        can_cancel=_can_cancel(booking),
        WAITLISTED=WAITLISTED,
        LOTTERY=LOTTERY,
    )


@bp.route("/booking/qr.svg")
def booking_qr() -> ResponseReturnValue:
    booking = _my_booking()
    qr = segno.make(services.format_code(booking.code), error="m")
    out = io.BytesIO()
    qr.save(out, kind="svg", scale=6, border=4, title=_("Booking code"))
    response = Response(out.getvalue(), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/booking/visit.ics")
def booking_ics() -> ResponseReturnValue:
    return download_response(
        booking_calendar(_my_booking()), filename="open-day.ics", mimetype="text/calendar"
    )


def _can_cancel(booking: Booking) -> bool:
    return (
        services.is_active(booking)
        and booking.status != "attended"
        and booking.session.starts_at > utcnow()
    )


@bp.route("/booking/cancel", methods=["GET", "POST"])
def cancel_booking() -> ResponseReturnValue:
    """GET asks whether to cancel (a page of its own, no script needed); POST cancels."""
    if request.method == "GET":
        booking = _my_booking()
        if not _can_cancel(booking):
            return redirect(url_for(".my_booking"))
        return render_template(
            "booking/cancel.html",
            booking=booking,
            code=services.format_code(booking.code),
            cancel_form=ActionForm(),
        )
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    booking = _my_booking()
    db = get_session()
    try:
        services.cancel_booking(db, booking, now=utcnow())
    except services.BookingError as exc:
        db.rollback()
        flash(str(exc.message))
    else:
        db.commit()
        flash(_("Your booking is cancelled. Thank you for freeing your seat."))
    return redirect(url_for(".my_booking"))


@bp.route("/find", methods=["GET", "POST"])
@limiter.limit(FIND_LIMIT, methods=["POST"])
def find_booking() -> ResponseReturnValue:
    form = FindBookingForm()
    failure = None
    if form.validate_on_submit():
        try:
            booking = services.find_booking(
                get_session(), form.code.data or "", form.phone.data or ""
            )
        except services.BookingNotFound as exc:
            failure = str(exc.message)
        else:
            kiosk_visit.complete("booking")
            session[SESSION_KEY] = booking.id
            return redirect(url_for(".my_booking"))
    return render_template("booking/find.html", form=form, failure=failure)


@bp.route("/<int:open_day_id>/draw")
def lottery_results(open_day_id: int) -> ResponseReturnValue:
    open_day = _open_day(open_day_id)
    if open_day.allocation != LOTTERY:
        abort(404)
    db = get_session()
    results = services.lottery_results(db, open_day) if open_day.lottery_seed else []
    mine = None
    booking_id = session.get(SESSION_KEY)
    if booking_id:
        mine = db.scalar(
            select(Booking.id).where(Booking.id == booking_id, Booking.open_day_id == open_day.id)
        )
    return render_template(
        "booking/draw.html",
        open_day=open_day,
        results=results,
        statuses=STATUSES,
        mine=mine,
        algorithm=services.LOTTERY_ALGORITHM,
    )
