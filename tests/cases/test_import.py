"""Importing case exports: formats, encodings, dates, problems by line, idempotence."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, text

from portal.cases.importer import ImportFailed, import_cases, parse_date
from portal.cases.models import Case, CaseImport
from portal.db import get_session

from .conftest import PARTY_ID, PARTY_NAME, case_record, jsonl

CSV_HEADER = (
    "case_number,case_name,charge,department,accepted_on,time_limit_on,events,parties,minor\n"
)
CSV_ROW = (
    "示检刑诉〔2026〕5号,甲某盗窃案,盗窃罪,第一检察部,2026/1/31,2026年3月1日,"
    "受理|2026年2月1日|; prosecution_review|2026-02-02|已告知权利,"
    f"犯罪嫌疑人|{PARTY_NAME}|{PARTY_ID.lower()},否\n"
)


def run(app, data: bytes, filename: str = "export.jsonl"):
    with app.app_context():
        db = get_session()
        try:
            return import_cases(db, data, filename=filename, actor="test")
        finally:
            db.commit()


@pytest.mark.parametrize(
    "value", ["2024-01-31", "2024/1/31", "2024年1月31日", "２０２４年１月３１日", " 2024-1-31 "]
)
def test_three_date_forms_are_read(value):
    assert parse_date(value) == date(2024, 1, 31)


@pytest.mark.parametrize("value", ["31/01/2024", "2024-02-30", "2024.1.31", ""])
def test_other_dates_are_refused(value):
    assert parse_date(value) is None


def test_identity_numbers_are_stored_only_as_keyed_hashes(app, db):
    run(app, jsonl(case_record()))
    dump = []
    with app.extensions["portal.db"].engine.connect() as conn:
        for table in ("cases", "case_parties", "case_events", "audit_entries", "case_imports"):
            dump += [repr(tuple(row)) for row in conn.execute(text(f"SELECT * FROM {table}"))]  # noqa: S608
    everything = "\n".join(dump)
    assert PARTY_ID not in everything and PARTY_ID.lower() not in everything
    assert PARTY_NAME not in everything  # names are encrypted
    case = db.scalar(select(Case))
    assert case.parties[0].name == PARTY_NAME
    assert len(case.parties[0].id_hash) == 64


def test_reimporting_updates_in_place_and_reports_unchanged(app, db):
    first = run(app, jsonl(case_record()))
    assert (first.created, first.updated, first.unchanged) == (1, 0, 0)
    again = run(app, jsonl(case_record()))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    changed = case_record(
        events=[*case_record()["events"], {"stage": "提起公诉", "date": "2026-11-30"}]
    )
    later = run(app, jsonl(changed))
    assert (later.created, later.updated, later.unchanged) == (0, 1, 0)
    cases = db.scalars(select(Case)).all()
    assert len(cases) == 1
    assert [e.stage for e in cases[0].events][-1] == "prosecuted"
    assert [r.ok for r in db.scalars(select(CaseImport))] == [True, True, True]


def test_gbk_csv_is_read(app, db):
    report = run(app, (CSV_HEADER + CSV_ROW).encode("gbk"), "export.csv")
    assert report.created == 1
    case = db.scalar(select(Case))
    assert case.name == "甲某盗窃案"
    assert case.accepted_on == date(2026, 1, 31) and case.time_limit_on == date(2026, 3, 1)
    assert [e.stage for e in case.events] == ["accepted", "prosecution_review"]
    assert case.events[1].note == "已告知权利"


def test_a_bad_file_changes_nothing_and_names_each_problem_by_line(app, db):
    run(app, jsonl(case_record()))
    before = db.scalar(select(Case)).source_hash
    bad = (
        jsonl(
            case_record(case_name="改过的名字"),
            case_record(case_number="示检刑诉〔2026〕2号", accepted_on="31/01/2026"),
            case_record(
                case_number="示检刑诉〔2026〕3号", events=[{"stage": "飞升", "date": "2026-01-01"}]
            ),
            case_record(case_number="示检刑诉【2026】1247号"),
        )
        + b"{not json\n"
        + jsonl({"case_number": "示检刑诉〔2026〕4号"})
    )
    bad += jsonl(
        case_record(
            case_number="示检刑诉〔2026〕5号",
            parties=[{"role": "犯罪嫌疑人", "name": "某人", "id_number": PARTY_ID[:17] + "1"}],
        )
    )
    with pytest.raises(ImportFailed) as failed:
        run(app, bad)
    messages = [str(p) for p in failed.value.problems]
    assert messages == [
        "line 2: accepted_on must be like 2024-01-31, 2024/1/31 or 2024年1月31日",
        "line 3: events 1: unknown stage '飞升'",
        "line 4: case number already given on line 1",
        "line 5: not valid JSON (Expecting property name enclosed in double quotes)",
        "line 6: missing fields: case_name, charge, department, accepted_on, events, parties",
        "line 7: party 1: the identity number is not valid",
    ]
    assert all(PARTY_ID[:17] not in m for m in messages)
    db.expire_all()
    cases = db.scalars(select(Case)).all()
    assert len(cases) == 1 and cases[0].source_hash == before and cases[0].name == "陈某峰盗窃案"


def test_csv_with_missing_columns_is_refused(app):
    with pytest.raises(ImportFailed) as failed:
        run(app, "case_number,case_name\n示检刑诉〔2026〕5号,甲某盗窃案\n".encode(), "export.csv")
    assert [str(p) for p in failed.value.problems] == [
        "line 1: missing columns: charge, department, accepted_on, events, parties"
    ]


def test_the_command_shows_a_summary_and_refuses_a_bad_file(app, db, tmp_path):
    good = tmp_path / "cases.jsonl"
    good.write_bytes(jsonl(case_record()))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["cases", "import", str(good)])
    assert result.exit_code == 0, result.output
    assert "1 cases read: 1 created, 0 updated, 0 unchanged." in result.output
    result = runner.invoke(args=["cases", "import", str(good)])
    assert "0 created, 0 updated, 1 unchanged." in result.output

    bad = tmp_path / "bad.csv"
    bad.write_bytes((CSV_HEADER + CSV_ROW.replace("2026/1/31", "2026.1.31")).encode("gbk"))
    result = runner.invoke(args=["cases", "import", str(bad)])
    assert result.exit_code == 1
    assert "line 2: accepted_on must be like" in result.output
    assert "1 problems in bad.csv: nothing was imported." in result.output
    history = db.scalars(select(CaseImport).order_by(CaseImport.id)).all()
    assert [(h.filename, h.ok) for h in history] == [
        ("cases.jsonl", True),
        ("cases.jsonl", True),
        ("bad.csv", False),
    ]
    assert len(db.scalars(select(Case)).all()) == 1


def test_the_sample_file_imports_and_flags_some_cases(app, db):
    from portal.config import PROJECT_ROOT

    data = (PROJECT_ROOT / "content" / "cases" / "sample-cases.jsonl").read_bytes()
    report = run(app, data, "sample-cases.jsonl")
    assert report.created == 8
    cases = db.scalars(select(Case)).all()
    assert sum(c.hidden for c in cases) == 3
    assert any(c.closed_on for c in cases)
