"""Publishing rules: drafts, the two-person rule, the personal-data guard,
withdrawal, and what the index must learn of each change.

Every function takes the session and the acting staff member explicitly,
flushes, audits, and leaves the commit to the caller.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app, has_app_context
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import audit
from ..audit import AuditHead
from ..db import utcnow
from ..markup import render_markdown
from ..page_cache import bump_generation
from ..staff.models import StaffUser
from .guard import Finding, GuardPolicy, find_personal_data, mask
from .models import Document, DocumentRevision, GuardOverride, SearchOutbox
from .numbers import number_key
from .types import DOC_TYPES, NUMBERED_TYPES

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,118}$")
LANGUAGES = ("zh_Hans", "en")
MAX_BODY = 200_000


class DisclosureError(Exception):
    """A rule stopped the action; `message` says what to do, `field` where."""

    def __init__(self, message: LazyString | str, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


@dataclass
class DocumentFields:
    doc_type: str
    title: str
    body_markdown: str = ""
    number: str = ""
    slug: str = ""
    case_name: str = ""
    charge: str = ""
    department: str = ""
    language: str = "zh_Hans"
    signed_on: date | None = None
    judgment_effective_on: date | None = None
    involves_minor: bool = False
    state_secret: bool = False
    sensitive_names: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class FieldFinding:
    """A guard finding in one field of a document."""

    field: str
    finding: Finding

    @property
    def key(self) -> str:
        return f"{self.finding.kind}:{_digest(self.finding.text)}"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _actor(staff: StaffUser | None) -> tuple[str, int | None]:
    return (staff.username, staff.id) if staff is not None else ("system", None)


def _audit(
    db: Session, staff: StaffUser | None, action: str, doc: Document, **details: Any
) -> None:
    actor, actor_id = _actor(staff)
    audit.record(
        db,
        action=action,
        actor=actor,
        actor_id=actor_id,
        target_type="document",
        target_id=doc.id,
        details=details,
    )


def validation_problems(
    db: Session, fields: DocumentFields, current: Document | None
) -> Iterator[DisclosureError]:
    """Every rule the fields break, in the order a form shows them."""
    if fields.doc_type not in DOC_TYPES:
        yield DisclosureError(_l("Choose the type of document."), "doc_type")
    if not fields.title.strip():
        yield DisclosureError(_l("Enter the title."), "title")
    elif len(fields.title) > 300:
        yield DisclosureError(_l("The title must be 300 characters or fewer."), "title")
    if fields.language not in LANGUAGES:
        yield DisclosureError(_l("Choose the language of the document."), "language")
    if len(fields.body_markdown) > MAX_BODY:
        yield DisclosureError(_l("The text is too long for one document."), "body_markdown")
    if fields.doc_type not in DOC_TYPES:
        pass  # whether it needs a number or a web name depends on the type
    elif fields.doc_type in NUMBERED_TYPES:
        if not fields.number.strip():
            yield DisclosureError(
                _l("Enter the document number, for example 深龙华检刑诉〔2019〕1247号."), "number"
            )
        else:
            key = number_key(fields.number)
            clash = db.scalar(select(Document.id).where(Document.number_key == key))
            if clash is not None and (current is None or clash != current.id):
                yield DisclosureError(_l("Another document already has this number."), "number")
    else:
        if not SLUG.match(fields.slug or ""):
            yield DisclosureError(
                _l("Enter a short web name of lower-case letters, digits and hyphens."), "slug"
            )
        else:
            clash = db.scalar(select(Document.id).where(Document.slug == fields.slug))
            if clash is not None and (current is None or clash != current.id):
                yield DisclosureError(_l("Another document already uses this web name."), "slug")
    if (
        fields.signed_on
        and fields.judgment_effective_on
        and (fields.judgment_effective_on < fields.signed_on)
    ):
        yield DisclosureError(
            _l("The judgment cannot take effect before the document was signed."),
            "judgment_effective_on",
        )


def _validate(db: Session, fields: DocumentFields, current: Document | None) -> None:
    for problem in validation_problems(db, fields, current):
        raise problem


def _apply_fields(doc: Document, fields: DocumentFields) -> None:
    numbered = fields.doc_type in NUMBERED_TYPES
    doc.doc_type = fields.doc_type
    doc.number = fields.number.strip() if numbered else None
    doc.number_key = number_key(fields.number) if numbered else None
    doc.slug = None if numbered else fields.slug
    doc.title = fields.title.strip()
    doc.case_name = fields.case_name.strip()
    doc.charge = fields.charge.strip()
    doc.department = fields.department.strip()
    doc.language = fields.language
    doc.signed_on = fields.signed_on
    doc.judgment_effective_on = fields.judgment_effective_on
    doc.involves_minor = fields.involves_minor
    doc.state_secret = fields.state_secret
    doc.sensitive_names = "\n".join(n.strip() for n in fields.sensitive_names if n.strip())
    doc.body_markdown = fields.body_markdown
    doc.body_html = render_markdown(fields.body_markdown)
    doc.updated_at = utcnow()


def _snapshot(db: Session, doc: Document, staff: StaffUser | None, note: str) -> None:
    db.add(
        DocumentRevision(
            document_id=doc.id,
            revision=doc.revision,
            title=doc.title,
            body_markdown=doc.body_markdown,
            fields={
                "doc_type": doc.doc_type,
                "number": doc.number,
                "slug": doc.slug,
                "case_name": doc.case_name,
                "charge": doc.charge,
                "department": doc.department,
                "language": doc.language,
                "signed_on": doc.signed_on.isoformat() if doc.signed_on else None,
                "judgment_effective_on": (
                    doc.judgment_effective_on.isoformat() if doc.judgment_effective_on else None
                ),
                "status": doc.status,
            },
            note=note[:200],
            created_by_id=staff.id if staff else None,
        )
    )


def enqueue_index(db: Session, doc: Document, action: str) -> None:
    """Tell the index about a change, in this transaction.

    The audit head row is locked first: it serialises writers, so outbox ids
    commit in id order and a follower reading by id never skips one.
    """
    db.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update())
    db.add(SearchOutbox(document_id=doc.id, action=action))
    db.info["search_outbox"] = True
    bump_generation(db)


def create_draft(db: Session, fields: DocumentFields, staff: StaffUser | None) -> Document:
    _validate(db, fields, None)
    doc = Document(status="draft", revision=1)
    _apply_fields(doc, fields)
    doc.created_by_id = doc.last_edited_by_id = staff.id if staff else None
    db.add(doc)
    db.flush()
    _snapshot(db, doc, staff, "created")
    _audit(db, staff, "document.create", doc)
    return doc


def update_draft(
    db: Session, doc: Document, fields: DocumentFields, staff: StaffUser | None, note: str = ""
) -> Document:
    """Save a new revision; a document waiting for approval goes back to draft."""
    if doc.status not in {"draft", "pending"}:
        raise DisclosureError(_l("Only drafts can be edited. Withdraw the document first."))
    _validate(db, fields, doc)
    _apply_fields(doc, fields)
    doc.status = "draft"
    doc.submitted_by_id = None
    doc.revision += 1
    doc.last_edited_by_id = staff.id if staff else None
    db.flush()
    _snapshot(db, doc, staff, note or "edited")
    _audit(db, staff, "document.edit", doc, revision=doc.revision)
    return doc


_OFFICIAL_SETTINGS = ("CONTACT_ADDRESS_ZH", "CONTACT_ADDRESS_EN", "CONTACT_PHONE", "CONTACT_EMAIL")


def guard_policy(config: Mapping[str, Any]) -> GuardPolicy:
    """The procuratorate's own contact details and the configured public bodies."""
    return GuardPolicy(
        institutions=tuple(config.get("GUARD_INSTITUTIONS") or ()),
        official_values=tuple(str(config[k]) for k in _OFFICIAL_SETTINGS if config.get(k)),
    )


def _current_policy() -> GuardPolicy:
    return guard_policy(current_app.config) if has_app_context() else GuardPolicy()


def guard_findings(
    db: Session, doc: Document, include_overridden: bool = False
) -> list[FieldFinding]:
    """Personal data the guard finds in the document, less what an editor overrode."""
    texts = {"title": doc.title, "case_name": doc.case_name, "body_markdown": doc.body_markdown}
    found = find_in_fields(texts, doc.sensitive_name_list)
    if include_overridden:
        return found
    overridden = overridden_keys(db, doc)
    return [item for item in found if item.key not in overridden]


def overridden_keys(db: Session, doc: Document) -> set[str]:
    """The `FieldFinding.key`s an editor accepted with a reason."""
    if doc.id is None:
        return set()
    rows = db.execute(
        select(GuardOverride.kind, GuardOverride.text_sha256).where(
            GuardOverride.document_id == doc.id
        )
    )
    return {f"{kind}:{digest}" for kind, digest in rows}


def find_in_fields(texts: Mapping[str, str | None], names: list[str]) -> list[FieldFinding]:
    """The guard run over each text field (title, case_name, body_markdown)."""
    policy = _current_policy()
    return [
        FieldFinding(name, finding)
        for name, text in texts.items()
        for finding in find_personal_data(text or "", names, policy)
    ]


def mask_findings(
    db: Session, doc: Document, staff: StaffUser | None, keys: set[str] | None = None
) -> int:
    """Replace findings (all, or those with `keys`) by their masks, as a new revision."""
    chosen = [f for f in guard_findings(db, doc) if keys is None or f.key in keys]
    if not chosen:
        return 0
    for field_name in ("title", "case_name", "body_markdown"):
        mine = [f.finding for f in chosen if f.field == field_name]
        if mine:
            # In Markdown the mask's asterisks would read as emphasis: escape them there.
            markdown = field_name == "body_markdown"
            setattr(doc, field_name, mask(getattr(doc, field_name), mine, markdown=markdown))
    doc.body_html = render_markdown(doc.body_markdown)
    doc.status = "draft"
    doc.submitted_by_id = None
    doc.revision += 1
    doc.last_edited_by_id = staff.id if staff else None
    doc.updated_at = utcnow()
    db.flush()
    _snapshot(db, doc, staff, "personal data masked")
    kinds = sorted({f.finding.kind for f in chosen})
    _audit(db, staff, "document.mask", doc, kinds=kinds, count=len(chosen))
    return len(chosen)


def override_finding(db: Session, doc: Document, key: str, reason: str, staff: StaffUser) -> None:
    """Accept one finding with a written reason (e.g. a public official's work phone)."""
    reason = reason.strip()
    if len(reason) < 10:
        raise DisclosureError(
            _l("Explain in at least 10 characters why this may be published."), "reason"
        )
    match = next((f for f in guard_findings(db, doc) if f.key == key), None)
    if match is None:
        raise DisclosureError(_l("That finding is no longer in the document."))
    db.add(
        GuardOverride(
            document_id=doc.id,
            kind=match.finding.kind,
            text_sha256=_digest(match.finding.text),
            reason=reason[:2000],
            staff_id=staff.id,
        )
    )
    db.flush()
    _audit(db, staff, "document.guard_override", doc, kind=match.finding.kind, reason=reason[:500])


def _publication_blockers(db: Session, doc: Document) -> None:
    if doc.involves_minor or doc.state_secret:
        raise DisclosureError(
            _l("Documents of cases involving a minor or a state secret are never published.")
        )
    if doc.doc_type == "indictment" and doc.judgment_effective_on is None:
        raise DisclosureError(
            _l("An indictment can be published only after the judgment's effective date is set."),
            "judgment_effective_on",
        )
    if guard_findings(db, doc):
        raise DisclosureError(
            _l("The document still contains personal data. Mask each finding or give a reason.")
        )


def submit_for_approval(db: Session, doc: Document, staff: StaffUser) -> None:
    if doc.status != "draft":
        raise DisclosureError(_l("Only a draft can be sent for approval."))
    doc.status = "pending"
    doc.submitted_by_id = staff.id
    db.flush()
    _audit(db, staff, "document.submit", doc, revision=doc.revision)


def approve(db: Session, doc: Document, staff: StaffUser, now: datetime | None = None) -> None:
    """Publish under the two-person rule: the approver neither wrote nor submitted it."""
    if doc.status != "pending":
        raise DisclosureError(_l("Only a document waiting for approval can be approved."))
    if staff.id in {doc.submitted_by_id, doc.last_edited_by_id}:
        raise DisclosureError(
            _l("Another editor must approve: you edited or submitted this version.")
        )
    _publication_blockers(db, doc)
    publish(db, doc, staff, now or utcnow())
    _audit(db, staff, "document.approve", doc, revision=doc.revision)


def publish(db: Session, doc: Document, staff: StaffUser | None, when: datetime) -> None:
    """Make a document public and queue it for the index (rules checked by callers)."""
    doc.status = "published"
    doc.published_at = doc.published_at or when
    doc.approved_by_id = staff.id if staff else None
    doc.withdrawn_at = None
    doc.withdrawn_reason = None
    db.flush()
    enqueue_index(db, doc, "upsert")


def withdraw(
    db: Session, doc: Document, reason: str, staff: StaffUser, now: datetime | None = None
) -> None:
    if doc.status != "published":
        raise DisclosureError(_l("Only a published document can be withdrawn."))
    reason = reason.strip()
    if len(reason) < 5:
        raise DisclosureError(_l("Give the reason for withdrawing, shown to the public."), "reason")
    doc.status = "withdrawn"
    doc.withdrawn_at = now or utcnow()
    doc.withdrawn_reason = reason[:1000]
    db.flush()
    enqueue_index(db, doc, "delete")
    _audit(db, staff, "document.withdraw", doc)


def record_attachment(db: Session, doc: Document, staff: StaffUser | None) -> None:
    _audit(db, staff, "document.attach", doc)
    if doc.status == "published":
        enqueue_index(db, doc, "upsert")


def overdue_indictments(db: Session, today: date, deadline_days: int) -> list[Document]:
    """Indictments whose judgment took effect more than `deadline_days` ago, still unpublished."""
    cutoff = today - timedelta(days=deadline_days)
    return list(
        db.scalars(
            select(Document)
            .where(
                Document.doc_type == "indictment",
                Document.status.in_(("draft", "pending")),
                Document.judgment_effective_on.is_not(None),
                Document.judgment_effective_on < cutoff,
            )
            .order_by(Document.judgment_effective_on)
        )
    )


def count_by_status(db: Session) -> dict[str, int]:
    return dict(db.execute(select(Document.status, func.count()).group_by(Document.status)).all())
