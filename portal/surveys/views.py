"""Public pages: the list of questionnaires, answering online, at a kiosk, or by invitation."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ..db import get_session, utcnow
from ..extensions import limiter
from ..inputs import strip_controls
from ..kiosk import visit as kiosk_visit
from ..kiosk.device import current_kiosk
from ..security import cookies_secure
from ..wording import Wording
from . import bp, services
from .forms import AnswerForm, CodeForm
from .labels import option_wording
from .models import Invitation, Questionnaire
from .tokens import TokenRejected, issue_token, read_token

ANSWER_LIMIT = "20 per hour"  # per address, online: a browser answers once, a person rarely more
KIOSK_LIMIT = "300 per hour"  # a kiosk's visitors all share its address
CODE_LIMIT = "10 per minute"  # invitation codes must not be guessed
ONLINE_TOKEN_AGE = 400 * 24 * 3600
KIOSK_TOKEN_AGE = 2 * 3600  # one visit
INVITATION_KEY = "survey_invitation"


def cookie_name(family_id: int) -> str:
    return f"portal_survey_{family_id}"


def local_today() -> date:
    return datetime.now(ZoneInfo(str(current_app.config["BABEL_DEFAULT_TIMEZONE"]))).date()


def _open_version(family_id: int, audience: str) -> Questionnaire:
    q = services.newest_version(get_session(), family_id)
    if q is None or q.audience != audience or q.status == "draft":
        abort(404)
    return q


def condition_labels(q: Questionnaire) -> dict[int, Wording]:
    """For each conditional question, the answer it depends on (shown to people without JS)."""
    options = {o.id: o for question in q.questions for o in question.options}
    return {
        question.id: option_wording(options[question.condition_option_id])
        for question in q.questions
        if question.condition_option_id in options
    }


def question_numbers(q: Questionnaire) -> dict[int, int]:
    """Questions numbered in order. Without scripts every question is shown, so the numbers
    have no gaps; the page's script renumbers the questions shown as conditions change."""
    return {question.id: number for number, question in enumerate(q.questions, 1)}


def answer_page_context(q: Questionnaire) -> dict[str, object]:
    """What the answer page needs besides the form, for the public page and the preview."""
    return {
        "q": q,
        "conditions": condition_labels(q),
        "numbers": question_numbers(q),
        "option_wording": option_wording,
    }


def render_answer_page(
    q: Questionnaire,
    form: AnswerForm,
    *,
    mode: str,
    parsed: services.ParsedAnswers | None = None,
    failure: str | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    # What was typed, shown again without any control character the answers were refused for.
    form_values = request.form.lists() if parsed else ()
    values = {key: [strip_controls(v, multiline=True) for v in typed] for key, typed in form_values}
    return (
        render_template(
            "surveys/answer.html",
            form=form,
            mode=mode,
            errors=parsed.errors if parsed else {},
            values=values,
            failure=failure,
            **answer_page_context(q),
        ),
        status,
    )


def _closed_page(q: Questionnaire) -> ResponseReturnValue:
    return render_template("surveys/closed.html", q=q), 410


@bp.route("/")
def list_questionnaires() -> ResponseReturnValue:
    return render_template(
        "surveys/list.html",
        questionnaires=services.open_public_questionnaires(get_session(), local_today()),
    )


@bp.route("/<int:family_id>", methods=["GET", "POST"])
@limiter.limit(ANSWER_LIMIT, methods=["POST"])
def answer(family_id: int) -> ResponseReturnValue:
    """Online: the browser's token sits in a signed cookie, so it can answer only once."""
    db = get_session()
    q = _open_version(family_id, "public")
    if not services.is_open(q, local_today()):
        return _closed_page(q)
    secret = str(current_app.secret_key)
    token = None
    cookie = request.cookies.get(cookie_name(family_id))
    if cookie:
        try:
            token = read_token(secret, cookie, family_id, ONLINE_TOKEN_AGE)
        except TokenRejected:
            cookie = None
    if token and services.token_used(db, token):
        return render_template("surveys/already.html", q=q)
    form = AnswerForm()
    if request.method == "GET" or not form.validate_on_submit():
        if request.method == "POST":
            flash(_("The form had expired. Please answer again."))
        response = make_response(render_answer_page(q, form, mode="online"))
        if not cookie:
            response.set_cookie(
                cookie_name(family_id),
                issue_token(secret, family_id),
                max_age=ONLINE_TOKEN_AGE,
                path=url_for(".answer", family_id=family_id),
                httponly=True,
                samesite="Lax",
                secure=cookies_secure(),
            )
        return response
    if token is None:
        failure = _(
            "We could not recognise this browser. Allow cookies for this site, "
            "then send your answers again."
        )
        return render_answer_page(q, form, mode="online", failure=failure, status=400)
    return _store(q, form, mode="online", token=token)


def _store(
    q: Questionnaire,
    form: AnswerForm,
    *,
    mode: str,
    token: str | None = None,
    invitation: Invitation | None = None,
) -> ResponseReturnValue:
    db = get_session()
    parsed = services.parse_answers(q, request.form.to_dict(flat=False))
    if parsed.errors:
        return render_answer_page(q, form, mode=mode, parsed=parsed, status=400)
    try:
        services.submit_response(
            db,
            q,
            parsed,
            channel=mode,
            today=local_today(),
            token=token,
            invitation=invitation,
        )
    except services.AlreadyAnswered as exc:
        db.rollback()
        if mode == "kiosk":
            flash(_("These answers were already sent. The form below is for the next visitor."))
            return redirect(url_for(".answer_at_kiosk", family_id=q.family_id))
        return render_template("surveys/already.html", q=q, message=exc.message), 409
    except services.SurveyError as exc:
        db.rollback()
        return render_answer_page(q, form, mode=mode, failure=str(exc.message), status=409)
    db.commit()
    kiosk_visit.complete("surveys")
    if mode == "kiosk":
        return redirect(url_for(".kiosk_thanks", family_id=q.family_id))
    return redirect(url_for(".thanks"))


@bp.route("/kiosk/<int:family_id>", methods=["GET", "POST"])
@limiter.limit(KIOSK_LIMIT, methods=["POST"])
def answer_at_kiosk(family_id: int) -> ResponseReturnValue:
    """At an enrolled kiosk: a fresh token in each blank form; nothing stays in the browser.

    Any other browser answers online, once: a fresh token per form would let it answer
    as often as it liked.
    """
    q = _open_version(family_id, "public")
    if current_kiosk() is None:
        return redirect(url_for(".answer", family_id=family_id))
    if not services.is_open(q, local_today()):
        return _closed_page(q)
    secret = str(current_app.secret_key)
    form = AnswerForm()
    if request.method == "GET":
        form.token.data = issue_token(secret, family_id)
        return render_answer_page(q, form, mode="kiosk")
    if not form.validate_on_submit():
        flash(_("The form had expired. Please answer again."))
        return redirect(url_for(".answer_at_kiosk", family_id=family_id))
    try:
        token = read_token(secret, form.token.data or "", family_id, KIOSK_TOKEN_AGE)
    except TokenRejected as exc:
        if exc.expired:
            flash(_("This form was left open too long. Please answer again."))
        else:
            flash(_("The form could not be checked. Please answer again."))
        return redirect(url_for(".answer_at_kiosk", family_id=family_id))
    return _store(q, form, mode="kiosk", token=token)


@bp.route("/kiosk/<int:family_id>/thanks")
def kiosk_thanks(family_id: int) -> ResponseReturnValue:
    q = _open_version(family_id, "public")
    if current_kiosk() is None:
        return redirect(url_for(".thanks"))
    return render_template("surveys/thanks.html", q=q, kiosk=True)


@bp.route("/thanks")
def thanks() -> ResponseReturnValue:
    return render_template("surveys/thanks.html", q=None, kiosk=False)


def _remember_invitation(code: str) -> Invitation:
    invitation = services.redeem_invitation(get_session(), code, utcnow())
    session[INVITATION_KEY] = invitation.id
    return invitation


@bp.route("/invitation", methods=["GET", "POST"])
@limiter.limit(CODE_LIMIT, methods=["POST"])
def enter_code() -> ResponseReturnValue:
    form = CodeForm()
    if form.validate_on_submit():
        try:
            _remember_invitation(form.code.data or "")
        except services.InvitationRefused as exc:
            form.code.errors = [*form.code.errors, exc.message]  # type: ignore[list-item]
        else:
            return redirect(url_for(".answer_invitation"))
    status = 400 if form.errors else 200
    return render_template("surveys/code.html", form=form), status


@bp.route("/invitation/<code>")
@limiter.limit(CODE_LIMIT)
def follow_invitation(code: str) -> ResponseReturnValue:
    """The link in an invitation mail: remember it, then drop the code from the address bar."""
    try:
        _remember_invitation(code)
    except services.InvitationRefused as exc:
        form = CodeForm()
        form.code.errors = [exc.message]  # type: ignore[list-item]
        return render_template("surveys/code.html", form=form), 410
    return redirect(url_for(".answer_invitation"))


@bp.route("/invited", methods=["GET", "POST"])
@limiter.limit(ANSWER_LIMIT, methods=["POST"])
def answer_invitation() -> ResponseReturnValue:
    db = get_session()
    invitation_id = session.get(INVITATION_KEY)
    invitation = services.find_invitation(db, int(invitation_id)) if invitation_id else None
    if invitation is None:
        return redirect(url_for(".enter_code"))
    try:
        services.check_invitation(invitation, utcnow())
    except services.InvitationRefused as exc:
        session.pop(INVITATION_KEY, None)
        form = CodeForm()
        form.code.errors = [exc.message]  # type: ignore[list-item]
        return render_template("surveys/code.html", form=form), 410
    original = db.get(Questionnaire, invitation.questionnaire_id)
    assert original is not None and original.family_id is not None
    q = _open_version(original.family_id, "invitation")
    if not services.is_open(q, local_today()):
        return _closed_page(q)
    form = AnswerForm()
    if not form.validate_on_submit():
        return render_answer_page(q, form, mode="invitation")
    result = _store(q, form, mode="invitation", invitation=invitation)
    if isinstance(result, Response) and result.status_code == 302:
        session.pop(INVITATION_KEY, None)
    return result
