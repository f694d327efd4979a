"""Identity numbers and names as people type them, reduced to one form for hashing.

The hash is computed from the 18-character form: a 15-digit first-generation
number is converted (century 19 inserted, GB 11643 check digit added), so a
party registered with the new number is found with the old one too.
"""

from __future__ import annotations

import unicodedata

from ..crypto import keyed_hash
from ..disclosure.guard import id_check_digit, is_valid_id_number

ID_PURPOSE = "cases.party-id"
NAME_PURPOSE = "cases.party-name"


def clean_id_number(value: str) -> str:
    """Full-width digits folded, spaces dropped, x upper-cased."""
    text = unicodedata.normalize("NFKC", value or "")
    return "".join(text.split()).upper()


def valid_id_number(value: str) -> bool:
    """GB 11643: 18 characters with the right check digit, or a 15-digit legacy number."""
    return is_valid_id_number(clean_id_number(value), allow_legacy=True)


def canonical_id_number(value: str) -> str:
    """The 18-character form of a valid number (15-digit numbers are converted)."""
    text = clean_id_number(value)
    if len(text) == 15:
        body = text[:6] + "19" + text[6:]
        return body + id_check_digit(body)
    return text


def hash_id_number(value: str) -> str:
    return keyed_hash(canonical_id_number(value), ID_PURPOSE)


def clean_name(value: str) -> str:
    """NFKC, no spaces: 张 三 and 张三 are the same name."""
    return "".join(unicodedata.normalize("NFKC", value or "").split())


def hash_name(value: str) -> str:
    return keyed_hash(clean_name(value), NAME_PURPOSE)
