"""Staff pages: the builder, preview, invitations, results and the CSV export."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

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
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from wtforms.fields import SelectChoice

from .. import audit
from ..db import get_session
from ..downloads import download_response
from ..inputs import as_int
from ..staff.access import current_staff, roles_required
from ..staff.models import StaffUser
from . import results, returns, services
from .forms import (
    ActionForm,
    AnswerForm,
    InvitationForm,
    QuestionAddForm,
    QuestionnaireEditForm,
    ReturnVisitForm,
)
from .labels import AUDIENCE_LABELS, KIND_LABELS, STATUS_LABELS, option_label, rating_label
from .models import Question, Questionnaire, SurveyResponse
from .views import answer_page_context, condition_labels

bp = Blueprint("surveys_staff", __name__, url_prefix="/staff/questionnaires")


def _load(q_id: int) -> Questionnaire:
    q = get_session().get(Questionnaire, q_id)
    if q is None:
        abort(404)
    return q


def _staff() -> StaffUser:
    staff = current_staff()
    assert staff is not None
    return staff


def _show_error(form: object, exc: services.SurveyError) -> str | None:
    """Put a rule's message at its field, or return it for the summary."""
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None:
        field.errors = [*field.errors, exc.message]  # type: ignore[attr-defined]
        return None
    return str(exc.message)


def _weights() -> dict[str, float]:
    return results.parse_weights(str(current_app.config["SATISFACTION_WEIGHTS"]))


def _tz() -> ZoneInfo:
    return ZoneInfo(str(current_app.config["BABEL_DEFAULT_TIMEZONE"]))


@bp.route("/")
@roles_required("surveys")
def list_questionnaires() -> ResponseReturnValue:
    db = get_session()
    rows = db.scalars(
        select(Questionnaire).order_by(Questionnaire.family_id.desc(), Questionnaire.version.desc())
    ).all()
    counts = dict(
        db.execute(
            select(SurveyResponse.questionnaire_id, func.count()).group_by(
                SurveyResponse.questionnaire_id
            )
        ).all()
    )
    return render_template(
        "surveys/staff/list.html",
        questionnaires=rows,
        counts=counts,
        status_labels=STATUS_LABELS,
        audience_labels=AUDIENCE_LABELS,
    )


def _fields(form: QuestionnaireEditForm) -> services.QuestionnaireFields:
    return services.QuestionnaireFields(
        title=form.title.data or "",
        introduction=form.introduction.data or "",
        department=form.department.data or "",
        audience=form.audience.data or "",
        opens_on=form.opens_on.data,
        closes_on=form.closes_on.data,
        title_en=form.title_en.data or "",
        introduction_en=form.introduction_en.data or "",
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required("surveys")
def new_questionnaire() -> ResponseReturnValue:
    form = QuestionnaireEditForm()
    failure = None
    if form.validate_on_submit():
        db = get_session()
        try:
            q = services.create_questionnaire(db, _fields(form), _staff())
        except services.SurveyError as exc:
            db.rollback()
            failure = _show_error(form, exc)
        else:
            db.commit()
            flash(_("Questionnaire saved. Now add its questions."))
            return redirect(url_for(".show_questionnaire", q_id=q.id))
    return render_template("surveys/staff/edit.html", form=form, q=None, failure=failure)


@bp.route("/<int:q_id>/edit", methods=["GET", "POST"])
@roles_required("surveys")
def edit_questionnaire(q_id: int) -> ResponseReturnValue:
    q = _load(q_id)
    form = QuestionnaireEditForm(obj=q)
    failure = None
    if form.validate_on_submit():
        db = get_session()
        try:
            target = services.update_questionnaire(db, q, _fields(form), _staff())
        except services.SurveyError as exc:
            db.rollback()
            failure = _show_error(form, exc)
        else:
            db.commit()
            _say_saved(q, target)
            return redirect(url_for(".show_questionnaire", q_id=target.id))
    return render_template("surveys/staff/edit.html", form=form, q=q, failure=failure)


def _say_saved(before: Questionnaire, after: Questionnaire) -> None:
    if before.id != after.id:
        flash(
            _(
                "This questionnaire already had answers, so your change made version "
                "%(version)d. The answers stay with version %(old)d.",
                version=after.version,
                old=before.version,
            )
        )
    else:
        flash(_("Saved."))


def _condition_choices(q: Questionnaire, before: int | None = None) -> list[SelectChoice]:
    """Answers to the questions before position `before` (all questions when None)."""
    choices = [SelectChoice("", _("Always show this question"))]
    for number, question in enumerate(q.questions[:before], 1):
        for option in question.options:
            label = _(
                "Question %(number)d is answered “%(answer)s”",
                number=number,
                answer=option_label(option),
            )
            choices.append(SelectChoice(str(option.id), label))
    return choices


def _question_fields(form: QuestionAddForm) -> services.QuestionFields:
    options = [line.strip() for line in (form.options.data or "").splitlines() if line.strip()]
    condition = form.condition.data
    return services.QuestionFields(
        kind=form.kind.data or "",
        text=form.text.data or "",
        text_en=form.text_en.data or "",
        section=form.section.data or "",
        section_en=form.section_en.data or "",
        options_en=(form.options_en.data or "").splitlines(),
        required=bool(form.required.data),
        options=options,
        min_choices=form.min_choices.data,
        max_choices=form.max_choices.data,
        max_length=form.max_length.data,
        condition_option_id=as_int(condition),
    )


@bp.route("/<int:q_id>", methods=["GET", "POST"])
@roles_required("surveys")
def show_questionnaire(q_id: int) -> ResponseReturnValue:
    """The questionnaire, its questions, and the form to add a question."""
    db = get_session()
    q = _load(q_id)
    form = QuestionAddForm()
    form.condition.choices = _condition_choices(q)
    failure = None
    if request.method == "POST" and form.validate_on_submit():
        try:
            target = services.add_question(db, q, _question_fields(form), _staff())
        except services.SurveyError as exc:
            db.rollback()
            failure = _show_error(form, exc)
        else:
            db.commit()
            _say_saved(q, target)
            return redirect(url_for(".show_questionnaire", q_id=target.id) + "#questions")
    issued, used = services.invitation_counts(db, q)
    newest = services.newest_version(db, q.family_id or q.id)
    return (
        render_template(
            "surveys/staff/show.html",
            q=q,
            form=form,
            failure=failure,
            action_form=ActionForm(),
            newest=newest,
            locked=services.has_responses(db, q),
            conditions=condition_labels(q),
            issued=issued,
            used=used,
            kind_labels=KIND_LABELS,
            status_labels=STATUS_LABELS,
            audience_labels=AUDIENCE_LABELS,
            option_label=option_label,
        ),
        400 if form.errors or failure else 200,
    )


def _question_form(question: Question) -> QuestionAddForm:
    """The question form, filled with the question as it is (unless the page was posted)."""
    custom = question.kind in {"single", "multiple"}
    return QuestionAddForm(
        data={
            "section": question.section,
            "section_en": question.section_en,
            "kind": question.kind,
            "text": question.text,
            "text_en": question.text_en,
            "options": "\n".join(o.label for o in question.options) if custom else "",
            "options_en": "\n".join(o.label_en for o in question.options) if custom else "",
            "min_choices": question.min_choices,
            "max_choices": question.max_choices,
            "max_length": question.max_length,
            "required": question.required,
            "condition": str(question.condition_option_id or ""),
        }
        if request.method == "GET"
        else None
    )


@bp.route("/<int:q_id>/questions/<int:question_id>/edit", methods=["GET", "POST"])
@roles_required("surveys")
def edit_question(q_id: int, question_id: int) -> ResponseReturnValue:
    """Change a question's wording, type, options or condition."""
    db = get_session()
    q = _load(q_id)
    number = next((n for n, item in enumerate(q.questions, 1) if item.id == question_id), None)
    if number is None or q.status == "superseded":
        abort(404)
    form = _question_form(q.questions[number - 1])
    form.condition.choices = _condition_choices(q, before=number - 1)
    failure = None
    if request.method == "POST" and form.validate_on_submit():
        try:
            target = services.update_question(db, q, question_id, _question_fields(form), _staff())
        except services.SurveyError as exc:
            db.rollback()
            failure = _show_error(form, exc)
        else:
            db.commit()
            _say_saved(q, target)
            return redirect(url_for(".show_questionnaire", q_id=target.id) + "#questions")
    return (
        render_template(
            "surveys/staff/question.html",
            q=q,
            number=number,
            form=form,
            failure=failure,
            locked=services.has_responses(db, q),
        ),
        400 if form.errors or failure else 200,
    )


@bp.route("/<int:q_id>/questions/<int:question_id>/<any(up, down):direction>", methods=["POST"])
@roles_required("surveys")
def move_question(q_id: int, question_id: int, direction: str) -> ResponseReturnValue:
    db = get_session()
    q = _load(q_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        target = services.move_question(
            db, q, question_id, -1 if direction == "up" else 1, _staff()
        )
    except services.SurveyError as exc:
        db.rollback()
        flash(str(exc.message))
        return redirect(url_for(".show_questionnaire", q_id=q.id) + "#questions")
    db.commit()
    _say_saved(q, target)
    return redirect(url_for(".show_questionnaire", q_id=target.id) + "#questions")


@bp.route("/<int:q_id>/questions/<int:question_id>/remove", methods=["POST"])
@roles_required("surveys")
def remove_question(q_id: int, question_id: int) -> ResponseReturnValue:
    db = get_session()
    q = _load(q_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        target = services.remove_question(db, q, question_id, _staff())
    except services.SurveyError as exc:
        db.rollback()
        flash(str(exc.message))
        return redirect(url_for(".show_questionnaire", q_id=q.id))
    db.commit()
    _say_saved(q, target)
    return redirect(url_for(".show_questionnaire", q_id=target.id))


def _act(q_id: int, change: str) -> ResponseReturnValue:
    db = get_session()
    q = _load(q_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        if change == "publish":
            services.publish_questionnaire(db, q, _staff())
            message = _("The questionnaire is open for answers.")
        else:
            services.close_questionnaire(db, q, _staff())
            message = _("The questionnaire is closed. No more answers are accepted.")
    except services.SurveyError as exc:
        db.rollback()
        flash(str(exc.message))
    else:
        db.commit()
        flash(message)
    return redirect(url_for(".show_questionnaire", q_id=q.id))


@bp.route("/<int:q_id>/publish", methods=["POST"])
@roles_required("surveys")
def publish_questionnaire(q_id: int) -> ResponseReturnValue:
    return _act(q_id, "publish")


@bp.route("/<int:q_id>/close", methods=["POST"])
@roles_required("surveys")
def close_questionnaire(q_id: int) -> ResponseReturnValue:
    return _act(q_id, "close")


@bp.route("/<int:q_id>/preview")
@roles_required("surveys")
def preview_questionnaire(q_id: int) -> ResponseReturnValue:
    q = _load(q_id)
    return render_template(
        "surveys/answer.html",
        form=AnswerForm(),
        mode="preview",
        errors={},
        values={},
        failure=None,
        **answer_page_context(q),
    )


@bp.route("/<int:q_id>/invitations", methods=["GET", "POST"])
@roles_required("surveys")
def invite(q_id: int) -> ResponseReturnValue:
    """Issue single-use codes: mailed to pasted addresses, or shown once for printing."""
    db = get_session()
    q = _load(q_id)
    form = InvitationForm()
    failure = None
    if form.validate_on_submit():
        try:
            emails = services.parse_addresses(form.emails.data or "")
            # Mail goes out in the portal's default language, as letters do.
            with force_locale(str(current_app.config["BABEL_DEFAULT_LOCALE"])):
                issued = services.issue_invitations(
                    db,
                    q,
                    emails=emails,
                    printed=form.printed.data or 0,
                    **_mailing(form),
                )
        except services.SurveyError as exc:
            db.rollback()
            failure = _show_error(form, exc)
        else:
            db.commit()
            return render_template("surveys/staff/codes.html", q=q, issued=issued)
    issued_count, used = services.invitation_counts(db, q)
    return (
        render_template(
            "surveys/staff/invite.html",
            q=q,
            form=form,
            failure=failure,
            issued=issued_count,
            used=used,
        ),
        400 if form.errors or failure else 200,
    )


def _list_for(db: object, form: ReturnVisitForm) -> list[returns.Invitee] | None:
    """The people on the chosen list; None (with a message at the field) if it is incomplete."""
    source = form.source.data
    if source == returns.OPEN_DAY:
        if not form.open_day.data:
            form.open_day.errors = [_("Choose the open day whose attendees to invite.")]
            return None
        return returns.open_day_attendees(get_session(), form.open_day.data)
    if source == returns.ANSWERED:
        return returns.answered_submitters(get_session())
    return returns.closed_case_parties(get_session())


@bp.route("/<int:q_id>/return-visits", methods=["GET", "POST"])
@roles_required("surveys")
def return_visits(q_id: int) -> ResponseReturnValue:
    """Invite open-day attendees or answered submitters by e-mail, or print codes for the
    parties of closed cases; each person once per questionnaire."""
    db = get_session()
    q = _load(q_id)
    form = ReturnVisitForm()
    form.source.choices = [SelectChoice("", _("Choose a list"))] + [
        SelectChoice(k, v) for k, v in returns.SOURCES.items()
    ]
    form.open_day.choices = [SelectChoice(0, "—")] + [
        SelectChoice(day.id, day.title) for day in returns.open_days_with_attendees(db)
    ]
    failure = None
    if form.validate_on_submit():
        invitees = _list_for(db, form)
        if invitees is not None:
            try:
                with force_locale(str(current_app.config["BABEL_DEFAULT_LOCALE"])):
                    issued = returns.invite_list(
                        db,
                        q,
                        source=str(form.source.data),
                        invitees=invitees,
                        **_mailing(form),
                    )
            except services.SurveyError as exc:
                db.rollback()
                failure = _show_error(form, exc)
            else:
                db.commit()
                return render_template("surveys/staff/return_codes.html", q=q, issued=issued)
    return (
        render_template("surveys/staff/return_visits.html", q=q, form=form, failure=failure),
        400 if form.errors or failure else 200,
    )


def _mailing(form: InvitationForm | ReturnVisitForm) -> dict[str, Any]:
    """Who issues, for how long, and the link, subject and body (call in the mail's locale)."""
    return {
        "valid_days": form.valid_days.data or 30,
        "staff": _staff(),
        "link_for": lambda code: url_for("surveys.follow_invitation", code=code, _external=True),
        "subject": _("An invitation to tell us about our work"),
        "body_for": _invitation_body,
    }


def _invitation_body(code: str, link: str) -> str:
    return _(
        "We would like to know what you think of our work.\n\n"
        "Please answer a short questionnaire: %(link)s\n\n"
        "Or go to the questionnaires page of our website and enter this code: %(code)s\n\n"
        "The code can be used once. Your answers are not linked to your name.",
        link=link,
        code=code,
    )


@bp.route("/<int:q_id>/results")
@roles_required("surveys")
def questionnaire_results(q_id: int) -> ResponseReturnValue:
    db = get_session()
    q = _load(q_id)
    weights = _weights()
    total, per_question = results.question_results(db, q, weights)
    ratings = results.questionnaire_ratings(db, _tz(), family_id=q.family_id)
    return render_template(
        "surveys/staff/results.html",
        q=q,
        total=total,
        per_question=per_question,
        kind_labels=KIND_LABELS,
        versions=_versions(q),
        by_month=results.grouped_index(ratings, lambda r: r.rated_on.strftime("%Y-%m"), weights),
    )


def _versions(q: Questionnaire) -> list[Questionnaire]:
    return list(
        get_session().scalars(
            select(Questionnaire)
            .where(Questionnaire.family_id == q.family_id)
            .order_by(Questionnaire.version)
        )
    )


@bp.route("/<int:q_id>/results.csv")
@roles_required("surveys")
def export_results(q_id: int) -> ResponseReturnValue:
    db = get_session()
    q = _load(q_id)
    body = results.export_csv(db, q, _tz())
    staff = _staff()
    audit.record(
        db,
        action="survey.export_csv",
        actor=staff.username,
        actor_id=staff.id,
        target_type="questionnaire",
        target_id=q.id,
    )
    db.commit()
    name = f"questionnaire-{q.id}-v{q.version}.csv"
    return download_response("\ufeff" + body, filename=name, mimetype="text/csv")


@bp.route("/results")
@roles_required("surveys")
def overview() -> ResponseReturnValue:
    """The satisfaction index by month, by department and by kind, from every source."""
    db = get_session()
    weights = _weights()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    ratings = results.all_ratings(db, app, _tz())
    overall = results.satisfaction_index((r.value for r in ratings), weights)
    return render_template(
        "surveys/staff/overview.html",
        overall=overall,
        count=sum(1 for r in ratings if r.value in weights),
        by_month=results.grouped_index(ratings, lambda r: r.rated_on.strftime("%Y-%m"), weights),
        by_department=results.grouped_index(
            ratings, lambda r: r.department or _("No department"), weights
        ),
        by_kind=results.grouped_index(ratings, lambda r: results.kind_label(app, r.kind), weights),
        weights=weights,
        rating_label=rating_label,
    )


@bp.record_once
def _check_weights(state: BlueprintSetupState) -> None:
    """Refuse to start with malformed satisfaction weights, rather than fail on a results page."""
    results.parse_weights(str(state.app.config["SATISFACTION_WEIGHTS"]))
