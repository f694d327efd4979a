"""Case officers' pages: cases, import history, access requests, sealing, statistics."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from .. import audit
from ..db import get_session
from ..downloads import download_response
from ..pagination import paginate, parse_page
from ..staff.access import current_staff, roles_required
from . import services
from .forms import ActionForm, DecisionForm
from .models import AccessProof, AccessRequest, Case, CaseImport
from .numbers import case_number_key
from .proofs import read_proof
from .types import REQUEST_STATUSES, REQUESTER_ROLES, STAGES
from .views import code_url

REQUESTS_PER_PAGE = 50

bp = Blueprint("cases_staff", __name__, url_prefix="/staff/cases")

ROLE = "case_officer"


def _case(case_id: int) -> Case:
    case = get_session().get(Case, case_id)
    if case is None:
        abort(404)
    return case


def _request(request_id: int) -> AccessRequest:
    item = get_session().get(AccessRequest, request_id)
    if item is None:
        abort(404)
    return item


@bp.route("/")
@roles_required(ROLE)
def list_cases() -> ResponseReturnValue:
    db = get_session()
    q = (request.args.get("q") or "").strip()[:80]
    query = select(Case).order_by(Case.accepted_on.desc(), Case.id.desc()).limit(100)
    if q:
        like = f"%{q}%"
        query = query.where(
            or_(Case.number_key == case_number_key(q), Case.name.like(like), Case.charge.like(like))
        )
    return render_template(
        "cases/staff/list.html",
        cases=db.scalars(query).all(),
        q=q,
        total=db.scalar(select(func.count()).select_from(Case)),
        stages=STAGES,
    )


@bp.route("/<int:case_id>")
@roles_required(ROLE)
def show_case(case_id: int) -> ResponseReturnValue:
    case = _case(case_id)
    db = get_session()
    audit.record(
        db,
        action="cases.view",
        actor=current_staff().username,
        actor_id=current_staff().id,
        target_type="case",
        target_id=case.id,
    )
    db.commit()
    return render_template(
        "cases/staff/show.html", case=case, stages=STAGES, action_form=ActionForm()
    )


@bp.route("/<int:case_id>/seal", methods=["POST"])
@roles_required(ROLE)
def seal_case(case_id: int) -> ResponseReturnValue:
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    db = get_session()
    services.seal_case(db, _case(case_id), officer=current_staff())
    db.commit()
    flash(_("The case is sealed: it no longer appears to anyone outside."))
    return redirect(url_for(".show_case", case_id=case_id))


@bp.route("/imports")
@roles_required(ROLE)
def list_imports() -> ResponseReturnValue:
    imports = (
        get_session().scalars(select(CaseImport).order_by(CaseImport.id.desc()).limit(100)).all()
    )
    return render_template("cases/staff/imports.html", imports=imports)


@bp.route("/requests")
@roles_required(ROLE)
def list_requests() -> ResponseReturnValue:
    status = request.args.get("status")
    status = status if status in REQUEST_STATUSES else "pending"
    items, pager = paginate(
        get_session(),
        select(AccessRequest)
        .where(AccessRequest.status == status)
        .order_by(AccessRequest.created_at.desc(), AccessRequest.id.desc()),
        parse_page(request.args.get("page")),
        REQUESTS_PER_PAGE,
    )
    return render_template(
        "cases/staff/requests.html",
        items=items,
        pager=pager,
        status=status,
        statuses=REQUEST_STATUSES,
        roles=REQUESTER_ROLES,
    )


def _render_request(item: AccessRequest, form: DecisionForm, failure: str | None = None):  # type: ignore[no-untyped-def]
    return render_template(
        "cases/staff/request.html",
        item=item,
        case=services.case_for_request(get_session(), item),
        form=form,
        failure=failure,
        roles=REQUESTER_ROLES,
        statuses=REQUEST_STATUSES,
    )


@bp.route("/requests/<int:request_id>", methods=["GET", "POST"])
@roles_required(ROLE)
def show_request(request_id: int) -> ResponseReturnValue:
    db = get_session()
    item = _request(request_id)
    officer = current_staff()
    form = DecisionForm()
    if request.method == "GET":
        audit.record(
            db,
            action="cases.access.view",
            actor=officer.username,
            actor_id=officer.id,
            target_type="access_request",
            target_id=item.id,
        )
        db.commit()
        return _render_request(item, form)
    if not form.validate_on_submit():
        return _render_request(item, form)
    decision = request.form.get("decision")
    try:
        if decision == "approve":
            code = services.approve_access_request(
                db,
                item,
                reason=form.reason.data or "",
                officer=officer,
                access_days=int(current_app.config["CASE_ACCESS_DAYS"]),
                query_url=code_url(),
            )
        elif decision == "refuse":
            services.refuse_access_request(db, item, reason=form.reason.data or "", officer=officer)
            code = None
        else:
            abort(400)
    except services.CaseError as exc:
        db.rollback()
        form.reason.errors = [*form.reason.errors, exc.message]
        return _render_request(item, form)
    db.commit()
    if code is None:
        flash(_("The request is refused; the requester is told the reason by email."))
        return redirect(url_for(".show_request", request_id=item.id))
    # The code is shown here once: only its hash is kept.
    return render_template("cases/staff/approved.html", item=item, code=code)


@bp.route("/requests/<int:request_id>/proofs/<int:proof_id>")
@roles_required(ROLE)
def download_proof(request_id: int, proof_id: int) -> ResponseReturnValue:
    db = get_session()
    proof = db.get(AccessProof, proof_id)
    if proof is None or proof.request_id != request_id:
        abort(404)
    officer = current_staff()
    audit.record(
        db,
        action="cases.access.proof",
        actor=officer.username,
        actor_id=officer.id,
        target_type="access_proof",
        target_id=proof.id,
    )
    db.commit()
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
    name = f"proof-{proof.id}.{extension.get(proof.media_type, 'bin')}"
    data = read_proof(proof, current_app.instance_path)
    return download_response(data, filename=name, mimetype=proof.media_type)


@bp.route("/statistics")
@roles_required(ROLE)
def statistics() -> ResponseReturnValue:
    return render_template("cases/staff/stats.html", stats=services.inquiry_stats(get_session()))
