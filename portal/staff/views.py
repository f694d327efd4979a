"""Staff routes: sign-in in two steps, enrolment of the second factor, sign-out."""

from __future__ import annotations

import time
from typing import Any

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select

from .. import audit, audit_labels, mail
from ..db import get_session
from ..extensions import limiter
from ..pagination import parse_page
from . import bp, services
from .access import current_staff, roles_required, sign_in, sign_out, staff_public
from .forms import StaffCodeForm, StaffLoginForm
from .models import StaffUser

PENDING_SECONDS = 300


def _generic_failure() -> str:
    return _("The username, password or code is not right. Check them and try again.")


def _attempt_limit() -> str:
    return f"{current_app.config['LOGIN_ATTEMPTS_PER_MINUTE']} per minute"


def _failed(response: Any) -> bool:
    """Only failed attempts use up the allowance; a redirect means success."""
    return response.status_code != 302


def _account_key() -> str:
    return "staff-login:" + services.normalise_username(request.form.get("username", ""))[:64]


def _pending_key() -> str:
    pending = session.get("pending_staff") or {}
    return f"staff-code:{pending.get('id', '-')}"


def _pending_user() -> StaffUser | None:
    pending = session.get("pending_staff")
    if not pending or time.time() - pending.get("t", 0) > PENDING_SECONDS:
        return None
    user = get_session().get(StaffUser, pending["id"])
    if user is None or not user.active or user.session_version != pending.get("v"):
        return None
    return user


@bp.route("/login", methods=["GET", "POST"])
@staff_public
@limiter.limit(_attempt_limit, methods=["POST"], deduct_when=_failed)
@limiter.limit(_attempt_limit, methods=["POST"], key_func=_account_key, deduct_when=_failed)
def login() -> ResponseReturnValue:
    if current_staff() is not None:
        return redirect(url_for("staff.dashboard"))
    form = StaffLoginForm()
    failure = None
    if form.validate_on_submit():
        db = get_session()
        user = services.check_password(db, form.username.data, form.password.data)
        if user is None:
            services.record_failed_login(db, form.username.data, "password")
            db.commit()
            failure = _generic_failure()
        else:
            if not user.totp_enrolled:
                services.start_totp_enrolment(user)
            db.commit()  # a rehashed password, and a new enrolment secret, are kept
            session.clear()
            session["pending_staff"] = {
                "id": user.id,
                "v": user.session_version,
                "t": int(time.time()),
            }
            if not user.totp_enrolled:
                return redirect(url_for("staff.enrol"))
            return redirect(url_for("staff.login_code"))
    return render_template("staff/login.html", form=form, failure=failure)


@bp.route("/login/code", methods=["GET", "POST"])
@staff_public
@limiter.limit(_attempt_limit, methods=["POST"], deduct_when=_failed)
@limiter.limit(_attempt_limit, methods=["POST"], key_func=_pending_key, deduct_when=_failed)
def login_code() -> ResponseReturnValue:
    user = _pending_user()
    if user is None or not user.totp_enrolled:
        flash(_("Your sign-in has expired. Please start again."))
        return redirect(url_for("staff.login"))
    form = StaffCodeForm()
    failure = None
    db = get_session()
    if form.validate_on_submit():
        if services.verify_totp(db, user, form.code.data):
            services.record_login(db, user)
            token = services.start_session(db, user)
            db.commit()
            sign_in(user, token)
            return redirect(url_for("staff.dashboard"))
        services.record_failed_login(db, user.username, "code")
        db.commit()
        failure = _generic_failure()
    return render_template("staff/login_code.html", form=form, failure=failure)


@bp.route("/login/enrol", methods=["GET", "POST"])
@staff_public
@limiter.limit(_attempt_limit, methods=["POST"], deduct_when=_failed)
def enrol() -> ResponseReturnValue:
    user = _pending_user()
    secret = user.pending_totp_secret if user is not None else None
    if user is None or user.totp_enrolled or not secret:
        flash(_("Your sign-in has expired. Please start again."))
        return redirect(url_for("staff.login"))
    form = StaffCodeForm()
    failure = None
    db = get_session()
    if form.validate_on_submit():
        if services.enrol_totp(db, user, secret, form.code.data):
            services.record_login(db, user)
            token = services.start_session(db, user)
            db.commit()
            sign_in(user, token)
            flash(_("Two-step sign-in is set up. You will need your authenticator app each time."))
            return redirect(url_for("staff.dashboard"))
        failure = _("That code does not match. Check the time on your phone and try again.")
    uri = services.totp_uri(user, secret)
    qr = services.totp_qr_svg(uri, _("QR code for your authenticator app"))
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return render_template(
        "staff/enrol.html", form=form, failure=failure, qr_svg=qr, secret=grouped
    )


@bp.route("/logout", methods=["POST"])
@roles_required()
def logout() -> ResponseReturnValue:
    """Sign out this browser; with `everywhere`, every device this account uses."""
    user = current_staff()
    everywhere = request.form.get("everywhere") == "1"
    if user is not None:
        db = get_session()
        services.logout(db, user, session.get("staff_t", ""), everywhere=everywhere)
        db.commit()
    sign_out()
    if everywhere:
        flash(_("You have signed out on every device."))
    else:
        flash(_("You have signed out on this device."))
    return redirect(url_for("staff.login"))


@bp.route("/sign-out-everywhere")
@roles_required()
def sign_out_everywhere() -> ResponseReturnValue:
    """Ask before ending the sessions on the other devices too."""
    return render_template("staff/sign_out_everywhere.html")


@bp.route("/")
@roles_required()
def dashboard() -> ResponseReturnValue:
    staff = current_staff()
    outbox = None
    if staff is not None and staff.has_any_role("admin"):
        # Mail is sent outside requests: admins see here when it is stuck.
        outbox = mail.outbox_counts(get_session(), int(current_app.config["MAIL_MAX_ATTEMPTS"]))
    return render_template("staff/dashboard.html", outbox=outbox)


@bp.route("/audit")
@roles_required("admin")
def audit_log() -> ResponseReturnValue:
    db = get_session()
    page = parse_page(request.args.get("page"))
    per_page = 50
    entries = db.scalars(
        select(audit.AuditEntry)
        .order_by(audit.AuditEntry.seq.desc())
        .offset((page - 1) * per_page)
        .limit(per_page + 1)
    ).all()
    has_more = len(entries) > per_page
    return render_template(
        "staff/audit.html",
        entries=entries[:per_page],
        page=page,
        has_more=has_more,
        action_label=audit_labels.action_label,
        target_label=audit_labels.target_label,
    )
