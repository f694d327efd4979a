"""Case officers: cases, import history, sealing, statistics; and nobody else."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.audit import AuditEntry
from portal.cases.models import Case

from ..helpers import csrf_token, submit
from .conftest import OTHER_ID, PARTY_ID, PARTY_NAME, case_record

STAFF_PAGES = [
    "/staff/cases/",
    "/staff/cases/imports",
    "/staff/cases/requests",
    "/staff/cases/statistics",
]


@pytest.mark.parametrize("role", ["editor", "moderator", "admin"])
def test_other_roles_cannot_open_case_pages(client, login_as, import_records, role):
    (case,) = import_records(case_record())
    login_as(role)
    for path in [*STAFF_PAGES, f"/staff/cases/{case.id}"]:
        assert client.get(path).status_code == 403, path


def test_signed_out_visitors_are_sent_to_sign_in(client):
    for path in STAFF_PAGES:
        assert client.get(path).status_code == 302


def test_officers_list_and_search_cases(client, login_as, import_records):
    import_records(
        case_record(),
        case_record(case_number="示检刑诉〔2026〕7号", case_name="李某诈骗案", charge="诈骗罪"),
    )
    login_as("case_officer")
    everything = client.get("/staff/cases/")
    assert "陈某峰盗窃案" in everything.text and "李某诈骗案" in everything.text
    by_charge = client.get("/staff/cases/?q=诈骗")
    assert "李某诈骗案" in by_charge.text and "陈某峰盗窃案" not in by_charge.text
    by_number = client.get("/staff/cases/?q=示检刑诉[2026]7号")
    assert "李某诈骗案" in by_number.text and "陈某峰盗窃案" not in by_number.text
    dashboard = client.get("/staff/")
    assert "/staff/cases/requests" in dashboard.text


def test_the_import_history_shows_each_run(client, login_as, import_records):
    import_records(case_record())
    import_records(case_record())
    login_as("case_officer")
    page = client.get("/staff/cases/imports")
    assert page.text.count("test.jsonl") == 2
    assert "1 created, 0 updated, 0 unchanged" in page.text
    assert "0 created, 0 updated, 1 unchanged" in page.text


def test_sealing_hides_a_case_and_survives_a_new_import(client, db, login_as, import_records):
    (case,) = import_records(case_record())
    officer = login_as("case_officer")
    assert "Open to parties" in client.get(f"/staff/cases/{case.id}").text
    token = csrf_token(client, f"/staff/cases/{case.id}")
    response = client.post(f"/staff/cases/{case.id}/seal", data={"csrf_token": token})
    assert response.status_code == 302
    import_records(case_record(case_name="陈某峰盗窃案（更新）"))
    db.rollback()
    sealed = db.scalar(select(Case))
    assert sealed.sealed_at is not None and sealed.hidden
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "cases.seal"))
    assert entry.actor_id == officer.id and entry.target_id == str(case.id)

    client.post("/staff/logout", data={"csrf_token": csrf_token(client, "/staff/")})
    result = submit(
        client,
        "/cases/inquiry",
        {"case_number": case.number, "name": PARTY_NAME, "id_number": PARTY_ID},
    )
    assert "We could not find a case" in result.text


def test_statistics_count_lookups_by_outcome(client, login_as, import_records):
    import_records(case_record())
    for id_number in (PARTY_ID, OTHER_ID, OTHER_ID):
        submit(
            client,
            "/cases/inquiry",
            {"case_number": "示检刑诉〔2026〕1247号", "name": PARTY_NAME, "id_number": id_number},
        )
    login_as("case_officer")
    page = client.get("/staff/cases/statistics")
    assert 'data-testid="party-found">1<' in page.text
    assert 'data-testid="party-not-found">2<' in page.text


def test_viewing_a_case_is_audited(client, db, login_as, import_records):
    (case,) = import_records(case_record())
    login_as("case_officer")
    page = client.get(f"/staff/cases/{case.id}")
    assert PARTY_NAME in page.text  # officers see the party's name, decrypted
    db.rollback()
    assert db.scalar(select(AuditEntry).where(AuditEntry.action == "cases.view")) is not None
