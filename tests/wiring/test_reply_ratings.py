"""Ratings of replies to submissions feed the questionnaire results pages."""

from __future__ import annotations

import re

from portal.surveys.results import all_ratings


def _table(page: str, table_id: str) -> dict[str, tuple[str, str]]:
    """The rows of a chart's data table: label -> (number, index)."""
    body = page.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    return {
        label: (count, value)
        for label, count, value in re.findall(
            r'<th scope="row">([^<]*)</th><td>(\d+)</td><td>([^<]*)</td>', body
        )
    }


def test_rated_replies_appear_in_the_overview_by_kind_and_department(
    client, login_as, answered_submission
):
    answered_submission("complaint", rating="satisfied")
    answered_submission("complaint", rating="fair")
    answered_submission("report", rating="unsatisfied")
    answered_submission("complaint")  # answered, not rated: no rating to count
    login_as("surveys")
    page = client.get("/staff/questionnaires/results").text
    # 100 + 60 + 0 over three ratings
    assert "Satisfaction index: 53.3, from 3 ratings." in page
    by_kind = _table(page, "chart-kind-table")
    assert by_kind["Reply ratings: Complaint (控告)"] == ("2", "80.0")
    assert by_kind["Reply ratings: Report (举报)"] == ("1", "0.0")
    by_department = _table(page, "chart-department-table")
    assert by_department["Complaints and reports (no department recorded)"] == ("3", "53.3")
    assert "Reply ratings: Complaint (控告)" in page.split('id="chart-kind-title"', 1)[1]


def test_the_department_setting_names_where_reply_ratings_go(
    app, client, login_as, answered_submission
):
    app.config["SUBMISSIONS_DEPARTMENT"] = "控告申诉检察部"
    answered_submission("complaint", rating="satisfied")
    login_as("surveys")
    page = client.get("/staff/questionnaires/results").text
    assert _table(page, "chart-department-table")["控告申诉检察部"] == ("1", "100.0")


def test_reply_ratings_use_the_questionnaire_vocabulary(app, answered_submission):
    for rating in ("satisfied", "fair", "unsatisfied"):
        answered_submission("complaint", rating=rating)
    with app.test_request_context():
        from zoneinfo import ZoneInfo

        from portal.db import get_session

        ratings = all_ratings(get_session(), app, ZoneInfo("Asia/Shanghai"))
    assert sorted(r.value for r in ratings) == ["dissatisfied", "fairly", "satisfied"]
    assert {r.kind for r in ratings} == {"reply:complaint"}


def test_the_overview_in_chinese_names_the_kinds_in_chinese(client, login_as, answered_submission):
    answered_submission("complaint", rating="satisfied")
    login_as("surveys")
    page = client.get("/staff/questionnaires/results", headers={"Accept-Language": "zh-CN"}).text
    assert "答复评价" in page
