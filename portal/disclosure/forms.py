"""Editors' forms for documents."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from ..forms import PortalForm
from .types import DOC_TYPES

LANGUAGE_CHOICES = [
    SelectChoice("zh_Hans", "中文", render_kw={"lang": "zh-Hans"}),
    SelectChoice("en", "English", render_kw={"lang": "en"}),
]


class DocumentEditForm(PortalForm):
    doc_type = SelectField(
        _l("Type"),
        # No type is preselected: a document filed under the first type by default
        # would be published as the wrong kind.
        choices=[
            SelectChoice("", _l("Choose one")),
            *(SelectChoice(key, label) for key, label in DOC_TYPES.items()),
        ],
        validators=[DataRequired(_l("Choose the type of document."))],
    )
    title = StringField(
        _l("Title"),
        validators=[DataRequired(_l("Enter the title.")), Length(max=300)],
    )
    number = StringField(
        _l("Document number"),
        validators=[Optional(), Length(max=80)],
        description=_l("For legal documents, for example 深龙华检刑诉〔2019〕1247号."),
    )
    slug = StringField(
        _l("Web name"),
        validators=[Optional(), Length(max=120)],
        description=_l(
            "For announcements and articles without a number: lower-case letters, digits "
            "and hyphens, for example open-day-2025."
        ),
    )
    case_name = StringField(_l("Case name"), validators=[Optional(), Length(max=300)])
    charge = StringField(_l("Charge"), validators=[Optional(), Length(max=200)])
    department = StringField(_l("Department"), validators=[Optional(), Length(max=120)])
    language = SelectField(_l("Language of the document"), choices=LANGUAGE_CHOICES)
    signed_on = DateField(
        _l("Date signed"),
        validators=[Optional()],
        format="%Y-%m-%d",
        description=_l("For example 2024-01-31."),
    )
    judgment_effective_on = DateField(
        _l("Date the judgment took effect"),
        validators=[Optional()],
        format="%Y-%m-%d",
        description=_l("Indictments can be published only once this is set."),
    )
    body_markdown = TextAreaField(
        _l("Text"),
        validators=[Length(max=200_000, message=_l("The text is too long for one document."))],
        description=_l("Markdown: ## for headings, a blank line between paragraphs."),
    )
    involves_minor = BooleanField(_l("The case involves a minor"))
    state_secret = BooleanField(_l("The case involves a state secret"))
    sensitive_names = TextAreaField(
        _l("Names to protect"),
        validators=[Optional(), Length(max=5000)],
        description=_l(
            "Victims, witnesses and minors named in the text, one per line. "
            "The personal-data check finds and masks every occurrence."
        ),
    )


class ReasonForm(PortalForm):
    reason = TextAreaField(
        _l("Reason"),
        validators=[
            DataRequired(_l("Give the reason.")),
            Length(max=2000, message=_l("The reason must be 2,000 characters or fewer.")),
        ],
    )


class AttachmentForm(PortalForm):
    file = FileField(_l("PDF file"), validators=[FileRequired(_l("Choose a PDF file."))])


class ActionForm(PortalForm):
    """A button that changes something: only the CSRF token."""
