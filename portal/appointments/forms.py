"""Case officers' forms: a slot to publish, the answer to a request."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateTimeLocalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..forms import PortalForm
from .slots import MAX_CAPACITY


class SlotForm(PortalForm):
    starts_at = DateTimeLocalField(
        _l("Starts"), format="%Y-%m-%dT%H:%M", validators=[DataRequired(_l("Enter the start."))]
    )
    ends_at = DateTimeLocalField(
        _l("Ends"), format="%Y-%m-%dT%H:%M", validators=[DataRequired(_l("Enter the end."))]
    )
    room = StringField(
        _l("Room"),
        validators=[
            DataRequired(_l("Say in which room the lawyers are received.")),
            Length(max=120),
        ],
        description=_l("For example: 阅卷室 2, ground floor."),
    )
    capacity = IntegerField(
        _l("Lawyers received in this slot"),
        default=1,
        validators=[
            NumberRange(
                1, MAX_CAPACITY, message=_l("Enter a number from 1 to %(n)d.", n=MAX_CAPACITY)
            )
        ],
    )


class AnswerForm(PortalForm):
    """Accept into a slot, or propose one with a message."""

    slot_id = SelectField(
        _l("Slot"),
        choices=[],
        validators=[DataRequired(_l("Choose a slot."))],
        validate_choice=False,
    )
    message = TextAreaField(
        _l("Message to the lawyer (with a proposed time)"),
        validators=[Optional(), Length(max=2000, message=_l("Write 2,000 characters or fewer."))],
    )


class RefuseForm(PortalForm):
    reason = TextAreaField(
        _l("Reason the lawyer reads"),
        validators=[
            DataRequired(_l("Give the reason: the lawyer reads it.")),
            Length(max=2000, message=_l("Write 2,000 characters or fewer.")),
        ],
    )
