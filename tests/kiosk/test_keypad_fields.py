"""Number and code fields: the fitting device keyboard for everyone, the keypad at kiosks."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from portal.cases.queries import common_number_prefixes
from portal.db import get_session
from tests.cases.conftest import case_record, import_records  # noqa: F401 (fixture)

# Pages with a field of each kind (the complaint's "about you" needs a started journey).
PAGES = ["/cases/inquiry", "/cases/code", "/cases/access", "/submissions/track", "/open-days/find"]


def _input(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', html)
    assert match, f"no field {name}"
    return match.group(0)


def test_everyone_gets_the_keyboard_that_fits_and_nobody_off_a_kiosk_gets_the_keypad(
    client: FlaskClient,
) -> None:
    pages = {path: client.get(path).text for path in PAGES}
    for html in pages.values():
        assert "data-keypad" not in html
    id_field = _input(pages["/cases/inquiry"], "id_number")
    assert 'inputmode="text"' in id_field and 'autocapitalize="characters"' in id_field
    phone = _input(pages["/cases/access"], "phone")
    assert 'type="tel"' in phone and 'autocomplete="tel"' in phone
    for path, name in [("/cases/code", "code"), ("/submissions/track", "tracking_code")]:
        code = _input(pages[path], name)
        assert 'autocapitalize="characters"' in code
        assert 'autocomplete="off"' in code and 'spellcheck="false"' in code
    assert 'autocomplete="tel"' in _input(pages["/open-days/find"], "phone")


def test_a_kiosk_gets_the_keypad_on_number_and_code_fields(
    client: FlaskClient, enrol_kiosk
) -> None:
    enrol_kiosk(client)
    inquiry = client.get("/cases/inquiry").text
    assert 'data-keypad="id"' in _input(inquiry, "id_number")
    assert 'inputmode="text"' in _input(inquiry, "id_number")
    assert "data-keypad" not in _input(inquiry, "name")
    case_field = _input(inquiry, "case_number")
    assert 'data-keypad="case"' in case_field and "data-keypad-years=" in case_field
    assert 'data-keypad="tel"' in _input(client.get("/open-days/find").text, "phone")
    code = _input(client.get("/open-days/find").text, "code")
    assert 'data-keypad="code"' in code and 'data-keypad-length="8"' in code
    assert 'data-keypad-alphabet="ABCDEFGHJKMNPQRSTUVWXYZ23456789"' in code
    # No field keeps a token that would let the browser offer the last visitor's entries.
    phone = _input(client.get("/open-days/find").text, "phone")
    assert 'autocomplete="off"' in phone and 'autocomplete="tel"' not in phone


def test_case_number_buttons_offer_the_offices_most_used_prefixes(
    app: Flask,
    client: FlaskClient,
    enrol_kiosk,
    import_records,  # noqa: F811
) -> None:
    enrol_kiosk(client)
    # Before any case is imported, the configured prefixes are offered.
    app.config["CASE_NUMBER_PREFIXES"] = "示检刑诉, 示检民监"
    assert 'data-keypad-prefixes="示检刑诉|示检民监"' in client.get("/cases/code").text
    import_records(
        case_record(case_number="示检刑诉〔2026〕1号"),
        case_record(case_number="示检刑诉〔2025〕2号"),
        case_record(case_number="示检未检〔2026〕3号"),
    )
    with app.app_context():
        assert common_number_prefixes(get_session()) == ["示检刑诉", "示检未检"]
    assert 'data-keypad-prefixes="示检刑诉|示检未检"' in client.get("/cases/code").text
