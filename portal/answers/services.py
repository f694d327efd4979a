"""Publishing rules for public questions and answers.

A draft starts from an answered consultation, with the asker's details masked
by the documents' personal-data guard; the guard runs again before it is sent
for approval and before it is approved. As for documents, a second person
approves: never whoever edited or submitted the version. Every function takes
the session and the acting staff member, flushes, audits, and leaves the
commit to the caller. Every public change bumps the site generation, so cached
pages and the in-memory search index follow the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import audit
from ..db import utcnow
from ..disclosure.guard import mask
from ..disclosure.models import Document
from ..disclosure.related import ARTICLE_TYPE, either, related_articles
from ..disclosure.services import DisclosureError, FieldFinding, find_in_fields
from ..page_cache import bump_generation
from ..staff.models import StaffUser
from ..submissions.models import Submission
from ..submissions.services import answers_of, identity_of
from .models import PublicAnswer
from .types import TOPIC_WORDS, TOPICS

LANGUAGES = ("zh_Hans", "en")
TEXT_FIELDS = ("title", "question", "answer")
MAX_TEXT = 20_000


class AnswerError(DisclosureError):
    """A rule stopped an action on a public answer; `message` says what to do, `field` where."""


@dataclass
class AnswerFields:
    topic: str
    title: str
    question: str
    answer: str
    language: str = "zh_Hans"
    article_ids: list[int] = field(default_factory=list)


def _audit(db: Session, staff: StaffUser, action: str, qa: PublicAnswer, **details: Any) -> None:
    audit.record(
        db,
        action=action,
        actor=staff.username,
        actor_id=staff.id,
        target_type="public_answer",
        target_id=qa.id,
        details=details,
    )


def asker_names(db: Session, qa: PublicAnswer) -> list[str]:
    """The asker's name, for the guard to find wherever staff may have left it."""
    submission = db.get(Submission, qa.submission_id) if qa.submission_id else None
    if submission is None or submission.anonymous:
        return []
    name = identity_of(submission).get("name", "").strip()
    return [name] if name else []


def _texts(qa: PublicAnswer) -> dict[str, str]:
    return {name: getattr(qa, name) or "" for name in TEXT_FIELDS}


def findings(db: Session, qa: PublicAnswer) -> list[FieldFinding]:
    """Personal data the documents' guard finds in the question and answer."""
    return find_in_fields(_texts(qa), asker_names(db, qa))


def _mask_all(db: Session, qa: PublicAnswer) -> list[FieldFinding]:
    found = findings(db, qa)
    for name in TEXT_FIELDS:
        mine = [f.finding for f in found if f.field == name]
        if mine:
            setattr(qa, name, mask(getattr(qa, name), mine))
    return found


def answered_consultation(db: Session, submission_id: int) -> Submission:
    submission = db.get(Submission, submission_id)
    if submission is None or submission.kind != "consultation" or submission.spam:
        raise AnswerError(_l("Only a consultation can become a public answer."))
    if not submission.replies:
        raise AnswerError(_l("Reply to the consultation first: its reply is the answer."))
    return submission


def draft_from_consultation(db: Session, submission: Submission, staff: StaffUser) -> PublicAnswer:
    """A draft with the consultation's question and the last reply, the asker masked."""
    answers = answers_of(submission)
    qa = PublicAnswer(
        submission_id=submission.id,
        topic="services",
        language=submission.language if submission.language in LANGUAGES else "zh_Hans",
        title=(answers.get("subject") or "")[:300],
        question=answers.get("question") or "",
        answer=submission.replies[-1].body,
        status="draft",
        created_by_id=staff.id,
        last_edited_by_id=staff.id,
    )
    db.add(qa)
    db.flush()
    masked = _mask_all(db, qa)
    db.flush()
    kinds = sorted({f.finding.kind for f in masked})
    _audit(db, staff, "answer.create", qa, submission=submission.id, masked=kinds)
    return qa


def _articles(db: Session, ids: Sequence[int]) -> list[Document]:
    if not ids:
        return []
    return list(
        db.scalars(
            select(Document).where(
                Document.id.in_(list(ids)),
                Document.doc_type == ARTICLE_TYPE,
                Document.status == "published",
            )
        )
    )


def article_choices(db: Session) -> list[Document]:
    """Published legal-education articles staff may link from a question and answer."""
    return list(
        db.scalars(
            select(Document)
            .where(Document.doc_type == ARTICLE_TYPE, Document.status == "published")
            .order_by(Document.published_at.desc())
            .limit(200)
        )
    )


def articles_for(db: Session, qa: PublicAnswer) -> list[Document]:
    """The articles a published answer links: those staff picked, or else the ones
    the search engine finds for its question, then for its topic."""
    picked = [doc for doc in qa.articles if doc.status == "published"]
    if picked:
        return picked
    searches = [qa.title, either(TOPIC_WORDS.get(qa.topic, ()))]
    return related_articles(db, searches, qa.language)


def _validate(fields: AnswerFields) -> None:
    if fields.topic not in TOPICS:
        raise AnswerError(_l("Choose the topic."), "topic")
    if fields.language not in LANGUAGES:
        raise AnswerError(_l("Choose the language."), "language")
    if not fields.title.strip() or len(fields.title) > 300:
        raise AnswerError(_l("Enter a short question of 300 characters or fewer."), "title")
    if not fields.answer.strip():
        raise AnswerError(_l("Enter the answer."), "answer")
    if len(fields.question) > MAX_TEXT or len(fields.answer) > MAX_TEXT:
        raise AnswerError(_l("The text is too long."), "answer")


def update(db: Session, qa: PublicAnswer, fields: AnswerFields, staff: StaffUser) -> None:
    """Save an edit; a version waiting for approval goes back to draft."""
    if qa.status not in {"draft", "pending"}:
        raise AnswerError(_l("Only a draft can be edited. Withdraw it first."))
    _validate(fields)
    qa.topic, qa.language = fields.topic, fields.language
    qa.title, qa.question, qa.answer = fields.title.strip(), fields.question, fields.answer
    qa.articles = _articles(db, fields.article_ids)
    qa.status = "draft"
    qa.submitted_by_id = None
    qa.revision += 1
    qa.last_edited_by_id = staff.id
    qa.updated_at = utcnow()
    db.flush()
    _audit(db, staff, "answer.edit", qa, revision=qa.revision)


def mask_findings(db: Session, qa: PublicAnswer, staff: StaffUser) -> int:
    """Mask everything the guard finds, as a new edit by this staff member."""
    if qa.status not in {"draft", "pending"}:
        raise AnswerError(_l("Only a draft can be edited. Withdraw it first."))
    masked = _mask_all(db, qa)
    if not masked:
        return 0
    qa.status = "draft"
    qa.submitted_by_id = None
    qa.revision += 1
    qa.last_edited_by_id = staff.id
    qa.updated_at = utcnow()
    db.flush()
    kinds = sorted({f.finding.kind for f in masked})
    _audit(db, staff, "answer.mask", qa, kinds=kinds, count=len(masked))
    return len(masked)


def _guarded(db: Session, qa: PublicAnswer) -> None:
    if findings(db, qa):
        raise AnswerError(_l("The text still contains personal data. Mask it first."))


def submit(db: Session, qa: PublicAnswer, staff: StaffUser) -> None:
    if qa.status != "draft":
        raise AnswerError(_l("Only a draft can be sent for approval."))
    _guarded(db, qa)
    qa.status = "pending"
    qa.submitted_by_id = staff.id
    db.flush()
    _audit(db, staff, "answer.submit", qa, revision=qa.revision)


def approve(db: Session, qa: PublicAnswer, staff: StaffUser, now: datetime | None = None) -> None:
    """Publish under the two-person rule: the approver neither wrote nor submitted it."""
    if qa.status != "pending":
        raise AnswerError(_l("Only an answer waiting for approval can be approved."))
    if staff.id in {qa.submitted_by_id, qa.last_edited_by_id, qa.created_by_id}:
        raise AnswerError(_l("Someone else must approve: you drafted, edited or submitted it."))
    _guarded(db, qa)
    qa.status = "published"
    qa.approved_by_id = staff.id
    qa.published_at = qa.published_at or now or utcnow()
    qa.withdrawn_at = qa.withdrawn_reason = None
    db.flush()
    bump_generation(db)
    _audit(db, staff, "answer.approve", qa, revision=qa.revision)


def withdraw(
    db: Session, qa: PublicAnswer, reason: str, staff: StaffUser, now: datetime | None = None
) -> None:
    if qa.status != "published":
        raise AnswerError(_l("Only a published answer can be withdrawn."))
    reason = reason.strip()
    if len(reason) < 5:
        raise AnswerError(_l("Give the reason for withdrawing."), "reason")
    qa.status = "withdrawn"
    qa.withdrawn_at = now or utcnow()
    qa.withdrawn_reason = reason[:1000]
    db.flush()
    bump_generation(db)
    _audit(db, staff, "answer.withdraw", qa)


def reopen(db: Session, qa: PublicAnswer, staff: StaffUser) -> None:
    """A withdrawn answer back to draft, to correct it and approve it again."""
    if qa.status != "withdrawn":
        raise AnswerError(_l("Only a withdrawn answer can be edited again."))
    qa.status = "draft"
    qa.submitted_by_id = None
    qa.approved_by_id = None
    db.flush()
    _audit(db, staff, "answer.reopen", qa)


def published(db: Session, limit: int | None = None) -> list[PublicAnswer]:
    """Published answers, newest first."""
    query = select(PublicAnswer).where(PublicAnswer.status == "published")
    return list(db.scalars(query.order_by(PublicAnswer.published_at.desc()).limit(limit)))


def count_by_status(db: Session) -> dict[str, int]:
    rows = db.execute(select(PublicAnswer.status, func.count()).group_by(PublicAnswer.status))
    return dict(rows.all())
