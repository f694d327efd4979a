"""Events coordinators' pages: offices, open days, sessions, the draw, attendee lists
and check-in at the door. Every change and every look at personal data is audited."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select
from wtforms.fields import SelectChoice

from ..db import get_session, utcnow, write_intent
from ..downloads import download_response
from ..staff.access import current_staff, roles_required
from ..staff.models import StaffUser
from . import services
from .forms import ActionForm, CheckInForm, OfficeForm, OpenDayForm, SessionForm, show_error
from .models import Booking, Office, OpenDay, OpenDaySession
from .types import ALLOCATIONS, ID_TYPES, STATUSES

bp = Blueprint("booking_staff", __name__, url_prefix="/staff/open-days")

ROLE = "events_coordinator"


def _staff() -> StaffUser:
    staff = current_staff()
    assert staff is not None
    return staff


def _get(model: type, item_id: int):  # noqa: ANN202 - the model's own type
    item = get_session().get(model, item_id)
    if item is None:
        abort(404)
    return item


def _to_utc(value: datetime | None) -> datetime:
    """A local wall-clock time typed by staff, as an aware UTC datetime."""
    assert value is not None
    return value.replace(tzinfo=services.local_zone()).astimezone(UTC)


def _to_local(value: datetime) -> datetime:
    return value.astimezone(services.local_zone()).replace(tzinfo=None)


@bp.route("/")
@roles_required(ROLE)
def list_open_days() -> ResponseReturnValue:
    db = get_session()
    return render_template(
        "booking/staff/list.html",
        open_days=db.scalars(select(OpenDay).order_by(OpenDay.opens_at.desc())).all(),
        offices=db.scalars(select(Office).order_by(Office.name)).all(),
        allocations=ALLOCATIONS,
    )


@bp.route("/offices/new", methods=["GET", "POST"])
@bp.route("/offices/<int:office_id>/edit", methods=["GET", "POST"])
@roles_required(ROLE)
def edit_office(office_id: int | None = None) -> ResponseReturnValue:
    office = _get(Office, office_id) if office_id else None
    form = OfficeForm(obj=office)
    if form.validate_on_submit():
        db = get_session()
        fields = services.OfficeFields(
            name=form.name.data.strip(),
            address=form.address.data.strip(),
            hours=(form.hours.data or "").strip(),
            contact=(form.contact.data or "").strip(),
            directions=(form.directions.data or "").strip(),
        )
        services.save_office(db, fields, _staff(), office)
        db.commit()
        flash(_("Office saved."))
        return redirect(url_for(".list_open_days"))
    return render_template("booking/staff/office.html", form=form, office=office)


@bp.route("/new", methods=["GET", "POST"])
@bp.route("/<int:open_day_id>/edit", methods=["GET", "POST"])
@roles_required(ROLE)
def edit_open_day(open_day_id: int | None = None) -> ResponseReturnValue:
    db = get_session()
    open_day = _get(OpenDay, open_day_id) if open_day_id else None
    form = OpenDayForm(obj=open_day)
    form.office_id.choices = [
        SelectChoice(o.id, o.name) for o in db.scalars(select(Office).order_by(Office.name))
    ]
    if open_day is not None and request.method == "GET":
        form.opens_at.data = _to_local(open_day.opens_at)
        form.closes_at.data = _to_local(open_day.closes_at)
        form.id_types.data = sorted(open_day.id_type_set)
    failure = None
    if not form.office_id.choices:
        failure = _("Add a liaison office first.")
    elif form.validate_on_submit():
        fields = services.OpenDayFields(
            office_id=form.office_id.data,
            title=form.title.data.strip(),
            description=(form.description.data or "").strip(),
            what_to_bring=(form.what_to_bring.data or "").strip(),
            title_en=(form.title_en.data or "").strip(),
            description_en=(form.description_en.data or "").strip(),
            what_to_bring_en=(form.what_to_bring_en.data or "").strip(),
            opens_at=_to_utc(form.opens_at.data),
            closes_at=_to_utc(form.closes_at.data),
            min_age=form.min_age.data,
            max_age=form.max_age.data,
            id_types=tuple(form.id_types.data),
            max_party=form.max_party.data,
            allocation=form.allocation.data,
            waitlist_limit=form.waitlist_limit.data,
            questionnaire_url=(form.questionnaire_url.data or "").strip(),
        )
        try:
            saved = services.save_open_day(db, fields, _staff(), open_day)
        except services.BookingError as exc:
            db.rollback()
            failure = show_error(form, exc)
        else:
            db.commit()
            flash(_("Open day saved."))
            return redirect(url_for(".show_open_day", open_day_id=saved.id))
    return render_template(
        "booking/staff/open_day_edit.html", form=form, open_day=open_day, failure=failure
    )


@bp.route("/<int:open_day_id>")
@roles_required(ROLE)
def show_open_day(open_day_id: int) -> ResponseReturnValue:
    open_day = _get(OpenDay, open_day_id)
    return render_template(
        "booking/staff/show.html",
        open_day=open_day,
        action_form=ActionForm(),
        session_form=SessionForm(),
        allocations=ALLOCATIONS,
        id_types=ID_TYPES,
        now=utcnow(),
    )


@bp.route("/<int:open_day_id>/sessions/new", methods=["GET", "POST"])
@bp.route("/<int:open_day_id>/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@roles_required(ROLE)
def edit_session(open_day_id: int, session_id: int | None = None) -> ResponseReturnValue:
    open_day = _get(OpenDay, open_day_id)
    visit = _get(OpenDaySession, session_id) if session_id else None
    if visit is not None and visit.open_day_id != open_day.id:
        abort(404)
    form = SessionForm(obj=visit)
    if visit is not None and request.method == "GET":
        form.starts_at.data = _to_local(visit.starts_at)
        form.ends_at.data = _to_local(visit.ends_at)
    failure = None
    if form.validate_on_submit():
        db = get_session()
        try:
            services.save_session(
                db,
                open_day,
                _staff(),
                starts_at=_to_utc(form.starts_at.data),
                ends_at=_to_utc(form.ends_at.data),
                capacity=form.capacity.data,
                now=utcnow(),
                session=visit,
            )
        except services.BookingError as exc:
            db.rollback()
            failure = show_error(form, exc)
        else:
            db.commit()
            flash(_("Session saved."))
            return redirect(url_for(".show_open_day", open_day_id=open_day.id))
    return render_template(
        "booking/staff/session_edit.html",
        form=form,
        open_day=open_day,
        visit=visit,
        failure=failure,
    )


@bp.route("/<int:open_day_id>/sessions/<int:session_id>/delete", methods=["POST"])
@roles_required(ROLE)
def delete_session(open_day_id: int, session_id: int) -> ResponseReturnValue:
    if not ActionForm().validate_on_submit():
        abort(400)
    visit = _get(OpenDaySession, session_id)
    if visit.open_day_id != open_day_id:
        abort(404)
    db = get_session()
    try:
        services.delete_session(db, visit, _staff())
    except services.BookingError as exc:
        db.rollback()
        flash(str(exc.message))
    else:
        db.commit()
        flash(_("Session deleted."))
    return redirect(url_for(".show_open_day", open_day_id=open_day_id))


@bp.route("/<int:open_day_id>/delete", methods=["POST"])
@roles_required(ROLE)
def delete_open_day(open_day_id: int) -> ResponseReturnValue:
    if not ActionForm().validate_on_submit():
        abort(400)
    open_day = _get(OpenDay, open_day_id)
    db = get_session()
    try:
        services.delete_open_day(db, open_day, _staff())
    except services.BookingError as exc:
        db.rollback()
        flash(str(exc.message))
        return redirect(url_for(".show_open_day", open_day_id=open_day_id))
    db.commit()
    flash(_("Open day deleted."))
    return redirect(url_for(".list_open_days"))


@bp.route("/<int:open_day_id>/draw", methods=["POST"])
@roles_required(ROLE)
def run_lottery(open_day_id: int) -> ResponseReturnValue:
    if not ActionForm().validate_on_submit():
        abort(400)
    open_day = _get(OpenDay, open_day_id)
    db = get_session()
    try:
        confirmed, waitlisted = services.run_lottery(db, open_day, _staff(), now=utcnow())
    except services.BookingError as exc:
        db.rollback()
        flash(str(exc.message))
    else:
        db.commit()
        flash(
            _(
                "Draw made: %(confirmed)d confirmed, %(waitlisted)d on the waiting list.",
                confirmed=confirmed,
                waitlisted=waitlisted,
            )
        )
    return redirect(url_for(".show_open_day", open_day_id=open_day_id))


@bp.route("/<int:open_day_id>/attendees")
@roles_required(ROLE)
def attendee_sheet(open_day_id: int) -> ResponseReturnValue:
    open_day = _get(OpenDay, open_day_id)
    with write_intent():
        db = get_session()
        rows = services.list_attendees(db, open_day, _staff(), "sheet")
        db.commit()
    return render_template(
        "booking/staff/attendees.html",
        open_day=open_day,
        rows=rows,
        mask=services.mask_identity,
        format_code=services.format_code,
        id_types=ID_TYPES,
        statuses=STATUSES,
    )


@bp.route("/<int:open_day_id>/attendees.csv")
@roles_required(ROLE)
def attendee_csv(open_day_id: int) -> ResponseReturnValue:
    open_day = _get(OpenDay, open_day_id)
    with write_intent():
        db = get_session()
        rows = services.list_attendees(db, open_day, _staff(), "csv")
        db.commit()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Session"),
            _("Booking code"),
            _("Name"),
            _("Identity document"),
            _("Identity document number"),
            _("Party"),
            _("Other members"),
            _("Status"),
        ]
    )
    zone = services.local_zone()
    for booking in rows:
        writer.writerow(
            [
                booking.session.starts_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                services.format_code(booking.code),
                _csv_safe(booking.name),
                str(ID_TYPES.get(booking.id_type, booking.id_type)),
                services.mask_identity(booking.id_number),
                booking.party_size,
                _csv_safe("; ".join(booking.member_list)),
                str(STATUSES[booking.status]),
            ]
        )
    body = "\ufeff" + out.getvalue()
    return download_response(body, filename=f"open-day-{open_day.id}.csv", mimetype="text/csv")


def _csv_safe(value: str) -> str:
    """Stop a spreadsheet from reading a typed name as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@bp.route("/check-in", methods=["GET", "POST"])
@roles_required(ROLE)
def check_in() -> ResponseReturnValue:
    form = CheckInForm()
    booking = None
    failure = None
    if form.validate_on_submit():
        db = get_session()
        try:
            booking = services.find_for_check_in(db, form.code.data or "", _staff())
        except services.BookingError as exc:
            db.rollback()
            failure = show_error(form, exc)
        else:
            db.commit()
    return render_template(
        "booking/staff/check_in.html",
        form=form,
        booking=booking,
        failure=failure,
        action_form=ActionForm(),
        **_check_in_context(),
    )


def _check_in_context() -> dict[str, object]:
    return {
        "mask": services.mask_identity,
        "format_code": services.format_code,
        "id_types": ID_TYPES,
        "statuses": STATUSES,
    }


@bp.route("/check-in/<int:booking_id>", methods=["POST"])
@roles_required(ROLE)
def mark_attended(booking_id: int) -> ResponseReturnValue:
    if not ActionForm().validate_on_submit():
        abort(400)
    booking = _get(Booking, booking_id)
    db = get_session()
    failure = None
    try:
        services.check_in(db, booking, _staff(), now=utcnow())
    except services.BookingError as exc:
        db.rollback()
        failure = str(exc.message)
        db.refresh(booking)
    else:
        db.commit()
    return render_template(
        "booking/staff/check_in.html",
        form=CheckInForm(formdata=None),
        booking=booking,
        failure=failure,
        checked_in=failure is None,
        action_form=ActionForm(),
        **_check_in_context(),
    )
