"""Journeys across capabilities: a citizen rates the reply to a complaint and the rating shows
on the satisfaction results; staff print return-visit codes for the parties of a closed case."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from portal.cases.importer import import_cases
from portal.db import get_session, utcnow
from portal.staff import services as staff_services
from portal.submissions import services as submissions
from portal.surveys.demo import build_sample

from ..cases.conftest import PARTY_ID, case_record, jsonl
from ..submissions.conftest import create_complaint
from .test_surveys_journeys import LABELS, _sign_in

pytestmark = pytest.mark.e2e


def _answered_complaint(app: Flask) -> tuple[str, str]:
    """A complaint answered by staff; its tracking and query codes."""
    with app.app_context():
        db = get_session()
        officer = staff_services.create_staff(
            db, username="replier", password="x" * 20, roles=["moderator"], actor="test"
        )
        now = utcnow()
        created = create_complaint(db, app.config, now=now)
        sub = created.submission
        submissions.change_status(db, sub, "accepted", "受理。", officer, now)
        submissions.post_reply(
            db, sub, "经审查，已依法处理。", officer, now, track_url="/", new_status="answered"
        )
        db.commit()
        return sub.tracking_code, created.query_code or ""


def test_a_rated_reply_shows_on_the_results_page(
    app, en_page: Page, page: Page, a11y, create_staff
):
    tracking, query = _answered_complaint(app)
    citizen = en_page
    citizen.goto("/submissions/track")
    a11y.check(citizen)
    citizen.get_by_label("Tracking code").fill(tracking)
    citizen.get_by_label("Query code").fill(query)
    citizen.get_by_role("button", name="Show progress").click()
    expect(citizen.get_by_test_id("reply")).to_contain_text("已依法处理")
    a11y.check(citizen)
    citizen.get_by_label("Basically satisfied (基本满意)").check()
    citizen.get_by_role("button", name="Send rating").click()
    expect(citizen.get_by_test_id("reply")).to_contain_text("Your rating:")
    a11y.check(citizen)

    staff = page  # in Chinese
    _sign_in(staff, a11y, create_staff("surveys"), LABELS["zh"])
    staff.goto("/staff/questionnaires/results")
    expect(staff.locator("main")).to_contain_text("满意度指数：60.0，基于 1 个评价。")
    kinds = staff.locator("#chart-kind-table")
    row = kinds.get_by_role("row", name=re.compile("答复评价：控告"))
    expect(row).to_contain_text("60.0")
    expect(staff.locator("#chart-department-table")).to_contain_text("控告申诉举报（未记录部门）")
    expect(staff.get_by_role("img", name="各来源满意度指数")).to_contain_text("答复评价")
    a11y.check(staff)


def test_staff_print_return_visit_codes_for_a_closed_case(app, en_page: Page, a11y, create_staff):
    author = create_staff("surveys")
    with app.app_context():
        db = get_session()
        record = case_record(case_number="示检刑不诉〔2026〕5号")
        record["events"] = [*record["events"], {"stage": "结案", "date": "2026-11-20"}]
        import_cases(db, jsonl(record), filename="t.jsonl", actor="test")
        q = build_sample(db, db.merge(author), audience="invitation", title="案件回访问卷")
        db.commit()
        q_id = q.id
    staff = en_page
    _sign_in(staff, a11y, author, LABELS["en"])
    staff.goto(f"/staff/questionnaires/{q_id}")
    a11y.check(staff)
    staff.get_by_role("link", name=re.compile("Invite from the portal's lists")).click()
    a11y.check(staff)
    staff.get_by_role("button", name="Issue invitations").click()
    expect(staff.get_by_role("alert")).to_contain_text("Choose who to invite.")
    a11y.check(staff)
    staff.get_by_label("Who to invite").select_option("closed_case")
    staff.get_by_role("button", name="Issue invitations").click()
    codes = staff.get_by_test_id("codes")
    expect(codes).to_contain_text("Case number: 示检刑不诉〔2026〕5号")
    expect(codes.locator(".code")).to_have_count(1)
    expect(staff.locator("main")).not_to_contain_text("陈晓峰")
    assert PARTY_ID not in staff.content()
    a11y.check(staff)
