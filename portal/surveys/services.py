"""Business rules for questionnaires: building and versioning, answering, invitations.

Views call these functions and turn the domain exceptions into messages. Every
function flushes; the view commits once.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import audit
from ..crypto import keyed_hash
from ..db import utcnow
from ..inputs import CONTROL_MESSAGE, has_control
from ..mail import queue_mail
from ..staff.models import StaffUser
from .models import (
    AUDIENCES,
    CHOICE_KINDS,
    FIXED_VALUES,
    KINDS,
    Answer,
    Invitation,
    Option,
    Question,
    Questionnaire,
    SurveyResponse,
)

MAX_TEXT_LENGTH = 2000
MAX_OPTIONS = 20
MAX_INVITATIONS = 500
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no I, L, O, 0 or 1 to misread
CODE_LENGTH = 12
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class SurveyError(Exception):
    """A rule was broken; `message` says what to do, `field` names the form field if any."""

    def __init__(self, message: LazyString | str, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


class QuestionnaireClosed(SurveyError):
    pass


class AlreadyAnswered(SurveyError):
    pass


class InvitationRefused(SurveyError):
    pass


# -- building ---------------------------------------------------------------------------------


@dataclass
class QuestionnaireFields:
    title: str
    introduction: str = ""
    department: str = ""
    audience: str = "public"
    opens_on: date | None = None
    closes_on: date | None = None
    title_en: str = ""
    introduction_en: str = ""


@dataclass
class QuestionFields:
    kind: str
    text: str
    section: str = ""
    required: bool = False
    options: list[str] = field(default_factory=list)
    min_choices: int | None = None
    max_choices: int | None = None
    max_length: int | None = None
    condition_option_id: int | None = None
    text_en: str = ""
    section_en: str = ""
    # English wording of the options, line by line beside `options`; empty lines fall back.
    options_en: list[str] = field(default_factory=list)


def _actor(staff: StaffUser) -> dict[str, object]:
    return {"actor": staff.username, "actor_id": staff.id}


def _check_fields(fields: QuestionnaireFields) -> None:
    if fields.audience not in AUDIENCES:
        raise SurveyError(_l("Choose who may answer."), "audience")
    if fields.opens_on and fields.closes_on and fields.closes_on < fields.opens_on:
        raise SurveyError(_l("The closing date must be on or after the opening date."), "closes_on")


def _apply(q: Questionnaire, fields: QuestionnaireFields) -> None:
    q.title = fields.title.strip()
    q.introduction = fields.introduction.strip()
    q.title_en = fields.title_en.strip()
    q.introduction_en = fields.introduction_en.strip()
    q.department = fields.department.strip()
    q.audience = fields.audience
    q.opens_on = fields.opens_on
    q.closes_on = fields.closes_on
    q.updated_at = utcnow()


def create_questionnaire(
    db: Session, fields: QuestionnaireFields, staff: StaffUser
) -> Questionnaire:
    """Start a draft questionnaire (version 1 of a new family)."""
    _check_fields(fields)
    q = Questionnaire(version=1, status="draft", created_by_id=staff.id)
    _apply(q, fields)
    db.add(q)
    db.flush()
    q.family_id = q.id
    audit.record(
        db, action="survey.create", target_type="questionnaire", target_id=q.id, **_actor(staff)
    )
    db.flush()
    return q


def has_responses(db: Session, q: Questionnaire) -> bool:
    return bool(db.scalar(select(exists().where(SurveyResponse.questionnaire_id == q.id))))


def _copy(db: Session, old: Questionnaire, staff: StaffUser) -> Questionnaire:
    """A new version with the same settings, questions, options and conditions."""
    new = Questionnaire(
        family_id=old.family_id,
        version=old.version + 1,
        title=old.title,
        introduction=old.introduction,
        title_en=old.title_en,
        introduction_en=old.introduction_en,
        department=old.department,
        audience=old.audience,
        opens_on=old.opens_on,
        closes_on=old.closes_on,
        status=old.status,
        created_by_id=staff.id,
    )
    db.add(new)
    option_map: dict[int, Option] = {}
    copies: list[tuple[Question, Question]] = []
    for question in old.questions:
        twin = Question(
            position=question.position,
            section=question.section,
            section_en=question.section_en,
            kind=question.kind,
            text=question.text,
            text_en=question.text_en,
            required=question.required,
            min_choices=question.min_choices,
            max_choices=question.max_choices,
            max_length=question.max_length,
        )
        for option in question.options:
            copy = Option(
                position=option.position,
                value=option.value,
                label=option.label,
                label_en=option.label_en,
            )
            twin.options.append(copy)
            option_map[option.id] = copy
        new.questions.append(twin)
        copies.append((question, twin))
    db.flush()
    for question, twin in copies:
        if question.condition_option_id is not None:
            target = option_map.get(question.condition_option_id)
            twin.condition_option_id = target.id if target else None
    old.status = "superseded"
    db.flush()
    audit.record(
        db,
        action="survey.new_version",
        target_type="questionnaire",
        target_id=new.id,
        details={"previous": old.id, "version": new.version},
        **_actor(staff),
    )
    return new


def editable_version(db: Session, q: Questionnaire, staff: StaffUser) -> Questionnaire:
    """The version to change: `q` itself, or a new version once `q` has answers.

    Answers always stay with the version they were given to.
    """
    if q.status == "superseded":
        raise SurveyError(_l("This is an old version. Edit the newest version instead."))
    return _copy(db, q, staff) if has_responses(db, q) else q


def update_questionnaire(
    db: Session, q: Questionnaire, fields: QuestionnaireFields, staff: StaffUser
) -> Questionnaire:
    _check_fields(fields)
    target = editable_version(db, q, staff)
    _apply(target, fields)
    audit.record(
        db,
        action="survey.update",
        target_type="questionnaire",
        target_id=target.id,
        **_actor(staff),
    )
    db.flush()
    return target


def _check_question(q: Questionnaire, fields: QuestionFields, before: Sequence[Question]) -> None:
    if fields.kind not in KINDS:
        raise SurveyError(_l("Choose the type of question."), "kind")
    if not fields.text.strip():
        raise SurveyError(_l("Enter the question."), "text")
    if fields.kind in {"single", "multiple"}:
        if len(fields.options) < 2:
            raise SurveyError(_l("Enter at least two options, one per line."), "options")
        if len(fields.options) > MAX_OPTIONS:
            raise SurveyError(_l("Enter no more than 20 options."), "options")
    if fields.kind == "multiple":
        count = len(fields.options)
        low, high = fields.min_choices, fields.max_choices
        if low is not None and not 0 <= low <= count:
            raise SurveyError(
                _l("The minimum must be between 0 and the number of options."), "min_choices"
            )
        if high is not None and not 1 <= high <= count:
            raise SurveyError(
                _l("The maximum must be between 1 and the number of options."), "max_choices"
            )
        if low is not None and high is not None and low > high:
            raise SurveyError(_l("The minimum cannot be more than the maximum."), "min_choices")
    limit = fields.max_length
    if fields.kind == "text" and limit is not None and not 1 <= limit <= MAX_TEXT_LENGTH:
        raise SurveyError(
            _l("The length limit must be between 1 and 2,000 characters."), "max_length"
        )
    if fields.condition_option_id is not None:
        allowed = {o.id for question in before for o in question.options}
        if fields.condition_option_id not in allowed:
            raise SurveyError(_l("Choose an answer to an earlier question."), "condition")


def add_question(
    db: Session, q: Questionnaire, fields: QuestionFields, staff: StaffUser
) -> Questionnaire:
    """Add a question at the end; returns the version it was added to."""
    _check_question(q, fields, q.questions)
    target = editable_version(db, q, staff)
    condition = fields.condition_option_id
    if target is not q and condition is not None:
        # The condition named an option of the old version: find its twin by position.
        condition = _twin_option(q, target, condition)
    question = Question(position=len(target.questions) + 1)
    _fill(question, fields, condition)
    target.questions.append(question)
    target.updated_at = utcnow()
    db.flush()
    audit.record(
        db,
        action="survey.add_question",
        target_type="questionnaire",
        target_id=target.id,
        details={"question": question.id, "kind": question.kind},
        **_actor(staff),
    )
    return target


def _fill(question: Question, fields: QuestionFields, condition: int | None) -> None:
    """Write checked fields into a question; options are kept by position where they can be,
    so that a condition pointing at an option survives a change of wording."""
    question.section = fields.section.strip()
    question.section_en = fields.section_en.strip()
    question.text = fields.text.strip()
    question.text_en = fields.text_en.strip()
    question.required = fields.required
    question.min_choices = fields.min_choices if fields.kind == "multiple" else None
    question.max_choices = fields.max_choices if fields.kind == "multiple" else None
    question.max_length = (fields.max_length or MAX_TEXT_LENGTH) if fields.kind == "text" else None
    question.condition_option_id = condition
    if question.kind != fields.kind:
        question.options.clear()
    question.kind = fields.kind
    if fields.kind in FIXED_VALUES:
        wanted = [(value, "", "") for value in FIXED_VALUES[fields.kind]]
    elif fields.kind in CHOICE_KINDS:
        english = [*fields.options_en, *[""] * len(fields.options)]
        wanted = [
            ("", label.strip()[:300], english[i].strip()[:300])
            for i, label in enumerate(fields.options)
        ]
    else:
        wanted = []
    del question.options[len(wanted) :]
    for position, (value, label, label_en) in enumerate(wanted, 1):
        if position > len(question.options):
            question.options.append(Option())
        option = question.options[position - 1]
        option.position, option.value, option.label, option.label_en = (
            position,
            value,
            label,
            label_en,
        )


def _kept_options(question: Question, fields: QuestionFields) -> set[int]:
    """The ids of this question's options that an edit with `fields` keeps."""
    if question.kind != fields.kind:
        return set()
    if fields.kind in FIXED_VALUES:
        return {o.id for o in question.options}
    return {o.id for o in question.options[: len(fields.options)]}


def _dependants(q: Questionnaire, option_ids: set[int]) -> list[int]:
    """Numbers of the questions shown depending on one of `option_ids`."""
    return [
        number
        for number, item in enumerate(q.questions, 1)
        if item.condition_option_id is not None and item.condition_option_id in option_ids
    ]


def _find(q: Questionnaire, question_id: int) -> int:
    index = next((i for i, item in enumerate(q.questions) if item.id == question_id), None)
    if index is None:
        raise SurveyError(_l("That question is not in this questionnaire."))
    return index


def update_question(
    db: Session, q: Questionnaire, question_id: int, fields: QuestionFields, staff: StaffUser
) -> Questionnaire:
    """Change a question and its options; returns the version changed (a new one if `q` has
    answers, so that answers keep the wording they were given to)."""
    index = _find(q, question_id)
    question = q.questions[index]
    _check_question(q, fields, q.questions[:index])
    dropped = {o.id for o in question.options} - _kept_options(question, fields)
    blocked = _dependants(q, dropped)
    if blocked:
        raise SurveyError(
            _l(
                "Question %(number)d is shown depending on an answer this change removes. "
                "Change or remove that question first.",
                number=blocked[0],
            ),
            "options",
        )
    target = editable_version(db, q, staff)
    condition = fields.condition_option_id
    if target is not q and condition is not None:
        condition = _twin_option(q, target, condition)
    _fill(target.questions[index], fields, condition)
    target.updated_at = utcnow()
    db.flush()
    audit.record(
        db,
        action="survey.edit_question",
        target_type="questionnaire",
        target_id=target.id,
        details={"position": index + 1},
        **_actor(staff),
    )
    return target


def move_question(
    db: Session, q: Questionnaire, question_id: int, offset: int, staff: StaffUser
) -> Questionnaire:
    """Move a question one place up (`offset` -1) or down (+1). A conditional question stays
    after the question whose answer it depends on."""
    index = _find(q, question_id)
    other = index + offset
    if offset not in (-1, 1) or not 0 <= other < len(q.questions):
        raise SurveyError(_l("That question cannot move further."))
    first, second = sorted((index, other))
    upper, lower = q.questions[first], q.questions[second]
    if lower.condition_option_id in {o.id for o in upper.options}:
        raise SurveyError(
            _l(
                "Question %(later)d is shown depending on the answer to question %(earlier)d, "
                "so it must stay after it.",
                later=second + 1,
                earlier=first + 1,
            )
        )
    target = editable_version(db, q, staff)
    questions = list(target.questions)
    questions[first], questions[second] = questions[second], questions[first]
    for position, item in enumerate(questions, 1):
        item.position = position
    target.questions.sort(key=lambda item: item.position)
    target.updated_at = utcnow()
    db.flush()
    audit.record(
        db,
        action="survey.move_question",
        target_type="questionnaire",
        target_id=target.id,
        details={"from": index + 1, "to": other + 1},
        **_actor(staff),
    )
    return target


def _twin_option(old: Questionnaire, new: Questionnaire, option_id: int) -> int | None:
    for question, twin in zip(old.questions, new.questions, strict=True):
        for option, copy in zip(question.options, twin.options, strict=True):
            if option.id == option_id:
                return copy.id
    return None


def remove_question(
    db: Session, q: Questionnaire, question_id: int, staff: StaffUser
) -> Questionnaire:
    """Remove a question (from a new version if this one has answers)."""
    index = _find(q, question_id)
    option_ids = {o.id for o in q.questions[index].options}
    if any(item.condition_option_id in option_ids for item in q.questions):
        raise SurveyError(
            _l("Another question is shown depending on this one. Remove that question first.")
        )
    target = editable_version(db, q, staff)
    doomed = target.questions[index]
    target.questions.remove(doomed)
    for position, item in enumerate(target.questions, 1):
        item.position = position
    target.updated_at = utcnow()
    db.flush()
    audit.record(
        db,
        action="survey.remove_question",
        target_type="questionnaire",
        target_id=target.id,
        details={"position": index + 1},
        **_actor(staff),
    )
    return target


def publish_questionnaire(db: Session, q: Questionnaire, staff: StaffUser) -> None:
    if q.status not in {"draft", "closed"}:
        raise SurveyError(_l("Only a draft or a closed questionnaire can be opened."))
    if not q.questions:
        raise SurveyError(_l("Add at least one question before opening the questionnaire."))
    q.status = "published"
    audit.record(
        db, action="survey.publish", target_type="questionnaire", target_id=q.id, **_actor(staff)
    )


def close_questionnaire(db: Session, q: Questionnaire, staff: StaffUser) -> None:
    if q.status != "published":
        raise SurveyError(_l("Only an open questionnaire can be closed."))
    q.status = "closed"
    audit.record(
        db, action="survey.close", target_type="questionnaire", target_id=q.id, **_actor(staff)
    )


# -- answering --------------------------------------------------------------------------------


def is_open(q: Questionnaire, today: date) -> bool:
    if q.status != "published":
        return False
    if q.opens_on and today < q.opens_on:
        return False
    return not (q.closes_on and today > q.closes_on)


def open_public_questionnaires(db: Session, today: date) -> list[Questionnaire]:
    rows = db.scalars(
        select(Questionnaire)
        .where(Questionnaire.status == "published", Questionnaire.audience == "public")
        .order_by(Questionnaire.created_at.desc())
    ).all()
    return [q for q in rows if is_open(q, today)]


def newest_version(db: Session, family_id: int) -> Questionnaire | None:
    return db.scalar(
        select(Questionnaire)
        .where(Questionnaire.family_id == family_id)
        .order_by(Questionnaire.version.desc())
        .limit(1)
    )


@dataclass
class ParsedAnswers:
    """What a person chose or typed, per question id, and a message per wrong answer."""

    choices: dict[int, list[int]] = field(default_factory=dict)
    texts: dict[int, str] = field(default_factory=dict)
    errors: dict[int, LazyString | str] = field(default_factory=dict)
    shown: set[int] = field(default_factory=set)


def is_shown(question: Question, chosen: Mapping[int, Sequence[int]]) -> bool:
    """A conditional question is shown only if its condition option was chosen."""
    if question.condition_option_id is None:
        return True
    return any(question.condition_option_id in ids for ids in chosen.values())


def parse_answers(q: Questionnaire, form: Mapping[str, Sequence[str]]) -> ParsedAnswers:
    """Check every answer against its question; conditions are evaluated here, on the server.

    `form` maps a field name (`q<question id>`) to the values sent. Answers to
    questions whose condition is not met are ignored.
    """
    parsed = ParsedAnswers()
    for question in q.questions:
        if not is_shown(question, parsed.choices):
            continue
        parsed.shown.add(question.id)
        raw = [v.strip() for v in form.get(f"q{question.id}", []) if v.strip()]
        if question.kind == "text":
            text = raw[0] if raw else ""
            if not text:
                if question.required:
                    parsed.errors[question.id] = _l("Enter your answer to this question.")
                continue
            limit = question.max_length or MAX_TEXT_LENGTH
            if has_control(text, multiline=True):
                parsed.errors[question.id] = CONTROL_MESSAGE
            elif len(text) > limit:
                parsed.errors[question.id] = _l(
                    "Your answer must be %(limit)d characters or fewer.", limit=limit
                )
            parsed.texts[question.id] = text
            continue
        valid = {str(o.id): o.id for o in question.options}
        if any(value not in valid for value in raw):
            parsed.errors[question.id] = _l("Choose one of the answers shown.")
            continue
        ids = list(dict.fromkeys(valid[value] for value in raw))
        if not ids:
            if question.required:
                parsed.errors[question.id] = _l("Choose an answer to this question.")
            continue
        if question.kind != "multiple" and len(ids) > 1:
            parsed.errors[question.id] = _l("Choose only one answer.")
            continue
        if question.kind == "multiple":
            low, high = question.min_choices, question.max_choices
            if low and len(ids) < low:
                parsed.errors[question.id] = _l("Choose at least %(count)d answers.", count=low)
                continue
            if high and len(ids) > high:
                parsed.errors[question.id] = _l(
                    "Choose no more than %(count)d answers.", count=high
                )
                continue
        parsed.choices[question.id] = ids
    return parsed


def token_used(db: Session, token: str) -> bool:
    return bool(db.scalar(select(exists().where(SurveyResponse.token == token))))


def submit_response(
    db: Session,
    q: Questionnaire,
    parsed: ParsedAnswers,
    *,
    channel: str,
    today: date,
    token: str | None = None,
    invitation: Invitation | None = None,
) -> SurveyResponse:
    """Store one person's answers once. A used token or invitation is refused.

    The unique constraints on the token and the invitation are the last word:
    two submissions racing each other cannot both be stored.
    """
    if not is_open(q, today):
        raise QuestionnaireClosed(_l("This questionnaire is not open for answers."))
    if parsed.errors:
        raise SurveyError(_l("Some answers need correcting."))
    if (token is None) == (invitation is None):
        raise ValueError("a response needs exactly one of a token or an invitation")
    if token is not None and token_used(db, token):
        raise AlreadyAnswered(_l("You have already answered this questionnaire. Thank you."))
    if invitation is not None:
        if invitation.used_at is not None:
            raise InvitationRefused(_l("This invitation has already been used to answer."))
        invitation.used_at = utcnow()
    response = SurveyResponse(
        questionnaire_id=q.id,
        channel=channel,
        token=token,
        invitation_id=invitation.id if invitation else None,
    )
    for question_id, ids in parsed.choices.items():
        for option_id in ids:
            response.answers.append(Answer(question_id=question_id, option_id=option_id))
    for question_id, text in parsed.texts.items():
        response.answers.append(Answer(question_id=question_id, text=text))
    savepoint = db.begin_nested()
    try:
        db.add(response)
        db.flush()
    except IntegrityError:
        savepoint.rollback()
        raise AlreadyAnswered(
            _l("You have already answered this questionnaire. Thank you.")
        ) from None
    savepoint.commit()
    return response


# -- invitations ------------------------------------------------------------------------------


def normalise_code(raw: str) -> str:
    """Codes are read case-insensitively, with or without spaces and hyphens."""
    return re.sub(r"[^A-Z0-9]", "", raw.upper())


def format_code(code: str) -> str:
    """Groups of four, easier to read aloud and to type."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def _hash_code(code: str) -> str:
    return keyed_hash(normalise_code(code), "survey-invitation")


def parse_addresses(raw: str) -> list[str]:
    """E-mail addresses pasted one per line or separated by commas or semicolons."""
    items = [item.strip() for item in re.split(r"[\s,;，；]+", raw) if item.strip()]
    bad = [item for item in items if not EMAIL.match(item)]
    if bad:
        raise SurveyError(
            _l(
                "Check the e-mail addresses: %(count)d could not be read as an address. "
                "Enter one address per line.",
                count=len(bad),
            ),
            "emails",
        )
    return list(dict.fromkeys(items))


def check_may_invite(q: Questionnaire) -> None:
    """Invitations go to the open, newest version of a questionnaire by invitation."""
    if q.audience != "invitation":
        raise SurveyError(_l("Invitations are only for questionnaires by invitation."))
    if q.status != "published":
        raise SurveyError(_l("Invite people to the newest version, once it is open for answers."))


def new_invitation(
    db: Session, q: Questionnaire, staff: StaffUser | None, expires: datetime, *, by_mail: bool
) -> tuple[Invitation, str]:
    """One single-use invitation and its code (only a keyed hash of the code is stored)."""
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    invitation = Invitation(
        questionnaire_id=q.id,
        code_hash=_hash_code(code),
        sent_by_mail=by_mail,
        expires_at=expires,
        created_by_id=staff.id if staff else None,
    )
    db.add(invitation)
    return invitation, code


@dataclass
class IssuedInvitations:
    printed_codes: list[str]
    mailed: int


def issue_invitations(
    db: Session,
    q: Questionnaire,
    *,
    emails: Sequence[str],
    printed: int,
    valid_days: int,
    staff: StaffUser,
    link_for: Callable[[str], str],
    subject: str,
    body_for: Callable[[str, str], str],
) -> IssuedInvitations:
    """Create single-use codes: mailed to `emails`, and `printed` more shown once for printing.

    Only a keyed hash of each code is stored; addresses are not kept (the mail
    outbox keeps them encrypted until the mail is sent).
    """
    check_may_invite(q)
    if not emails and printed <= 0:
        raise SurveyError(_l("Enter e-mail addresses or a number of codes to print."), "emails")
    if len(emails) + printed > MAX_INVITATIONS:
        raise SurveyError(_l("Issue no more than 500 invitations at a time."), "printed")
    expires = utcnow() + timedelta(days=valid_days)
    codes = [
        new_invitation(db, q, staff, expires, by_mail=index < len(emails))[1]
        for index in range(len(emails) + printed)
    ]
    db.flush()
    for address, code in zip(emails, codes, strict=False):
        queue_mail(
            db, to=address, subject=subject, body=body_for(format_code(code), link_for(code))
        )
    audit.record(
        db,
        action="survey.invite",
        target_type="questionnaire",
        target_id=q.id,
        details={"mailed": len(emails), "printed": printed, "valid_days": valid_days},
        **_actor(staff),
    )
    return IssuedInvitations([format_code(c) for c in codes[len(emails) :]], len(emails))


def redeem_invitation(db: Session, code: str, now: datetime) -> Invitation:
    """The invitation for `code` if it can still be used; otherwise say why not."""
    invitation = db.scalar(select(Invitation).where(Invitation.code_hash == _hash_code(code)))
    if invitation is None:
        raise InvitationRefused(
            _l("We could not find that code. Check it against your letter or e-mail."), "code"
        )
    check_invitation(invitation, now)
    return invitation


def check_invitation(invitation: Invitation, now: datetime) -> None:
    """Refuse an invitation that was used or has expired."""
    if invitation.used_at is not None:
        raise InvitationRefused(_l("This invitation has already been used to answer."), "code")
    if invitation.expires_at < now:
        raise InvitationRefused(
            _l("This invitation has expired. Ask the procuratorate for a new one."), "code"
        )


def find_invitation(db: Session, invitation_id: int) -> Invitation | None:
    return db.get(Invitation, invitation_id)


def invitation_counts(db: Session, q: Questionnaire) -> tuple[int, int]:
    """How many invitations were issued for any version of this questionnaire, and used."""
    family = select(Questionnaire.id).where(Questionnaire.family_id == q.family_id)
    issued, used = db.execute(
        select(func.count(), func.count(Invitation.used_at)).where(
            Invitation.questionnaire_id.in_(family)
        )
    ).one()
    return int(issued or 0), int(used or 0)
