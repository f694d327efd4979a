from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from ..forms import PortalForm


class KioskActionForm(PortalForm):
    """A button on a kiosk screen (enrol, end the visit): only the CSRF token."""


class KioskRegisterForm(PortalForm):
    name = StringField(
        _l("Name of the kiosk"),
        validators=[
            DataRequired(
                message=_l("Enter a name for the kiosk, for example “Hall, left screen”.")
            ),
            Length(max=100, message=_l("The name can be at most 100 characters long.")),
        ],
    )
    office = SelectField(_l("Liaison office"), choices=[], validate_choice=True)
