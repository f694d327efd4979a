"""Staff pages for case officers: their department's requests (overdue marked) and
slots; one request (opening audited) with its proofs, accepted into a slot,
answered with another time, or refused with a reason.

Officers of another department, and every other role, get 404: the request
does not exist for them.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from wtforms.fields import SelectChoice

from ..booking.services import local_zone
from ..db import get_session, utcnow, write_intent
from ..inputs import as_int
from ..staff.access import current_staff, roles_required
from ..staff.models import StaffUser
from ..submissions import services as submissions
from ..submissions.forms import ActionForm
from ..submissions.staff import send_attachment
from ..submissions.types import IDENTITY_FIELDS, KINDS
from . import services, slots
from .forms import AnswerForm, RefuseForm, SlotForm
from .models import Appointment, AppointmentSlot
from .slots import AppointmentError
from .views import lookup_url

bp = Blueprint(
    "appointments_staff", __name__, url_prefix="/staff/appointments", template_folder="templates"
)


def _staff() -> StaffUser:
    staff = current_staff()
    assert staff is not None
    return staff


def _load(appointment_id: int) -> Appointment:
    appointment = services.load(get_session(), appointment_id, _staff())
    if appointment is None:
        abort(404)
    return appointment


def _to_utc(value: datetime | None) -> datetime:
    """A local wall-clock time typed by staff, as an aware UTC datetime."""
    assert value is not None
    return value.replace(tzinfo=local_zone()).astimezone(UTC)


@bp.route("/")
@roles_required(services.ROLE)
def requests() -> ResponseReturnValue:
    staff = _staff()
    rows = services.list_requests(get_session(), staff.department, utcnow())
    return render_template(
        "appointments/staff/requests.html",
        rows=rows if staff.department else [],
        statuses=services.STATUS_LABELS,
    )


@bp.route("/slots", methods=["GET", "POST"])
@roles_required(services.ROLE)
def list_slots() -> ResponseReturnValue:
    staff = _staff()
    db = get_session()
    form = SlotForm()
    if form.validate_on_submit():
        try:
            slots.publish_slot(
                db,
                staff,
                starts_at=_to_utc(form.starts_at.data),
                ends_at=_to_utc(form.ends_at.data),
                room=form.room.data or "",
                capacity=form.capacity.data or 0,
                now=utcnow(),
            )
        except AppointmentError as exc:
            db.rollback()
            target = {"day": form.starts_at, "ends": form.ends_at}.get(exc.field or "")
            field = target or getattr(form, exc.field or "", None) or form.starts_at
            field.errors = [*field.errors, exc.message]
        else:
            db.commit()
            flash(_("The slot is published."))
            return redirect(url_for(".list_slots"))
    items = slots.slots(db, staff.department) if staff.department else []
    return render_template(
        "appointments/staff/slots.html", form=form, items=items, delete_form=ActionForm()
    )


@bp.route("/slots/<int:slot_id>/delete", methods=["POST"])
@roles_required(services.ROLE)
def delete_slot(slot_id: int) -> ResponseReturnValue:
    staff = _staff()
    db = get_session()
    slot = db.get(AppointmentSlot, slot_id)
    if slot is None or slot.department != staff.department:
        abort(404)
    if not ActionForm().validate_on_submit():
        return redirect(url_for(".list_slots"))
    try:
        slots.delete_slot(db, staff, slot)
    except AppointmentError as exc:
        db.rollback()
        flash(str(exc.message))
    else:
        db.commit()
        flash(_("The slot is deleted."))
    return redirect(url_for(".list_slots"))


@bp.route("/<int:appointment_id>")
@roles_required(services.ROLE)
def show(appointment_id: int) -> ResponseReturnValue:
    appointment = _load(appointment_id)
    db = get_session()
    with write_intent():
        services.open_request(db, _staff(), appointment)
        db.commit()
    return _render(appointment)


def _render(
    appointment: Appointment,
    *,
    answer_form: AnswerForm | None = None,
    refuse_form: RefuseForm | None = None,
) -> str:
    db = get_session()
    submission = services.submission_of(db, appointment)
    answer_form = answer_form or AnswerForm(formdata=None)
    answer_form.slot_id.choices = _slot_choices(appointment)
    return render_template(
        "appointments/staff/show.html",
        appointment=appointment,
        submission=submission,
        kind=KINDS[services.KIND],
        identity=submissions.identity_of(submission),
        identity_labels=IDENTITY_FIELDS,
        answers=submissions.answers_of(submission),
        statuses=services.STATUS_LABELS,
        history=services.history(db, appointment),
        steps=services.STEP_LABELS,
        overdue=appointment.status == "requested" and appointment.answer_due < utcnow(),
        answer_form=answer_form if appointment.status == "requested" else None,
        refuse_form=(refuse_form or RefuseForm(formdata=None))
        if appointment.status in ("requested", "proposed")
        else None,
    )


def _slot_choices(appointment: Appointment) -> list[SelectChoice]:
    zone = local_zone()
    choices = [SelectChoice("", _("Choose a slot"))]
    for slot in slots.free_slots(get_session(), appointment.department, utcnow()):
        start = slot.starts_at.astimezone(zone)
        label = _(
            "%(date)s %(start)s–%(end)s, %(room)s (%(free)d of %(capacity)d free)",
            date=start.strftime("%Y-%m-%d"),
            start=start.strftime("%H:%M"),
            end=slot.ends_at.astimezone(zone).strftime("%H:%M"),
            room=slot.room,
            free=slot.free,
            capacity=slot.capacity,
        )
        choices.append(SelectChoice(str(slot.id), label))
    return choices


@bp.route("/<int:appointment_id>/answer", methods=["POST"])
@roles_required(services.ROLE)
def answer(appointment_id: int) -> ResponseReturnValue:
    appointment = _load(appointment_id)
    form = AnswerForm()
    if form.validate_on_submit():
        db = get_session()
        slot_id = as_int(form.slot_id.data)
        proposing = request.form.get("action") == "propose"
        try:
            if slot_id is None:
                raise AppointmentError(_("Choose a slot."), "slot_id")
            if proposing:
                services.propose(
                    db,
                    _staff(),
                    appointment,
                    slot_id,
                    form.message.data or "",
                    utcnow(),
                    lookup_url=lookup_url(),
                )
            else:
                services.accept(
                    db, _staff(), appointment, slot_id, utcnow(), lookup_url=lookup_url()
                )
        except AppointmentError as exc:
            db.rollback()
            form.slot_id.errors = [*form.slot_id.errors, exc.message]
        else:
            db.commit()
            flash(
                _("The lawyer was offered the time.")
                if proposing
                else _("The request is accepted.")
            )
            return redirect(url_for(".show", appointment_id=appointment.id))
    return _render(appointment, answer_form=form)


@bp.route("/<int:appointment_id>/refuse", methods=["POST"])
@roles_required(services.ROLE)
def refuse(appointment_id: int) -> ResponseReturnValue:
    appointment = _load(appointment_id)
    form = RefuseForm()
    if form.validate_on_submit():
        db = get_session()
        try:
            services.refuse(
                db, _staff(), appointment, form.reason.data or "", utcnow(), lookup_url=lookup_url()
            )
        except AppointmentError as exc:
            db.rollback()
            form.reason.errors = [*form.reason.errors, exc.message]
        else:
            db.commit()
            flash(_("The request is refused; the lawyer reads the reason."))
            return redirect(url_for(".show", appointment_id=appointment.id))
    return _render(appointment, refuse_form=form)


@bp.route("/<int:appointment_id>/files/<int:file_id>")
@roles_required(services.ROLE)
def download(appointment_id: int, file_id: int) -> ResponseReturnValue:
    appointment = _load(appointment_id)
    return send_attachment(services.submission_of(get_session(), appointment), file_id, _staff())


@bp.app_context_processor
def _dashboard_context() -> dict[str, object]:
    """The staff dashboard shows a case officer's overdue appointment requests."""

    def appointments_overdue() -> list[services.Row]:
        staff = current_staff()
        if staff is None or not staff.department or not staff.has_any_role(services.ROLE):
            return []
        return services.overdue(get_session(), staff.department, utcnow())

    return {"appointments_overdue": appointments_overdue}
