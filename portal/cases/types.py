"""Stages, roles and the labels the public and staff pages show for them."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# Stage keys as exported, with their Chinese names (the importer accepts either).
STAGES = {
    "accepted": _l("Case accepted"),
    "arrest_review": _l("Review for arrest"),
    "arrest_approved": _l("Arrest approved"),
    "arrest_refused": _l("Arrest not approved"),
    "prosecution_review": _l("Review for prosecution"),
    "supplementary_investigation": _l("Returned for supplementary investigation"),
    "time_limit_extended": _l("Time limit extended"),
    "prosecuted": _l("Prosecution brought"),
    "not_prosecuted": _l("Decision not to prosecute"),
    "closed": _l("Case closed"),
}
STAGE_ALIASES = {
    "受理": "accepted",
    "审查逮捕": "arrest_review",
    "批准逮捕": "arrest_approved",
    "不批准逮捕": "arrest_refused",
    "审查起诉": "prosecution_review",
    "退回补充侦查": "supplementary_investigation",
    "延长审查起诉期限": "time_limit_extended",
    "提起公诉": "prosecuted",
    "不起诉": "not_prosecuted",
    "结案": "closed",
}
# Once a case reaches one of these, it is closed and access codes end.
CLOSING_STAGES = frozenset({"not_prosecuted", "closed"})

REQUESTER_ROLES = {
    "relative": _l("Close relative"),
    "legal_representative": _l("Legal representative"),
    "defender": _l("Defender (lawyer)"),
    "litigation_agent": _l("Litigation agent"),
}

REQUEST_STATUSES = {
    "pending": _l("Waiting for a decision"),
    "approved": _l("Approved"),
    "refused": _l("Refused"),
}
