"""The lawyer's pages: what can be booked, looking a request up with its two codes,
then its status with date, time and room; cancelling, accepting a proposed time,
and asking for the case inquiry once accepted.

Booking itself is the submissions' flow for the kind `lawyer_appointment`.
The looked-up request is remembered in the session by its id for a short
while, as tracking does; nothing personal goes into a URL.
"""

from __future__ import annotations

import time

from flask import Blueprint, current_app, flash, redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from ..db import get_session, utcnow
from ..extensions import limiter
from ..submissions import services as submissions
from ..submissions.forms import ActionForm, TrackForm
from ..submissions.models import Submission
from ..submissions.types import KINDS
from ..submissions.views import TRACK_SECONDS
from . import services
from .fields import PURPOSES
from .models import Appointment

LOOKUP_KEY = "appointment_lookup"

bp = Blueprint("appointments", __name__, url_prefix="/appointments", template_folder="templates")


def _track_limit() -> str:
    return str(current_app.config["SUBMISSIONS_TRACK_LIMIT"])


def lookup_url() -> str:
    return url_for("appointments.lookup", _external=True)


@bp.route("/")
def index() -> ResponseReturnValue:
    return render_template("appointments/index.html", kind=KINDS[services.KIND], purposes=PURPOSES)


@bp.route("/lookup", methods=["GET", "POST"])
@limiter.limit(_track_limit, methods=["POST"])
def lookup() -> ResponseReturnValue:
    form = TrackForm()
    failure = None
    if form.validate_on_submit():
        db = get_session()
        try:
            submission = submissions.find_for_tracking(
                db, form.tracking_code.data or "", form.query_code.data or ""
            )
            appointment = services.for_submission(db, submission)
            if appointment is None:
                raise submissions.CodesNotRecognised()
        except submissions.CodesNotRecognised as exc:
            failure = exc.message
            form.query_code.data = ""
        else:
            session[LOOKUP_KEY] = {"id": appointment.id, "at": time.time()}
            return redirect(url_for(".show"))
    return render_template("appointments/lookup.html", form=form, failure=failure)


def _looked_up() -> tuple[Appointment, Submission] | None:
    data = session.get(LOOKUP_KEY)
    if not data or time.time() - float(data.get("at", 0)) > TRACK_SECONDS:
        session.pop(LOOKUP_KEY, None)
        return None
    db = get_session()
    appointment = db.get(Appointment, int(data["id"]))
    if appointment is None:
        return None
    return appointment, services.submission_of(db, appointment)


@bp.route("/request")
def show() -> ResponseReturnValue:
    found = _looked_up()
    if found is None:
        return redirect(url_for(".lookup"))
    appointment, submission = found
    return render_template(
        "appointments/show.html",
        appointment=appointment,
        submission=submission,
        answers=submissions.answers_of(submission),
        kind=KINDS[services.KIND],
        status_label=services.STATUS_LABELS[appointment.status],
        form=ActionForm(),
        offer_inquiry=services.may_offer_case_inquiry(appointment),
        may_accept=services.proposal_open(appointment, utcnow()),
    )


def _act(action: str) -> ResponseReturnValue:
    found = _looked_up()
    if found is None:
        return redirect(url_for(".lookup"))
    appointment, submission = found
    if not ActionForm().validate_on_submit():
        return redirect(url_for(".show"))
    db = get_session()
    try:
        if action == "cancel":
            services.cancel(db, appointment, utcnow())
            message = _("Your appointment request is cancelled.")
        elif action == "accept":
            services.accept_proposal(db, appointment, utcnow())
            message = _("You accepted the proposed time. We expect you then.")
        else:
            services.request_case_inquiry(db, appointment, submission)
            message = _(
                "Your request for the case inquiry was sent. The case officers decide it and "
                "tell you the access code."
            )
    except services.AppointmentError as exc:
        db.rollback()
        flash(str(exc.message))
    else:
        db.commit()
        flash(message)
    return redirect(url_for(".show"))


@bp.route("/request/cancel", methods=["POST"])
@limiter.limit(_track_limit)
def cancel() -> ResponseReturnValue:
    return _act("cancel")


@bp.route("/request/accept", methods=["POST"])
@limiter.limit(_track_limit)
def accept_proposal() -> ResponseReturnValue:
    return _act("accept")


@bp.route("/request/case-inquiry", methods=["POST"])
@limiter.limit(_track_limit)
def case_inquiry() -> ResponseReturnValue:
    return _act("case_inquiry")


@bp.route("/request/leave", methods=["POST"])
def leave() -> ResponseReturnValue:
    if ActionForm().validate_on_submit():
        session.pop(LOOKUP_KEY, None)
    return redirect(url_for(".lookup"))
