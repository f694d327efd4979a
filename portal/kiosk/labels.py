"""Words for usage counts on the staff page."""

from flask_babel import lazy_gettext as _l

SERVICE_LABELS = {
    "": _l("Visits"),
    "inquiry": _l("Case inquiry"),
    "submit": _l("Complaints and reports"),
    "booking": _l("Open days"),
    "track": _l("Follow a submission"),
    "documents": _l("Published documents"),
    "surveys": _l("Questionnaires"),
    "guides": _l("Service guides"),
    "answers": _l("Questions and answers"),
}

EVENT_LABELS = {
    "started": _l("Started"),
    "used": _l("Chosen"),
    "completed": _l("Completed"),
    "abandoned": _l("Abandoned"),
}
