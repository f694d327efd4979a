"""Reading case export files and mirroring them into the database.

The internal case system exports JSON Lines (one case per line) or CSV (one
case per row, lists in cells); see README, "Case inquiry". The whole file is
read and checked before anything is written: a file with any problem changes
nothing and every problem is reported with its line number. Importing the same
file again updates cases in place (keyed by case number) and reports them as
unchanged when nothing differs.

Problems name the field and the party's position, never an identity number or
a name: they are printed on a terminal and may end up in a log.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..db import utcnow
from .identity import clean_name, hash_id_number, hash_name, valid_id_number
from .models import Case, CaseEvent, CaseImport, CaseParty, CoerciveMeasure
from .numbers import case_number_key, looks_like_case_number
from .types import CLOSING_STAGES, STAGE_ALIASES, STAGES

REQUIRED = ("case_number", "case_name", "charge", "department", "accepted_on", "events", "parties")
OPTIONAL = ("prosecutor", "time_limit_on", "measures", "documents", "minor", "secret", "sealed")

_DATE_FORMS = (
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日"),
)
_TRUE = {"1", "true", "yes", "y", "是"}
_FALSE = {"", "0", "false", "no", "n", "否"}


@dataclass(frozen=True)
class ImportProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


class ImportFailed(Exception):
    """The file has problems; nothing was written."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class PartyData:
    role: str
    name: str
    id_number: str


@dataclass
class CaseData:
    line: int
    number: str
    number_key: str
    name: str
    charge: str
    department: str
    prosecutor: str
    accepted_on: date
    time_limit_on: date | None
    events: list[tuple[str, date, str]] = field(default_factory=list)
    measures: list[tuple[str, date, str]] = field(default_factory=list)
    parties: list[PartyData] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    minor: bool = False
    secret: bool = False
    sealed: bool = False

    def fingerprint(self) -> str:
        """A hash of everything imported, with names and identity numbers hashed first."""
        values = asdict(self)
        values.pop("line")
        values["parties"] = [
            [p.role, hash_name(p.name), hash_id_number(p.id_number)] for p in self.parties
        ]
        text = json.dumps(values, sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()


# --- reading ---------------------------------------------------------------


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GBK (read as GB 18030, its superset)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise ImportFailed([ImportProblem(0, "the file is neither UTF-8 nor GBK text")]) from None


def _is_csv(text: str, filename: str) -> bool:
    if filename.lower().endswith(".csv"):
        return True
    if filename.lower().endswith((".jsonl", ".json", ".ndjson")):
        return False
    return not text.lstrip().startswith("{")


def _jsonl_records(text: str, problems: list[ImportProblem]) -> Iterator[tuple[int, dict]]:
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(ImportProblem(line_no, f"not valid JSON ({exc.msg})"))
            continue
        if not isinstance(record, dict):
            problems.append(ImportProblem(line_no, "a line must be one JSON object"))
            continue
        missing = [name for name in REQUIRED if name not in record]
        if missing:
            problems.append(ImportProblem(line_no, f"missing fields: {', '.join(missing)}"))
            continue
        yield line_no, record


def _split_list(cell: str, width: int, keys: tuple[str, ...]) -> list[dict[str, str]] | str:
    """'a|b|c; a|b' -> list of dicts; a string when malformed."""
    items = []
    for part in (cell or "").split(";"):
        if not part.strip():
            continue
        fields = [f.strip() for f in part.split("|")]
        if not 2 <= len(fields) <= width:
            return f"'{'|'.join(keys)}' expected, separated by ';'"
        fields += [""] * (width - len(fields))
        items.append(dict(zip(keys, fields, strict=True)))
    return items


def _csv_records(text: str, problems: list[ImportProblem]) -> Iterator[tuple[int, dict]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        problems.append(ImportProblem(1, f"missing columns: {', '.join(missing)}"))
        return
    reader.fieldnames = header
    lists = {
        "events": (3, ("stage", "date", "note")),
        "measures": (3, ("measure", "date", "note")),
        "parties": (3, ("role", "name", "id_number")),
    }
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            problems.append(ImportProblem(start, f"not valid CSV ({exc})"))
            return
        if not any((value or "").strip() for value in row.values() if isinstance(value, str)):
            continue
        record: dict[str, Any] = {k: (v or "") for k, v in row.items() if k in header}
        bad = False
        for name, (width, keys) in lists.items():
            parsed = _split_list(record.get(name, ""), width, keys)
            if isinstance(parsed, str):
                problems.append(ImportProblem(start, f"{name}: {parsed}"))
                bad = True
            else:
                record[name] = parsed
        record["documents"] = [d for d in record.get("documents", "").split(";") if d.strip()]
        if not bad:
            yield start, record


# --- checking --------------------------------------------------------------


def parse_date(value: object) -> date | None:
    """2024-01-31, 2024/1/31 or 2024年1月31日 (full-width digits too); None if none of these."""
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    for form in _DATE_FORMS:
        match = form.fullmatch(text)
        if match:
            try:
                return date(*(int(part) for part in match.groups()))
            except ValueError:
                return None
    return None


def _flag(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value if value is not None else "").strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None


def _text(record: dict, name: str, limit: int) -> str:
    return " ".join(str(record.get(name) or "").split())[:limit]


def _dated_items(
    items: object, name: str, label: str, line: int, problems: list[ImportProblem]
) -> list[tuple[str, date, str]]:
    if not isinstance(items, list):
        problems.append(ImportProblem(line, f"{name} must be a list"))
        return []
    result = []
    for position, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            problems.append(ImportProblem(line, f"{name} {position} must be an object"))
            continue
        value = _text(item, label, 60)
        when = parse_date(item.get("date"))
        if when is None:
            problems.append(
                ImportProblem(
                    line,
                    f"{name} {position}: the date must be like 2024-01-31, 2024/1/31 "
                    "or 2024年1月31日",
                )
            )
            continue
        if name == "events":
            stage = STAGE_ALIASES.get(value, value)
            if stage not in STAGES:
                problems.append(ImportProblem(line, f"events {position}: unknown stage '{value}'"))
                continue
            value = stage
        elif not value:
            problems.append(ImportProblem(line, f"{name} {position}: the {label} is missing"))
            continue
        result.append((value, when, str(item.get("note") or "").strip()[:2000]))
    return result


def _parties(items: object, line: int, problems: list[ImportProblem]) -> list[PartyData]:
    if not isinstance(items, list) or not items:
        problems.append(ImportProblem(line, "parties must be a list with at least one party"))
        return []
    result = []
    for position, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            problems.append(ImportProblem(line, f"party {position} must be an object"))
            continue
        role = _text(item, "role", 40)
        name = clean_name(str(item.get("name") or ""))
        id_number = str(item.get("id_number") or "")
        if not role or not name:
            problems.append(ImportProblem(line, f"party {position}: role and name are required"))
            continue
        if not valid_id_number(id_number):
            problems.append(
                ImportProblem(line, f"party {position}: the identity number is not valid")
            )
            continue
        result.append(PartyData(role=role, name=name[:60], id_number=id_number))
    return result


def check_record(line: int, record: dict, problems: list[ImportProblem]) -> CaseData | None:
    """One record as `CaseData`, or None with its problems added."""
    before = len(problems)
    number = _text(record, "case_number", 80)
    if not looks_like_case_number(number):
        problems.append(ImportProblem(line, "case_number must be like 深龙华检刑诉〔2019〕1247号"))
    name = _text(record, "case_name", 300)
    if not name:
        problems.append(ImportProblem(line, "case_name is empty"))
    accepted_on = parse_date(record.get("accepted_on"))
    if accepted_on is None:
        problems.append(
            ImportProblem(line, "accepted_on must be like 2024-01-31, 2024/1/31 or 2024年1月31日")
        )
    time_limit_on = None
    if str(record.get("time_limit_on") or "").strip():
        time_limit_on = parse_date(record.get("time_limit_on"))
        if time_limit_on is None:
            problems.append(
                ImportProblem(
                    line, "time_limit_on must be like 2024-01-31, 2024/1/31 or 2024年1月31日"
                )
            )
    flags = {}
    for flag in ("minor", "secret", "sealed"):
        flags[flag] = _flag(record.get(flag))
        if flags[flag] is None:
            problems.append(ImportProblem(line, f"{flag} must be true or false"))
    events = _dated_items(record.get("events"), "events", "stage", line, problems)
    measures = _dated_items(record.get("measures") or [], "measures", "measure", line, problems)
    parties = _parties(record.get("parties"), line, problems)
    documents = record.get("documents") or []
    if not isinstance(documents, list):
        problems.append(ImportProblem(line, "documents must be a list of document numbers"))
        documents = []
    if len(problems) > before or accepted_on is None:
        return None
    events.sort(key=lambda e: e[1])
    measures.sort(key=lambda m: m[1])
    return CaseData(
        line=line,
        number=number,
        number_key=case_number_key(number),
        name=name,
        charge=_text(record, "charge", 200),
        department=_text(record, "department", 120),
        prosecutor=_text(record, "prosecutor", 60),
        accepted_on=accepted_on,
        time_limit_on=time_limit_on,
        events=events,
        measures=measures,
        parties=parties,
        documents=[case_number_key(str(d)) for d in documents if str(d).strip()],
        minor=bool(flags["minor"]),
        secret=bool(flags["secret"]),
        sealed=bool(flags["sealed"]),
    )


def read_cases(data: bytes, filename: str) -> list[CaseData]:
    """Every case in the file, or ImportFailed with every problem found."""
    text = decode(data)
    problems: list[ImportProblem] = []
    records = _csv_records if _is_csv(text, filename) else _jsonl_records
    cases: list[CaseData] = []
    seen: dict[str, int] = {}
    for line, record in records(text, problems):
        case = check_record(line, record, problems)
        if case is None:
            continue
        if case.number_key in seen:
            problems.append(
                ImportProblem(line, f"case number already given on line {seen[case.number_key]}")
            )
            continue
        seen[case.number_key] = line
        cases.append(case)
    if not cases and not problems:
        problems.append(ImportProblem(0, "the file holds no cases"))
    if problems:
        raise ImportFailed(sorted(problems, key=lambda p: p.line))
    return cases


# --- writing ---------------------------------------------------------------


def _apply(case: Case, data: CaseData, fingerprint: str) -> None:
    case.number = data.number
    case.number_key = data.number_key
    case.name = data.name
    case.charge = data.charge
    case.department = data.department
    case.prosecutor = data.prosecutor
    case.accepted_on = data.accepted_on
    case.time_limit_on = data.time_limit_on
    closing = [when for stage, when, _note in data.events if stage in CLOSING_STAGES]
    case.closed_on = closing[-1] if closing else None
    case.involves_minor = data.minor
    case.state_secret = data.secret
    case.sealed = data.sealed
    case.document_keys = "\n".join(data.documents)
    case.source_hash = fingerprint
    case.imported_at = utcnow()
    case.events = [
        CaseEvent(position=i, stage=stage, occurred_on=when, note=note)
        for i, (stage, when, note) in enumerate(data.events)
    ]
    case.measures = [
        CoerciveMeasure(position=i, measure=measure, decided_on=when, note=note)
        for i, (measure, when, note) in enumerate(data.measures)
    ]
    case.parties = [
        CaseParty(
            position=i,
            role=p.role,
            name=p.name,
            name_hash=hash_name(p.name),
            id_hash=hash_id_number(p.id_number),
        )
        for i, p in enumerate(data.parties)
    ]


def import_cases(
    db: Session,
    data: bytes,
    *,
    filename: str,
    actor: str,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Check the whole file, then create or update each case; flushes, never commits.

    Raises ImportFailed (before writing anything) when the file has problems.
    """
    cases = read_cases(data, filename)
    existing = {
        c.number_key: c
        for c in db.scalars(select(Case).where(Case.number_key.in_([c.number_key for c in cases])))
    }
    report = ImportReport(rows=len(cases))
    for done, item in enumerate(cases, start=1):
        fingerprint = item.fingerprint()
        case = existing.get(item.number_key)
        if case is None:
            case = Case()
            db.add(case)
            _apply(case, item, fingerprint)
            report.created += 1
        elif case.source_hash == fingerprint:
            report.unchanged += 1
        else:
            _apply(case, item, fingerprint)
            report.updated += 1
        if progress:
            progress(done, len(cases))
    db.flush()
    db.add(
        CaseImport(
            filename=filename[:200],
            actor=actor,
            ok=True,
            rows=report.rows,
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
        )
    )
    audit.record(
        db,
        action="cases.import",
        actor=actor,
        details={"file": filename[:200], **asdict(report)},
    )
    return report


def record_failed_import(db: Session, *, filename: str, actor: str, problems: int) -> None:
    """Keep a failed run in the import history (after the rollback of its changes)."""
    db.add(CaseImport(filename=filename[:200], actor=actor, ok=False, problems=problems))
    audit.record(db, action="cases.import_failed", actor=actor, details={"file": filename[:200]})
    db.flush()
