"""Results: counts, percentages, the satisfaction index, charts with tables, free text, CSV."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from sqlalchemy import select

from portal import create_app
from portal.audit import AuditEntry
from portal.surveys.results import Rating, parse_weights, register_rating_source, satisfaction_index

from ..helpers import csrf_token
from .conftest import answer_fields


def _answer(app, q, **choices):
    browser = app.test_client()
    path = f"/questionnaires/{q.family_id}"
    data = answer_fields(q, **choices)
    response = browser.post(path, data={**data, "csrf_token": csrf_token(browser, path)})
    assert response.status_code == 302, response.text


def test_the_index_is_the_mean_weight_of_the_ratings():
    weights = parse_weights("satisfied=100,fairly=60,dissatisfied=0")
    assert satisfaction_index(["satisfied", "fairly", "dissatisfied", "fairly"], weights) == 55.0
    assert satisfaction_index(["yes"], weights) is None
    with pytest.raises(ValueError, match="PORTAL_SATISFACTION_WEIGHTS"):
        parse_weights("satisfied=120")


def test_the_app_refuses_to_start_with_malformed_weights(tmp_path):
    with pytest.raises(ValueError, match="PORTAL_SATISFACTION_WEIGHTS"):
        create_app(
            {
                "TESTING": True,
                "INSTANCE_PATH": str(tmp_path),
                "SATISFACTION_WEIGHTS": "satisfied:100",
            }
        )


def test_counts_percentages_index_chart_and_table(app, client, login_as, sample_questionnaire):
    q = sample_questionnaire()
    _answer(app, q, rating="satisfied", contact="电话")
    _answer(app, q, rating="satisfied", contact="来访")
    _answer(app, q, rating="fairly", contact="电话")
    _answer(
        app,
        q,
        rating="dissatisfied",
        contact="网上",
        reason="<script>alert(1)</script>电话13912345678",
    )
    login_as("surveys")
    page = client.get(f"/staff/questionnaires/{q.id}/results").text
    assert "4 responses" in page
    # (100 + 100 + 60 + 0) / 4
    assert "Satisfaction index: 65.0" in page
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in page
    assert '<th scope="row">Satisfied</th><td>2</td><td>50.0%</td>' in page
    assert '<th scope="row">电话</th><td>2</td><td>50.0%</td>' in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "13912345678" not in page

    app.config["SATISFACTION_WEIGHTS"] = "satisfied=100,fairly=50,dissatisfied=0"
    assert "Satisfaction index: 62.5" in client.get(f"/staff/questionnaires/{q.id}/results").text


def test_the_csv_has_the_answers_and_no_personal_data(
    app, client, db, login_as, sample_questionnaire
):
    q = sample_questionnaire()
    _answer(
        app, q, rating="dissatisfied", contact="网上", reason="=HYPERLINK(1) 我的电话13912345678"
    )
    _answer(app, q, rating="satisfied", contact="电话", improve=["接待态度", "等候环境"])
    login_as("surveys")
    response = client.get(f"/staff/questionnaires/{q.id}/results.csv")
    assert response.mimetype == "text/csv"
    assert response.headers["Cache-Control"] == "private, no-store"
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert rows[0][:4] == ["response", "date", "channel", "Q1. 您对本次接待是否满意？"]
    assert rows[1][3:6] == ["Dissatisfied", "网上", rows[1][5]]
    assert rows[1][5].startswith("'=HYPERLINK(1)") and "13912345678" not in rows[1][5]
    assert rows[2][6] == "接待态度; 等候环境"
    assert rows[1][2] == "Online"
    db.rollback()
    assert db.scalar(select(AuditEntry).where(AuditEntry.action == "survey.export_csv"))


def test_ratings_from_another_capability_join_the_overview(
    app, client, login_as, sample_questionnaire
):
    q = sample_questionnaire(department="控告申诉检察部")
    _answer(app, q, rating="satisfied", contact="电话")

    def complaint_replies(_db):
        return [
            Rating("第一检察部", "complaint", "dissatisfied", date(2026, 3, 2)),
            Rating("第一检察部", "complaint", "fairly", date(2026, 3, 9)),
        ]

    register_rating_source(app, complaint_replies, {"complaint": "Complaints and reports"})
    login_as("surveys")
    page = client.get("/staff/questionnaires/results").text
    assert "from 3 ratings" in page
    assert '<th scope="row">第一检察部</th><td>2</td><td>30.0</td>' in page
    assert '<th scope="row">控告申诉检察部</th><td>1</td><td>100.0</td>' in page
    assert '<th scope="row">2026-03</th><td>2</td><td>30.0</td>' in page
    assert '<th scope="row">Complaints and reports</th><td>2</td>' in page
    assert '<th scope="row">Questionnaires</th><td>1</td>' in page
