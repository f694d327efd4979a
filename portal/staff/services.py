"""Staff accounts: creation, password and TOTP checks, session validity.

Every change is audited here, so that the CLI and the web share one path.
"""

from __future__ import annotations

import hashlib
import secrets
import time

import pyotp
import segno
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from .. import audit
from ..db import utcnow
from ..hashing import hasher
from .models import ROLES, StaffSession, StaffUser

MIN_PASSWORD_LENGTH = 12
TOTP_ISSUER = "Procuratorate Portal"


class StaffError(Exception):
    """Base for staff-account errors a caller can show or report."""


class UsernameTaken(StaffError):
    pass


class UnknownRole(StaffError):
    pass


class WeakPassword(StaffError):
    pass


class StaffNotFound(StaffError):
    pass


def normalise_username(username: str) -> str:
    return username.strip().lower()


def find_staff(db: Session, username: str) -> StaffUser | None:
    return db.scalar(select(StaffUser).where(StaffUser.username == normalise_username(username)))


def create_staff(
    db: Session,
    *,
    username: str,
    password: str,
    roles: list[str],
    display_name: str | None = None,
    department: str = "",
    actor: str,
    actor_id: int | None = None,
) -> StaffUser:
    name = normalise_username(username)
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise UnknownRole(", ".join(unknown))
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(f"at least {MIN_PASSWORD_LENGTH} characters")
    if db.scalar(select(func.count()).where(StaffUser.username == name)):
        raise UsernameTaken(name)
    user = StaffUser(
        username=name,
        display_name=display_name or name,
        password_hash=hasher("password").argon2.hash(password),
        roles=" ".join(sorted(set(roles))),
        department=department.strip()[:120],
    )
    db.add(user)
    db.flush()
    audit.record(
        db,
        action="staff.create",
        actor=actor,
        actor_id=actor_id,
        target_type="staff_user",
        target_id=user.id,
        details={"roles": sorted(set(roles))},
    )
    return user


def set_department(
    db: Session, username: str, department: str, *, actor: str, actor_id: int | None = None
) -> StaffUser:
    """The department whose lawyers' appointments and slots a case officer handles."""
    user = find_staff(db, username)
    if user is None:
        raise StaffNotFound(normalise_username(username))
    user.department = department.strip()[:120]
    audit.record(
        db,
        action="staff.department",
        actor=actor,
        actor_id=actor_id,
        target_type="staff_user",
        target_id=user.id,
    )
    db.flush()
    return user


def check_password(db: Session, username: str, password: str) -> StaffUser | None:
    """The active account whose password matches, or None; same work either way."""
    user = find_staff(db, username)
    passwords = hasher("password")
    # The dummy hash is checked when the username is unknown, so that timing does not tell.
    stored = user.password_hash if user is not None and user.active else passwords.dummy_hash
    try:
        passwords.argon2.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if passwords.argon2.check_needs_rehash(user.password_hash):
        user.password_hash = passwords.argon2.hash(password)
    return user


def new_totp_secret() -> str:
    return pyotp.random_base32()


def start_totp_enrolment(user: StaffUser) -> str:
    """A new secret for the authenticator app, kept (encrypted) on the account until
    a code proves the app has it; every sign-in with the password starts afresh."""
    user.pending_totp_secret = new_totp_secret()
    return user.pending_totp_secret


def totp_uri(user: StaffUser, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=TOTP_ISSUER)


def totp_qr_svg(uri: str, title: str) -> str:
    """An inline SVG QR code (no image request, no script)."""
    return segno.make(uri, error="m").svg_inline(scale=5, title=title, border=2)


def _matching_counter(secret: str, code: str, at: float) -> int | None:
    code = "".join(code.split())
    if not (code.isascii() and code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now_counter = int(at) // totp.interval
    for counter in (now_counter - 1, now_counter, now_counter + 1):
        if secrets.compare_digest(totp.generate_otp(counter), code):
            return counter
    return None


def verify_totp(db: Session, user: StaffUser, code: str, at: float | None = None) -> bool:
    """Accept a code once: a replayed code (same or older time step) is refused."""
    if not user.totp_secret:
        return False
    counter = _matching_counter(user.totp_secret, code, time.time() if at is None else at)
    if counter is None or counter <= user.totp_last_counter:
        return False
    user.totp_last_counter = counter
    return True


def enrol_totp(
    db: Session, user: StaffUser, secret: str, code: str, at: float | None = None
) -> bool:
    """Store the secret only once the person proves their app produces its codes."""
    counter = _matching_counter(secret, code, time.time() if at is None else at)
    if counter is None:
        return False
    user.totp_secret = secret
    user.pending_totp_secret = None
    user.totp_last_counter = counter
    audit.record(
        db,
        action="staff.enrol_2fa",
        actor=user.username,
        actor_id=user.id,
        target_type="staff_user",
        target_id=user.id,
    )
    return True


def reset_totp(db: Session, username: str, *, actor: str, actor_id: int | None = None) -> StaffUser:
    user = find_staff(db, username)
    if user is None:
        raise StaffNotFound(username)
    user.totp_secret = None
    user.pending_totp_secret = None
    user.totp_last_counter = 0
    user.session_version += 1
    audit.record(
        db,
        action="staff.reset_2fa",
        actor=actor,
        actor_id=actor_id,
        target_type="staff_user",
        target_id=user.id,
    )
    return user


def record_login(db: Session, user: StaffUser) -> None:
    user.last_login_at = utcnow()
    audit.record(
        db,
        action="staff.login",
        actor=user.username,
        actor_id=user.id,
        target_type="staff_user",
        target_id=user.id,
    )


def record_failed_login(db: Session, username: str, stage: str) -> None:
    """Failed attempts are audited by the account name tried, never the password."""
    audit.record(
        db,
        action="staff.login_failed",
        actor=normalise_username(username)[:64] or "-",
        details={"stage": stage},
    )


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(db: Session, user: StaffUser) -> str:
    """A new signed-in session for one browser; the token goes in its cookie."""
    token = secrets.token_urlsafe(32)
    db.add(StaffSession(staff_id=user.id, token_hash=_token_hash(token), created_at=utcnow()))
    db.flush()
    return token


def session_is_live(db: Session, user: StaffUser, token: str) -> bool:
    """True while this browser's session has not been signed out."""
    found = db.scalar(
        select(StaffSession).where(StaffSession.token_hash == _token_hash(token or ""))
    )
    return found is not None and found.staff_id == user.id and found.ended_at is None


def logout(db: Session, user: StaffUser, token: str, *, everywhere: bool = False) -> None:
    """End this browser's session, or, `everywhere`, every session of the account
    (older cookies stop working through the session version as well)."""
    ended = update(StaffSession).where(
        StaffSession.staff_id == user.id, StaffSession.ended_at.is_(None)
    )
    if not everywhere:
        ended = ended.where(StaffSession.token_hash == _token_hash(token or ""))
    else:
        user.session_version += 1
    db.execute(ended.values(ended_at=utcnow()))
    audit.record(
        db,
        action="staff.logout",
        actor=user.username,
        actor_id=user.id,
        target_type="staff_user",
        target_id=user.id,
        details={"scope": "everywhere" if everywhere else "this_device"},
    )
