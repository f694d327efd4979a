"""The base of every form: control characters are refused at the field that holds them."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field
from wtforms.widgets import Select, TextArea
from wtforms.widgets.core import clean_key

from .inputs import CONTROL_MESSAGE, has_control, strip_controls
from .keypad import device_attributes


def _always_chosen(field: Field) -> bool:
    """A single-choice drop-down list whose first option has a value."""
    if not isinstance(field.widget, Select) or field.widget.multiple or field.has_groups():
        return False
    first = next(iter(field.iter_choices()), None)
    return first is not None and first[0] not in ("", None)


class PortalForm(FlaskForm):
    """A Flask-WTF form that never passes a control character on.

    A field holding one (NUL, escape, ...; tab and newlines are fine in
    multi-line text) fails with a message, and its value is kept without the
    character, so the page shows again with everything else the person typed.
    The field's own validators see only the cleaned value: none of them takes
    a NUL to the database.

    Every field is rendered through `portal.keypad.device_attributes`: the
    on-screen keypad's attributes appear at a kiosk only. The hidden CSRF field
    has no id: a page with several forms would otherwise repeat `csrf_token`,
    and nothing refers to it by id. A drop-down list whose first option is a
    real answer is never empty, so it gets no `required` attribute (HTML
    allows one only with an empty first option); the validators still apply.
    """

    class Meta(FlaskForm.Meta):
        def render_field(self, field: Field, render_kw: dict[str, Any]) -> Any:
            attrs = {clean_key(k): v for k, v in (field.render_kw or {}).items()}
            attrs.update({clean_key(k): v for k, v in render_kw.items()})
            if field.type == "CSRFTokenField":
                attrs.setdefault("id", False)
            if _always_chosen(field):
                attrs.setdefault("required", False)
            attrs = device_attributes(attrs)
            if getattr(field.widget, "input_type", None) == "hidden":
                attrs.pop("autocomplete", None)  # HTML allows none on a hidden input
            return field.widget(field, **attrs)

    def validate(self, extra_validators: Any = None) -> bool:
        refused = []
        for field in self:
            raw = [v for v in (field.raw_data or []) if isinstance(v, str)]
            multiline = isinstance(field.widget, TextArea)
            if not any(has_control(value, multiline) for value in raw):
                continue
            refused.append(field)
            field.raw_data = [strip_controls(value, multiline) for value in raw]
            if isinstance(field.data, str):
                field.data = strip_controls(field.data, multiline)
        valid = super().validate(extra_validators=extra_validators)
        for field in refused:
            field.errors = [CONTROL_MESSAGE]
        return valid and not refused
