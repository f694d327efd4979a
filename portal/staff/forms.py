"""Staff sign-in forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from ..forms import PortalForm


class StaffLoginForm(PortalForm):
    username = StringField(
        _l("Username"),
        validators=[DataRequired(_l("Enter your username.")), Length(max=64)],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Enter your password.")), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )


class StaffCodeForm(PortalForm):
    code = StringField(
        _l("6-digit code from your authenticator app"),
        validators=[
            DataRequired(_l("Enter the 6-digit code shown in your authenticator app.")),
            Regexp(r"^\s*\d{3}\s*\d{3}\s*$", message=_l("The code is 6 digits, like 123456.")),
        ],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )
