"""Business rules of the case inquiry: finding a case, access requests, sealing.

A lookup that fails for any reason (unknown case number, wrong name or
identity number, flagged case, unknown or expired code) answers `None` after
doing the same work: both hashes are computed and the same query runs, so
neither the answer nor the time it takes tells which part was wrong.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, selectinload

from .. import audit
from ..crypto import keyed_hash
from ..db import utcnow
from ..disclosure.models import Document
from ..hashing import hasher
from ..mail import queue_mail
from ..staff.models import StaffUser
from .identity import canonical_id_number, hash_id_number, hash_name
from .models import AccessRequest, Case, CaseInquiry, CaseParty
from .numbers import case_number_key
from .types import REQUESTER_ROLES

# Access codes avoid look-alike characters (0/O, 1/I/L) and are read in groups of four.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_GROUPS = 3


class CaseError(Exception):
    """A rule was broken; `message` says what to do, `field` where to show it."""

    def __init__(self, message: object, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


class RequestAlreadyDecided(CaseError):
    pass


@dataclass(frozen=True)
class CaseView:
    """What a party or an entitled person sees of a case."""

    case: Case
    documents: list[Document]
    days_remaining: int | None


# --- lookups ---------------------------------------------------------------

# Flagged cases are left out by the query itself: for them the lookup finds no
# row, exactly as for an unknown case (`Case.hidden`, as SQL).
_PUBLIC = (
    Case.involves_minor.is_(False),
    Case.state_secret.is_(False),
    Case.sealed.is_(False),
    Case.sealed_at.is_(None),
)


def _local_today(tz: str) -> date:
    return datetime.now(ZoneInfo(tz)).date()


def _record_inquiry(db: Session, *, kind: str, case: Case | None) -> None:
    """Audit the lookup (never what was typed) and count it for the statistics."""
    db.add(CaseInquiry(kind=kind, found=case is not None))
    audit.record(
        db,
        action=f"cases.inquiry.{kind}",
        actor="public",
        target_type="case" if case else None,
        target_id=case.id if case else None,
        details={"found": case is not None},
    )


def _view(db: Session, case: Case, today: date) -> CaseView:
    keys = {case.number_key, *[k for k in case.document_keys.splitlines() if k]}
    documents = db.scalars(
        select(Document)
        .where(Document.status == "published", Document.number_key.in_(keys))
        .order_by(Document.published_at)
    ).all()
    remaining = None
    if case.time_limit_on and case.closed_on is None:
        remaining = (case.time_limit_on - today).days
    return CaseView(case=case, documents=list(documents), days_remaining=remaining)


def find_case_for_party(
    db: Session, *, case_number: str, name: str, id_number: str, tz: str = "Asia/Shanghai"
) -> CaseView | None:
    """The case if this person is one of its parties and it is not flagged; else None.

    `id_number` must already have passed the GB 11643 check (the form does it).
    """
    key = case_number_key(case_number)
    id_hash = hash_id_number(id_number)
    name_hash = hash_name(name)
    case = db.scalar(
        select(Case)
        .join(CaseParty, CaseParty.case_id == Case.id)
        .where(
            Case.number_key == key,
            CaseParty.id_hash == id_hash,
            CaseParty.name_hash == name_hash,
            *_PUBLIC,
        )
        .options(selectinload(Case.events), selectinload(Case.measures))
        .limit(1)
    )
    _record_inquiry(db, kind="party", case=case)
    return _view(db, case, _local_today(tz)) if case else None


def clean_code(value: str) -> str:
    return "".join(ch for ch in (value or "").upper() if ch.isalnum())


def code_lookup_hash(code: str) -> str:
    """The keyed hash a typed access code is looked up by."""
    return keyed_hash(clean_code(code), "cases.access-code")


def find_case_with_code(
    db: Session,
    *,
    case_number: str,
    code: str,
    now: datetime | None = None,
    tz: str = "Asia/Shanghai",
) -> CaseView | None:
    """The case if `code` belongs to an approved, unexpired request for it; else None.

    The code is looked up by its keyed hash, then exactly one argon2 hash is
    verified: the request's, or a dummy one when no request has this code. An
    unknown case number, a wrong code for a case with many approved requests
    and the right code therefore cost the same.

    Codes approved before the keyed hash existed have none (their clear value
    was never stored). Until they expire they are still checked one by one,
    only when no request matched by keyed hash; the first successful use
    stores their keyed hash, so each such case drops out of this path.
    """
    now = now or utcnow()
    key = case_number_key(case_number)
    typed = clean_code(code)
    lookup = code_lookup_hash(typed)
    candidates = db.scalars(
        select(AccessRequest)
        .where(
            AccessRequest.number_key == key,
            AccessRequest.status == "approved",
            AccessRequest.code_hash.is_not(None),
            or_(
                AccessRequest.code_lookup == lookup,
                and_(AccessRequest.code_lookup.is_(None), AccessRequest.expires_at > now),
            ),
        )
        .order_by(AccessRequest.id)
    ).all()
    keyed = [r for r in candidates if r.code_lookup == lookup]
    # One verification when the keyed hash decides; older codes only as a fallback.
    to_verify: list[AccessRequest | None] = keyed[:1] or candidates or [None]
    match = None
    codes = hasher("access_code")
    for request in to_verify:
        try:
            # The dummy hash when no approved request matches: failing costs what succeeding does.
            codes.argon2.verify(request.code_hash if request else codes.dummy_hash, typed)
        except (VerificationError, InvalidHashError):
            continue
        match = request
    if match is not None and match.code_lookup is None:
        match.code_lookup = lookup
    case = None
    if match is not None and match.expires_at and match.expires_at > now:
        case = db.scalar(
            select(Case)
            .where(Case.number_key == key, Case.closed_on.is_(None), *_PUBLIC)
            .options(selectinload(Case.events), selectinload(Case.measures))
        )
    _record_inquiry(db, kind="code", case=case)
    return _view(db, case, _local_today(tz)) if case else None


# --- access requests -------------------------------------------------------


@dataclass(frozen=True)
class AccessRequestFields:
    case_number: str
    role: str
    relation: str
    requester_name: str
    id_number: str
    phone: str
    email: str
    locale: str = "zh_Hans"


def submit_access_request(db: Session, fields: AccessRequestFields) -> AccessRequest:
    """Record a request for officers to decide; it never says whether the case exists."""
    if fields.role not in REQUESTER_ROLES:
        raise CaseError(_l("Choose who you are."), "role")
    request = AccessRequest(
        reference=_new_reference(db),
        case_number=" ".join(fields.case_number.split())[:80],
        number_key=case_number_key(fields.case_number),
        role=fields.role,
        relation=fields.relation.strip()[:100],
        requester_name=fields.requester_name.strip()[:60],
        id_number=canonical_id_number(fields.id_number),
        id_hash=hash_id_number(fields.id_number),
        phone=fields.phone.strip()[:30],
        email=fields.email.strip()[:200],
        locale=fields.locale,
    )
    db.add(request)
    db.flush()
    audit.record(
        db,
        action="cases.access.request",
        actor="public",
        target_type="access_request",
        target_id=request.id,
    )
    return request


def _new_reference(db: Session) -> str:
    while True:
        reference = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
        if db.scalar(select(AccessRequest.id).where(AccessRequest.reference == reference)) is None:
            return reference


def new_access_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(4 * CODE_GROUPS))
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def case_for_request(db: Session, request: AccessRequest) -> Case | None:
    return db.scalar(select(Case).where(Case.number_key == request.number_key))


def approve_access_request(
    db: Session,
    request: AccessRequest,
    *,
    reason: str,
    officer: StaffUser,
    access_days: int,
    query_url: str,
    now: datetime | None = None,
) -> str:
    """Approve, and return the access code: shown once, mailed, stored only as an argon2 hash."""
    if request.status != "pending":
        raise RequestAlreadyDecided(_l("This request has already been decided."))
    case = case_for_request(db, request)
    if case is None:
        raise CaseError(
            _l("No imported case has this number. Refuse the request, or import the case first."),
            "reason",
        )
    if case.closed_on is not None:
        raise CaseError(_l("The case is closed: access cannot be given any more."), "reason")
    if case.hidden:
        raise CaseError(
            _l(
                "The case involves a minor or a state secret, or is sealed: it cannot be "
                "followed online. Refuse the request and invite the requester to the reception."
            ),
            "reason",
        )
    now = now or utcnow()
    code = new_access_code()
    _decide(db, request, status="approved", reason=reason, officer=officer, now=now)
    request.code_hash = hasher("access_code").argon2.hash(clean_code(code))
    request.code_lookup = code_lookup_hash(code)
    request.expires_at = now + timedelta(days=access_days)
    db.flush()
    with force_locale(request.locale):
        body = _l(
            "Your request %(reference)s has been approved.\n\n"
            "Your access code is: %(code)s\n\n"
            "Enter it with the case number at %(url)s. "
            "The code works for %(days)d days, or until the case is closed.",
            reference=request.reference,
            code=code,
            url=query_url,
            days=access_days,
        )
        _mail_requester(db, request, str(body))
    _audit_decision(db, request, officer)
    return code


def refuse_access_request(
    db: Session,
    request: AccessRequest,
    *,
    reason: str,
    officer: StaffUser,
    now: datetime | None = None,
) -> None:
    if request.status != "pending":
        raise RequestAlreadyDecided(_l("This request has already been decided."))
    _decide(db, request, status="refused", reason=reason, officer=officer, now=now or utcnow())
    with force_locale(request.locale):
        body = _l(
            "Your request %(reference)s has been refused. The reason is:\n\n"
            "%(reason)s\n\nYou may make a new request, or call 12309.",
            reference=request.reference,
            reason=request.reason,
        )
        _mail_requester(db, request, str(body))
    _audit_decision(db, request, officer)


def _decide(
    db: Session,
    request: AccessRequest,
    *,
    status: str,
    reason: str,
    officer: StaffUser,
    now: datetime,
) -> None:
    request.status = status
    request.reason = reason.strip()
    request.decided_by_id = officer.id
    request.decided_at = now
    db.flush()


def _mail_requester(db: Session, request: AccessRequest, body: str) -> None:
    """The decision, in the requester's language; the subject names no case."""
    queue_mail(db, to=request.email, subject=str(_l("Your request to follow a case")), body=body)


def _audit_decision(db: Session, request: AccessRequest, officer: StaffUser) -> None:
    audit.record(
        db,
        action=f"cases.access.{'approve' if request.status == 'approved' else 'refuse'}",
        actor=officer.username,
        actor_id=officer.id,
        target_type="access_request",
        target_id=request.id,
    )


# --- staff -----------------------------------------------------------------


def seal_case(db: Session, case: Case, *, officer: StaffUser) -> None:
    """Hide a case from every public page; a later import does not unseal it."""
    if case.sealed_at is None:
        case.sealed_at = utcnow()
        case.sealed_by_id = officer.id
        db.flush()
    audit.record(
        db,
        action="cases.seal",
        actor=officer.username,
        actor_id=officer.id,
        target_type="case",
        target_id=case.id,
    )


@dataclass(frozen=True)
class InquiryStats:
    days: int
    party_found: int
    party_not_found: int
    code_found: int
    code_not_found: int
    pending_requests: int


def inquiry_stats(db: Session, *, days: int = 30, now: datetime | None = None) -> InquiryStats:
    since = (now or utcnow()) - timedelta(days=days)
    rows = db.execute(
        select(CaseInquiry.kind, CaseInquiry.found, func.count())
        .where(CaseInquiry.at >= since)
        .group_by(CaseInquiry.kind, CaseInquiry.found)
    ).all()
    counts = {(kind, bool(found)): n for kind, found, n in rows}
    pending = db.scalar(
        select(func.count()).select_from(AccessRequest).where(AccessRequest.status == "pending")
    )
    return InquiryStats(
        days=days,
        party_found=counts.get(("party", True), 0),
        party_not_found=counts.get(("party", False), 0),
        code_found=counts.get(("code", True), 0),
        code_not_found=counts.get(("code", False), 0),
        pending_requests=pending or 0,
    )
