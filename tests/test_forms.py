"""How `PortalForm` renders fields so that every page is valid HTML."""

from __future__ import annotations

from flask import Flask, g
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from portal.forms import PortalForm
from portal.kiosk.device import KioskDevice


class _Form(PortalForm):
    chosen = SelectField(
        "Kind",
        choices=[SelectChoice("a", "A"), SelectChoice("b", "B")],
        validators=[DataRequired()],
    )
    open = SelectField(
        "Office",
        choices=[SelectChoice("", "Choose one"), SelectChoice("1", "One")],
        validators=[DataRequired()],
    )


def test_two_forms_on_one_page_do_not_repeat_the_token_id(app: Flask):
    with app.test_request_context("/"):
        first, second = _Form(), _Form()
        page = f"{first.csrf_token}{second.csrf_token}"

    assert page.count('name="csrf_token"') == 2
    assert "id=" not in page


def test_a_hidden_field_has_no_autocomplete_at_a_kiosk(app: Flask):
    with app.test_request_context("/"):
        g.kiosk = KioskDevice(id=1, name="hall", office_id=None)
        html = str(_Form().csrf_token)

    assert 'type="hidden"' in html and "autocomplete" not in html


def test_required_only_on_a_drop_down_list_that_can_be_left_empty(app: Flask):
    with app.test_request_context("/"):
        form = _Form()
        chosen, open_ = str(form.chosen), str(form.open)

    assert "required" not in chosen  # its first option is an answer: never empty
    assert "required" in open_
