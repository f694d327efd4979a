"""Tracking codes people read aloud and type, and secret query codes kept only as hashes.

The alphabet leaves out characters that look or sound alike (0/O, 1/I/L, 2/Z,
5/S, 8/B), codes are grouped by four, and typing is forgiving: case, spaces
and dashes do not matter.
"""

from __future__ import annotations

import re
import secrets

from argon2.exceptions import InvalidHashError, VerificationError

from ..hashing import hasher

ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
TRACKING_LENGTH = 12
QUERY_LENGTH = 16


def _group(raw: str) -> str:
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def _random(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def new_tracking_code() -> str:
    return _group(_random(TRACKING_LENGTH))


def new_query_code() -> str:
    return _group(_random(QUERY_LENGTH))


def normalise(typed: str, length: int) -> str | None:
    """The canonical grouped form of what was typed, or None if it cannot be a code."""
    raw = re.sub(r"[\s\-_.·]", "", typed or "").upper()
    if len(raw) != length or any(ch not in ALPHABET for ch in raw):
        return None
    return _group(raw)


def hash_query_code(code: str) -> str:
    return hasher("query_code").argon2.hash(code)


def check_query_code(stored_hash: str | None, typed: str) -> bool:
    """True if `typed` matches; with no hash, still does the work (no timing hint)."""
    code = normalise(typed, QUERY_LENGTH) or "-"
    codes = hasher("query_code")
    try:
        return (
            codes.argon2.verify(stored_hash or codes.dummy_hash, code) and stored_hash is not None
        )
    except (VerificationError, InvalidHashError):
        return False
