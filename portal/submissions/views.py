"""Public pages: a start page per kind, one question per page, check your answers,
confirmation with the codes; tracking with the codes, adding information, rating replies.

The answers between pages live on the server (`SubmissionDraft`); the session
cookie holds only the draft's random token, never what was typed.
"""

from __future__ import annotations

import time
from pathlib import Path

import segno
from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import InternalServerError

from ..answers import offers as answer_offers
from ..db import get_session, utcnow, write_intent
from ..extensions import limiter
from ..i18n import current_locale
from ..kiosk import visit as kiosk_visit
from ..kiosk.device import current_kiosk
from . import bp, services
from .deadlines import limits_from_config
from .files import Rejected
from .forms import (
    AddInformationForm,
    AnonymityForm,
    ContactForm,
    RatingForm,
    ResetForm,
    StartForm,
    SubmitForm,
    TrackForm,
    UploadForm,
    details_form,
    identity_form_class,
)
from .models import Submission, SubmissionDraft
from .types import IDENTITY_FIELDS, KINDS, RATINGS, STATUSES, Kind

DRAFT_KEY = "submission_draft"
TRACK_KEY = "submission_track"
TRACK_SECONDS = 30 * 60


def _submit_limit() -> str:
    return str(current_app.config["SUBMISSIONS_SUBMIT_LIMIT"])


def _track_limit() -> str:
    return str(current_app.config["SUBMISSIONS_TRACK_LIMIT"])


def files_dir() -> Path:
    return Path(str(current_app.config["SUBMISSIONS_FILES_DIR"]))


def max_file_bytes() -> int:
    return int(current_app.config["SUBMISSIONS_MAX_FILE_MB"]) * 1024 * 1024


def read_upload(upload: FileStorage | None) -> tuple[str, bytes] | None:
    """(name, content) of an uploaded file, its temporary file closed; None if none chosen."""
    if upload is None or not upload.filename:
        return None
    try:
        return upload.filename, upload.read(max_file_bytes() + 1)
    finally:
        upload.close()


def thresholds() -> services.Thresholds:
    config = current_app.config
    return services.Thresholds(
        challenge_per_address=int(config["SUBMISSIONS_CHALLENGE_AFTER_PER_ADDRESS"]),
        challenge_per_phone=int(config["SUBMISSIONS_CHALLENGE_AFTER_PER_PHONE"]),
        max_per_phone_per_day=int(config["SUBMISSIONS_MAX_PER_PHONE_PER_DAY"]),
    )


def _kind(key: str) -> Kind:
    kind = KINDS.get(key)
    if kind is None:
        abort(404)
    return kind


def _steps(kind: Kind) -> list[str]:
    steps = ["anonymity"] if kind.may_be_anonymous else []
    # A kiosk takes no files: the details and check pages say where to send them.
    files = [] if current_kiosk() is not None else ["files"]
    return [*steps, "about_you", "details", *files, "check"]


def _next(kind: Kind, step: str) -> ResponseReturnValue:
    if request.args.get("change") and step != "anonymity":
        return redirect(url_for(".check", kind=kind.key))
    steps = _steps(kind)
    return redirect(url_for(f".{steps[steps.index(step) + 1]}", kind=kind.key))


def _draft(kind: Kind, *, for_update: bool = False) -> SubmissionDraft | None:
    draft = services.find_draft(
        get_session(), session.get(DRAFT_KEY), utcnow(), for_update=for_update
    )
    if draft is None or draft.kind != kind.key:
        return None
    return draft


def _restart(kind: Kind) -> ResponseReturnValue:
    flash(_("Your answers were not kept, or were already sent. Please start again."))
    return redirect(url_for(".start", kind=kind.key))


@bp.route("/")
def index() -> ResponseReturnValue:
    return render_template("submissions/index.html", kinds=KINDS)


@bp.route("/<kind>/", methods=["GET", "POST"])
def start(kind: str) -> ResponseReturnValue:
    spec = _kind(kind)
    if spec.needs_files and current_kiosk() is not None:
        # The application needs proofs as files, which a kiosk does not take.
        return render_template("submissions/apply_elsewhere.html", kind=spec)
    form = StartForm()
    # A consultation first offers published answers; words searched there start the subject.
    searched = answer_offers.clean_query(request.values.get("q"))
    if form.validate_on_submit():
        db = get_session()
        draft = services.start_draft(db, spec.key, utcnow())
        if searched and spec.key == "consultation":
            services.save_answers(db, draft, {"details": {"subject": searched}}, utcnow())
        db.commit()
        session[DRAFT_KEY] = draft.token
        return redirect(url_for(f".{_steps(spec)[0]}", kind=spec.key))
    offer = answer_offers.offer(get_session(), searched) if spec.key == "consultation" else None
    return render_template("submissions/start.html", kind=spec, form=form, offer=offer)


@bp.route("/<kind>/anonymity", methods=["GET", "POST"])
def anonymity(kind: str) -> ResponseReturnValue:
    spec = _kind(kind)
    if not spec.may_be_anonymous:
        abort(404)
    draft = _draft(spec)
    if draft is None:
        return _restart(spec)
    answers = services.draft_answers(draft)
    form = AnonymityForm(data={"anonymous": answers.get("anonymous")})
    if form.validate_on_submit():
        db = get_session()
        values: dict[str, object] = {"anonymous": form.anonymous.data}
        if form.anonymous.data != answers.get("anonymous"):
            values["identity"] = {}
        services.save_answers(db, draft, values, utcnow())
        db.commit()
        if request.args.get("change") and values.get("identity") is None:
            return redirect(url_for(".check", kind=spec.key))
        return redirect(url_for(".about_you", kind=spec.key))
    return render_template("submissions/anonymity.html", kind=spec, form=form)


@bp.route("/<kind>/about-you", methods=["GET", "POST"])
def about_you(kind: str) -> ResponseReturnValue:
    spec = _kind(kind)
    draft = _draft(spec)
    if draft is None:
        return _restart(spec)
    answers = services.draft_answers(draft)
    anonymous = answers.get("anonymous") == "yes"
    form_class = ContactForm if anonymous else identity_form_class(spec)
    form = form_class(data=answers.get("identity") or {})
    if form.validate_on_submit():
        db = get_session()
        identity = {
            name: (getattr(form, name).data or "").strip()
            for name in IDENTITY_FIELDS
            if hasattr(form, name)
        }
        if "id_number" in identity:
            identity["id_number"] = identity["id_number"].upper()
        services.save_answers(db, draft, {"identity": identity}, utcnow())
        db.commit()
        return _next(spec, "about_you")
    return render_template("submissions/about_you.html", kind=spec, form=form, anonymous=anonymous)


@bp.route("/<kind>/details", methods=["GET", "POST"])
def details(kind: str) -> ResponseReturnValue:
    spec = _kind(kind)
    draft = _draft(spec)
    if draft is None:
        return _restart(spec)
    max_text = int(current_app.config["SUBMISSIONS_MAX_TEXT"])
    if request.method == "POST":
        form = details_form(spec, max_text, formdata=request.form)
    else:
        form = details_form(spec, max_text, data=services.draft_answers(draft).get("details"))
    if form.validate_on_submit():
        db = get_session()
        values = {q.name: (getattr(form, q.name).data or "").strip() for q in spec.questions}
        services.save_answers(db, draft, {"details": values}, utcnow())
        db.commit()
        return _next(spec, "details")
    return render_template("submissions/details.html", kind=spec, form=form, max_text=max_text)


@bp.route("/<kind>/files", methods=["GET", "POST"])
def files(kind: str) -> ResponseReturnValue:
    spec = _kind(kind)
    draft = _draft(spec)
    if draft is None:
        return _restart(spec)
    if current_kiosk() is not None:
        return redirect(url_for(".check", kind=spec.key))
    db = get_session()
    form = UploadForm()
    config = current_app.config
    if form.validate_on_submit():
        upload = read_upload(form.file.data)
        if upload is not None:
            try:
                services.add_draft_file(
                    db,
                    draft,
                    *upload,
                    directory=files_dir(),
                    max_files=int(config["SUBMISSIONS_MAX_FILES"]),
                    max_bytes=max_file_bytes(),
                    now=utcnow(),
                )
            except Rejected as exc:
                db.rollback()
                form.file.errors = [_("%(name)s: %(reason)s", name=exc.filename, reason=exc.reason)]
            else:
                db.commit()
                flash(_("The file was added."))
                if request.form.get("action") == "continue":
                    return _next(spec, "files")
                return redirect(url_for(".files", kind=spec.key, **_change_arg()))
        elif request.form.get("action") == "continue":
            return _next(spec, "files")
        else:
            form.file.errors = [_("Choose a file to add, or continue without one.")]
    return render_template(
        "submissions/files.html",
        kind=spec,
        form=form,
        items=services.draft_files(db, draft),
        max_files=config["SUBMISSIONS_MAX_FILES"],
        max_mb=config["SUBMISSIONS_MAX_FILE_MB"],
        remove_form=StartForm(),
    )


def _change_arg() -> dict[str, str]:
    return {"change": "1"} if request.args.get("change") else {}


@bp.route("/<kind>/files/<int:file_id>/remove", methods=["POST"])
def remove_file(kind: str, file_id: int) -> ResponseReturnValue:
    spec = _kind(kind)
    draft = _draft(spec)
    if draft is None:
        return _restart(spec)
    if StartForm().validate_on_submit():
        db = get_session()
        services.remove_draft_file(db, draft, file_id, files_dir())
        db.commit()
        flash(_("The file was removed."))
    return redirect(url_for(".files", kind=spec.key, **_change_arg()))


@bp.route("/<kind>/check", methods=["GET", "POST"])
@limiter.limit(_submit_limit, methods=["POST"])
def check(kind: str) -> ResponseReturnValue:
    spec = _kind(kind)
    db = get_session()
    draft = _draft(spec, for_update=request.method == "POST")
    if draft is None:
        return _restart(spec)
    if draft.submission_id is not None:
        return redirect(url_for(".confirmation"))
    form = SubmitForm(data={"submit_key": draft.submit_key})
    failure = None
    challenge = None
    if form.validate_on_submit():
        if form.website.data:
            # A robot filled in the hidden field: look as if it worked, keep nothing.
            current_app.logger.info("submission honeypot tripped")
            return render_template("submissions/confirmation.html", tracking_code=None)
        try:
            services.submit_draft(
                db,
                draft,
                submit_key=form.submit_key.data or "",
                language=current_locale(),
                limits=limits_from_config(current_app.config),
                thresholds=thresholds(),
                now=utcnow(),
                source=services.source_hash(request.remote_addr),
                challenge_answer=form.challenge.data,
            )
            db.commit()
        except services.ChallengeRequired as exc:
            db.rollback()
            draft = _draft(spec, for_update=True)
            assert draft is not None
            challenge = services.new_challenge(db, draft)
            db.commit()
            if form.challenge.data:
                form.challenge.errors = [_("That answer is not right. Try this new question.")]
            else:
                failure = exc.message
            form.challenge.data = ""
        except services.SubmissionError as exc:
            db.rollback()
            failure = exc.message
        except IntegrityError as exc:
            # A double click raced us and stored it first: that record is the one.
            db.rollback()
            if services.find_submitted(db, form.submit_key.data or "") is None:
                raise exc
            return redirect(url_for(".confirmation"))
        else:
            kiosk_visit.complete("submit")
            return redirect(url_for(".confirmation"))
    answers = services.draft_answers(draft)
    return render_template(
        "submissions/check.html",
        kind=spec,
        form=form,
        failure=failure,
        challenge=challenge,
        answers=answers,
        anonymous=answers.get("anonymous") == "yes",
        identity=answers.get("identity") or {},
        details=answers.get("details") or {},
        items=services.draft_files(db, draft),
        identity_labels=IDENTITY_FIELDS,
    )


@bp.route("/confirmation")
def confirmation() -> ResponseReturnValue:
    """The codes; shown again on reload in the same browser for a short while."""
    db = get_session()
    now = utcnow()
    token = session.get(DRAFT_KEY)
    draft = services.find_draft(db, token, now)
    if draft is None or draft.submission_id is None:
        return redirect(url_for(".index"))
    if services.query_code_expired(draft, now):
        db.rollback()
        with write_intent():
            draft = services.find_draft(db, token, now, for_update=True)
            assert draft is not None
            services.forget_query_code(db, draft)
            db.commit()
    submission = db.get(Submission, draft.submission_id)
    assert submission is not None
    track_url = url_for(".track", code=submission.tracking_code, _external=True)
    qr = segno.make(track_url, error="m").svg_data_uri(scale=4, border=2)
    return render_template(
        "submissions/confirmation.html",
        submission=submission,
        tracking_code=submission.tracking_code,
        query_code=services.query_code_to_show(draft, now),
        window_minutes=int(services.QUERY_CODE_WINDOW.total_seconds() // 60),
        written_down_form=StartForm(),
        kind=KINDS[submission.kind],
        qr=qr,
        track_url=track_url,
    )


@bp.route("/confirmation/written-down", methods=["POST"])
def query_code_written_down() -> ResponseReturnValue:
    """The person has the query code: stop keeping it for this browser."""
    if StartForm().validate_on_submit():
        db = get_session()
        with write_intent():
            draft = services.find_draft(db, session.get(DRAFT_KEY), utcnow(), for_update=True)
            if draft is not None and draft.submission_id is not None:
                services.forget_query_code(db, draft)
                db.commit()
        flash(_("The query code is no longer shown. Keep it safe with your tracking code."))
    return redirect(url_for(".confirmation"))


@bp.errorhandler(InternalServerError)
def server_error(_error: InternalServerError) -> ResponseReturnValue:
    """A failure after the submission was stored must not say that nothing was saved."""
    tracking_code = None
    try:
        db = get_session()
        db.rollback()
        draft = services.find_draft(db, session.get(DRAFT_KEY), utcnow())
        if draft is not None and draft.submission_id is not None:
            submission = db.get(Submission, draft.submission_id)
            tracking_code = submission.tracking_code if submission else None
        db.rollback()
    except Exception:  # noqa: BLE001 - the database may be why this failed: say the usual
        current_app.logger.exception("could not tell whether the submission was stored")
    if tracking_code is None:
        return render_template("errors/500.html"), 500
    return render_template("errors/500.html", stored_tracking_code=tracking_code), 500


# --- tracking -------------------------------------------------------------------------------


def _tracked() -> Submission | None:
    data = session.get(TRACK_KEY)
    if not data or time.time() - float(data.get("at", 0)) > TRACK_SECONDS:
        session.pop(TRACK_KEY, None)
        return None
    return get_session().get(Submission, int(data["id"]))


@bp.route("/track", methods=["GET", "POST"])
@limiter.limit(_track_limit, methods=["POST"])
def track() -> ResponseReturnValue:
    form = TrackForm()
    if request.method == "GET" and request.args.get("code"):
        form.tracking_code.data = request.args["code"][:20]
    failure = None
    if form.validate_on_submit():
        try:
            submission = services.find_for_tracking(
                get_session(), form.tracking_code.data or "", form.query_code.data or ""
            )
        except services.CodesNotRecognised as exc:
            failure = exc.message
            form.query_code.data = ""
        else:
            session[TRACK_KEY] = {"id": submission.id, "at": time.time()}
            kiosk_visit.complete("track")
            return redirect(url_for(".tracked"))
    return render_template("submissions/track.html", form=form, failure=failure)


def _tracked_page(
    submission: Submission,
    add_form: AddInformationForm | None = None,
    rating_forms: dict[int, RatingForm] | None = None,
) -> str:
    rating_forms = rating_forms or {}
    for reply in submission.replies:
        if reply.rating is None and reply.id not in rating_forms:
            rating_forms[reply.id] = RatingForm(prefix=f"r{reply.id}", formdata=None)
    return render_template(
        "submissions/tracked.html",
        submission=submission,
        kind=KINDS[submission.kind],
        statuses=STATUSES,
        ratings=RATINGS,
        add_form=add_form or AddInformationForm(formdata=None),
        rating_forms=rating_forms,
        answers=services.answers_of(submission),
        history=services.citizen_history(submission),
    )


@bp.route("/track/view")
def tracked() -> ResponseReturnValue:
    submission = _tracked()
    if submission is None:
        return redirect(url_for(".track"))
    return _tracked_page(submission)


@bp.route("/track/add", methods=["POST"])
@limiter.limit(_track_limit)
def add_information() -> ResponseReturnValue:
    submission = _tracked()
    if submission is None:
        return redirect(url_for(".track"))
    form = AddInformationForm()
    if form.validate_on_submit():
        db = get_session()
        try:
            services.add_information(
                db,
                submission,
                form.text.data or "",
                utcnow(),
                upload=read_upload(form.file.data),
                directory=files_dir(),
                max_bytes=max_file_bytes(),
                max_files=int(current_app.config["SUBMISSIONS_MAX_FILES"]),
            )
        except Rejected as exc:
            db.rollback()
            form.file.errors = [_("%(name)s: %(reason)s", name=exc.filename, reason=exc.reason)]
        except services.SubmissionError as exc:
            db.rollback()
            form.text.errors = [exc.message]
        else:
            db.commit()
            flash(_("Your information was added. We will take it into account."))
            return redirect(url_for(".tracked"))
    return _tracked_page(submission, add_form=form)


@bp.route("/track/replies/<int:reply_id>/rate", methods=["POST"])
def rate(reply_id: int) -> ResponseReturnValue:
    submission = _tracked()
    if submission is None:
        return redirect(url_for(".track"))
    form = RatingForm(prefix=f"r{reply_id}")
    if form.validate_on_submit():
        db = get_session()
        try:
            services.rate_reply(
                db, submission, reply_id, form.rating.data or "", form.comment.data or "", utcnow()
            )
        except services.SubmissionError as exc:
            db.rollback()
            flash(str(exc.message))
        else:
            db.commit()
            flash(_("Thank you for rating the reply."))
        return redirect(url_for(".tracked"))
    return _tracked_page(submission, rating_forms={reply_id: form})


@bp.route("/track/leave", methods=["POST"])
def leave() -> ResponseReturnValue:
    if StartForm().validate_on_submit():
        session.pop(TRACK_KEY, None)
    return redirect(url_for(".track"))


@bp.route("/track/reset", methods=["GET", "POST"])
@limiter.limit(_track_limit, methods=["POST"])
def reset() -> ResponseReturnValue:
    form = ResetForm()
    failure = None
    new_code = None
    if form.validate_on_submit():
        db = get_session()
        try:
            submission, new_code = services.reset_query_code(
                db, form.tracking_code.data or "", form.id_number.data or "", form.phone.data or ""
            )
        except services.CodesNotRecognised:
            failure = _(
                "We could not match these details to a real-name submission. Check them and "
                "try again, or call 12309. Anonymous submissions cannot be reset."
            )
        else:
            db.commit()
            return render_template(
                "submissions/reset_done.html",
                tracking_code=submission.tracking_code,
                query_code=new_code,
            )
    return render_template("submissions/reset.html", form=form, failure=failure)
