"""Staff form for a public question and answer; the search box over answers."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from ..disclosure.forms import LANGUAGE_CHOICES
from ..forms import PortalForm
from .types import TOPICS


class AnswerForm(PortalForm):
    topic = SelectField(
        _l("Topic"), choices=[SelectChoice(key, label) for key, label in TOPICS.items()]
    )
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    title = StringField(
        _l("The question in a few words"),
        validators=[DataRequired(_l("Enter a short question.")), Length(max=300)],
    )
    question = TextAreaField(_l("The question"), validators=[Optional(), Length(max=20_000)])
    answer = TextAreaField(
        _l("The answer"), validators=[DataRequired(_l("Enter the answer.")), Length(max=20_000)]
    )
    articles = SelectMultipleField(
        _l("Legal-education articles to link"), coerce=int, validators=[Optional()]
    )
