"""Staff pages: draft from a consultation, edit, mask, send for approval, approve, withdraw."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select

from ..db import get_session
from ..disclosure.forms import ActionForm, ReasonForm
from ..disclosure.types import FIELD_LABELS, FINDING_LABELS
from ..staff.access import current_staff, roles_required
from ..staff.models import StaffUser
from . import services
from .forms import AnswerForm
from .models import PublicAnswer
from .types import AUTHORS, PUBLISHERS, STATUSES, TOPICS

bp = Blueprint("answers_staff", __name__, url_prefix="/staff/answers")


def _load(answer_id: int) -> PublicAnswer:
    qa = get_session().get(PublicAnswer, answer_id)
    if qa is None:
        abort(404)
    return qa


def _staff() -> StaffUser:
    staff = current_staff()
    assert staff is not None
    return staff


@bp.route("/")
@roles_required(*AUTHORS, *PUBLISHERS)
def list_answers() -> ResponseReturnValue:
    db = get_session()
    rows = db.scalars(select(PublicAnswer).order_by(PublicAnswer.updated_at.desc()).limit(200))
    return render_template(
        "answers/staff/list.html",
        answers=rows.all(),
        counts=services.count_by_status(db),
        statuses=STATUSES,
        topics=TOPICS,
    )


@bp.route("/from/<int:submission_id>", methods=["POST"])
@roles_required(*AUTHORS)
def from_consultation(submission_id: int) -> ResponseReturnValue:
    db = get_session()
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        submission = services.answered_consultation(db, submission_id)
        qa = services.draft_from_consultation(db, submission, _staff())
    except services.AnswerError as exc:
        db.rollback()
        flash(str(exc.message))
        return redirect(url_for("submissions_staff.show", submission_id=submission_id))
    db.commit()
    flash(_("Draft made. The asker's details were masked: check the text before sending it."))
    return redirect(url_for(".edit_answer", answer_id=qa.id))


@bp.route("/<int:answer_id>")
@roles_required(*AUTHORS, *PUBLISHERS)
def show_answer(answer_id: int) -> ResponseReturnValue:
    db = get_session()
    qa = _load(answer_id)
    return render_template(
        "answers/staff/show.html",
        qa=qa,
        findings=services.findings(db, qa),
        finding_labels=FINDING_LABELS,
        field_labels={**FIELD_LABELS, "question": _("The question"), "answer": _("The answer")},
        statuses=STATUSES,
        topics=TOPICS,
        action_form=ActionForm(),
        reason_form=ReasonForm(),
        staff=current_staff(),
    )


@bp.route("/<int:answer_id>/edit", methods=["GET", "POST"])
@roles_required(*AUTHORS)
def edit_answer(answer_id: int) -> ResponseReturnValue:
    db = get_session()
    qa = _load(answer_id)
    if qa.status not in {"draft", "pending"}:
        flash(_("Only a draft can be edited. Withdraw it first."))
        return redirect(url_for(".show_answer", answer_id=qa.id))
    form = AnswerForm(obj=qa)
    form.articles.choices = [(d.id, d.title) for d in services.article_choices(db)]
    if request.method == "GET":
        form.articles.data = [d.id for d in qa.articles]
    failure = None
    if form.validate_on_submit():
        fields = services.AnswerFields(
            topic=form.topic.data or "",
            language=form.language.data or "",
            title=form.title.data or "",
            question=form.question.data or "",
            answer=form.answer.data or "",
            article_ids=list(form.articles.data or []),
        )
        try:
            services.update(db, qa, fields, _staff())
        except services.AnswerError as exc:
            db.rollback()
            failure = str(exc.message)
        else:
            db.commit()
            flash(_("Draft saved."))
            return redirect(url_for(".show_answer", answer_id=qa.id))
    return render_template("answers/staff/edit.html", form=form, qa=qa, failure=failure)


def _act(answer_id: int, action: str) -> ResponseReturnValue:
    """Run one state change; on a broken rule, say why and change nothing."""
    db = get_session()
    qa = _load(answer_id)
    staff = _staff()
    form = ReasonForm() if action == "withdraw" else ActionForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error))
        return redirect(url_for(".show_answer", answer_id=qa.id))
    try:
        if action == "submit":
            services.submit(db, qa, staff)
            message = _("Sent for approval. Someone else must approve it.")
        elif action == "approve":
            services.approve(db, qa, staff)
            message = _("Approved and published.")
        elif action == "withdraw":
            services.withdraw(db, qa, form.reason.data or "", staff)  # type: ignore[attr-defined]
            message = _("Withdrawn. It is no longer public.")
        elif action == "mask":
            count = services.mask_findings(db, qa, staff)
            message = _("Masked %(count)d item(s).", count=count)
        else:
            services.reopen(db, qa, staff)
            message = _("Back to draft.")
    except services.AnswerError as exc:
        db.rollback()
        flash(str(exc.message))
    else:
        db.commit()
        flash(message)
    return redirect(url_for(".show_answer", answer_id=qa.id))


@bp.route("/<int:answer_id>/submit", methods=["POST"])
@roles_required(*AUTHORS)
def submit_answer(answer_id: int) -> ResponseReturnValue:
    return _act(answer_id, "submit")


@bp.route("/<int:answer_id>/mask", methods=["POST"])
@roles_required(*AUTHORS)
def mask_answer(answer_id: int) -> ResponseReturnValue:
    return _act(answer_id, "mask")


@bp.route("/<int:answer_id>/reopen", methods=["POST"])
@roles_required(*AUTHORS)
def reopen_answer(answer_id: int) -> ResponseReturnValue:
    return _act(answer_id, "reopen")


@bp.route("/<int:answer_id>/approve", methods=["POST"])
@roles_required(*PUBLISHERS)
def approve_answer(answer_id: int) -> ResponseReturnValue:
    return _act(answer_id, "approve")


@bp.route("/<int:answer_id>/withdraw", methods=["POST"])
@roles_required(*PUBLISHERS)
def withdraw_answer(answer_id: int) -> ResponseReturnValue:
    return _act(answer_id, "withdraw")
