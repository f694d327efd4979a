"""Staff pages: the queue, one submission with its workflow, replies, notes and files,
follow-ups of unsatisfied ratings, and a CSV export without identity fields."""

from __future__ import annotations

import csv
import io
from urllib.parse import parse_qsl

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
from sqlalchemy import select
from wtforms.fields import SelectChoice

from .. import audit
from ..db import get_session, utcnow, write_intent
from ..downloads import download_response
from ..i18n import current_locale
from ..inputs import as_int
from ..pagination import parse_page
from ..staff.access import current_staff, roles_required
from ..staff.models import StaffUser
from . import files as stored_files
from . import saved_filters, services
from .deadlines import limits_from_config
from .forms import (
    NOTE_KINDS,
    ActionForm,
    AssignForm,
    NoteForm,
    ReplyForm,
    SavedFilterForm,
    SpamForm,
    details_form,
    identity_form_class,
)
from .models import ReplyRating, Submission, SubmissionFile
from .queries import QueueFilter, due_at, list_queue, open_follow_ups, queue_query
from .replies import FIELDS, MARKER, TEMPLATES_BY_KEY, fill, templates_for
from .saved_filters import list_saved_filters
from .types import (
    CHANNELS,
    FINISHED,
    IDENTITY_FIELDS,
    KINDS,
    RATINGS,
    RESTRICTED_KINDS,
    STATUSES,
    TRANSITIONS,
)
from .views import files_dir

bp = Blueprint(
    "submissions_staff", __name__, url_prefix="/staff/submissions", template_folder="templates"
)

HANDLERS = ("moderator", "reports")


def _load(submission_id: int) -> Submission:
    submission = get_session().get(Submission, submission_id)
    if submission is None or submission.kind in RESTRICTED_KINDS:
        abort(404)
    return submission


def _staff() -> StaffUser:
    staff = current_staff()
    assert staff is not None
    return staff


@bp.route("/")
@roles_required(*HANDLERS)
def queue() -> ResponseReturnValue:
    return _render_queue(QueueFilter.from_args(request.args))


def _render_queue(f: QueueFilter, save_form: SavedFilterForm | None = None) -> str:
    db = get_session()
    staff = _staff()
    limits = limits_from_config(current_app.config)
    now = utcnow()
    result = list_queue(
        db,
        f,
        staff_id=staff.id,
        now=now,
        soon_days=limits.due_soon_days,
        page=parse_page(request.args.get("page")),
        subject_of=lambda s: services.subject_for(staff, s) or "",
    )
    staff_names = dict(db.execute(select(StaffUser.id, StaffUser.display_name)).all())
    save_form = save_form or SavedFilterForm(formdata=None)
    return render_template(
        "submissions/staff/queue.html",
        result=result,
        items=result.items,
        subjects={s.id: services.subject_for(staff, s) for s in result.items},
        due_at=due_at,
        f=f,
        now=now,
        kinds=KINDS,
        statuses=STATUSES,
        staff_names=staff_names,
        action_form=ActionForm(),
        save_form=save_form,
        saved_filters=list_saved_filters(db, staff.id),
        saved_query=f.query_string(),
        finished=FINISHED,
    )


@bp.route("/filters", methods=["POST"])
@roles_required(*HANDLERS)
def save_queue_filter() -> ResponseReturnValue:
    """Keep the queue's current filters under a name, for this staff member."""
    f = QueueFilter.from_args(dict(parse_qsl(request.form.get("query", ""))))
    form = SavedFilterForm()
    if form.validate_on_submit():
        db = get_session()
        try:
            saved = saved_filters.save_filter(db, _staff(), form.name.data or "", f)
        except services.SubmissionError as exc:
            db.rollback()
            form.name.errors = [*form.name.errors, exc.message]
        else:
            db.commit()
            flash(_("The filter “%(name)s” was saved.", name=saved.name))
            return redirect(url_for(".queue", **f.as_args()))
    return _render_queue(f, save_form=form)


@bp.route("/filters/<int:filter_id>/delete", methods=["POST"])
@roles_required(*HANDLERS)
def delete_queue_filter(filter_id: int) -> ResponseReturnValue:
    if ActionForm().validate_on_submit():
        db = get_session()
        if saved_filters.delete_filter(db, _staff(), filter_id):
            db.commit()
            flash(_("The saved filter was deleted."))
    return redirect(url_for(".queue"))


@bp.route("/bulk", methods=["POST"])
@roles_required(*HANDLERS)
def bulk() -> ResponseReturnValue:
    """Assign the ticked submissions to me, or mark them read."""
    form = ActionForm()
    if form.validate_on_submit():
        db = get_session()
        staff = _staff()
        ids = [i for i in map(as_int, request.form.getlist("ids")) if i is not None][:200]
        action = request.form.get("action")
        chosen = Submission.id.in_(ids) & Submission.kind.notin_(RESTRICTED_KINDS)
        for submission in db.scalars(select(Submission).where(chosen)):
            if action == "assign_me":
                services.assign(db, submission, staff, staff)
            elif action == "mark_read":
                services.open_submission(db, staff, submission)
        db.commit()
        flash(_("%(n)d submissions updated.", n=len(ids)))
    return redirect(url_for(".queue"))


@bp.route("/record", methods=["GET", "POST"])
@roles_required("moderator")
def record() -> ResponseReturnValue:
    """Record a petition made in person at the reception (15-day clock)."""
    kind = KINDS.get(request.args.get("kind", ""))
    if kind is None:
        return render_template("submissions/staff/record_choose.html", kinds=KINDS)
    max_text = int(current_app.config["SUBMISSIONS_MAX_TEXT"])
    identity_form = identity_form_class(kind)()
    details = details_form(
        kind, max_text, formdata=request.form if request.method == "POST" else None
    )
    failure = None
    if request.method == "POST" and all([identity_form.validate(), details.validate()]):
        db = get_session()
        staff = _staff()
        try:
            created = services.create_submission(
                db,
                kind=kind.key,
                anonymous=False,
                identity={
                    name: getattr(identity_form, name).data or "" for name in IDENTITY_FIELDS
                },
                answers={
                    q.name: (getattr(details, q.name).data or "").strip() for q in kind.questions
                },
                language=current_locale(),
                limits=limits_from_config(current_app.config),
                now=utcnow(),
                channel="in_person",
            )
        except services.SubmissionError as exc:
            db.rollback()
            failure = exc.message
        else:
            services.record_in_person(db, staff, created.submission)
            db.commit()
            return render_template(
                "submissions/staff/recorded.html",
                submission=created.submission,
                query_code=created.query_code,
                kind=kind,
            )
    return render_template(
        "submissions/staff/record.html",
        kind=kind,
        identity_form=identity_form,
        details=details,
        failure=failure,
    )


@bp.route("/<int:submission_id>")
@roles_required(*HANDLERS)
def show(submission_id: int) -> ResponseReturnValue:
    db = get_session()
    submission = _load(submission_id)
    staff = _staff()
    show_identity = services.may_see_identity(staff, submission)
    with write_intent():
        services.open_submission(db, staff, submission)
        if show_identity:
            services.record_identity_view(db, staff, submission)
        db.commit()
    return _render_show(submission, show_identity=show_identity)


def _render_show(
    submission: Submission,
    *,
    reply_form: ReplyForm | None = None,
    note_form: NoteForm | None = None,
    spam_form: SpamForm | None = None,
    show_identity: bool | None = None,
    failure: str | None = None,
) -> str:
    db = get_session()
    staff = _staff()
    if show_identity is None:
        show_identity = False
    reply_form = reply_form or ReplyForm(formdata=None)
    next_statuses = TRANSITIONS.get(submission.status, ())
    reply_form.status.choices = [
        SelectChoice("", _("Keep the status: %(s)s", s=STATUSES[submission.status])),
        *(SelectChoice(s, STATUSES[s]) for s in next_statuses),
    ]
    offered = templates_for(next_statuses)
    template_texts = {
        (t.key, lang): fill(t, submission.kind, lang) for t in offered for lang in ("zh", "en")
    }
    handlers = db.scalars(select(StaffUser).where(StaffUser.active.is_(True))).all()
    assign_form = AssignForm(formdata=None)
    assign_form.assignee.choices = [
        SelectChoice("", _("Nobody")),
        *(SelectChoice(str(u.id), u.display_name) for u in handlers if u.has_any_role(*HANDLERS)),
    ]
    assign_form.assignee.data = str(submission.assigned_to_id or "")
    identity = services.identity_of(submission) if show_identity else {}
    return render_template(
        "submissions/staff/show.html",
        submission=submission,
        kind=KINDS[submission.kind],
        answers=services.answers_of(submission),
        history=services.citizen_history(submission),
        identity=identity,
        show_identity=show_identity,
        identity_labels=IDENTITY_FIELDS,
        statuses=STATUSES,
        channels=CHANNELS,
        ratings=RATINGS,
        templates=offered,
        template_texts=template_texts,
        reply_fields=FIELDS,
        shown_fields=set(MARKER.findall(reply_form.body.data or "")),
        reply_form=reply_form,
        note_form=note_form or NoteForm(formdata=None),
        note_kinds=NOTE_KINDS,
        assign_form=assign_form,
        spam_form=spam_form or SpamForm(formdata=None),
        action_form=ActionForm(),
        staff_names=dict(db.execute(select(StaffUser.id, StaffUser.display_name)).all()),
        failure=failure,
        now=utcnow(),
        is_report_staff=staff.has_any_role("reports"),
    )


@bp.route("/<int:submission_id>/reply", methods=["POST"])
@roles_required(*HANDLERS)
def reply(submission_id: int) -> ResponseReturnValue:
    submission = _load(submission_id)
    form = ReplyForm()
    next_statuses = TRANSITIONS.get(submission.status, ())
    form.status.choices = [SelectChoice(s, s) for s in ("", *next_statuses)]
    if request.form.get("pick"):
        _pick_template(form, submission, request.form["pick"], next_statuses)
        return _render_show(submission, reply_form=form)
    if form.validate_on_submit():
        db = get_session()
        try:
            services.post_reply(
                db,
                submission,
                form.body.data or "",
                _staff(),
                utcnow(),
                track_url=url_for("submissions.track", _external=True),
                new_status=form.status.data or None,
                template=form.template.data or None,
                fields=form.field_values(),
            )
        except services.SubmissionError as exc:
            db.rollback()
            field = getattr(form, exc.field or "", None) or form.body
            field.errors = [*field.errors, exc.message]
        else:
            db.commit()
            flash(_("The reply was sent."))
            return redirect(url_for(".show", submission_id=submission.id))
    return _render_show(submission, reply_form=form)


def _pick_template(
    form: ReplyForm, submission: Submission, pick: str, next_statuses: tuple[str, ...]
) -> None:
    """A template chosen without script: its text goes after what was typed (nothing
    typed is lost) and the status it announces is selected."""
    key, _sep, lang = pick.partition(":")
    template = TEMPLATES_BY_KEY.get(key)
    if template is None or template.status not in next_statuses:
        return
    text = fill(template, submission.kind, "en" if lang == "en" else "zh")
    typed = (form.body.data or "").strip()
    form.body.data = f"{typed}\n\n{text}" if typed else text
    form.status.data = template.status
    form.template.data = template.key


@bp.route("/<int:submission_id>/note", methods=["POST"])
@roles_required(*HANDLERS)
def note(submission_id: int) -> ResponseReturnValue:
    submission = _load(submission_id)
    form = NoteForm()
    if form.validate_on_submit():
        db = get_session()
        services.add_note(db, submission, form.note.data or "", form.kind.data or "note", _staff())
        db.commit()
        flash(_("The note was saved."))
        return redirect(url_for(".show", submission_id=submission.id))
    return _render_show(submission, note_form=form)


@bp.route("/<int:submission_id>/assign", methods=["POST"])
@roles_required(*HANDLERS)
def assign(submission_id: int) -> ResponseReturnValue:
    submission = _load(submission_id)
    form = AssignForm()
    if form.validate_on_submit():
        db = get_session()
        assignee_id = as_int(form.assignee.data)
        assignee = db.get(StaffUser, assignee_id) if assignee_id is not None else None
        if assignee is not None and not assignee.has_any_role(*HANDLERS):
            abort(400)
        services.assign(db, submission, assignee, _staff())
        db.commit()
        flash(_("The assignment was saved."))
    return redirect(url_for(".show", submission_id=submission.id))


@bp.route("/<int:submission_id>/spam", methods=["POST"])
@roles_required(*HANDLERS)
def spam(submission_id: int) -> ResponseReturnValue:
    submission = _load(submission_id)
    db = get_session()
    if request.form.get("undo"):
        if ActionForm().validate_on_submit():
            services.mark_spam(db, submission, False, "", _staff())
            db.commit()
            flash(_("The submission is back in the queue."))
        return redirect(url_for(".show", submission_id=submission.id))
    form = SpamForm()
    if form.validate_on_submit():
        services.mark_spam(db, submission, True, form.reason.data or "", _staff())
        db.commit()
        flash(_("Marked as spam or abuse: hidden from the queue, the record is kept."))
        return redirect(url_for(".queue"))
    return _render_show(submission, spam_form=form)


@bp.route("/<int:submission_id>/files/<int:file_id>")
@roles_required(*HANDLERS)
def download(submission_id: int, file_id: int) -> ResponseReturnValue:
    submission = _load(submission_id)
    staff = _staff()
    if submission.kind == "report" and not staff.has_any_role("reports"):
        abort(403)
    return send_attachment(submission, file_id, staff)


def send_attachment(submission: Submission, file_id: int, staff: StaffUser) -> ResponseReturnValue:
    """One of the submission's files, downloaded by staff allowed to open it: audited
    first, so that no file leaves without a trace."""
    db = get_session()
    item = db.get(SubmissionFile, file_id)
    if item is None or item.submission_id != submission.id:
        abort(404)
    with write_intent():
        services.audit_action(db, staff, "submission.file_downloaded", submission, file=item.id)
        db.commit()
    data = stored_files.read(files_dir(), item.stored_name)
    return download_response(data, filename=item.filename, mimetype=item.content_type)


@bp.route("/follow-ups", methods=["GET", "POST"])
@roles_required("supervisor")
def follow_ups() -> ResponseReturnValue:
    db = get_session()
    form = ActionForm()
    if form.validate_on_submit():
        rating_id = as_int(request.form.get("rating_id"))
        rating = db.get(ReplyRating, rating_id) if rating_id is not None else None
        if rating is None:
            abort(404)
        services.follow_up_rating(db, rating, _staff(), utcnow())
        db.commit()
        flash(_("Marked as followed up."))
        return redirect(url_for(".follow_ups"))
    return render_template(
        "submissions/staff/follow_ups.html",
        items=open_follow_ups(db),
        kinds=KINDS,
        ratings=RATINGS,
        form=form,
    )


@bp.route("/export.csv")
@roles_required("moderator")
def export() -> ResponseReturnValue:
    """The queue's metadata as CSV: no identity, no content."""
    db = get_session()
    f = QueueFilter.from_args(request.args)
    limits = limits_from_config(current_app.config)
    staff = _staff()
    rows = db.scalars(
        queue_query(f, staff_id=staff.id, now=utcnow(), soon_days=limits.due_soon_days)
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "tracking_code",
            "kind",
            "status",
            "channel",
            "anonymous",
            "received_at",
            "procedural_due",
            "result_due",
            "procedural_done_at",
            "answered_at",
            "closed_at",
        ]
    )
    for s in rows:
        writer.writerow(
            [
                s.tracking_code,
                s.kind,
                s.status,
                s.channel,
                int(s.anonymous),
                s.received_at.isoformat(),
                s.procedural_due.isoformat(),
                s.result_due.isoformat(),
                s.procedural_done_at.isoformat() if s.procedural_done_at else "",
                s.answered_at.isoformat() if s.answered_at else "",
                s.closed_at.isoformat() if s.closed_at else "",
            ]
        )
    with write_intent():
        audit.record(db, action="submission.export", actor=staff.username, actor_id=staff.id)
        db.commit()
    body = "\ufeff" + out.getvalue()
    return download_response(body, filename="submissions.csv", mimetype="text/csv")


@bp.app_context_processor
def _dashboard_context() -> dict[str, object]:
    def submissions_due() -> services.DueReport:
        return services.due_report(get_session(), utcnow(), limits_from_config(current_app.config))

    return {"submissions_due": submissions_due}
