"""`flask content load` for documents: content/documents/*.md with front matter.

Files are documents already approved for publication; loading them is
idempotent, keyed by document number or slug. Each file still passes the
publication rules (the personal-data guard included): a file that breaks one
is named with the field, and the rest load.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..content import LoadReport, read_content_file
from ..db import utcnow
from .models import Document
from .numbers import number_key
from .services import (
    DisclosureError,
    DocumentFields,
    _apply_fields,
    _snapshot,
    _validate,
    guard_findings,
    publish,
)
from .types import NUMBERED_TYPES


class FieldProblem(ValueError):
    pass


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
    doc_type = _text(meta, "type")
    if not doc_type:
        raise FieldProblem("field 'type' is missing")
    names = meta.get("sensitive_names") or []
    if not isinstance(names, list):
        raise FieldProblem("field 'sensitive_names' must be a list")
    return DocumentFields(
        doc_type=doc_type,
        title=_text(meta, "title"),
        body_markdown=body,
        number=_text(meta, "number"),
        slug=_text(meta, "slug"),
        case_name=_text(meta, "case_name"),
        charge=_text(meta, "charge"),
        department=_text(meta, "department"),
        language=_text(meta, "language") or "zh_Hans",
        signed_on=_date(meta, "signed"),
        judgment_effective_on=_date(meta, "judgment_effective"),
        involves_minor=bool(meta.get("involves_minor", False)),
        state_secret=bool(meta.get("state_secret", False)),
        sensitive_names=[str(n) for n in names],
    )


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
        try:
            item = read_content_file(path)
            fields = fields_from_meta(item.meta, item.body)
            published_at = _datetime(item.meta, "published")
        except (ValueError, FieldProblem) as exc:
            report.problem(path, str(exc))
            continue
        doc = _existing(db, fields)
        if doc is not None and doc.source_hash == item.digest:
            report.unchanged += 1
            continue
        created = doc is None
        try:
            with db.begin_nested():  # a file that breaks a rule leaves no trace
                _load_one(db, doc, fields, published_at, item.digest, path.name)
        except DisclosureError as exc:
            report.problem(path, _describe(exc))
            continue
        if created:
            report.created += 1
        else:
            report.updated += 1
    return report


def _load_one(
    db: Session,
    doc: Document | None,
    fields: DocumentFields,
    published_at: datetime,
    digest: str,
    filename: str,
) -> None:
    _validate(db, fields, doc)
    if doc is None:
        doc = Document(revision=1, status="draft")
        db.add(doc)
    else:
        doc.revision += 1
    _apply_fields(doc, fields)
    db.flush()
    _check_publishable(db, doc, published_at)
    doc.source_hash = digest
    doc.published_at = published_at
    doc.updated_at = utcnow()
    _snapshot(db, doc, None, f"loaded from {filename}")
    publish(db, doc, None, published_at)


def _describe(exc: DisclosureError) -> str:
    where = f"field '{exc.field}': " if exc.field else ""
    return f"{where}{exc}"


def _check_publishable(db: Session, doc: Document, published_at: datetime) -> None:
    if doc.involves_minor or doc.state_secret:
        raise DisclosureError(
            "documents of cases involving a minor or a state secret are never published"
        )
    if doc.doc_type == "indictment":
        if doc.judgment_effective_on is None:
            raise DisclosureError(
                "an indictment needs the judgment's effective date", "judgment_effective"
            )
        if published_at.date() < doc.judgment_effective_on:
            raise DisclosureError(
                "an indictment cannot be published before the judgment's effective date",
                "published",
            )
    findings = guard_findings(db, doc)
    if findings:
        kinds = ", ".join(sorted({f.finding.kind for f in findings}))
        raise DisclosureError(f"personal data found ({kinds}); mask it before loading")
