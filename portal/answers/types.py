"""The fixed list of topics a public question and answer is filed under, and its statuses."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

TOPICS: dict[str, LazyString] = {
    "criminal": _l("Criminal cases"),
    "civil_administrative": _l("Civil and administrative cases"),
    "public_interest": _l("Public interest litigation"),
    "minors": _l("Minors"),
    "petitions": _l("Complaints, appeals and reports"),
    "services": _l("Our services"),
}

# Words that find legal-education articles on a topic when an answer's own question
# finds none; only for topics narrow enough that any article with them is related.
TOPIC_WORDS: dict[str, tuple[str, ...]] = {
    "minors": ("未成年人", "minors"),
    "public_interest": ("公益诉讼", "public interest litigation"),
}

STATUSES: dict[str, LazyString] = {
    "draft": _l("Draft"),
    "pending": _l("Waiting for approval"),
    "published": _l("Published"),
    "withdrawn": _l("Withdrawn"),
}

# Who may draft and edit (the staff answering consultations), and who may approve,
# publish and withdraw: the documents' publishing role.
AUTHORS = ("moderator",)
PUBLISHERS = ("editor",)
