"""Flagged cases never appear on any public page or API response."""

from __future__ import annotations

import pytest

from ..helpers import submit
from .conftest import PARTY_ID, PARTY_NAME, case_record

FLAGGED = [
    case_record(case_number="示检未检诉〔2026〕12号", case_name="吴某某抢劫案", minor=True),
    case_record(case_number="示检刑诉〔2026〕1110号", case_name="郑某某泄密案", secret=True),
    case_record(case_number="示检刑诉〔2025〕877号", case_name="马某寻衅滋事案", sealed=True),
]


def _public_get_paths(app) -> list[str]:
    paths = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(("/staff", "/static")) or "GET" not in rule.methods:
            continue
        if rule.arguments:
            continue
        paths.append(rule.rule)
    return sorted(paths)


def test_flagged_cases_never_appear_on_a_public_page_or_api(app, client, import_records):
    import_records(*FLAGGED)
    paths = _public_get_paths(app)
    assert "/cases/" in paths and any(p.startswith("/api") for p in paths)
    for path in paths:
        response = client.get(path, follow_redirects=True)
        body = response.get_data(as_text=True)
        for record in FLAGGED:
            assert record["case_name"] not in body, path
            assert record["case_number"][-6:] not in body, path
    for record in FLAGGED:
        for path, data in (
            ("/cases/inquiry", {"name": PARTY_NAME, "id_number": PARTY_ID}),
            ("/cases/code", {"code": "ABCD-EFGH-JKMN"}),
        ):
            response = submit(client, path, {"case_number": record["case_number"], **data})
            assert response.status_code == 200
            assert record["case_name"] not in response.text
            assert "We could not find a case" in response.text


@pytest.mark.parametrize("path", ["/api/v1/search?q=抢劫", "/documents/search?q=吴某某"])
def test_searches_do_not_reach_case_data(client, import_records, path):
    import_records(*FLAGGED)
    response = client.get(path)
    assert "吴某某抢劫案" not in response.get_data(as_text=True)
