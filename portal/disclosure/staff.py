"""Editors' pages: drafting, the personal-data check, approval, withdrawal."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select

from ..audit_labels import revision_note
from ..db import get_session
from ..staff.access import current_staff, roles_required
from . import services
from .attachments import add_attachment
from .forms import ActionForm, AttachmentForm, DocumentEditForm, ReasonForm
from .models import Document, DocumentRevision
from .types import DOC_TYPES, FIELD_LABELS, FINDING_LABELS, STATUSES

bp = Blueprint("disclosure_staff", __name__, url_prefix="/staff/documents")


def _load(doc_id: int) -> Document:
    doc = get_session().get(Document, doc_id)
    if doc is None:
        abort(404)
    return doc


def _fields(form: DocumentEditForm) -> services.DocumentFields:
    return services.DocumentFields(
        doc_type=form.doc_type.data or "",
        title=form.title.data or "",
        body_markdown=form.body_markdown.data or "",
        number=form.number.data or "",
        slug=(form.slug.data or "").strip().lower(),
        case_name=form.case_name.data or "",
        charge=form.charge.data or "",
        department=form.department.data or "",
        language=form.language.data or "zh_Hans",
        signed_on=form.signed_on.data,
        judgment_effective_on=form.judgment_effective_on.data,
        involves_minor=bool(form.involves_minor.data),
        state_secret=bool(form.state_secret.data),
        sensitive_names=(form.sensitive_names.data or "").splitlines(),
    )


def _show_error(form: object, exc: services.DisclosureError) -> str | None:
    """Put a rule's message at its field, or return it for the summary."""
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None:
        field.errors = [*field.errors, exc.message]  # type: ignore[attr-defined]
        return None
    return str(exc.message)


@bp.route("/")
@roles_required("editor")
def list_documents() -> ResponseReturnValue:
    db = get_session()
    status = request.args.get("status") if request.args.get("status") in STATUSES else None
    query = select(Document).order_by(Document.updated_at.desc()).limit(100)
    if status:
        query = query.where(Document.status == status)
    overdue = services.overdue_indictments(
        db, date.today(), int(current_app.config["PUBLISH_DEADLINE_DAYS"])
    )
    return render_template(
        "disclosure/staff/list.html",
        documents=db.scalars(query).all(),
        counts=services.count_by_status(db),
        status=status,
        overdue=overdue,
        statuses=STATUSES,
        doc_types=DOC_TYPES,
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required("editor")
def new_document() -> ResponseReturnValue:
    form = DocumentEditForm()
    failure = None
    if form.validate_on_submit():
        db = get_session()
        try:
            doc = services.create_draft(db, _fields(form), current_staff())
        except services.DisclosureError as exc:
            failure = _show_error(form, exc)
        else:
            db.commit()
            flash(_("Draft saved."))
            return redirect(url_for(".show_document", doc_id=doc.id))
    return render_template("disclosure/staff/edit.html", form=form, doc=None, failure=failure)


@bp.route("/<int:doc_id>/edit", methods=["GET", "POST"])
@roles_required("editor")
def edit_document(doc_id: int) -> ResponseReturnValue:
    doc = _load(doc_id)
    if doc.status not in {"draft", "pending"}:
        flash(_("Only drafts can be edited. Withdraw the document first."))
        return redirect(url_for(".show_document", doc_id=doc.id))
    form = DocumentEditForm(obj=doc)
    if request.method == "GET":
        form.sensitive_names.data = doc.sensitive_names
        form.number.data = doc.number or ""
        form.slug.data = doc.slug or ""
    failure = None
    if form.validate_on_submit():
        db = get_session()
        try:
            services.update_draft(db, doc, _fields(form), current_staff())
        except services.DisclosureError as exc:
            db.rollback()
            failure = _show_error(form, exc)
        else:
            db.commit()
            flash(_("Draft saved."))
            return redirect(url_for(".show_document", doc_id=doc.id))
    return render_template("disclosure/staff/edit.html", form=form, doc=doc, failure=failure)


@bp.route("/<int:doc_id>")
@roles_required("editor")
def show_document(doc_id: int) -> ResponseReturnValue:
    db = get_session()
    doc = _load(doc_id)
    revisions = db.scalars(
        select(DocumentRevision)
        .where(DocumentRevision.document_id == doc.id)
        .order_by(DocumentRevision.revision.desc())
    ).all()
    return render_template(
        "disclosure/staff/show.html",
        doc=doc,
        findings=services.guard_findings(db, doc),
        revisions=revisions,
        action_form=ActionForm(),
        reason_form=ReasonForm(),
        attachment_form=AttachmentForm(),
        statuses=STATUSES,
        doc_types=DOC_TYPES,
        finding_labels=FINDING_LABELS,
        field_labels=FIELD_LABELS,
        staff=current_staff(),
        revision_note=revision_note,
    )


def _act(doc_id: int, action: str) -> ResponseReturnValue:
    """Run one state change; on a broken rule, say why and change nothing."""
    db = get_session()
    doc = _load(doc_id)
    staff = current_staff()
    assert staff is not None
    form = ReasonForm() if action in {"withdraw", "override"} else ActionForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error))
        return redirect(url_for(".show_document", doc_id=doc.id))
    try:
        if action == "submit":
            services.submit_for_approval(db, doc, staff)
            message = _("Sent for approval. Another editor must approve it.")
        elif action == "approve":
            services.approve(db, doc, staff)
            message = _("Approved and published.")
        elif action == "withdraw":
            services.withdraw(db, doc, form.reason.data, staff)  # type: ignore[attr-defined]
            message = _("Withdrawn. The public now sees a withdrawal notice.")
        elif action == "mask":
            key = request.form.get("key")
            count = services.mask_findings(db, doc, staff, {key} if key else None)
            message = _("Masked %(count)d item(s). A new revision was saved.", count=count)
        elif action == "override":
            services.override_finding(
                db,
                doc,
                request.form.get("key", ""),
                form.reason.data,
                staff,  # type: ignore[attr-defined]
            )
            message = _("Finding accepted with your reason.")
        else:
            abort(404)
    except services.DisclosureError as exc:
        db.rollback()
        flash(str(exc.message))
    else:
        db.commit()
        flash(message)
    return redirect(url_for(".show_document", doc_id=doc.id))


@bp.route("/<int:doc_id>/submit", methods=["POST"])
@roles_required("editor")
def submit_document(doc_id: int) -> ResponseReturnValue:
    return _act(doc_id, "submit")


@bp.route("/<int:doc_id>/approve", methods=["POST"])
@roles_required("editor")
def approve_document(doc_id: int) -> ResponseReturnValue:
    return _act(doc_id, "approve")


@bp.route("/<int:doc_id>/withdraw", methods=["POST"])
@roles_required("editor")
def withdraw_document(doc_id: int) -> ResponseReturnValue:
    return _act(doc_id, "withdraw")


@bp.route("/<int:doc_id>/mask", methods=["POST"])
@roles_required("editor")
def mask_document(doc_id: int) -> ResponseReturnValue:
    return _act(doc_id, "mask")


@bp.route("/<int:doc_id>/override", methods=["POST"])
@roles_required("editor")
def override_finding(doc_id: int) -> ResponseReturnValue:
    return _act(doc_id, "override")


@bp.route("/<int:doc_id>/attachments", methods=["POST"])
@roles_required("editor")
def upload_attachment(doc_id: int) -> ResponseReturnValue:
    db = get_session()
    doc = _load(doc_id)
    form = AttachmentForm()
    if form.validate_on_submit():
        try:
            add_attachment(db, doc, form.file.data.filename, form.file.data.read())
        except services.DisclosureError as exc:
            db.rollback()
            flash(str(exc.message))
        else:
            services.record_attachment(db, doc, current_staff())
            db.commit()
            flash(_("Attachment added."))
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(str(error))
    return redirect(url_for(".show_document", doc_id=doc.id))
