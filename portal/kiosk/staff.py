"""Administrators' pages for kiosks: register, enrol, revoke, and usage counts."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select

from ..booking.models import Office
from ..booking.services import local_date
from ..db import get_session, utcnow
from ..staff.access import current_staff, roles_required
from . import services
from .forms import KioskActionForm, KioskRegisterForm
from .labels import EVENT_LABELS, SERVICE_LABELS
from .models import Kiosk

bp = Blueprint("kiosk_staff", __name__, url_prefix="/staff/kiosks")

ROLE = "admin"
USAGE_DAYS = 31


def _offices() -> list[Office]:
    return list(get_session().scalars(select(Office).order_by(Office.name)))


def _form() -> KioskRegisterForm:
    form = KioskRegisterForm()
    form.office.choices = [("", _("No office"))] + [(str(o.id), o.name) for o in _offices()]
    return form


def _enrol_url(token: str) -> str:
    return url_for("kiosk.enrol", token=token, _external=True)


@bp.route("/", methods=["GET", "POST"])
@roles_required(ROLE)
def list_kiosks() -> ResponseReturnValue:
    db = get_session()
    form = _form()
    staff = current_staff()
    assert staff is not None
    if form.validate_on_submit():
        office = int(form.office.data) if form.office.data else None
        kiosk, token = services.register_kiosk(
            db,
            name=form.name.data or "",
            office_id=office,
            actor=staff.username,
            actor_id=staff.id,
        )
        db.commit()
        return render_template("kiosk/staff/enrolment.html", kiosk=kiosk, url=_enrol_url(token))
    offices = {o.id: o.name for o in _offices()}
    since = local_date(utcnow()) - timedelta(days=USAGE_DAYS - 1)
    return render_template(
        "kiosk/staff/list.html",
        form=form,
        kiosks=services.list_kiosks(db),
        offices=offices,
        action=KioskActionForm(),
        usage=services.usage_report(db, since),
        service_labels=SERVICE_LABELS,
        event_labels=EVENT_LABELS,
        now=utcnow(),
    )


def _kiosk(kiosk_id: int) -> Kiosk:
    kiosk = get_session().get(Kiosk, kiosk_id)
    if kiosk is None:
        abort(404)
    return kiosk


@bp.route("/<int:kiosk_id>/revoke", methods=["POST"])
@roles_required(ROLE)
def revoke(kiosk_id: int) -> ResponseReturnValue:
    db = get_session()
    kiosk = _kiosk(kiosk_id)
    staff = current_staff()
    assert staff is not None
    if KioskActionForm().validate_on_submit():
        services.revoke_kiosk(db, kiosk, actor=staff.username, actor_id=staff.id, now=utcnow())
        db.commit()
        flash(
            _(
                "Kiosk “%(name)s” is revoked: its screen now shows the ordinary website.",
                name=kiosk.name,
            )
        )
    return redirect(url_for(".list_kiosks"), code=303)


@bp.route("/<int:kiosk_id>/link", methods=["POST"])
@roles_required(ROLE)
def new_link(kiosk_id: int) -> ResponseReturnValue:
    db = get_session()
    kiosk = _kiosk(kiosk_id)
    staff = current_staff()
    assert staff is not None
    if not KioskActionForm().validate_on_submit():
        return redirect(url_for(".list_kiosks"), code=303)
    token = services.reissue_enrolment(db, kiosk, actor=staff.username, actor_id=staff.id)
    db.commit()
    return render_template("kiosk/staff/enrolment.html", kiosk=kiosk, url=_enrol_url(token))
