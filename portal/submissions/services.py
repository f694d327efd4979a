"""Business rules for submissions: drafts, submitting, tracking, staff handling, time limits.

Services take what they need as arguments (the clock included, as `now`),
flush but never commit, and raise `SubmissionError` (or a subclass) with a
message for the person in front of the form.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from flask_babel import LazyString, force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from .. import audit
from ..crypto import keyed_hash
from ..disclosure.guard import is_valid_id_number
from ..judicial_aid.fields import FieldProblem
from ..mail import queue_mail
from ..staff.models import StaffUser
from . import codes, files
from .deadlines import Limits, due_dates
from .models import (
    ReplyRating,
    Submission,
    SubmissionAddition,
    SubmissionDraft,
    SubmissionEvent,
    SubmissionFile,
    SubmissionNote,
    SubmissionReply,
)
from .replies import FIELDS, TEMPLATES_BY_KEY, UnfilledField, fill_fields
from .types import (
    EMAIL_NEEDED,
    EMAIL_PATTERN,
    FINISHED,
    KINDS,
    PROCEDURAL,
    RATINGS,
    RESTRICTED_KINDS,
    STATUSES,
    Kind,
    transitions_for,
)

DRAFT_LIFETIME = timedelta(hours=24)
# What a phone number keeps of what was typed (other-script digits are folded to ASCII
# when the request is read, see portal.inputs; "²" is not a digit of a phone number).
PHONE_CHARACTERS = frozenset("0123456789+")
# How long the confirmation page can be shown again, query code included, in the
# browser that sent the submission (a page lost on the way loses nothing).
QUERY_CODE_WINDOW = timedelta(minutes=30)


class SubmissionError(Exception):
    """A rule was broken; `message` says what to do, `field` where to show it."""

    def __init__(self, message: LazyString | str, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


class CodesNotRecognised(SubmissionError):
    """Wrong tracking code or query code: one message for both, on purpose."""

    def __init__(self) -> None:
        super().__init__(
            _l(
                "We could not find a submission with these codes. Check both codes and "
                "try again, or call 12309."
            )
        )


class ChallengeRequired(SubmissionError):
    """Too many submissions from this address or phone: a person must answer a question."""


@dataclass(frozen=True)
class Thresholds:
    """When the anti-abuse challenge appears, and when a phone is refused for the day."""

    challenge_per_address: int
    challenge_per_phone: int
    max_per_phone_per_day: int


@dataclass
class Created:
    submission: Submission
    query_code: str | None  # None when the submission already existed (double submit)


@dataclass
class DueItem:
    submission: Submission
    clock: str  # "procedural" or "result"
    due: datetime


@dataclass
class DueReport:
    overdue: list[DueItem] = field(default_factory=list)
    due_soon: list[DueItem] = field(default_factory=list)


# What a kind keeps beside its submission, made in the same transaction (the lawyers'
# appointment row): registered by the package that owns the kind. It may refuse the
# submission with a SubmissionError.
OnCreated = Callable[[Session, "Submission", Mapping[str, str], Limits, datetime], None]
ON_CREATED: dict[str, OnCreated] = {}


def on_created(kind: str) -> Callable[[OnCreated], OnCreated]:
    def register(hook: OnCreated) -> OnCreated:
        ON_CREATED[kind] = hook
        return hook

    return register


# --- drafts -----------------------------------------------------------------------------


def start_draft(db: Session, kind: str, now: datetime) -> SubmissionDraft:
    if kind not in KINDS:
        raise SubmissionError(_l("Choose what you want to do."))
    draft = SubmissionDraft(
        token=secrets.token_urlsafe(32),
        kind=kind,
        answers="{}",
        submit_key=secrets.token_urlsafe(24),
        created_at=now,
        updated_at=now,
    )
    db.add(draft)
    db.flush()
    return draft


def find_draft(
    db: Session, token: str | None, now: datetime, *, for_update: bool = False
) -> SubmissionDraft | None:
    if not token:
        return None
    query = select(SubmissionDraft).where(SubmissionDraft.token == token)
    if for_update:
        query = query.with_for_update()
    draft = db.scalars(query).first()
    if draft is None or draft.updated_at < now - DRAFT_LIFETIME:
        return None
    return draft


def draft_answers(draft: SubmissionDraft) -> dict[str, object]:
    return json.loads(draft.answers or "{}")


def save_answers(
    db: Session, draft: SubmissionDraft, values: Mapping[str, object], now: datetime
) -> None:
    """Merge the answers of one page into the draft."""
    answers = draft_answers(draft)
    answers.update(values)
    draft.answers = json.dumps(answers, ensure_ascii=False)
    draft.updated_at = now
    db.flush()


def add_draft_file(
    db: Session,
    draft: SubmissionDraft,
    filename: str,
    data: bytes,
    *,
    directory: Path,
    max_files: int,
    max_bytes: int,
    now: datetime,
) -> SubmissionFile:
    """Keep an attachment with the draft; raise files.Rejected with the name and reason."""
    count = db.scalar(select(func.count()).where(SubmissionFile.draft_id == draft.id)) or 0
    if count >= max_files:
        raise files.Rejected(
            files.clean_name(filename), _l("You can attach up to %(n)d files.", n=max_files)
        )
    checked = files.check_upload(filename, data, max_bytes)
    stored, digest = files.store(directory, checked.data)
    item = SubmissionFile(
        draft_id=draft.id,
        filename=files.clean_name(filename),
        stored_name=stored,
        content_type=checked.media_type,
        size=len(checked.data),
        sha256=digest,
        created_at=now,
    )
    db.add(item)
    draft.updated_at = now
    db.flush()
    return item


def draft_files(db: Session, draft: SubmissionDraft) -> list[SubmissionFile]:
    return list(
        db.scalars(
            select(SubmissionFile)
            .where(SubmissionFile.draft_id == draft.id)
            .order_by(SubmissionFile.id)
        )
    )


def remove_draft_file(db: Session, draft: SubmissionDraft, file_id: int, directory: Path) -> None:
    item = db.get(SubmissionFile, file_id)
    if item is None or item.draft_id != draft.id:
        return
    (directory / item.stored_name).unlink(missing_ok=True)
    db.delete(item)
    db.flush()


def discard_draft(db: Session, draft: SubmissionDraft, directory: Path) -> None:
    """Delete a draft with its unsent files (rows and encrypted files on disk); a
    submission made from it keeps its own files. Also forgets a query code kept for
    showing the confirmation again."""
    for item in draft_files(db, draft):
        if item.submission_id is None:
            (directory / item.stored_name).unlink(missing_ok=True)
            db.delete(item)
    db.delete(draft)
    db.flush()


@dataclass
class Purged:
    drafts: int  # unfinished or old drafts deleted, with their unsent files
    query_codes: int  # query codes forgotten after the confirmation window


def purge_drafts(db: Session, now: datetime, directory: Path) -> Purged:
    """Delete drafts left for longer than a day, with their unsent files, and forget
    the query codes of submitted drafts whose confirmation window has passed."""
    old = db.scalars(
        select(SubmissionDraft).where(SubmissionDraft.updated_at < now - DRAFT_LIFETIME)
    ).all()
    for draft in old:
        discard_draft(db, draft, directory)
    forgotten = db.execute(
        update(SubmissionDraft)
        .where(
            SubmissionDraft.query_code.is_not(None),
            or_(
                SubmissionDraft.submitted_at.is_(None),
                SubmissionDraft.submitted_at < now - QUERY_CODE_WINDOW,
            ),
        )
        .values(query_code=None)
    )
    return Purged(drafts=len(old), query_codes=forgotten.rowcount or 0)


# --- anti-abuse ---------------------------------------------------------------------------


def source_hash(address: str | None) -> str | None:
    return keyed_hash(address, "submission-source") if address else None


def phone_hash(phone: str | None) -> str | None:
    return keyed_hash(phone, "submission-phone") if phone else None


def _count_since(db: Session, column: object, value: str, since: datetime) -> int:
    return (
        db.scalar(
            select(func.count()).where(column == value, Submission.received_at >= since)  # type: ignore[operator]
        )
        or 0
    )


def needs_challenge(
    db: Session, *, source: str | None, phone: str | None, thresholds: Thresholds, now: datetime
) -> bool:
    """True once this address (past hour) or phone (past day) has sent its share."""
    if (
        source
        and _count_since(db, Submission.source_hash, source, now - timedelta(hours=1))
        >= thresholds.challenge_per_address
    ):
        return True
    return bool(
        phone
        and _count_since(db, Submission.phone_hash, phone, now - timedelta(days=1))
        >= thresholds.challenge_per_phone
    )


def new_challenge(db: Session, draft: SubmissionDraft) -> tuple[int, int]:
    """A simple sum; the answer stays on the server with the draft."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    draft.challenge_answer = str(a + b)
    db.flush()
    return a, b


# --- submitting ---------------------------------------------------------------------------


def validate_identity(values: Mapping[str, str], *, needs_email: bool = False) -> dict[str, str]:
    """Clean real-name details; raise SubmissionError at the first field that is wrong."""
    name = (values.get("name") or "").strip()
    id_number = (values.get("id_number") or "").strip().upper()
    phone = "".join(ch for ch in (values.get("phone") or "") if ch in PHONE_CHARACTERS)
    if not name:
        raise SubmissionError(_l("Enter your full name."), "name")
    if not is_valid_id_number(id_number):
        raise SubmissionError(
            _l("Enter your 18-character identity card number; check each digit."), "id_number"
        )
    if not 7 <= len(phone.lstrip("+")) <= 15:
        raise SubmissionError(
            _l("Enter a phone number we can call, for example 13912345678."), "phone"
        )
    email = (values.get("email") or "").strip()
    if needs_email and not re.match(EMAIL_PATTERN, email):
        raise SubmissionError(EMAIL_NEEDED, "email")
    return {"name": name, "id_number": id_number, "phone": phone, "email": email}


def clean_answers(spec: Kind, answers: Mapping[str, str]) -> dict[str, str]:
    """The kind's answers, each checked by its question's own rule where it has one."""
    cleaned = {}
    for question in spec.questions:
        value = answers.get(question.name, "")
        if question.clean is not None and value:
            try:
                value = question.clean(value)
            except FieldProblem as problem:
                raise SubmissionError(problem.message, question.name) from None  # type: ignore[arg-type]
        cleaned[question.name] = value
    return cleaned


def _canonical(document: Mapping[str, object]) -> str:
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def create_submission(
    db: Session,
    *,
    kind: str,
    anonymous: bool,
    identity: Mapping[str, str],
    answers: Mapping[str, str],
    language: str,
    limits: Limits,
    now: datetime,
    idempotency_key: str | None = None,
    channel: str = "online",
    source: str | None = None,
) -> Created:
    """Store a new submission, its first history step and its due dates."""
    spec = KINDS.get(kind)
    if spec is None:
        raise SubmissionError(_l("Choose what you want to do."))
    if anonymous and not spec.may_be_anonymous:
        raise SubmissionError(_l("This kind of submission needs your name."), "anonymous")
    missing = [q.name for q in spec.questions if q.required and not answers.get(q.name)]
    if missing:
        raise SubmissionError(_l("Some answers are missing. Check your answers."), missing[0])
    clean_identity = (
        {"email": identity.get("email", "")}
        if anonymous
        else validate_identity(identity, needs_email=spec.needs_email)
    )
    original = {
        "kind": kind,
        "channel": channel,
        "anonymous": anonymous,
        "identity": clean_identity,
        "answers": clean_answers(spec, answers),
        "received_at": now.isoformat(),
    }
    text = _canonical(original)
    procedural_due, result_due = due_dates(now, channel, limits)
    query_code = codes.new_query_code()
    tracking = codes.new_tracking_code()
    while db.scalar(select(Submission.id).where(Submission.tracking_code == tracking)):
        tracking = codes.new_tracking_code()
    submission = Submission(
        tracking_code=tracking,
        query_hash=codes.hash_query_code(query_code),
        idempotency_key=idempotency_key or secrets.token_urlsafe(24),
        kind=kind,
        status="received",
        channel=channel,
        anonymous=anonymous,
        language=language,
        original=text,
        original_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        id_number_hash=None
        if anonymous
        else keyed_hash(clean_identity["id_number"], "submission-id-number"),
        phone_hash=None if anonymous else phone_hash(clean_identity["phone"]),
        source_hash=source,
        received_at=now,
        procedural_due=procedural_due,
        result_due=result_due,
        updated_at=now,
    )
    db.add(submission)
    db.flush()
    db.add(SubmissionEvent(submission_id=submission.id, to_status="received", at=now))
    db.flush()
    hook = ON_CREATED.get(kind)
    if hook is not None:
        hook(db, submission, original["answers"], limits, now)  # type: ignore[arg-type]
    return Created(submission, query_code)


def submit_draft(
    db: Session,
    draft: SubmissionDraft,
    *,
    submit_key: str,
    language: str,
    limits: Limits,
    thresholds: Thresholds,
    now: datetime,
    source: str | None = None,
    challenge_answer: str | None = None,
) -> Created:
    """Turn a draft into a submission, once: a second submit returns the first record."""
    if draft.submission_id is not None:
        return Created(db.get(Submission, draft.submission_id), None)  # type: ignore[arg-type]
    # Bytes: compare_digest refuses non-ASCII text, and the key comes from the visitor.
    if not secrets.compare_digest((submit_key or "").encode(), draft.submit_key.encode()):
        raise SubmissionError(_l("This form has expired. Check your answers and send them again."))
    answers = draft_answers(draft)
    spec = KINDS[draft.kind]
    if spec.needs_files and not draft_files(db, draft):
        raise SubmissionError(spec.proofs or _l("Attach your proofs before sending."), "files")
    anonymous = answers.get("anonymous") == "yes"
    identity = answers.get("identity") or {}
    phone = None if anonymous else phone_hash(str(identity.get("phone", "")))  # type: ignore[union-attr]
    if (
        phone
        and _count_since(db, Submission.phone_hash, phone, now - timedelta(days=1))
        >= thresholds.max_per_phone_per_day
    ):
        raise SubmissionError(
            _l(
                "Too many submissions were sent with this phone number today. "
                "Try again tomorrow or call 12309."
            )
        )
    if draft.challenge_answer or needs_challenge(
        db, source=source, phone=phone, thresholds=thresholds, now=now
    ):
        expected = draft.challenge_answer
        if not expected or (challenge_answer or "").strip() != expected:
            raise ChallengeRequired(
                _l("Answer the question below so that we know a person is sending this."),
                "challenge",
            )
    created = create_submission(
        db,
        kind=draft.kind,
        anonymous=anonymous,
        identity=identity,  # type: ignore[arg-type]
        answers=answers.get("details") or {},  # type: ignore[arg-type]
        language=language,
        limits=limits,
        now=now,
        idempotency_key=draft.submit_key,
        source=source,
    )
    for item in draft_files(db, draft):
        item.submission_id = created.submission.id
        item.draft_id = None
    draft.submission_id = created.submission.id
    draft.query_code = created.query_code
    draft.submitted_at = now
    draft.challenge_answer = None
    db.flush()
    return created


def find_submitted(db: Session, submit_key: str) -> Submission | None:
    """The submission a concurrent double submit already stored."""
    return db.scalars(select(Submission).where(Submission.idempotency_key == submit_key)).first()


def query_code_to_show(draft: SubmissionDraft, now: datetime) -> str | None:
    """The query code, while the confirmation page may still show it; else None."""
    if draft.submitted_at is None or now >= draft.submitted_at + QUERY_CODE_WINDOW:
        return None
    return draft.query_code


def query_code_expired(draft: SubmissionDraft, now: datetime) -> bool:
    """A query code is still kept although its window has passed: forget it now."""
    return draft.query_code is not None and query_code_to_show(draft, now) is None


def forget_query_code(db: Session, draft: SubmissionDraft) -> None:
    """The person has written it down, or the window has passed: it is not kept any more."""
    draft.query_code = None
    db.flush()


# --- tracking -------------------------------------------------------------------------------


def identity_of(submission: Submission) -> dict[str, str]:
    return json.loads(submission.original).get("identity", {})


def answers_of(submission: Submission) -> dict[str, str]:
    return json.loads(submission.original).get("answers", {})


def find_for_tracking(db: Session, tracking_code: str, query_code: str) -> Submission:
    code = codes.normalise(tracking_code, codes.TRACKING_LENGTH)
    submission = (
        db.scalars(select(Submission).where(Submission.tracking_code == code)).first()
        if code
        else None
    )
    if not codes.check_query_code(submission.query_hash if submission else None, query_code):
        raise CodesNotRecognised()
    assert submission is not None
    return submission


def add_information(
    db: Session,
    submission: Submission,
    text: str,
    now: datetime,
    *,
    upload: tuple[str, bytes] | None = None,
    directory: Path | None = None,
    max_bytes: int = 0,
    max_files: int = 0,
) -> SubmissionAddition:
    """Keep more information from the citizen; staff see it as unread."""
    text = text.strip()
    if not text and upload is None:
        raise SubmissionError(_l("Enter the information you want to add."), "text")
    if submission.status == "closed":
        raise SubmissionError(_l("This matter is closed. Make a new submission instead."))
    if upload is not None:
        if len(submission.files) >= max_files * 2:
            raise files.Rejected(
                files.clean_name(upload[0]), _l("This submission has all the files it can take.")
            )
        checked = files.check_upload(upload[0], upload[1], max_bytes)
    addition = SubmissionAddition(
        submission_id=submission.id,
        body=text,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        created_at=now,
    )
    db.add(addition)
    db.flush()
    if upload is not None and directory is not None:
        stored, digest = files.store(directory, checked.data)
        db.add(
            SubmissionFile(
                submission_id=submission.id,
                addition_id=addition.id,
                filename=files.clean_name(upload[0]),
                stored_name=stored,
                content_type=checked.media_type,
                size=len(checked.data),
                sha256=digest,
                created_at=now,
            )
        )
    submission.unread = True
    submission.updated_at = now
    db.flush()
    return addition


def rate_reply(
    db: Session, submission: Submission, reply_id: int, rating: str, comment: str, now: datetime
) -> ReplyRating:
    """One rating per reply; 不满意 opens a follow-up for a supervisor."""
    reply = db.get(SubmissionReply, reply_id)
    if reply is None or reply.submission_id != submission.id:
        raise SubmissionError(_l("This reply could not be found."))
    if rating not in RATINGS:
        raise SubmissionError(_l("Choose how satisfied you are with the reply."), "rating")
    if reply.rating is not None:
        raise SubmissionError(_l("You have already rated this reply."))
    item = ReplyRating(
        reply_id=reply.id, rating=rating, comment=comment.strip() or None, created_at=now
    )
    db.add(item)
    submission.updated_at = now
    if rating == "unsatisfied":
        submission.unread = True
    db.flush()
    return item


def reset_query_code(
    db: Session, tracking_code: str, id_number: str, phone: str
) -> tuple[Submission, str]:
    """A new query code for a real-name submitter who proves who they are."""
    code = codes.normalise(tracking_code, codes.TRACKING_LENGTH)
    submission = (
        db.scalars(select(Submission).where(Submission.tracking_code == code)).first()
        if code
        else None
    )
    if submission is None or submission.anonymous:
        raise CodesNotRecognised()
    identity = identity_of(submission)
    digits = "".join(ch for ch in phone if ch in PHONE_CHARACTERS)
    same_id = keyed_hash(id_number, "submission-id-number") == submission.id_number_hash
    same_phone = secrets.compare_digest(digits.encode(), identity.get("phone", "").encode())
    if not (same_id and same_phone):
        raise CodesNotRecognised()
    new_code = codes.new_query_code()
    submission.query_hash = codes.hash_query_code(new_code)
    db.flush()
    return submission, new_code


# --- staff ------------------------------------------------------------------------------------


def audit_action(
    db: Session, staff: StaffUser, action: str, submission: Submission, **details: object
) -> None:
    """Record a staff action on a submission (its id only, never what it says)."""
    audit.record(
        db,
        action=action,
        actor=staff.username,
        actor_id=staff.id,
        target_type="submission",
        target_id=submission.id,
        details=dict(details),
    )


def may_see_identity(staff: StaffUser, submission: Submission) -> bool:
    """A reporter's identity is for the reports role only; other kinds also for moderators."""
    if submission.kind == "report":
        return staff.has_any_role("reports")
    return staff.has_any_role("moderator", "reports")


def subject_for(staff: StaffUser, submission: Submission) -> str | None:
    """The subject line for the queue; None where the content is not for this
    staff member (a report's content is for the reports role only)."""
    if submission.kind == "report" and not staff.has_any_role("reports"):
        return None
    return answers_of(submission).get("subject", "")


def record_identity_view(db: Session, staff: StaffUser, submission: Submission) -> None:
    audit_action(db, staff, "submission.identity_viewed", submission)


def record_in_person(db: Session, staff: StaffUser, submission: Submission) -> None:
    """A petition staff typed in at the reception: audited as theirs."""
    submission.unread = False
    audit_action(db, staff, "submission.recorded_in_person", submission)


def open_submission(db: Session, staff: StaffUser, submission: Submission) -> None:
    """Staff opened it: no longer unread; the opening is audited."""
    submission.unread = False
    audit_action(db, staff, "submission.viewed", submission)


def change_status(
    db: Session,
    submission: Submission,
    to_status: str,
    reason: str,
    staff: StaffUser,
    now: datetime,
) -> SubmissionEvent:
    allowed = transitions_for(submission.kind, submission.status)
    if to_status not in allowed:
        raise SubmissionError(_l("That status cannot follow the current one."), "status")
    reason = reason.strip()
    if to_status in PROCEDURAL and not reason:
        raise SubmissionError(
            _l("Give the reason: the citizen sees it with the new status."), "body"
        )
    event = SubmissionEvent(
        submission_id=submission.id,
        from_status=submission.status,
        to_status=to_status,
        reason=reason or None,
        staff_id=staff.id,
        at=now,
    )
    db.add(event)
    submission.status = to_status
    submission.updated_at = now
    if to_status in PROCEDURAL and submission.procedural_done_at is None:
        submission.procedural_done_at = now
    if to_status == "answered":
        submission.answered_at = now
        submission.procedural_done_at = submission.procedural_done_at or now
    if to_status == "closed":
        submission.closed_at = now
    audit_action(db, staff, "submission.status", submission, to=to_status)
    db.flush()
    return event


def post_reply(
    db: Session,
    submission: Submission,
    body: str,
    staff: StaffUser,
    now: datetime,
    *,
    track_url: str,
    new_status: str | None = None,
    template: str | None = None,
    fields: Mapping[str, str] | None = None,
) -> SubmissionReply:
    """A reply the citizen reads with their codes; tells them by mail that there is news.

    A template goes out only with the status it announces, and every named field
    (`{authority}`) is replaced by what the handler typed, or the reply is refused."""
    body = body.strip()
    if not body:
        raise SubmissionError(_l("Write the reply."), "body")
    check_template_status(template, new_status)
    body = _filled(body, fields or {})
    if new_status:
        change_status(db, submission, new_status, body, staff, now)
    reply = SubmissionReply(
        submission_id=submission.id, body=body, staff_id=staff.id, created_at=now
    )
    db.add(reply)
    submission.updated_at = now
    db.flush()
    audit_action(db, staff, "submission.reply", submission, reply=reply.id)
    email = identity_of(submission).get("email")
    if email:
        with force_locale(submission.language):
            queue_mail(
                db,
                to=email,
                subject=_("There is an update on your submission"),
                body=_(
                    "There is an update on the matter you sent to us.\n\n"
                    "Check it with your tracking code and your query code at:\n%(url)s\n\n"
                    "This message does not repeat what you wrote or our reply, "
                    "to keep them private.",
                    url=track_url,
                ),
            )
    return reply


def check_template_status(template: str | None, new_status: str | None) -> None:
    """A template's text announces one status: it cannot go out with another."""
    if not template:
        return
    chosen = TEMPLATES_BY_KEY.get(template)
    if chosen is None:
        raise SubmissionError(_l("That reply template does not exist."), "body")
    if chosen.status != new_status:
        raise SubmissionError(
            _l(
                "The template “%(template)s” is for the status “%(status)s”: set that status, "
                "or pick the template for the status you are setting.",
                template=chosen.label,
                status=STATUSES[chosen.status],
            ),
            "status",
        )


def _filled(body: str, values: Mapping[str, str]) -> str:
    try:
        return fill_fields(body, dict(values))
    except UnfilledField as gap:
        if gap.field is None:
            raise SubmissionError(
                _l(
                    "Replace %(marker)s with the real text: the citizen would read it as it is.",
                    marker=gap.marker,
                ),
                "body",
            ) from None
        raise SubmissionError(
            _l(
                "Fill in “%(label)s”: the reply still contains %(marker)s.",
                label=FIELDS[gap.field],
                marker=gap.marker,
            ),
            f"field_{gap.field}",
        ) from None


def citizen_history(submission: Submission) -> list[tuple[SubmissionEvent, str | None]]:
    """The status history with the reason to show beside each step: none where a
    reply sent with the change carries the same text (it is shown once, as the reply)."""
    replied = {(r.created_at, r.body) for r in submission.replies}
    return [
        (event, None if (event.at, event.reason) in replied else event.reason)
        for event in submission.events
    ]


def add_note(
    db: Session, submission: Submission, body: str, kind: str, staff: StaffUser
) -> SubmissionNote:
    body = body.strip()
    if not body:
        raise SubmissionError(_l("Write the note."), "note")
    note = SubmissionNote(submission_id=submission.id, kind=kind, body=body, staff_id=staff.id)
    db.add(note)
    db.flush()
    audit_action(db, staff, f"submission.{kind}", submission)
    return note


def assign(
    db: Session, submission: Submission, assignee: StaffUser | None, staff: StaffUser
) -> None:
    submission.assigned_to_id = assignee.id if assignee else None
    audit_action(db, staff, "submission.assign", submission, to=assignee.id if assignee else None)
    db.flush()


def mark_spam(
    db: Session, submission: Submission, spam: bool, reason: str, staff: StaffUser
) -> None:
    """Hide an abusive item from the queue; the record and its history stay."""
    if spam and not reason.strip():
        raise SubmissionError(_l("Say why this is spam or abuse."), "reason")
    submission.spam = spam
    if spam:
        db.add(
            SubmissionNote(
                submission_id=submission.id, kind="spam", body=reason.strip(), staff_id=staff.id
            )
        )
    audit_action(db, staff, "submission.spam" if spam else "submission.unspam", submission)
    db.flush()


def follow_up_rating(db: Session, rating: ReplyRating, staff: StaffUser, now: datetime) -> None:
    rating.follow_up_done_at = now
    audit_action(db, staff, "submission.follow_up_done", rating.reply.submission)
    db.flush()


# --- time limits --------------------------------------------------------------------------------


def due_report(
    db: Session, now: datetime, limits: Limits, kinds: Sequence[str] | None = None
) -> DueReport:
    """Open submissions whose procedural reply or result is overdue or due soon: of
    `kinds`, or else of every kind the handlers see (as in the queue: kinds with their
    own role are for that role's pages)."""
    soon = now + timedelta(days=limits.due_soon_days)
    report = DueReport()
    of_kinds = (
        Submission.kind.in_(list(kinds))
        if kinds is not None
        else Submission.kind.notin_(RESTRICTED_KINDS)
    )
    rows = db.scalars(
        select(Submission)
        .where(Submission.spam.is_(False), Submission.status.notin_(FINISHED))
        .where(of_kinds)
        .where((Submission.procedural_due <= soon) | (Submission.result_due <= soon))
        .order_by(Submission.procedural_due)
    ).all()
    for sub in rows:
        if sub.procedural_done_at is None and sub.status in ("received",):
            clock, due = "procedural", sub.procedural_due
        else:
            clock, due = "result", sub.result_due
        if due <= now:
            report.overdue.append(DueItem(sub, clock, due))
        elif due <= soon:
            report.due_soon.append(DueItem(sub, clock, due))
    report.overdue.sort(key=lambda item: item.due)
    report.due_soon.sort(key=lambda item: item.due)
    return report
