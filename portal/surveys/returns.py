"""Return visits from real lists: open-day attendees, submitters whose matter was answered,
and parties of closed cases, each invited once to a questionnaire by invitation.

Each person becomes a keyed hash of their reference in the list (their e-mail address
for the lists that mail, case and party for case parties), stored with a unique
constraint per questionnaire: a second run skips whoever was already invited.
Mail carries only the code and the link, never case or submission content; case
parties get printed codes labelled by case number only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException

from .. import audit
from ..booking.models import ATTENDED, Booking, OpenDay
from ..cases.models import Case, CaseParty
from ..crypto import keyed_hash
from ..db import utcnow
from ..mail import queue_mail
from ..public_url import public_base
from ..staff.models import StaffUser
from ..submissions.models import Submission
from ..submissions.services import identity_of
from .models import Questionnaire, ReturnVisit
from .services import (
    MAX_INVITATIONS,
    SurveyError,
    check_may_invite,
    format_code,
    new_invitation,
    newest_version,
)

OPEN_DAY, ANSWERED, CLOSED_CASE = "open_day", "answered", "closed_case"
CLI_VALID_DAYS = 30  # invitations mailed by `flask booking send-invitations`
SOURCES = {
    OPEN_DAY: _l("People who attended an open day (by e-mail)"),
    ANSWERED: _l("People whose complaint, appeal or report was answered (by e-mail)"),
    CLOSED_CASE: _l("Parties of closed cases (printed codes, labelled by case number)"),
}


@dataclass(frozen=True)
class Invitee:
    """One person on a list: their reference (hashed before it is stored), how to reach them."""

    reference: str
    email: str = ""  # empty: a printed code
    label: str = ""  # for printed codes: the case number, never a name
    booking_id: int | None = None


def open_day_attendees(db: Session, open_day_id: int) -> list[Invitee]:
    """Those marked as attended at the open day, not already sent its questionnaire link."""
    bookings = db.scalars(
        select(Booking)
        .where(
            Booking.open_day_id == open_day_id,
            Booking.status == ATTENDED,
            Booking.invited_at.is_(None),
        )
        .order_by(Booking.id)
    ).all()
    return [
        Invitee(_email_reference(b.email), email=b.email.strip(), booking_id=b.id)
        for b in bookings
        if b.email.strip()
    ]


def answered_submitters(db: Session) -> list[Invitee]:
    """Submitters who gave an e-mail address and whose matter was answered."""
    submissions = db.scalars(
        select(Submission)
        .where(Submission.answered_at.is_not(None), Submission.spam.is_(False))
        .order_by(Submission.id)
    ).all()
    invitees = []
    for submission in submissions:
        email = (identity_of(submission).get("email") or "").strip()
        if email:
            invitees.append(Invitee(_email_reference(email), email=email))
    return invitees


def closed_case_parties(db: Session) -> list[Invitee]:
    """One printed code per party of a closed case; sealed and secret cases are left out."""
    rows = db.execute(
        select(Case.id, Case.number, CaseParty.id_hash)
        .join(CaseParty, CaseParty.case_id == Case.id)
        .where(
            Case.closed_on.is_not(None),
            Case.sealed.is_(False),
            Case.state_secret.is_(False),
        )
        .order_by(Case.closed_on, Case.id, CaseParty.position)
    ).all()
    return [Invitee(f"case:{case_id}:{id_hash}", label=number) for case_id, number, id_hash in rows]


def _email_reference(email: str) -> str:
    return "email:" + email.strip().lower()


def person_hash(reference: str) -> str:
    return keyed_hash(reference, "survey-invite")


@dataclass
class ReturnVisits:
    mailed: int = 0
    printed: list[tuple[str, str]] = field(default_factory=list)  # (case number, code)
    already: int = 0


def invite_list(
    db: Session,
    q: Questionnaire,
    *,
    source: str,
    invitees: Sequence[Invitee],
    valid_days: int,
    staff: StaffUser,
    link_for: Callable[[str], str],
    subject: str,
    body_for: Callable[[str, str], str],
) -> ReturnVisits:
    """Invite everyone on the list not yet invited to this questionnaire (any version)."""
    check_may_invite(q)
    if source not in SOURCES:
        raise SurveyError(_l("Choose who to invite."), "source")
    assert q.family_id is not None
    done = set(
        db.scalars(select(ReturnVisit.person_hash).where(ReturnVisit.family_id == q.family_id))
    )
    fresh: dict[str, Invitee] = {}
    for invitee in invitees:
        key = person_hash(invitee.reference)
        if key not in done and key not in fresh:
            fresh[key] = invitee
    result = ReturnVisits(already=len({person_hash(i.reference) for i in invitees}) - len(fresh))
    if not fresh:
        raise SurveyError(_l("Nobody on this list is left to invite to this questionnaire."))
    if len(fresh) > MAX_INVITATIONS:
        raise SurveyError(_l("Issue no more than 500 invitations at a time."))
    now = utcnow()
    expires = now + timedelta(days=valid_days)
    for key, invitee in fresh.items():
        code = _invite_one(db, q, key, source, staff, expires, by_mail=bool(invitee.email))
        if invitee.email:
            queue_mail(
                db,
                to=invitee.email,
                subject=subject,
                body=body_for(format_code(code), link_for(code)),
            )
            result.mailed += 1
        else:
            result.printed.append((invitee.label, format_code(code)))
        if invitee.booking_id is not None:
            # The open-day mailing (`flask booking send-invitations`) must not invite them again.
            db.execute(
                update(Booking)
                .where(Booking.id == invitee.booking_id, Booking.invited_at.is_(None))
                .values(invited_at=now),
                execution_options={"synchronize_session": False},
            )
    db.flush()
    audit.record(
        db,
        action="survey.return_visits",
        actor=staff.username,
        actor_id=staff.id,
        target_type="questionnaire",
        target_id=q.id,
        details={
            "source": source,
            "mailed": result.mailed,
            "printed": len(result.printed),
            "already_invited": result.already,
            "valid_days": valid_days,
        },
    )
    return result


def _invite_one(
    db: Session,
    q: Questionnaire,
    key: str,
    source: str,
    staff: StaffUser | None,
    expires: datetime,
    *,
    by_mail: bool,
) -> str:
    """A new invitation for the person whose hash is `key`, remembered; returns its code."""
    assert q.family_id is not None
    invitation, code = new_invitation(db, q, staff, expires, by_mail=by_mail)
    db.flush()
    db.add(
        ReturnVisit(
            family_id=q.family_id, person_hash=key, source=source, invitation_id=invitation.id
        )
    )
    return code


def portal_questionnaire(db: Session, url: str) -> Questionnaire | None:
    """The portal's own questionnaire by invitation that `url` points at, open for answers."""
    base = public_base()
    parts = urlsplit(url.strip())
    prefix = base.path.rstrip("/")
    if (parts.netloc and parts.netloc != base.netloc) or not parts.path.startswith(prefix):
        return None
    adapter = current_app.url_map.bind(base.netloc, url_scheme=base.scheme)
    try:
        endpoint, values = adapter.match(parts.path[len(prefix) :] or "/", method="GET")
    except HTTPException:
        return None
    if endpoint != "surveys.answer":
        return None
    q = newest_version(db, int(values["family_id"]))
    if q is None or q.audience != "invitation" or q.status != "published":
        return None
    return q


def open_day_invitation_link(db: Session, booking: Booking, now: datetime) -> str | None:
    """For `flask booking send-invitations`: the address to mail an attendee.

    When the open day's questionnaire is the portal's own questionnaire by invitation,
    the attendee gets a single-use code (in the link), once per questionnaire: None
    if they were already invited to it. Any other address is mailed as it is.
    """
    q = portal_questionnaire(db, booking.open_day.questionnaire_url)
    if q is None:
        return booking.open_day.questionnaire_url
    assert q.family_id is not None
    key = person_hash(_email_reference(booking.email))
    invited = db.scalar(
        select(ReturnVisit.id).where(
            ReturnVisit.family_id == q.family_id, ReturnVisit.person_hash == key
        )
    )
    if invited is not None:
        return None
    code = _invite_one(
        db, q, key, OPEN_DAY, None, now + timedelta(days=CLI_VALID_DAYS), by_mail=True
    )
    audit.record(
        db,
        action="survey.return_visits",
        actor="flask booking send-invitations",
        target_type="questionnaire",
        target_id=q.id,
        details={"source": OPEN_DAY, "mailed": 1, "valid_days": CLI_VALID_DAYS},
    )
    return url_for("surveys.follow_invitation", code=code, _external=True)


def open_days_with_attendees(db: Session) -> list[OpenDay]:
    """Open days at which somebody was marked as attended, newest first."""
    attended = select(Booking.open_day_id).where(Booking.status == ATTENDED)
    return list(
        db.scalars(
            select(OpenDay).where(OpenDay.id.in_(attended)).order_by(OpenDay.opens_at.desc())
        )
    )
