"""At a kiosk an access request (which needs proofs as files) is not taken: the page
says how to apply online or at the counter, and nothing sent from the kiosk is stored."""

from __future__ import annotations

import io
import re

from flask import Flask
from sqlalchemy import func, select

from portal.cases.models import AccessProof, AccessRequest

from ..files import PDF
from ..helpers import csrf_token
from .test_access import request_access


def test_a_kiosk_shows_how_to_apply_instead_of_the_form(app: Flask, kiosk_client, db) -> None:
    kiosk = kiosk_client
    page = kiosk.get("/cases/access").text
    assert "Apply online" in page and "Apply at the counter" in page
    assert '<span class="kiosk-url">http://localhost:5000/cases/access</span>' in page
    assert "<svg" in page
    forms = re.sub(r'<form[^>]* action="/kiosk/end".*?</form>', "", page, flags=re.S)
    assert "<form" not in forms  # only the kiosk's End button
    assert 'type="file"' not in page

    token = csrf_token(kiosk, "/cases/inquiry")
    with_file = kiosk.post(
        "/cases/access",
        data={"csrf_token": token, "case_number": "x", "proofs": [(io.BytesIO(PDF), "l.pdf")]},
        content_type="multipart/form-data",
    )
    assert with_file.status_code == 403
    without = kiosk.post("/cases/access", data={"csrf_token": token, "case_number": "x"})
    assert without.status_code == 200 and "Apply online" in without.text
    assert db.scalar(select(func.count()).select_from(AccessRequest)) == 0
    assert db.scalar(select(func.count()).select_from(AccessProof)) == 0


def test_the_website_keeps_the_form(client) -> None:
    response = request_access(client)
    assert 'data-testid="reference"' in response.text
