"""Role names as staff read them."""

from flask_babel import lazy_gettext as _l

ROLE_LABELS = {
    "admin": _l("Administrator"),
    "moderator": _l("Moderator (complaints and reports)"),
    "editor": _l("Editor (published documents)"),
    "case_officer": _l("Case officer (case inquiry)"),
    "events_coordinator": _l("Events coordinator (open days)"),
}
