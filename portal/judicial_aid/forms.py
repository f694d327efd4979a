"""Staff forms: a step through the stages, the decision with its letter."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..forms import PortalForm


class MoveForm(PortalForm):
    status = SelectField(_l("Next stage"), choices=[], validate_choice=False)
    reason = TextAreaField(
        _l("What the applicant is told"),
        validators=[Optional(), Length(max=5000, message=_l("Write 5,000 characters or fewer."))],
    )


class DecisionForm(PortalForm):
    outcome = RadioField(
        _l("Decision"),
        choices=[
            SelectChoice("granted", _l("Grant aid")),
            SelectChoice("refused", _l("Refuse aid")),
        ],
        validators=[InputRequired(_l("Choose whether aid is granted or refused."))],
    )
    amount = StringField(
        _l("Amount granted, in yuan"),
        validators=[Optional(), Length(max=20)],
        description=_l("Only when aid is granted."),
    )
    letter = TextAreaField(
        _l("Decision letter to the applicant"),
        validators=[
            DataRequired(_l("Write the decision letter.")),
            Length(max=10000, message=_l("Write 10,000 characters or fewer.")),
        ],
    )
