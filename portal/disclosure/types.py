"""The kinds of document the procuratorate publishes, and how people read their names."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

DOC_TYPES: dict[str, LazyString] = {
    "indictment": _l("Indictment"),
    "non_prosecution": _l("Non-prosecution decision"),
    "criminal_protest": _l("Criminal protest"),
    "appeal_review": _l("Criminal appeal review decision"),
    "case_information": _l("Important case information"),
    "announcement": _l("Announcement"),
    "legal_education": _l("Legal education"),
}

# Legal documents carry a document number; the others are identified by a slug.
NUMBERED_TYPES = frozenset({"indictment", "non_prosecution", "criminal_protest", "appeal_review"})

STATUSES: dict[str, LazyString] = {
    "draft": _l("Draft"),
    "pending": _l("Waiting for approval"),
    "published": _l("Published"),
    "withdrawn": _l("Withdrawn"),
}

FINDING_LABELS: dict[str, LazyString] = {
    "id_number": _l("Identity number"),
    "possible_id_number": _l("Possible identity number (its check digit is wrong): confirm"),
    "mobile": _l("Mobile number"),
    "bank_card": _l("Bank card number"),
    "email": _l("E-mail address"),
    "address": _l("Home address"),
    "sensitive_name": _l("Protected name"),
}

FIELD_LABELS: dict[str, LazyString] = {
    "title": _l("Title"),
    "case_name": _l("Case name"),
    "body_markdown": _l("Text"),
}
