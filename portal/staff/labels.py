"""Role names as staff read them."""

from flask_babel import lazy_gettext as _l

ROLE_LABELS = {
    "admin": _l("Administrator"),
    "moderator": _l("Moderator (complaints and reports)"),
    "reports": _l("Reports officer (sees whistleblowers' identities)"),
    "supervisor": _l("Supervisor (follow-up of unsatisfied ratings)"),
    "editor": _l("Editor (published documents)"),
    "case_officer": _l("Case officer (case inquiry, lawyers' appointments)"),
    "events_coordinator": _l("Events coordinator (open days)"),
    "surveys": _l("Surveys officer (questionnaires)"),
    "judicial_aid": _l("Judicial aid officer (司法救助)"),
}
