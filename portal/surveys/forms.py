"""Staff forms for the builder and invitations, and the public forms' CSRF shells."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..forms import PortalForm
from ..keypad import keypad_kw
from .labels import AUDIENCE_LABELS, KIND_LABELS
from .services import CODE_ALPHABET, CODE_LENGTH


class QuestionnaireEditForm(PortalForm):
    title = StringField(
        _l("Title"),
        validators=[
            DataRequired(_l("Enter the title.")),
            Length(max=200, message=_l("The title must be 200 characters or fewer.")),
        ],
    )
    introduction = TextAreaField(
        _l("Introduction"),
        validators=[
            Optional(),
            Length(max=5000, message=_l("The introduction must be 5,000 characters or fewer.")),
        ],
        description=_l("Shown above the questions: why you ask, and how long it takes."),
    )
    title_en = StringField(
        _l("Title in English"),
        validators=[
            Optional(),
            Length(max=200, message=_l("The title must be 200 characters or fewer.")),
        ],
        description=_l("Leave empty to show the Chinese title on English pages."),
        render_kw={"lang": "en"},
    )
    introduction_en = TextAreaField(
        _l("Introduction in English"),
        validators=[
            Optional(),
            Length(max=5000, message=_l("The introduction must be 5,000 characters or fewer.")),
        ],
        description=_l("Leave empty to show the Chinese introduction on English pages."),
        render_kw={"lang": "en"},
    )
    department = StringField(
        _l("Department"),
        validators=[
            Optional(),
            Length(max=120, message=_l("The department must be 120 characters or fewer.")),
        ],
        description=_l("The results are grouped by department, for example 第一检察部."),
    )
    audience = SelectField(
        _l("Who may answer"),
        choices=[SelectChoice(key, label) for key, label in AUDIENCE_LABELS.items()],
        validators=[DataRequired(_l("Choose who may answer."))],
    )
    opens_on = DateField(
        _l("Opening date"),
        validators=[Optional()],
        format="%Y-%m-%d",
        description=_l("For example 2026-01-31. Leave empty to open as soon as it is published."),
    )
    closes_on = DateField(
        _l("Closing date"),
        validators=[Optional()],
        format="%Y-%m-%d",
        description=_l("The last day answers are accepted. Leave empty for no end."),
    )


class QuestionAddForm(PortalForm):
    """Adds a question, and (prefilled) changes one."""

    section = StringField(
        _l("Section heading"),
        validators=[
            Optional(),
            Length(max=200, message=_l("The heading must be 200 characters or fewer.")),
        ],
        description=_l("Questions one after another with the same heading form a section."),
    )
    section_en = StringField(
        _l("Section heading in English"),
        validators=[
            Optional(),
            Length(max=200, message=_l("The heading must be 200 characters or fewer.")),
        ],
        render_kw={"lang": "en"},
    )
    kind = SelectField(
        _l("Type of question"),
        choices=[SelectChoice(key, label) for key, label in KIND_LABELS.items()],
        validators=[DataRequired(_l("Choose the type of question."))],
    )
    text = StringField(
        _l("Question"),
        validators=[
            DataRequired(_l("Enter the question.")),
            Length(max=500, message=_l("The question must be 500 characters or fewer.")),
        ],
    )
    text_en = StringField(
        _l("Question in English"),
        validators=[
            Optional(),
            Length(max=500, message=_l("The question must be 500 characters or fewer.")),
        ],
        description=_l("Leave empty to show the Chinese question on English pages."),
        render_kw={"lang": "en"},
    )
    options = TextAreaField(
        _l("Options"),
        validators=[Optional(), Length(max=6000)],
        description=_l("For single and multiple choice: one option per line."),
        render_kw={"rows": 6},
    )
    options_en = TextAreaField(
        _l("Options in English"),
        validators=[Optional(), Length(max=6000)],
        description=_l(
            "One per line, in the same order as the Chinese options. "
            "An empty line shows the Chinese option."
        ),
        render_kw={"lang": "en", "rows": 6},
    )
    min_choices = IntegerField(
        _l("Fewest answers to choose"),
        validators=[
            Optional(),
            NumberRange(min=0, max=20, message=_l("Enter a number from 0 to 20.")),
        ],
        description=_l("For multiple choice only."),
    )
    max_choices = IntegerField(
        _l("Most answers to choose"),
        validators=[
            Optional(),
            NumberRange(min=1, max=20, message=_l("Enter a number from 1 to 20.")),
        ],
        description=_l("For multiple choice only."),
    )
    max_length = IntegerField(
        _l("Length limit in characters"),
        validators=[
            Optional(),
            NumberRange(min=1, max=2000, message=_l("Enter a number from 1 to 2,000.")),
        ],
        description=_l("For free text only. Default 2,000."),
    )
    required = BooleanField(_l("An answer is required"))
    condition = SelectField(
        _l("Show this question only when"),
        choices=[],
        validators=[Optional()],
        description=_l("Leave as it is to always show the question."),
    )


# An unbound field: each form that uses it gets its own copy.
VALID_DAYS = IntegerField(
    _l("Valid for (days)"),
    default=30,
    validators=[
        DataRequired(_l("Enter for how many days the invitations are valid.")),
        NumberRange(min=1, max=365, message=_l("Enter a number from 1 to 365.")),
    ],
)


class InvitationForm(PortalForm):
    emails = TextAreaField(
        _l("E-mail addresses"),
        validators=[Optional(), Length(max=50_000)],
        description=_l(
            "One per line. Each address gets its own link. Addresses are not kept "
            "after the mail is sent."
        ),
    )
    printed = IntegerField(
        _l("Codes to print"),
        default=0,
        validators=[
            Optional(),
            NumberRange(min=0, max=500, message=_l("Enter a number from 0 to 500.")),
        ],
        description=_l(
            "For people without e-mail: codes are shown once, print them straight away."
        ),
    )
    valid_days = VALID_DAYS


class CodeForm(PortalForm):
    code = StringField(
        _l("Invitation code"),
        validators=[
            DataRequired(_l("Enter the code from your letter or e-mail.")),
            Length(max=40, message=_l("Enter the code from your letter or e-mail.")),
        ],
        description=_l("12 letters and digits, for example ABCD-EFGH-2345."),
        render_kw=keypad_kw("code", alphabet=CODE_ALPHABET, length=CODE_LENGTH),
    )


class AnswerForm(PortalForm):
    """The CSRF token and, at a kiosk, the visit's answer token; answers are read by the service."""

    token = HiddenField()


class ActionForm(PortalForm):
    """A button that changes something: only the CSRF token."""


class ReturnVisitForm(PortalForm):
    """Invite the people on one of the portal's own lists (return visits)."""

    source = SelectField(
        _l("Who to invite"),
        validators=[DataRequired(_l("Choose who to invite."))],
        description=_l(
            "Nobody is invited twice to this questionnaire: people already invited are skipped."
        ),
    )
    open_day = SelectField(
        _l("Open day"),
        coerce=int,
        validators=[Optional()],
        description=_l("Only for open-day attendees: those marked as attended are invited."),
    )
    valid_days = VALID_DAYS
