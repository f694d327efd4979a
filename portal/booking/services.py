"""Booking rules: eligibility, seats kept by the database, the waiting list, the lottery,
check-in, reminders and questionnaire invitations.

Functions take the session and what they need explicitly, flush, and leave the
commit to the caller. Seats are counted by conditional UPDATEs on the session
row (`seats_taken + n <= capacity` in the WHERE clause), so two requests can
never both take the last seat, on SQLite as on PostgreSQL.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, url_for
from flask_babel import LazyString, force_locale, format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from .. import audit
from ..crypto import keyed_hash
from ..disclosure.guard import is_valid_id_number
from ..mail import queue_mail
from ..staff.models import StaffUser
from ..wording import choose
from .models import (
    ACTIVE_STATUSES,
    ATTENDED,
    CANCELLED,
    CONFIRMED,
    ENTERED,
    FCFS,
    LOTTERY,
    WAITLISTED,
    Booking,
    Office,
    OpenDay,
    OpenDaySession,
)
from .types import ALLOCATIONS, ID_TYPES

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
CODE_LENGTH = 8
ID_HASH_PURPOSE = "booking-id-number"
LOTTERY_ALGORITHM = "HMAC-SHA256"

_HMT_PERMIT = re.compile(r"(?:[HM][0-9]{8}|[HM][0-9]{10}|[0-9]{8}|[0-9]{10})")
_PASSPORT = re.compile(r"[A-Z0-9]{5,17}")
_PHONE = re.compile(r"\+?[0-9]{7,15}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class BookingError(Exception):
    """A rule stopped the action; `message` says what to do, `field` where."""

    def __init__(self, message: LazyString | str, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


class RegistrationNotOpen(BookingError):
    pass


class RegistrationClosed(BookingError):
    pass


class SessionPast(BookingError):
    pass


class SessionFull(BookingError):
    pass


class NotEligible(BookingError):
    pass


class InvalidIdNumber(BookingError):
    pass


class PartyTooLarge(BookingError):
    pass


class AlreadyBooked(BookingError):
    pass


class BookingNotFound(BookingError):
    pass


class AlreadyCheckedIn(BookingError):
    pass


class NotCheckedInable(BookingError):
    pass


class LotteryError(BookingError):
    pass


# --- small helpers -------------------------------------------------------------


def local_zone() -> ZoneInfo:
    return ZoneInfo(str(current_app.config["BABEL_DEFAULT_TIMEZONE"]))


def local_date(moment: datetime) -> date:
    return moment.astimezone(local_zone()).date()


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """ABCD2345 -> ABCD-2345, for reading aloud and copying."""
    return f"{code[:4]}-{code[4:]}"


def normalise_code(raw: str) -> str:
    """What was typed, upper-cased, without spaces or hyphens (full-width folded)."""
    folded = raw.translate({code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)})
    return re.sub(r"[\s\-–—_]", "", folded).upper()


def normalise_phone(raw: str) -> str:
    return re.sub(r"[\s\-()]", "", raw)


def normalise_id_number(raw: str) -> str:
    folded = raw.translate({code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)})
    return re.sub(r"[\s\-]", "", folded).upper()


def mask_identity(number: str) -> str:
    """Enough to compare with the document at the door, not enough to misuse.

    110101199003077774 -> 110***********7774; short numbers keep one character at
    each end.
    """
    if len(number) >= 15:
        return number[:3] + "*" * (len(number) - 7) + number[-4:]
    if len(number) <= 2:
        return "*" * len(number)
    return number[0] + "*" * (len(number) - 2) + number[-1]


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def birth_date_from_id(number: str) -> date:
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


# --- eligibility ---------------------------------------------------------------


@dataclass
class BookingRequest:
    """What the person typed, already trimmed."""

    session_id: int
    name: str
    id_type: str
    id_number: str
    phone: str
    email: str
    birth_date: date | None = None
    members: tuple[str, ...] = ()
    language: str = "zh_Hans"


def check_identity(
    open_day: OpenDay, id_type: str, raw_number: str, birth_date: date | None, on: date
) -> str:
    """Validate the document and the age on the visit day; returns the normalised number."""
    if id_type not in open_day.id_type_set:
        accepted = ", ".join(str(ID_TYPES[t]) for t in ID_TYPES if t in open_day.id_type_set)
        raise NotEligible(
            _l("This open day accepts only: %(types)s. Choose one of them.", types=accepted),
            "id_type",
        )
    number = normalise_id_number(raw_number)
    if id_type == "resident_card":
        if not is_valid_id_number(number):
            raise InvalidIdNumber(
                _l(
                    "Enter the 18-character resident identity card number exactly as it is "
                    "on the card; the last character is a digit or X."
                ),
                "id_number",
            )
        born = birth_date_from_id(number)
        age_field = "id_number"
    else:
        pattern = _HMT_PERMIT if id_type == "hmt_permit" else _PASSPORT
        if not pattern.fullmatch(number):
            message = (
                _l("Enter the permit number as printed, for example H12345678 or 12345678.")
                if id_type == "hmt_permit"
                else _l("Enter the passport number as printed: 5 to 17 letters and digits.")
            )
            raise InvalidIdNumber(message, "id_number")
        if birth_date is None:
            raise NotEligible(_l("Enter your date of birth, for example 1990-03-07."), "birth_date")
        born = birth_date
        age_field = "birth_date"
    age = age_on(born, on)
    if not open_day.min_age <= age <= open_day.max_age:
        raise NotEligible(
            _l(
                "Visitors must be %(min)d to %(max)d years old on the day of the visit.",
                min=open_day.min_age,
                max=open_day.max_age,
            ),
            age_field,
        )
    return number


def _check_window(open_day: OpenDay, now: datetime) -> None:
    if now < open_day.opens_at:
        opens = format_datetime(open_day.opens_at, "yyyy-MM-dd HH:mm")
        raise RegistrationNotOpen(
            _l("Registration opens on %(when)s. Please come back then.", when=opens)
        )
    if now >= open_day.closes_at:
        raise RegistrationClosed(
            _l("Registration for this open day has closed. Choose another open day.")
        )


def _session_of(db: Session, open_day: OpenDay, session_id: int, now: datetime) -> OpenDaySession:
    session = db.get(OpenDaySession, session_id)
    if session is None or session.open_day_id != open_day.id:
        raise BookingError(_l("Choose one of the sessions listed."), "session_id")
    if session.starts_at <= now:
        raise SessionPast(
            _l("This session has already started. Choose a later session."), "session_id"
        )
    return session


# --- seats ---------------------------------------------------------------------


def _take_seats(db: Session, session_id: int, seats: int, *, only_without_queue: bool) -> bool:
    """Take `seats` if they are free, in one conditional UPDATE; True when taken."""
    stmt = update(OpenDaySession).where(
        OpenDaySession.id == session_id,
        OpenDaySession.seats_taken + seats <= OpenDaySession.capacity,
    )
    if only_without_queue:
        # Nobody may jump the waiting list.
        stmt = stmt.where(OpenDaySession.waitlisted == 0)
    result = db.execute(
        stmt.values(seats_taken=OpenDaySession.seats_taken + seats),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount == 1


def _release_seats(db: Session, session_id: int, seats: int) -> None:
    db.execute(
        update(OpenDaySession)
        .where(OpenDaySession.id == session_id)
        .values(seats_taken=OpenDaySession.seats_taken - seats),
        execution_options={"synchronize_session": False},
    )


def _join_waitlist(db: Session, session_id: int, limit: int | None) -> bool:
    stmt = update(OpenDaySession).where(OpenDaySession.id == session_id)
    if limit is not None:
        stmt = stmt.where(OpenDaySession.waitlisted + 1 <= limit)
    result = db.execute(
        stmt.values(waitlisted=OpenDaySession.waitlisted + 1),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount == 1


def _leave_waitlist(db: Session, session_id: int) -> None:
    db.execute(
        update(OpenDaySession)
        .where(OpenDaySession.id == session_id)
        .values(waitlisted=OpenDaySession.waitlisted - 1),
        execution_options={"synchronize_session": False},
    )


def _set_status(db: Session, booking_id: int, expected: tuple[str, ...], **values: object) -> bool:
    """Move a booking on only if it is still in one of `expected`; True when it moved."""
    result = db.execute(
        update(Booking)
        .where(Booking.id == booking_id, Booking.status.in_(expected))
        .values(**values),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount == 1


# --- booking -------------------------------------------------------------------


def book_seat(db: Session, open_day: OpenDay, req: BookingRequest, *, now: datetime) -> Booking:
    """Book for a party: confirmed, waitlisted, or entered in the draw.

    Raises a BookingError subclass, having written nothing the caller must keep;
    the caller rolls back on error.
    """
    _check_window(open_day, now)
    session = _session_of(db, open_day, req.session_id, now)
    party_size = 1 + len(req.members)
    if party_size > open_day.max_party:
        raise PartyTooLarge(
            _l(
                "A booking can be for at most %(max)d people, you included. "
                "Remove some members or make another booking.",
                max=open_day.max_party,
            ),
            "members",
        )
    number = check_identity(
        open_day, req.id_type, req.id_number, req.birth_date, local_date(session.starts_at)
    )
    active_key = f"{open_day.id}:{keyed_hash(number, ID_HASH_PURPOSE)}"
    duplicate = _l(
        "This ID number already has a booking for this open day. "
        "To change session, cancel that booking first."
    )
    if db.scalar(select(Booking.id).where(Booking.active_key == active_key)) is not None:
        raise AlreadyBooked(duplicate, "id_number")

    if open_day.allocation == LOTTERY:
        status = ENTERED
    elif _take_seats(db, session.id, party_size, only_without_queue=True):
        status = CONFIRMED
    elif _join_waitlist(db, session.id, open_day.waitlist_limit):
        status = WAITLISTED
    else:
        raise SessionFull(
            _l("This session is full and so is its waiting list. Choose another session."),
            "session_id",
        )
    booking = Booking(
        code=new_code(),
        open_day_id=open_day.id,
        session_id=session.id,
        status=status,
        active_key=active_key,
        name=req.name,
        id_type=req.id_type,
        id_number=number,
        phone=normalise_phone(req.phone),
        email=req.email,
        members="\n".join(req.members),
        party_size=party_size,
        language=req.language,
        created_at=now,
    )
    db.add(booking)
    try:
        db.flush()
    except IntegrityError as exc:
        # Two requests with the same ID at once: the unique active key decides.
        if "active_key" in str(exc.orig):
            raise AlreadyBooked(duplicate, "id_number") from exc
        raise
    if status == WAITLISTED:
        booking.queue_rank = booking.id
        db.flush()
    return booking


def find_booking(db: Session, code: str, phone: str) -> Booking:
    """The booking with this code, if the phone number matches too."""
    not_found = BookingNotFound(
        _l(
            "No booking matches this code and phone number. Check both against your "
            "confirmation; the code has 8 letters and digits."
        )
    )
    booking = db.scalar(select(Booking).where(Booking.code == normalise_code(code)))
    if booking is None:
        raise not_found
    if not hmac.compare_digest(booking.phone.encode(), normalise_phone(phone).encode()):
        raise not_found
    return booking


def waitlist_position(db: Session, booking: Booking) -> int | None:
    """1 for the first on the waiting list; None when not waitlisted."""
    if booking.status != WAITLISTED or booking.queue_rank is None:
        return None
    ahead = db.scalar(
        select(func.count())
        .select_from(Booking)
        .where(
            Booking.session_id == booking.session_id,
            Booking.status == WAITLISTED,
            Booking.queue_rank < booking.queue_rank,
        )
    )
    return int(ahead or 0) + 1


def cancel_booking(db: Session, booking: Booking, *, now: datetime) -> list[Booking]:
    """Cancel; a freed seat goes to the waiting list at once. Returns who was promoted."""
    if booking.session.starts_at <= now:
        raise SessionPast(_l("This session has already started; it can no longer be cancelled."))
    previous = booking.status
    if previous not in (CONFIRMED, WAITLISTED, ENTERED) or not _set_status(
        db,
        booking.id,
        (previous,),
        status=CANCELLED,
        active_key=None,
        cancelled_at=now,
    ):
        raise BookingError(_l("This booking is already cancelled."))
    if previous == CONFIRMED:
        _release_seats(db, booking.session_id, booking.party_size)
    elif previous == WAITLISTED:
        _leave_waitlist(db, booking.session_id)
    db.flush()
    promoted = promote_waitlisted(db, booking.session_id, now=now)
    db.refresh(booking)
    return promoted


def promote_waitlisted(db: Session, session_id: int, *, now: datetime) -> list[Booking]:
    """Give free seats to the waiting list in order; each promoted person gets an e-mail.

    Stops at the first party that does not fit, so that nobody is overtaken.
    """
    promoted: list[Booking] = []
    while True:
        head = db.scalar(
            select(Booking)
            .where(Booking.session_id == session_id, Booking.status == WAITLISTED)
            .order_by(Booking.queue_rank, Booking.id)
            .limit(1)
        )
        if head is None or not _take_seats(
            db, session_id, head.party_size, only_without_queue=False
        ):
            break
        if not _set_status(db, head.id, (WAITLISTED,), status=CONFIRMED, promoted_at=now):
            _release_seats(db, session_id, head.party_size)  # promoted meanwhile by another
            continue
        _leave_waitlist(db, session_id)
        db.flush()
        db.refresh(head)
        _mail(
            db,
            head,
            subject=_l("Open day: a seat is now yours"),
            lead=_l(
                "A seat became free and your booking moved from the waiting list: "
                "it is now confirmed."
            ),
        )
        promoted.append(head)
    return promoted


# --- e-mail --------------------------------------------------------------------


def _find_url() -> str:
    """The public address of the find-a-booking page (PORTAL_PUBLIC_URL, also from cron)."""
    return url_for("booking.find_booking", _external=True)


def _title(booking: Booking) -> str:
    """The open day's title in the language the booking was made in."""
    day = booking.open_day
    return choose(day.title, day.title_en, booking.language).text


def _mail(db: Session, booking: Booking, *, subject: LazyString, lead: LazyString) -> None:
    """A fixed subject; the body names the event, the time and the code, never the person."""
    with force_locale(booking.language):
        session = booking.session
        when = format_datetime(session.starts_at, "yyyy-MM-dd HH:mm")
        body = "\n\n".join(
            [
                str(lead),
                _("Open day: %(title)s", title=_title(booking)),
                _(
                    "Place: %(office)s, %(address)s",
                    office=booking.open_day.office.name,
                    address=booking.open_day.office.address,
                ),
                _("Time: %(when)s", when=when),
                _("Booking code: %(code)s", code=format_code(booking.code)),
                _(
                    "To see or cancel your booking, go to %(url)s and enter the code "
                    "with your phone number.",
                    url=_find_url(),
                ),
            ]
        )
        queue_mail(db, to=booking.email, subject=str(subject), body=body)


# --- lottery -------------------------------------------------------------------


def draw_key(seed: str, booking_id: int) -> str:
    """The sort key of one entry: HMAC-SHA256(key=seed, message=entry number), hex."""
    return hmac.new(seed.encode(), str(booking_id).encode(), hashlib.sha256).hexdigest()


def draw_order(seed: str, entry_ids: list[int]) -> list[int]:
    """Entry numbers in draw order: by draw_key ascending. Anyone can recompute it."""
    return sorted(entry_ids, key=lambda entry: draw_key(seed, entry))


def run_lottery(
    db: Session, open_day: OpenDay, staff: StaffUser, *, now: datetime, seed: str | None = None
) -> tuple[int, int]:
    """Draw once registration has closed: winners confirmed up to each session's capacity,
    the others waitlisted in draw order. Returns (confirmed, waitlisted)."""
    if open_day.allocation != LOTTERY:
        raise LotteryError(_l("This open day is first come, first served; it has no draw."))
    if open_day.lottery_seed is not None:
        raise LotteryError(_l("The draw for this open day has already been made."))
    if now < open_day.closes_at:
        raise LotteryError(_l("The draw can be made only after registration closes."))
    seed = seed or secrets.token_hex(16)
    # Claim the draw first: of two coordinators pressing the button at once, one draws.
    claimed = db.execute(
        update(OpenDay)
        .where(OpenDay.id == open_day.id, OpenDay.lottery_seed.is_(None))
        .values(lottery_seed=seed, lottery_drawn_at=now),
        execution_options={"synchronize_session": False},
    )
    if claimed.rowcount != 1:
        raise LotteryError(_l("The draw for this open day has already been made."))
    entries = {
        b.id: b
        for b in db.scalars(
            select(Booking).where(Booking.open_day_id == open_day.id, Booking.status == ENTERED)
        )
    }
    confirmed = waitlisted = 0
    for rank, entry_id in enumerate(draw_order(seed, list(entries)), start=1):
        booking = entries[entry_id]
        booking.queue_rank = rank
        if _take_seats(db, booking.session_id, booking.party_size, only_without_queue=False):
            booking.status = CONFIRMED
            confirmed += 1
            lead = _l("The draw has been made: your booking is confirmed.")
        else:
            _join_waitlist(db, booking.session_id, None)
            booking.status = WAITLISTED
            waitlisted += 1
            lead = _l(
                "The draw has been made: your booking is on the waiting list. If a seat "
                "becomes free, it will be yours in draw order and we will write to you."
            )
        db.flush()
        _mail(db, booking, subject=_l("Open day: result of the draw"), lead=lead)
    db.refresh(open_day)
    audit.record(
        db,
        action="booking.lottery_run",
        actor=staff.username,
        actor_id=staff.id,
        target_type="open_day",
        target_id=open_day.id,
        details={"seed": seed, "entries": len(entries), "confirmed": confirmed},
    )
    return confirmed, waitlisted


def lottery_results(db: Session, open_day: OpenDay) -> list[tuple[int, int, str]]:
    """(draw position, entry number, outcome status) for the public results page."""
    rows = db.execute(
        select(Booking.queue_rank, Booking.id, Booking.status)
        .where(Booking.open_day_id == open_day.id, Booking.queue_rank.is_not(None))
        .order_by(Booking.queue_rank)
    ).all()
    return [(int(r[0]), int(r[1]), str(r[2])) for r in rows]


# --- check-in ------------------------------------------------------------------


def find_for_check_in(db: Session, code: str, staff: StaffUser) -> Booking:
    booking = db.scalar(select(Booking).where(Booking.code == normalise_code(code)))
    if booking is None:
        raise BookingNotFound(
            _l("No booking has this code. Check the 8 letters and digits and try again."), "code"
        )
    audit.record(
        db,
        action="booking.check_in_lookup",
        actor=staff.username,
        actor_id=staff.id,
        target_type="booking",
        target_id=booking.id,
    )
    return booking


def check_in(db: Session, booking: Booking, staff: StaffUser, *, now: datetime) -> None:
    """Mark the party attended; a second check-in is refused."""
    if booking.status == ATTENDED:
        when = format_datetime(booking.checked_in_at, "HH:mm") if booking.checked_in_at else ""
        raise AlreadyCheckedIn(_l("Already checked in at %(when)s. Do not admit twice.", when=when))
    if not _set_status(
        db, booking.id, (CONFIRMED,), status=ATTENDED, checked_in_at=now, checked_in_by_id=staff.id
    ):
        db.refresh(booking)
        if booking.status == ATTENDED:
            raise AlreadyCheckedIn(_l("Already checked in. Do not admit twice."))
        raise NotCheckedInable(_l("This booking is not confirmed, so it cannot be checked in."))
    audit.record(
        db,
        action="booking.check_in",
        actor=staff.username,
        actor_id=staff.id,
        target_type="booking",
        target_id=booking.id,
    )
    db.flush()
    db.refresh(booking)


# --- reminders and invitations ---------------------------------------------------


def send_reminders(db: Session, *, now: datetime) -> int:
    """Mail every confirmed party whose session is tomorrow (local time), once each.

    Each booking is claimed by a conditional UPDATE of reminded_at in the same
    transaction as its mail, so two runs at once never both send it.
    """
    tomorrow = local_date(now) + timedelta(days=1)
    start = datetime.combine(tomorrow, datetime.min.time(), tzinfo=local_zone())
    end = start + timedelta(days=1)
    candidates = db.scalars(
        select(Booking)
        .join(OpenDaySession, Booking.session_id == OpenDaySession.id)
        .where(
            Booking.status == CONFIRMED,
            Booking.reminded_at.is_(None),
            OpenDaySession.starts_at >= start,
            OpenDaySession.starts_at < end,
        )
        .order_by(Booking.id)
    ).all()
    sent = 0
    for booking in candidates:
        claimed = db.execute(
            update(Booking)
            .where(Booking.id == booking.id, Booking.reminded_at.is_(None))
            .values(reminded_at=now),
            execution_options={"synchronize_session": False},
        )
        if claimed.rowcount != 1:
            continue
        _mail(
            db,
            booking,
            subject=_l("Open day reminder: your visit is tomorrow"),
            lead=_l(
                "A reminder: your visit is tomorrow. Bring the identity document you booked "
                "with and your booking code. If you cannot come, please cancel so that "
                "someone on the waiting list can have your seat."
            ),
        )
        sent += 1
    return sent


def send_invitations(
    db: Session,
    *,
    now: datetime,
    link_for: Callable[[Session, Booking, datetime], str | None] | None = None,
) -> int:
    """After the event, invite those who attended to its questionnaire, once each.

    `link_for` gives the address to mail a booking (for example a single-use invitation
    link), or None to leave it out; by default, the open day's questionnaire address."""
    candidates = db.scalars(
        select(Booking)
        .join(OpenDaySession, Booking.session_id == OpenDaySession.id)
        .join(OpenDay, Booking.open_day_id == OpenDay.id)
        .where(
            Booking.status == ATTENDED,
            Booking.invited_at.is_(None),
            OpenDaySession.ends_at <= now,
            OpenDay.questionnaire_url != "",
        )
        .order_by(Booking.id)
    ).all()
    sent = 0
    for booking in candidates:
        claimed = db.execute(
            update(Booking)
            .where(Booking.id == booking.id, Booking.invited_at.is_(None))
            .values(invited_at=now),
            execution_options={"synchronize_session": False},
        )
        if claimed.rowcount != 1:
            continue
        url = link_for(db, booking, now) if link_for else booking.open_day.questionnaire_url
        if not url:
            continue
        with force_locale(booking.language):
            body = "\n\n".join(
                [
                    _(
                        "Thank you for visiting our open day: %(title)s.",
                        title=_title(booking),
                    ),
                    _(
                        "Please tell us what you thought of it. The questionnaire takes a few "
                        "minutes: %(url)s",
                        url=url,
                    ),
                ]
            )
            queue_mail(
                db, to=booking.email, subject=_("Open day: tell us what you thought"), body=body
            )
        sent += 1
    return sent


# --- staff: offices, open days, sessions ---------------------------------------


@dataclass
class OfficeFields:
    name: str
    address: str
    hours: str = ""
    contact: str = ""
    directions: str = ""


@dataclass
class OpenDayFields:
    office_id: int
    title: str
    description: str
    what_to_bring: str
    opens_at: datetime
    closes_at: datetime
    min_age: int = 10
    max_age: int = 80
    id_types: tuple[str, ...] = tuple(ID_TYPES)
    max_party: int = 1
    allocation: str = FCFS
    waitlist_limit: int = 200
    questionnaire_url: str = ""
    title_en: str = ""
    description_en: str = ""
    what_to_bring_en: str = ""


def _audit(db: Session, staff: StaffUser, action: str, target: str, target_id: int) -> None:
    audit.record(
        db,
        action=action,
        actor=staff.username,
        actor_id=staff.id,
        target_type=target,
        target_id=target_id,
    )


def save_office(
    db: Session, fields: OfficeFields, staff: StaffUser, office: Office | None = None
) -> Office:
    created = office is None
    office = office or Office()
    for key, value in vars(fields).items():
        setattr(office, key, value)
    db.add(office)
    db.flush()
    _audit(
        db,
        staff,
        "booking.office_created" if created else "booking.office_updated",
        "office",
        office.id,
    )
    return office


def save_open_day(
    db: Session, fields: OpenDayFields, staff: StaffUser, open_day: OpenDay | None = None
) -> OpenDay:
    if fields.closes_at <= fields.opens_at:
        raise BookingError(_l("Registration must close after it opens."), "closes_at")
    if fields.min_age > fields.max_age:
        raise BookingError(_l("The minimum age must not be above the maximum age."), "min_age")
    if not fields.id_types or not set(fields.id_types) <= set(ID_TYPES):
        raise BookingError(_l("Accept at least one type of identity document."), "id_types")
    if fields.allocation not in ALLOCATIONS:
        raise BookingError(_l("Choose how seats are allocated."), "allocation")
    if db.get(Office, fields.office_id) is None:
        raise BookingError(_l("Choose an office."), "office_id")
    created = open_day is None
    if open_day is not None and open_day.allocation != fields.allocation:
        has_bookings = db.scalar(
            select(func.count()).select_from(Booking).where(Booking.open_day_id == open_day.id)
        )
        if has_bookings:
            raise BookingError(
                _l("The allocation mode cannot change once people have booked."), "allocation"
            )
    open_day = open_day or OpenDay()
    for key, value in vars(fields).items():
        setattr(open_day, key, " ".join(value) if key == "id_types" else value)
    db.add(open_day)
    db.flush()
    _audit(
        db,
        staff,
        "booking.open_day_created" if created else "booking.open_day_updated",
        "open_day",
        open_day.id,
    )
    return open_day


def save_session(
    db: Session,
    open_day: OpenDay,
    staff: StaffUser,
    *,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int,
    now: datetime,
    session: OpenDaySession | None = None,
) -> OpenDaySession:
    if ends_at <= starts_at:
        raise BookingError(_l("The session must end after it starts."), "ends_at")
    if capacity < 1:
        raise BookingError(_l("Enter a capacity of at least 1."), "capacity")
    created = session is None
    session = session or OpenDaySession(open_day_id=open_day.id, seats_taken=0, waitlisted=0)
    if capacity < (session.seats_taken or 0):
        raise BookingError(
            _l(
                "%(taken)d seats are already booked: the capacity cannot be lower.",
                taken=session.seats_taken,
            ),
            "capacity",
        )
    session.starts_at, session.ends_at, session.capacity = starts_at, ends_at, capacity
    db.add(session)
    db.flush()
    if not created:
        promote_waitlisted(db, session.id, now=now)  # more seats go to the waiting list
    _audit(
        db,
        staff,
        "booking.session_created" if created else "booking.session_updated",
        "open_day_session",
        session.id,
    )
    return session


def _has_bookings(db: Session, *where: ColumnElement[bool]) -> bool:
    return db.scalar(select(Booking.id).where(*where).limit(1)) is not None


def delete_session(db: Session, session: OpenDaySession, staff: StaffUser) -> None:
    """Remove a session nobody has booked; a booked one must stay (its bookings refer to it)."""
    if _has_bookings(db, Booking.session_id == session.id):
        raise BookingError(_l("People have booked this session, so it cannot be deleted."))
    session_id = session.id
    db.delete(session)
    db.flush()
    _audit(db, staff, "booking.session_deleted", "open_day_session", session_id)


def delete_open_day(db: Session, open_day: OpenDay, staff: StaffUser) -> None:
    """Remove an open day nobody has booked, with its sessions."""
    if _has_bookings(db, Booking.open_day_id == open_day.id):
        raise BookingError(_l("People have booked this open day, so it cannot be deleted."))
    open_day_id = open_day.id
    for session in list(open_day.sessions):
        db.delete(session)
    db.delete(open_day)
    db.flush()
    _audit(db, staff, "booking.open_day_deleted", "open_day", open_day_id)


def list_attendees(db: Session, open_day: OpenDay, staff: StaffUser, purpose: str) -> list[Booking]:
    """Confirmed and attended parties, by session; staff access is audited."""
    rows = db.scalars(
        select(Booking)
        .join(OpenDaySession, Booking.session_id == OpenDaySession.id)
        .where(Booking.open_day_id == open_day.id, Booking.status.in_((CONFIRMED, ATTENDED)))
        .order_by(OpenDaySession.starts_at, Booking.id)
    ).all()
    audit.record(
        db,
        action=f"booking.attendees_{purpose}",
        actor=staff.username,
        actor_id=staff.id,
        target_type="open_day",
        target_id=open_day.id,
        details={"rows": len(rows)},
    )
    return list(rows)


def is_active(booking: Booking) -> bool:
    return booking.status in ACTIVE_STATUSES
