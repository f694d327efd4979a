"""`flask content load` for documents: content/documents/*.md with front matter.

Files are documents already approved for publication; loading them is
idempotent, keyed by document number or slug. Each file still passes the
publication rules (the personal-data guard included). A file that breaks any is
refused with every problem it has at once, each personal-data finding placed at
its line and column, and the rest load. Front-matter keys are checked against
the known ones, so that a misspelt `sensitve_names:` cannot silently drop a rule.

`personal_data_allowed:` lets a file publish something the guard reports (a
company's registered address, a lawyer's office phone) with a reason:

    personal_data_allowed:
      - text: 示例市示例区建设路1号
        reason: the registered address of the convicted company, a legal person
        kind: address        # optional

Each entry used is written to the audit log when the file is loaded (its kind,
reason and a hash of the text, never the text).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..content import ContentFile, LoadReport, read_content_file, unknown_keys
from ..db import utcnow
from .guard import KINDS, Finding
from .models import Document
from .numbers import number_key
from .services import (
    DisclosureError,
    DocumentFields,
    FieldFinding,
    _apply_fields,
    _digest,
    _snapshot,
    find_in_fields,
    overridden_keys,
    publish,
    validation_problems,
)
from .types import NUMBERED_TYPES

KNOWN_KEYS = (
    "type",
    "title",
    "number",
    "slug",
    "case_name",
    "charge",
    "department",
    "language",
    "signed",
    "judgment_effective",
    "published",
    "involves_minor",
    "state_secret",
    "sensitive_names",
    "personal_data_allowed",
)
# Front-matter names of the fields the publishing rules speak of.
_KEY_OF_FIELD = {
    "doc_type": "type",
    "signed_on": "signed",
    "judgment_effective_on": "judgment_effective",
    "body_markdown": "body",
}
_TEXT_FIELDS = {"title": "title", "case_name": "case_name", "body_markdown": "body"}
MIN_REASON = 10
LOADER_ACTOR = "content-loader"


class FieldProblem(ValueError):
    pass


@dataclass(frozen=True)
class Allowance:
    """One `personal_data_allowed` entry."""

    text: str
    reason: str
    kind: str | None = None

    def allows(self, finding: Finding) -> bool:
        same_text = _squeeze(finding.text) == _squeeze(self.text)
        return same_text and self.kind in (None, finding.kind)


def _squeeze(text: str) -> str:
    return "".join(text.split())


def _date(meta: dict[str, Any], name: str, required: bool = False) -> date | None:
    value = meta.get(name)
    if value is None or value == "":
        if required:
            raise FieldProblem(f"field '{name}' is missing")
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise FieldProblem(f"field '{name}' must be a date like 2024-01-31") from exc


def _datetime(meta: dict[str, Any], name: str) -> datetime:
    value = meta.get(name)
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime(value.year, value.month, value.day)
    elif isinstance(value, str) and value.strip():
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError as exc:
            raise FieldProblem(
                f"field '{name}' must be a date and time like 2024-01-31T09:00:00Z"
            ) from exc
    else:
        raise FieldProblem(f"field '{name}' is missing")
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _text(meta: dict[str, Any], name: str) -> str:
    value = meta.get(name, "")
    if value is None:
        return ""
    if not isinstance(value, str | int):
        raise FieldProblem(f"field '{name}' must be text")
    return str(value).strip()


def fields_from_meta(meta: dict[str, Any], body: str) -> DocumentFields:
    """The document's fields; raises FieldProblem with every problem found, one per line."""
    fields, problems = read_fields(meta, body)
    if problems:
        raise FieldProblem("\n".join(message for _key, message in problems))
    return fields


def read_fields(meta: dict[str, Any], body: str) -> tuple[DocumentFields, list[tuple[str, str]]]:
    """The fields (blank where unreadable) and each problem as (front-matter key, message)."""
    problems: list[tuple[str, str]] = []

    def get(reader: Any, name: str) -> Any:
        try:
            return reader(meta, name)
        except FieldProblem as exc:
            problems.append((name, str(exc)))
            return None

    doc_type = get(_text, "type")
    if doc_type == "":
        problems.append(("type", "field 'type' is missing"))
    names = meta.get("sensitive_names") or []
    if not isinstance(names, list):
        problems.append(("sensitive_names", "field 'sensitive_names' must be a list"))
        names = []
    fields = DocumentFields(
        doc_type=doc_type or "",
        title=get(_text, "title") or "",
        body_markdown=body,
        number=get(_text, "number") or "",
        slug=get(_text, "slug") or "",
        case_name=get(_text, "case_name") or "",
        charge=get(_text, "charge") or "",
        department=get(_text, "department") or "",
        language=get(_text, "language") or "zh_Hans",
        signed_on=get(_date, "signed"),
        judgment_effective_on=get(_date, "judgment_effective"),
        involves_minor=bool(meta.get("involves_minor", False)),
        state_secret=bool(meta.get("state_secret", False)),
        sensitive_names=[str(n) for n in names],
    )
    return fields, problems


def allowances_from_meta(meta: dict[str, Any]) -> list[Allowance]:
    """The `personal_data_allowed` entries; raises FieldProblem naming each bad one."""
    entries = meta.get("personal_data_allowed") or []
    if not isinstance(entries, list):
        raise FieldProblem(
            "field 'personal_data_allowed' must be a list of entries with 'text' and 'reason'"
        )
    allowed, problems = [], []
    for number, entry in enumerate(entries, start=1):
        where = f"field 'personal_data_allowed' entry {number}"
        if not isinstance(entry, dict):
            problems.append(f"{where} must have 'text' and 'reason'")
            continue
        extra = sorted(str(k) for k in entry if k not in ("text", "reason", "kind"))
        text = str(entry.get("text") or "").strip()
        reason = str(entry.get("reason") or "").strip()
        kind = entry.get("kind")
        if extra:
            problems.append(
                f"{where} has unknown key(s) {', '.join(extra)} (known: text, reason, kind)"
            )
        if not text:
            problems.append(f"{where} needs the 'text' it allows")
        if len(reason) < MIN_REASON:
            problems.append(
                f"{where} needs a 'reason' of at least {MIN_REASON} characters saying why "
                "it may be published"
            )
        if kind is not None and kind not in KINDS:
            problems.append(f"{where} has kind {kind!r}; known kinds: {', '.join(KINDS)}")
        if not extra and text and len(reason) >= MIN_REASON and (kind is None or kind in KINDS):
            allowed.append(Allowance(text, reason, kind))
    if problems:
        raise FieldProblem("\n".join(problems))
    return allowed


def _existing(db: Session, fields: DocumentFields) -> Document | None:
    if fields.doc_type in NUMBERED_TYPES and fields.number:
        return db.scalar(select(Document).where(Document.number_key == number_key(fields.number)))
    if fields.slug:
        return db.scalar(select(Document).where(Document.slug == fields.slug))
    return None


def load_documents(db: Session, folder: Path, report: LoadReport | None = None) -> LoadReport:
    report = report or LoadReport()
    for path in sorted(folder.glob("*.md")):
        if path.name.lower() == "readme.md":
            continue
        _load_file(db, path, report)
    return report


def _load_file(db: Session, path: Path, report: LoadReport) -> None:
    """Load one file, or report every problem it has and leave the database as it was."""
    try:
        item = read_content_file(path)
    except ValueError as exc:
        report.problem(path, str(exc))
        return
    problems: list[tuple[str, int | None, int | None]] = []

    def note(message: str, key: str | None = None, column: int | None = None) -> None:
        line = item.key_lines.get(key) if key else None
        for part in message.split("\n"):
            problems.append((part, line, column or (1 if line else None)))

    if unknown := unknown_keys(item.meta, KNOWN_KEYS):
        note(unknown)
    fields, field_problems = read_fields(item.meta, item.body)
    for key, message in field_problems:
        note(message, key)
    published_at, allowed = None, []
    try:
        published_at = _datetime(item.meta, "published")
    except FieldProblem as exc:
        note(str(exc), "published")
    try:
        allowed = allowances_from_meta(item.meta)
    except FieldProblem as exc:
        note(str(exc), "personal_data_allowed")
    reported = {key for key, _message in field_problems}
    doc = _existing(db, fields)
    for error in [
        *validation_problems(db, fields, doc),
        *_publication_problems(fields, published_at),
    ]:
        key = _KEY_OF_FIELD.get(error.field or "", error.field)
        if key not in reported:  # "type is missing" says it already
            note(_describe(error), key)
    overridden = overridden_keys(db, doc) if doc is not None else set()
    findings, used = _guard_problems(item, fields, allowed, overridden)
    problems += findings
    for allowance in allowed:
        if not any(a is allowance for a, _ in used):
            report.warning(path, f"personal_data_allowed {allowance.text!r} matches nothing")
    if problems or published_at is None:
        for message, line, column in problems:
            report.problem(path, message, line, column)
        return
    if doc is not None and doc.source_hash == item.digest:
        report.unchanged += 1
        return
    created = doc is None
    try:
        with db.begin_nested():  # a file that breaks a rule leaves no trace
            doc = _load_one(db, doc, fields, published_at, item, path.name)
            _audit_allowances(db, doc, used, path.name)
    except DisclosureError as exc:
        report.problem(path, _describe(exc))
        return
    if created:
        report.created += 1
    else:
        report.updated += 1


def _guard_problems(
    item: ContentFile, fields: DocumentFields, allowed: list[Allowance], overridden: set[str]
) -> tuple[list[tuple[str, int | None, int | None]], list[tuple[Allowance, FieldFinding]]]:
    """Each finding not allowed, placed in the file; and the allowances that were used."""
    problems: list[tuple[str, int | None, int | None]] = []
    used: list[tuple[Allowance, FieldFinding]] = []
    texts = {name: getattr(fields, name) for name in _TEXT_FIELDS}
    for finding in find_in_fields(texts, fields.sensitive_names):
        if finding.key in overridden:  # an editor accepted it in the staff area
            continue
        allowance = next((a for a in allowed if a.allows(finding.finding)), None)
        if allowance is not None:
            used.append((allowance, finding))
            continue
        line, column = item.position(
            _TEXT_FIELDS[finding.field], texts[finding.field], finding.finding.start
        )
        problems.append((_finding_message(finding), line, column))
    return problems, used


def _finding_message(item: FieldFinding) -> str:
    # The masked form only: the report must not repeat the personal data.
    return (
        f"personal data ({item.finding.kind}, would be masked as {item.finding.replacement!r}); "
        "mask it, or list it under personal_data_allowed with a reason"
    )


def _load_one(
    db: Session,
    doc: Document | None,
    fields: DocumentFields,
    published_at: datetime,
    item: ContentFile,
    filename: str,
) -> Document:
    if doc is None:
        doc = Document(revision=1, status="draft")
        db.add(doc)
    else:
        doc.revision += 1
    _apply_fields(doc, fields)
    db.flush()
    doc.source_hash = item.digest
    doc.published_at = published_at
    doc.updated_at = utcnow()
    _snapshot(db, doc, None, f"loaded from {filename}")
    publish(db, doc, None, published_at)
    return doc


def _audit_allowances(
    db: Session, doc: Document, used: list[tuple[Allowance, FieldFinding]], filename: str
) -> None:
    """One audit entry per allowance used: kind, reason and a hash, never the text."""
    for allowance, finding in used:
        audit.record(
            db,
            action="document.guard_allowed",
            actor=LOADER_ACTOR,
            target_type="document",
            target_id=doc.id,
            details={
                "file": filename,
                "kind": finding.finding.kind,
                "field": finding.field,
                "text_sha256": _digest(finding.finding.text),
                "reason": allowance.reason[:500],
            },
        )


def _describe(exc: DisclosureError) -> str:
    field = _KEY_OF_FIELD.get(exc.field or "", exc.field)
    where = f"field '{field}': " if field else ""
    return f"{where}{exc}"


def _publication_problems(
    fields: DocumentFields, published_at: datetime | None
) -> list[DisclosureError]:
    problems = []
    if fields.involves_minor or fields.state_secret:
        problems.append(
            DisclosureError(
                "documents of cases involving a minor or a state secret are never published"
            )
        )
    if fields.doc_type == "indictment":
        if fields.judgment_effective_on is None:
            problems.append(
                DisclosureError(
                    "an indictment needs the judgment's effective date", "judgment_effective"
                )
            )
        elif published_at is not None and published_at.date() < fields.judgment_effective_on:
            problems.append(
                DisclosureError(
                    "an indictment cannot be published before the judgment's effective date",
                    "published",
                )
            )
    return problems
