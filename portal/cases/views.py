"""Public pages: the start page, the party inquiry, the code inquiry, the access request.

Results are rendered in answer to the POST that asked for them: no case data
ever appears in a URL, and every failed lookup gets the same page.
"""

from __future__ import annotations

from flask import current_app, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _

from ..db import get_session
from ..extensions import limiter
from ..kiosk import visit as kiosk_visit
from ..kiosk.device import current_kiosk
from . import bp, services
from .forms import AccessRequestForm, CodeInquiryForm, PartyInquiryForm
from .numbers import case_number_key
from .proofs import store_proofs
from .types import REQUESTER_ROLES, STAGES


def _address_limit() -> str:
    return str(current_app.config["CASE_INQUIRY_LIMIT"])


def _number_limit() -> str:
    return str(current_app.config["CASE_NUMBER_LIMIT"])


def _case_number_key() -> str:
    """Rate-limit key per case number, whoever asks (the number itself is never logged)."""
    return "case-number:" + case_number_key(request.form.get("case_number", ""))[:80]


def _limited(view):  # type: ignore[no-untyped-def]
    view = limiter.limit(_number_limit, methods=["POST"], key_func=_case_number_key)(view)
    return limiter.limit(_address_limit, methods=["POST"])(view)


def _not_found() -> str:
    return _(
        "We could not find a case that matches what you entered. Check the case number, "
        "the name and the identity number or access code, and try again. If it still does "
        "not work, call 12309."
    )


def _tz() -> str:
    return str(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def _result(view: services.CaseView) -> ResponseReturnValue:
    kiosk_visit.complete("inquiry")
    return render_template("cases/result.html", view=view, stages=STAGES)


@bp.route("/")
def start() -> ResponseReturnValue:
    return render_template("cases/start.html")


@bp.route("/inquiry", methods=["GET", "POST"])
@_limited
def party_inquiry() -> ResponseReturnValue:
    form = PartyInquiryForm()
    failure = None
    if form.validate_on_submit():
        db = get_session()
        view = services.find_case_for_party(
            db,
            case_number=form.case_number.data or "",
            name=form.name.data or "",
            id_number=form.id_number.data or "",
            tz=_tz(),
        )
        db.commit()
        if view is not None:
            return _result(view)
        # Only the case number is shown again, so that a slip in it is easy to see and mend.
        # It does not tell which part was wrong, and it is printed on the case's papers;
        # the name and identity number are personal data, never sent back to the browser
        # (a shared or kiosk screen, the browser's cache).
        form = PartyInquiryForm(formdata=None, case_number=form.case_number.data)
        failure = _not_found()
    return render_template("cases/inquiry.html", form=form, failure=failure)


@bp.route("/code", methods=["GET", "POST"])
@_limited
def code_inquiry() -> ResponseReturnValue:
    form = CodeInquiryForm()
    failure = None
    if form.validate_on_submit():
        db = get_session()
        view = services.find_case_with_code(
            db, case_number=form.case_number.data or "", code=form.code.data or "", tz=_tz()
        )
        db.commit()
        if view is not None:
            return _result(view)
        # The access code is a secret: only the case number is kept (see party_inquiry).
        form = CodeInquiryForm(formdata=None, case_number=form.case_number.data)
        failure = _not_found()
    return render_template("cases/code.html", form=form, failure=failure)


@bp.route("/access", methods=["GET", "POST"])
@_limited
def request_access() -> ResponseReturnValue:
    if current_kiosk() is not None:
        # The request needs proofs as files, which a kiosk does not take.
        return render_template("cases/access_elsewhere.html")
    form = AccessRequestForm()
    failure = None
    if form.validate_on_submit():
        files = [(f.filename or "", f.read()) for f in form.proofs.data or [] if f and f.filename]
        db = get_session()
        try:
            access = services.submit_access_request(
                db,
                services.AccessRequestFields(
                    case_number=form.case_number.data or "",
                    role=form.role.data or "",
                    relation=form.relation.data or "",
                    requester_name=form.requester_name.data or "",
                    id_number=form.id_number.data or "",
                    phone=form.phone.data or "",
                    email=form.email.data or "",
                    locale=str(get_locale() or "zh_Hans"),
                ),
            )
            store_proofs(db, access, files, current_app.instance_path)
        except services.CaseError as exc:
            db.rollback()
            field = getattr(form, exc.field or "", None)
            if field is not None:
                field.errors = [*field.errors, exc.message]
            else:
                failure = str(exc.message)
        else:
            db.commit()
            return render_template("cases/requested.html", reference=access.reference)
    elif request.method == "POST" and not form.proofs.errors and not _has_files(form):
        form.proofs.errors = [
            *form.proofs.errors,
            _("Attach at least one proof, for example a lawyer's licence or a power of attorney."),
        ]
    return render_template("cases/access.html", form=form, failure=failure, roles=REQUESTER_ROLES)


def _has_files(form: AccessRequestForm) -> bool:
    return any(f and f.filename for f in form.proofs.data or [])


def code_url() -> str:
    return url_for("cases.code_inquiry", _external=True)
