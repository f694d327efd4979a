"""Forms of the case inquiry: party inquiry, access request, code inquiry, staff decisions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import EmailField, SelectField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Length, Regexp, ValidationError

from ..forms import PortalForm
from ..keypad import keypad_kw
from .identity import valid_id_number
from .numbers import looks_like_case_number
from .services import CODE_ALPHABET, CODE_GROUPS, clean_code
from .types import REQUESTER_ROLES

NUMBER_HINT = _l(
    "As written on the notice you received, for example 深龙华检刑诉〔2019〕1247号. "
    "Any kind of bracket will do."
)
EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
ID_INVALID = _l("The identity number is not valid: check the last character.")
ID_HINT = _l("18 characters; the last may be X. A 15-digit number from an old card also works.")


def _case_number(_form: object, field: StringField) -> None:
    if field.data and not looks_like_case_number(field.data):
        raise ValidationError(
            _l(
                "Enter the case number in the form 深龙华检刑诉〔2019〕1247号: "
                "the procuratorate and case type, the year in brackets, then the number and 号."
            )
        )


def _id_number(_form: object, field: StringField) -> None:
    if field.data and not valid_id_number(field.data):
        raise ValidationError(ID_INVALID)


def _case_number_field() -> StringField:
    return StringField(
        _l("Case number"),
        validators=[
            DataRequired(_l("Enter the case number.")),
            Length(max=80, message=_l("The case number must be 80 characters or fewer.")),
            _case_number,
        ],
        description=NUMBER_HINT,
        render_kw=keypad_kw("case"),
    )


def _id_number_field(label: object) -> StringField:
    return StringField(
        label,
        validators=[
            DataRequired(_l("Enter the identity number.")),
            Length(max=30, message=ID_INVALID),
            _id_number,
        ],
        description=ID_HINT,
        render_kw=keypad_kw("id"),
    )


class PartyInquiryForm(PortalForm):
    case_number = _case_number_field()
    name = StringField(
        _l("Your full name"),
        validators=[
            DataRequired(_l("Enter your full name as on your identity card.")),
            Length(max=60, message=_l("The name must be 60 characters or fewer.")),
        ],
        render_kw=keypad_kw("name"),
    )
    id_number = _id_number_field(_l("Your identity number"))


class CodeInquiryForm(PortalForm):
    case_number = _case_number_field()
    code = StringField(
        _l("Access code"),
        validators=[DataRequired(_l("Enter the access code you were given."))],
        description=_l("12 letters and digits, for example K7PM-2QXD-9HRT."),
        render_kw=keypad_kw("code", alphabet=CODE_ALPHABET, length=4 * CODE_GROUPS),
    )

    def validate_code(self, field: StringField) -> None:
        if len(clean_code(field.data or "")) != 12:
            raise ValidationError(
                _l("The access code has 12 letters and digits. Check it and try again.")
            )


class AccessRequestForm(PortalForm):
    case_number = _case_number_field()
    role = SelectField(
        _l("You are the party's"),
        choices=[SelectChoice("", _l("Choose one"))]
        + [SelectChoice(key, label) for key, label in REQUESTER_ROLES.items()],
        validators=[DataRequired(_l("Choose who you are."))],
    )
    relation = StringField(
        _l("Your relation to the party"),
        validators=[
            DataRequired(_l("Say who the party is to you, for example 'father of Zhang San'.")),
            Length(max=100, message=_l("Keep this to 100 characters or fewer.")),
        ],
        description=_l("For example: father of Zhang San; defender of Li Si, law firm name."),
    )
    requester_name = StringField(
        _l("Your full name"),
        validators=[
            DataRequired(_l("Enter your full name as on your identity card.")),
            Length(max=60, message=_l("The name must be 60 characters or fewer.")),
        ],
        render_kw=keypad_kw("name"),
    )
    id_number = _id_number_field(_l("Your identity number"))
    phone = StringField(
        _l("Phone number"),
        validators=[
            DataRequired(_l("Enter a phone number we can call you on.")),
            Length(max=30, message=_l("The phone number must be 30 characters or fewer.")),
        ],
        render_kw=keypad_kw("tel"),
    )
    email = EmailField(
        _l("Email address"),
        validators=[
            DataRequired(_l("Enter an email address: the access code is sent there.")),
            Regexp(EMAIL, message=_l("Enter an email address like name@example.com.")),
            Length(max=200),
        ],
        render_kw=keypad_kw("email"),
    )
    proofs = MultipleFileField(
        _l("Proof of who you are to the party"),
        description=_l(
            "PDF, JPEG or PNG, up to 5 files of 10 MB each: for example a lawyer's licence "
            "and a power of attorney, or a household register showing the relation."
        ),
    )


class DecisionForm(PortalForm):
    reason = TextAreaField(
        _l("Reason"),
        validators=[
            DataRequired(_l("Give the reason for your decision.")),
            Length(max=2000, message=_l("The reason must be 2,000 characters or fewer.")),
        ],
        description=_l("The requester reads this reason."),
    )


class ActionForm(PortalForm):
    """A button that changes something: only the CSRF token."""
