"""Forms of the public flow, the tracking pages and the staff pages."""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    Field,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from ..disclosure.guard import is_valid_id_number
from ..forms import PortalForm
from ..judicial_aid.fields import FieldProblem
from ..keypad import keypad_kw
from .codes import ALPHABET, QUERY_LENGTH, TRACKING_LENGTH
from .replies import FIELDS
from .types import EMAIL_NEEDED, EMAIL_PATTERN, RATINGS, Kind

NAME_MAX = 60
LINE_MAX = 200


class LimitedText:
    """A length limit whose message says the limit and how much was typed."""

    def __init__(self, limit: int) -> None:
        self.limit = limit

    def __call__(self, form: PortalForm, field: Field) -> None:
        length = len(field.data or "")
        if length > self.limit:
            raise ValidationError(
                _l(
                    "This answer is %(typed)s characters long; the limit is %(limit)s. "
                    "Shorten it, or put the full text in an attached file.",
                    typed=f"{length:,}",
                    limit=f"{self.limit:,}",
                )
            )


class Cleaned:
    """A question's own rule (`Question.clean`): its message, and the cleaned answer kept."""

    def __init__(self, clean: Callable[[str], str]) -> None:
        self.clean = clean

    def __call__(self, form: PortalForm, field: Field) -> None:
        if not (field.data or "").strip():
            return
        try:
            field.data = self.clean(field.data)
        except FieldProblem as problem:
            raise ValidationError(str(problem.message)) from None


class Honeypot:
    """People never see the field (it is hidden by CSS); robots fill it in."""

    website = StringField(_l("Leave this field empty"), validators=[Optional()])


class StartForm(PortalForm):
    """The start page's button: only the CSRF token."""


class AnonymityForm(PortalForm):
    anonymous = RadioField(
        _l("Do you want to give your name?"),
        choices=[
            SelectChoice("no", _l("Yes, I give my name (real-name)")),
            SelectChoice("yes", _l("No, I want to stay anonymous")),
        ],
        validators=[InputRequired(_l("Choose whether you give your name."))],
    )


class IdentityForm(PortalForm):
    name = StringField(
        _l("Full name"),
        validators=[
            DataRequired(_l("Enter your full name.")),
            Length(max=NAME_MAX, message=_l("Enter a name of 60 characters or fewer.")),
        ],
        render_kw=keypad_kw("name"),
    )
    id_number = StringField(
        _l("Identity card number"),
        validators=[DataRequired(_l("Enter your identity card number."))],
        description=_l("18 characters; the last may be X."),
        render_kw=keypad_kw("id"),
    )
    phone = StringField(
        _l("Phone number"),
        validators=[
            DataRequired(_l("Enter a phone number we can call.")),
            Length(max=20, message=_l("Enter a phone number of 20 characters or fewer.")),
        ],
        description=_l("For example 13912345678."),
        render_kw=keypad_kw("tel"),
    )
    email = StringField(
        _l("E-mail address (optional)"),
        validators=[
            Optional(),
            Regexp(
                EMAIL_PATTERN,
                message=_l("Enter an e-mail address like name@example.com."),
            ),
            Length(max=200),
        ],
        description=_l("We only write to say there is an update, never what it is."),
        render_kw=keypad_kw("email"),
    )

    def validate_id_number(self, field: Field) -> None:
        if not is_valid_id_number((field.data or "").strip().upper()):
            raise ValidationError(
                _l("Enter your 18-character identity card number; check each digit.")
            )

    def validate_phone(self, field: Field) -> None:
        digits = "".join(ch for ch in field.data or "" if ch.isdigit())
        if not 7 <= len(digits) <= 15 or any(
            ch not in "0123456789+- ()" for ch in field.data or ""
        ):
            raise ValidationError(_l("Enter a phone number we can call, for example 13912345678."))


class EmailIdentityForm(IdentityForm):
    """Real-name details for kinds answered by mail (`Kind.needs_email`)."""

    email = StringField(
        _l("E-mail address"),
        validators=[
            DataRequired(EMAIL_NEEDED),
            Regexp(EMAIL_PATTERN, message=_l("Enter an e-mail address like name@example.com.")),
            Length(max=200),
        ],
        description=_l("The answer and any change of time are sent here."),
        render_kw=keypad_kw("email"),
    )


def identity_form_class(kind: Kind) -> type[IdentityForm]:
    return EmailIdentityForm if kind.needs_email else IdentityForm


class ContactForm(PortalForm):
    """For anonymous people: an optional address to hear that there is news."""

    email = IdentityForm.email


def details_form(
    kind: Kind, max_text: int, formdata: object = None, data: dict | None = None
) -> PortalForm:
    """The kind's own questions, built from its list in types.py."""

    class DetailsForm(PortalForm):
        pass

    for question in kind.questions:
        validators: list[object] = []
        if question.required:
            validators.append(DataRequired(_l("Answer this question: %(q)s", q=question.label)))
        else:
            validators.append(Optional())
        validators.append(LimitedText(max_text if question.multiline else LINE_MAX))
        if question.clean is not None:
            validators.append(Cleaned(question.clean))
        if question.choices is not None:
            options = [SelectChoice("", _l("Choose"))]
            options += [SelectChoice(k, v) for k, v in question.choices().items()]
            field: Field = SelectField(
                question.label,
                choices=options,
                validators=validators,
                description=question.hint or "",
            )
        else:
            field_class = TextAreaField if question.multiline else StringField
            field = field_class(
                question.label, validators=validators, description=question.hint or ""
            )
        setattr(DetailsForm, question.name, field)
    if formdata is None:
        return DetailsForm(data=data or {})
    return DetailsForm(formdata=formdata)


class UploadForm(PortalForm):
    file = FileField(_l("Add a file"))


class SubmitForm(PortalForm):
    submit_key = HiddenField()
    website = Honeypot.website
    challenge = StringField(_l("Your answer"), validators=[Optional(), Length(max=5)])


class TrackForm(PortalForm):
    tracking_code = StringField(
        _l("Tracking code"),
        validators=[DataRequired(_l("Enter your tracking code."))],
        description=_l("12 letters and digits, for example ACDE-FGHJ-KMNP."),
        render_kw=keypad_kw("code", alphabet=ALPHABET, length=TRACKING_LENGTH),
    )
    query_code = StringField(
        _l("Query code"),
        validators=[DataRequired(_l("Enter your query code."))],
        description=_l("The 16-character secret code shown when you sent your submission."),
        render_kw=keypad_kw("code", alphabet=ALPHABET, length=QUERY_LENGTH),
    )


class AddInformationForm(PortalForm):
    text = TextAreaField(_l("Information to add"), validators=[Optional()])
    file = FileField(_l("Attach a file (optional)"))


class RatingForm(PortalForm):
    rating = RadioField(
        _l("How satisfied are you with this reply?"),
        choices=[SelectChoice(k, v) for k, v in RATINGS.items()],
        validators=[InputRequired(_l("Choose how satisfied you are with the reply."))],
    )
    comment = TextAreaField(
        _l("Comment (optional)"),
        validators=[Optional(), Length(max=2000, message=_l("Write 2,000 characters or fewer."))],
    )


class ResetForm(PortalForm):
    tracking_code = TrackForm.tracking_code
    id_number = StringField(
        _l("Identity card number"),
        validators=[DataRequired(_l("Enter your identity card number."))],
        render_kw=keypad_kw("id"),
    )
    phone = StringField(
        _l("Phone number"),
        validators=[DataRequired(_l("Enter the phone number you gave us."))],
        render_kw=keypad_kw("tel"),
    )


# --- staff ------------------------------------------------------------------------------


class ReplyForm(PortalForm):
    status = SelectField(_l("New status"), choices=[], validate_choice=False)
    template = HiddenField()
    body = TextAreaField(
        _l("Reply to the citizen"),
        validators=[
            DataRequired(_l("Write the reply.")),
            Length(max=10000, message=_l("Write 10,000 characters or fewer.")),
        ],
    )

    def field_values(self) -> dict[str, str]:
        """What the handler typed for each named field of a template."""
        return {name: self[f"field_{name}"].data or "" for name in FIELDS}


# One input per named field a template may hold (`{authority}` -> field_authority).
for _name, _label in FIELDS.items():
    setattr(
        ReplyForm,
        f"field_{_name}",
        # A text area, not a one-line input: Enter in a one-line input would submit the
        # form with its first button, a template pick.
        TextAreaField(
            _label, validators=[Length(max=2000, message=_l("Write 2,000 characters or fewer."))]
        ),
    )


class SavedFilterForm(PortalForm):
    name = StringField(
        _l("Name for these filters"),
        validators=[DataRequired(_l("Give the filter a name."))],
    )


NOTE_KINDS = {"note": _l("Internal note"), "correction": _l("Correction")}


class NoteForm(PortalForm):
    kind = SelectField(
        _l("Type of note"),
        choices=[SelectChoice(key, label) for key, label in NOTE_KINDS.items()],
    )
    note = TextAreaField(
        _l("Note (staff only)"),
        validators=[
            DataRequired(_l("Write the note.")),
            Length(max=5000, message=_l("Write 5,000 characters or fewer.")),
        ],
    )


class AssignForm(PortalForm):
    assignee = SelectField(_l("Assign to"), choices=[], validate_choice=False)


class SpamForm(PortalForm):
    reason = StringField(
        _l("Why is this spam or abuse?"),
        validators=[DataRequired(_l("Say why this is spam or abuse.")), Length(max=500)],
    )


class ActionForm(PortalForm):
    """A button that changes something: only the CSRF token."""
