"""What a kiosk's receipts hold: only at a kiosk, and never what a visitor typed to prove
who they are. (How they print at 80 mm: tests/e2e/test_kiosk_receipts.py.)"""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from portal.cases.cli import DEMO_PARTY
from portal.config import PROJECT_ROOT
from tests.booking.conftest import booking_data
from tests.booking.factories import make_open_day
from tests.helpers import submit

RECEIPT = re.compile(r'<div class="kiosk-receipt" data-receipt hidden>(.*?)\n</div>', re.S)


def _receipt(page: str) -> str:
    found = RECEIPT.search(page)
    assert found, "no receipt on the page"
    return found.group(1)


def _book(app: Flask, client: FlaskClient) -> str:
    open_day = make_open_day(app)
    response = submit(client, f"/open-days/{open_day.id}/book", booking_data(open_day))
    assert response.status_code == 302, response.text
    return client.get("/open-days/booking").text


def test_a_kiosk_booking_page_carries_a_receipt_with_the_code_and_its_qr_code(
    app: Flask, client: FlaskClient, enrol_kiosk
) -> None:
    enrol_kiosk(client)
    page = _book(app, client)
    code = re.search(r'data-testid="booking-code">([A-Z0-9-]+)<', page)
    assert code
    receipt = _receipt(page)
    assert code.group(1) in receipt and "<svg" in receipt
    assert "The identity document you booked with" in receipt
    assert "13912345678" not in receipt and "王小明" not in receipt
    assert "data-receipt-print" in page and "js/receipt.js" in page


def test_the_ordinary_site_has_no_kiosk_receipt(app: Flask, client: FlaskClient) -> None:
    page = _book(app, client)
    assert "data-receipt" not in page and "receipt.css" not in page


def test_a_case_summary_has_the_number_and_stages_but_no_identity(
    app: Flask, client: FlaskClient, enrol_kiosk
) -> None:
    sample = PROJECT_ROOT / "content" / "cases" / "sample-cases.jsonl"
    result = app.test_cli_runner().invoke(args=["cases", "import", str(sample)])
    assert "8 created" in result.output, result.output
    number, name, id_number = DEMO_PARTY
    enrol_kiosk(client)
    page = submit(
        client,
        "/cases/inquiry",
        {"case_number": number, "name": name, "id_number": id_number},
    )
    assert page.status_code == 200, page.text
    receipt = _receipt(page.text)
    assert number in receipt and "Review for prosecution" in receipt
    for secret in (id_number, name, "陈某峰"):
        assert secret not in receipt
