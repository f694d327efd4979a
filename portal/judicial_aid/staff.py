"""Staff pages for the `judicial_aid` role: the applications, one application
(opening audited, account masked unless revealed), its stages, the decision
letter, attached proofs, and the statistics."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from wtforms.fields import SelectChoice

from ..db import get_session, utcnow, write_intent
from ..staff.access import current_staff, roles_required
from ..staff.models import StaffUser
from ..submissions import services as submissions
from ..submissions.deadlines import limits_from_config
from ..submissions.models import Submission
from ..submissions.services import DueReport, SubmissionError
from ..submissions.staff import send_attachment
from ..submissions.types import IDENTITY_FIELDS, KINDS, RATINGS, STATUSES, transitions_for
from . import services
from .forms import DecisionForm, MoveForm

bp = Blueprint(
    "judicial_aid_staff",
    __name__,
    url_prefix="/staff/judicial-aid",
    template_folder="templates",
)


def _staff() -> StaffUser:
    staff = current_staff()
    assert staff is not None
    return staff


def _load(submission_id: int) -> Submission:
    submission = services.load(get_session(), submission_id)
    if submission is None:
        abort(404)
    return submission


@bp.route("/")
@roles_required(services.ROLE)
def applications() -> ResponseReturnValue:
    return render_template(
        "judicial_aid/applications.html",
        items=services.list_applications(get_session()),
        statuses=STATUSES,
    )


@bp.route("/<int:submission_id>")
@roles_required(services.ROLE, services.READER)
def show(submission_id: int) -> ResponseReturnValue:
    db = get_session()
    submission = _load(submission_id)
    staff = _staff()
    if not services.may_read(staff, submission):
        abort(403)
    with write_intent():
        services.open_application(db, staff, submission)
        db.commit()
    return _render(submission)


def _render(
    submission: Submission,
    *,
    account: str | None = None,
    move_form: MoveForm | None = None,
    decision_form: DecisionForm | None = None,
) -> str:
    handler = services.may_handle(current_staff())
    move_form = move_form or MoveForm(formdata=None)
    steps = [
        s
        for s in transitions_for(submission.kind, submission.status)
        if s not in services.DECISIONS.values()
    ]
    move_form.status.choices = [SelectChoice(s, STATUSES[s]) for s in steps]
    can_decide = handler and submission.status == "reviewing"
    return render_template(
        "judicial_aid/show.html",
        submission=submission,
        kind=KINDS[submission.kind],
        identity=submissions.identity_of(submission),
        identity_labels=IDENTITY_FIELDS,
        answers=submissions.answers_of(submission),
        account=account,
        masked=services.masked_account(submission),
        statuses=STATUSES,
        ratings=RATINGS,
        stages=services.stages(submission),
        history=submission.events,
        handler=handler,
        move_form=move_form if handler and (steps or move_form.errors) else None,
        decision_form=(decision_form or DecisionForm(formdata=None)) if can_decide else None,
    )


@bp.route("/<int:submission_id>/account", methods=["POST"])
@roles_required(services.ROLE)
def reveal(submission_id: int) -> ResponseReturnValue:
    """Show the full account number once, for paying; audited."""
    submission = _load(submission_id)
    if not MoveForm().validate_on_submit():
        return redirect(url_for(".show", submission_id=submission.id))
    db = get_session()
    account = services.reveal_account(db, _staff(), submission)
    db.commit()
    return _render(submission, account=account)


@bp.route("/<int:submission_id>/move", methods=["POST"])
@roles_required(services.ROLE)
def move(submission_id: int) -> ResponseReturnValue:
    submission = _load(submission_id)
    form = MoveForm()
    if form.validate_on_submit():
        db = get_session()
        try:
            services.move(
                db, submission, form.status.data or "", form.reason.data or "", _staff(), utcnow()
            )
        except SubmissionError as exc:
            db.rollback()
            form.reason.errors = [*form.reason.errors, exc.message]
        else:
            db.commit()
            flash(_("The application moved to: %(status)s.", status=STATUSES[submission.status]))
            return redirect(url_for(".show", submission_id=submission.id))
    return _render(submission, move_form=form)


@bp.route("/<int:submission_id>/decide", methods=["POST"])
@roles_required(services.ROLE)
def decide(submission_id: int) -> ResponseReturnValue:
    submission = _load(submission_id)
    form = DecisionForm()
    if form.validate_on_submit():
        db = get_session()
        try:
            services.decide(
                db,
                submission,
                outcome=form.outcome.data or "",
                amount=form.amount.data or "",
                letter=form.letter.data or "",
                staff=_staff(),
                now=utcnow(),
                track_url=url_for("submissions.track", _external=True),
            )
        except SubmissionError as exc:
            db.rollback()
            field = getattr(form, exc.field or "", None) or form.letter
            field.errors = [*field.errors, exc.message]
        else:
            db.commit()
            flash(_("The decision letter was sent."))
            return redirect(url_for(".show", submission_id=submission.id))
    return _render(submission, decision_form=form)


@bp.route("/<int:submission_id>/files/<int:file_id>")
@roles_required(services.ROLE)
def download(submission_id: int, file_id: int) -> ResponseReturnValue:
    return send_attachment(_load(submission_id), file_id, _staff())


@bp.route("/statistics")
@roles_required(services.ROLE)
def statistics() -> ResponseReturnValue:
    db = get_session()
    rows = services.statistics(db)
    with write_intent():
        services.record_statistics_view(db, _staff())
        db.commit()
    return render_template("judicial_aid/statistics.html", rows=rows)


@bp.app_context_processor
def _stages_context() -> dict[str, object]:
    """The tracking page shows the statutory stages of an application; the staff
    dashboard, those overdue or due soon."""

    def judicial_aid_due() -> DueReport:
        return services.due(get_session(), utcnow(), limits_from_config(current_app.config))

    return {"aid_stages": services.stages, "judicial_aid_due": judicial_aid_due}
