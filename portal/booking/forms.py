"""Forms for booking, finding a booking, check-in, and the staff's open-day editing."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields import SelectChoice
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms import PortalForm
from ..keypad import keypad_kw
from .services import CODE_ALPHABET, CODE_LENGTH, BookingError
from .types import ALLOCATIONS, ID_TYPES

PHONE = Regexp(
    r"^\s*\+?[0-9][0-9\s\-()]{6,19}\s*$",
    message=_l("Enter a phone number with digits only, for example 13912345678."),
)


def show_error(form: PortalForm, exc: BookingError) -> str | None:
    """Put a rule's message at its field, or return it for the error summary."""
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None:
        field.errors = [*field.errors, exc.message]
        return None
    return str(exc.message)


class BookingForm(PortalForm):
    session_id = RadioField(
        _l("Session"), coerce=int, validators=[DataRequired(_l("Choose a session."))]
    )
    name = StringField(
        _l("Full name"),
        validators=[
            DataRequired(_l("Enter your full name as on your identity document.")),
            Length(max=100, message=_l("The name must be 100 characters or fewer.")),
        ],
        render_kw=keypad_kw("name"),
    )
    id_type = SelectField(_l("Identity document"), choices=[])
    id_number = StringField(
        _l("Identity document number"),
        validators=[
            DataRequired(_l("Enter the number of your identity document.")),
            Length(max=30, message=_l("The document number must be 30 characters or fewer.")),
        ],
        render_kw=keypad_kw("id"),
    )
    birth_date = DateField(
        _l("Date of birth"),
        validators=[Optional()],
        format="%Y-%m-%d",
        description=_l(
            "Only for a permit or a passport, for example 1990-03-07. "
            "For a resident identity card it is read from the number."
        ),
    )
    phone = StringField(
        _l("Mobile phone number"),
        validators=[DataRequired(_l("Enter your mobile phone number.")), PHONE],
        description=_l("You need it, with the booking code, to see or cancel your booking."),
        render_kw=keypad_kw("tel"),
    )
    email = StringField(
        _l("E-mail address"),
        validators=[
            DataRequired(_l("Enter your e-mail address: we write to you if a seat becomes free.")),
            Regexp(
                r"^\s*[^@\s]+@[^@\s]+\.[^@\s]+\s*$",
                message=_l("Enter an e-mail address like name@example.com."),
            ),
            Length(max=200),
        ],
        render_kw=keypad_kw("email"),
    )
    members = TextAreaField(
        _l("Other members of your party"),
        validators=[Optional(), Length(max=5000)],
        description=_l("For groups: one full name per line. Leave empty if you come alone."),
    )


class FindBookingForm(PortalForm):
    code = StringField(
        _l("Booking code"),
        validators=[
            DataRequired(_l("Enter the booking code from your confirmation.")),
            Length(max=20),
        ],
        description=_l("8 letters and digits, for example ABCD-2345."),
        render_kw=keypad_kw("code", alphabet=CODE_ALPHABET, length=CODE_LENGTH),
    )
    phone = StringField(
        _l("Mobile phone number"),
        validators=[DataRequired(_l("Enter the phone number you booked with.")), PHONE],
        render_kw=keypad_kw("tel"),
    )


class CheckInForm(PortalForm):
    code = StringField(
        _l("Booking code"),
        validators=[DataRequired(_l("Enter or scan the booking code.")), Length(max=40)],
    )


class ActionForm(PortalForm):
    """A button that changes something: only the CSRF token."""


class OfficeForm(PortalForm):
    name = StringField(
        _l("Office name"),
        validators=[DataRequired(_l("Enter the office's name.")), Length(max=200)],
    )
    address = StringField(
        _l("Address"), validators=[DataRequired(_l("Enter the address.")), Length(max=300)]
    )
    hours = StringField(_l("Opening hours"), validators=[Optional(), Length(max=300)])
    contact = StringField(_l("Contact"), validators=[Optional(), Length(max=200)])
    directions = TextAreaField(_l("How to get there"), validators=[Optional(), Length(max=5000)])


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class OpenDayForm(PortalForm):
    office_id = SelectField(_l("Office"), coerce=int, choices=[])
    title = StringField(
        _l("Title"), validators=[DataRequired(_l("Enter the title.")), Length(max=300)]
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=20000)])
    what_to_bring = TextAreaField(_l("What to bring"), validators=[Optional(), Length(max=5000)])
    title_en = StringField(
        _l("Title in English"),
        validators=[Optional(), Length(max=300)],
        description=_l("Leave the English fields empty to show the Chinese on English pages."),
        render_kw={"lang": "en"},
    )
    description_en = TextAreaField(
        _l("Description in English"),
        validators=[Optional(), Length(max=20000)],
        render_kw={"lang": "en"},
    )
    what_to_bring_en = TextAreaField(
        _l("What to bring, in English"),
        validators=[Optional(), Length(max=5000)],
        render_kw={"lang": "en"},
    )
    opens_at = DateTimeLocalField(
        _l("Registration opens"),
        format="%Y-%m-%dT%H:%M",
        validators=[DataRequired(_l("Enter when registration opens."))],
    )
    closes_at = DateTimeLocalField(
        _l("Registration closes"),
        format="%Y-%m-%dT%H:%M",
        validators=[DataRequired(_l("Enter when registration closes."))],
    )
    min_age = IntegerField(
        _l("Minimum age"),
        default=10,
        validators=[NumberRange(0, 120, message=_l("Enter an age from 0 to 120."))],
    )
    max_age = IntegerField(
        _l("Maximum age"),
        default=80,
        validators=[NumberRange(0, 120, message=_l("Enter an age from 0 to 120."))],
    )
    id_types = MultiCheckboxField(
        _l("Accepted identity documents"),
        choices=[SelectChoice(k, v) for k, v in ID_TYPES.items()],
        default=list(ID_TYPES),
        validators=[DataRequired(_l("Accept at least one type of identity document."))],
    )
    max_party = IntegerField(
        _l("Largest party per booking"),
        default=1,
        validators=[NumberRange(1, 200, message=_l("Enter a number from 1 to 200."))],
    )
    allocation = SelectField(
        _l("Allocation"), choices=[SelectChoice(k, v) for k, v in ALLOCATIONS.items()]
    )
    waitlist_limit = IntegerField(
        _l("Waiting list length per session"),
        default=200,
        validators=[NumberRange(0, 100000, message=_l("Enter 0 or more."))],
        description=_l("0 means no waiting list."),
    )
    questionnaire_url = StringField(
        _l("Questionnaire address"),
        validators=[
            Optional(),
            URL(message=_l("Enter a full web address starting with https://.")),
            Length(max=500),
        ],
        description=_l("Those who attended are invited to it by e-mail after the event."),
    )


class SessionForm(PortalForm):
    starts_at = DateTimeLocalField(
        _l("Starts"), format="%Y-%m-%dT%H:%M", validators=[DataRequired(_l("Enter the start."))]
    )
    ends_at = DateTimeLocalField(
        _l("Ends"), format="%Y-%m-%dT%H:%M", validators=[DataRequired(_l("Enter the end."))]
    )
    capacity = IntegerField(
        _l("Capacity"),
        validators=[NumberRange(1, 100000, message=_l("Enter a capacity of at least 1."))],
    )
