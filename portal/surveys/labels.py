"""Translated labels for kinds, audiences, statuses and the fixed options."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..wording import Wording, wording

KIND_LABELS = {
    "single": _l("Single choice"),
    "multiple": _l("Multiple choice"),
    "rating3": _l("Satisfaction: satisfied, fairly satisfied, dissatisfied"),
    "rating5": _l("Rating from 1 to 5"),
    "text": _l("Free text"),
    "yesno": _l("Yes or no"),
}

AUDIENCE_LABELS = {
    "public": _l("The public (anyone)"),
    "invitation": _l("By invitation only (return visits)"),
}

STATUS_LABELS = {
    "draft": _l("Draft"),
    "published": _l("Open for answers"),
    "closed": _l("Closed for answers"),
    "superseded": _l("Replaced by a newer version"),
}

CHANNEL_LABELS = {
    "online": _l("Online"),
    "kiosk": _l("Kiosk"),
    "invitation": _l("Invitation"),
}

FIXED_LABELS = {
    "satisfied": _l("Satisfied"),
    "fairly": _l("Fairly satisfied"),
    "dissatisfied": _l("Dissatisfied"),
    "5": _l("5 (best)"),
    "4": "4",
    "3": "3",
    "2": "2",
    "1": _l("1 (worst)"),
    "yes": _l("Yes"),
    "no": _l("No"),
}

SOURCE_LABELS = {
    "questionnaire": _l("Questionnaires"),
}


def option_wording(option: object) -> Wording:
    """Staff's own wording (English on English pages when written), or the translated label
    of a fixed option."""
    if getattr(option, "label", ""):
        return wording(option, "label")
    return Wording(str(FIXED_LABELS.get(getattr(option, "value", ""), "")))


def option_label(option: object) -> str:
    return str(option_wording(option))


def rating_label(value: str) -> str:
    """A rating value as staff read it ("satisfied", "4"); an operator's own value as set."""
    return str(FIXED_LABELS.get(value, value))
