"""Journeys: staff build a questionnaire with a conditional question, a citizen answers it,
and the results chart, its table and the CSV show the answer; in both languages. Then a kiosk."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from portal.db import get_session
from portal.staff import services as staff_services
from portal.surveys.demo import build_sample

from ..conftest import TEST_PASSWORD
from ..helpers import totp_now
from .conftest import enrol_screen

pytestmark = pytest.mark.e2e

LABELS = {
    "en": {
        "username": "Username",
        "password": "Password",
        "continue": "Continue",
        "code": re.compile("6-digit code"),
        "sign_in": "Sign in",
        "staff_area": "Staff area",
        "sign_out": "Sign out",
        "title": "Title",
        "department": "Department",
        "save": "Save",
        "kind": "Type of question",
        "question": "Question",
        "required": "An answer is required",
        "condition": "Show this question only when",
        "add": "Add the question",
        "open": "Open for answers",
        "preview": "Preview",
        "nav": "Main",
        "area": "Questionnaires",
        "dissatisfied": "Dissatisfied",
        "send": "Send my answers",
        "thanks": "Thank you",
        "results": "Results",
        "condition_option": "Question 1 is answered “Dissatisfied”",
        "csv_label": "Dissatisfied",
    },
    "zh": {
        "username": "用户名",
        "password": "密码",
        "continue": "继续",
        "code": re.compile("6 位验证码"),
        "sign_in": "登录",
        "staff_area": "工作人员专区",
        "sign_out": "退出登录",
        "title": "标题",
        "department": "承办部门",
        "save": "保存",
        "kind": "题型",
        "question": "题目",
        "required": "必答题",
        "condition": "仅在以下情况显示本题",
        "add": "添加该题目",
        "open": "开放作答",
        "preview": "预览",
        "nav": "主导航",
        "area": "问卷调查",
        "dissatisfied": "不满意",
        "send": "提交我的回答",
        "thanks": "感谢您的参与",
        "results": "统计结果",
        "condition_option": "第 1 题回答为“不满意”",
        "csv_label": "不满意",
    },
}


def _sign_in(page: Page, a11y, user, t, offset: int = 0) -> None:
    page.goto("/staff/login")
    a11y.check(page)
    page.get_by_label(t["username"]).fill(user.username)
    page.get_by_label(t["password"]).fill(TEST_PASSWORD)
    page.get_by_role("button", name=t["continue"]).click()
    a11y.check(page)
    page.get_by_label(t["code"]).fill(totp_now(user.totp_secret, offset))
    page.get_by_role("button", name=t["sign_in"], exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t["staff_area"])
    a11y.check(page)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_build_answer_and_read_the_results(request, a11y, create_staff, language):
    page: Page = request.getfixturevalue("en_page" if language == "en" else "page")
    t = LABELS[language]
    title = "Open day visit" if language == "en" else "开放日参观满意度调查"
    question = "How satisfied are you?" if language == "en" else "您对本次参观是否满意？"
    follow_up = "What went wrong?" if language == "en" else "哪些地方需要改进？"
    answer = "The queue was too long & slow <b>" if language == "en" else "排队时间太长 & <b>"
    staff = create_staff("surveys")

    _sign_in(page, a11y, staff, t)
    page.goto("/staff/questionnaires/new")
    a11y.check(page)
    page.get_by_label(t["title"], exact=True).fill(title)
    page.get_by_label(t["department"]).fill("办公室")
    page.get_by_role("button", name=t["save"], exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    a11y.check(page)

    page.get_by_label(t["kind"]).select_option("rating3")
    page.get_by_label(t["question"], exact=True).fill(question)
    page.get_by_label(t["required"]).check()
    page.get_by_role("button", name=t["add"]).click()
    expect(page.locator(".question-list")).to_contain_text(question)
    a11y.check(page)
    page.get_by_label(t["kind"]).select_option("text")
    page.get_by_label(t["question"], exact=True).fill(follow_up)
    page.get_by_label(t["condition"]).select_option(label=t["condition_option"])
    page.get_by_role("button", name=t["add"]).click()
    expect(page.locator(".question-list")).to_contain_text(follow_up)
    a11y.check(page)
    page.get_by_role("link", name=t["preview"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    a11y.check(page)
    page.go_back()
    a11y.check(page)
    page.get_by_role("button", name=t["open"]).click()
    a11y.check(page)
    page.get_by_role("button", name=t["sign_out"]).click()
    a11y.check(page)

    # A citizen finds the questionnaire; the follow-up appears only after "dissatisfied".
    page.goto("/")
    a11y.check(page)
    page.get_by_role("navigation", name=t["nav"]).get_by_role("link", name=t["area"]).click()
    a11y.check(page)
    page.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_label(re.compile(re.escape(follow_up)))).to_be_hidden()
    a11y.check(page)
    page.get_by_label(t["dissatisfied"]).check()
    expect(page.get_by_label(re.compile(re.escape(follow_up)))).to_be_visible()
    a11y.check(page)
    page.get_by_label(re.compile(re.escape(follow_up))).fill(answer)
    page.get_by_role("button", name=t["send"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t["thanks"])
    a11y.check(page)

    _sign_in(page, a11y, staff, t, offset=30)  # a second code: each code is accepted once
    page.goto("/staff/questionnaires/")
    a11y.check(page)
    page.get_by_role("link", name=title).click()
    a11y.check(page)
    page.get_by_role("link", name=t["results"], exact=True).click()
    chart = page.locator("svg[role=img]").first
    expect(chart).to_be_visible()
    assert float(chart.locator("rect").nth(2).get_attribute("width")) == 300.0
    row = page.locator("table").first.locator("tr", has_text=t["dissatisfied"])
    expect(row).to_contain_text("100.0%")
    expect(page.locator(".free-texts")).to_have_text(answer)
    a11y.check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("CSV")).click()
    csv_text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert t["csv_label"] in csv_text and answer in csv_text
    page.goto("/staff/questionnaires/results")
    expect(page.locator("#chart-department-table")).to_contain_text("办公室")
    a11y.check(page)


def _published_sample(app) -> int:
    """The sample questionnaire (question 3 asks why, only after 不满意); its public number."""
    with app.app_context():
        db = get_session()
        author = staff_services.create_staff(
            db, username="kiosk-author", password=TEST_PASSWORD, roles=["surveys"], actor="test"
        )
        family_id = build_sample(db, author).family_id
        db.commit()
    return family_id


def test_a_kiosk_visitor_never_sees_the_previous_answers(kiosk_page: Page, a11y, app):
    family_id = _published_sample(app)
    page = kiosk_page
    enrol_screen(page, app, a11y)
    page.goto(f"/questionnaires/kiosk/{family_id}")
    a11y.check(page)
    page.get_by_label("不满意", exact=True).tap()
    page.get_by_label(re.compile("不满意的原因")).fill("第一位访客的意见")
    page.get_by_label("来访", exact=True).tap()
    page.get_by_role("button", name="提交我的回答").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("感谢您的参与")
    expect(page.locator("main")).not_to_contain_text("第一位访客的意见")
    a11y.check(page)
    # Finish ends the visit: the kiosk's start screen, for the next visitor.
    page.get_by_role("button", name="完成", exact=True).tap()
    page.wait_for_url(re.compile(r"/kiosk/$"))
    a11y.check(page)
    # Going back in the browser's history brings no answers back either.
    page.go_back()
    expect(page.locator("body")).not_to_contain_text("第一位访客的意见")
    page.goto(f"/questionnaires/kiosk/{family_id}")
    expect(page.get_by_label("不满意", exact=True)).not_to_be_checked()
    expect(page.get_by_label("来访", exact=True)).not_to_be_checked()
    expect(page.get_by_label(re.compile("不满意的原因"))).to_be_hidden()
    a11y.check(page)


def test_a_kiosk_form_left_half_filled_is_cleared(kiosk_page: Page, a11y, app):
    """With the kiosk's default times: a warning after 90 s alone, the start screen 20 s later."""
    family_id = _published_sample(app)
    page = kiosk_page
    enrol_screen(page, app, a11y)
    page.clock.install()
    page.goto(f"/questionnaires/kiosk/{family_id}")
    a11y.check(page)
    page.get_by_label("不满意", exact=True).tap()
    page.get_by_label(re.compile("不满意的原因")).fill("走开前没写完的意见")
    page.clock.run_for("01:00")
    expect(page.get_by_label(re.compile("不满意的原因"))).to_have_value("走开前没写完的意见")
    page.clock.run_for("00:31")
    expect(page.get_by_role("dialog")).to_be_visible()
    with page.expect_navigation():
        page.clock.run_for("00:21")
    page.wait_for_url(re.compile(r"/kiosk/$"))
    expect(page.locator("body")).not_to_contain_text("走开前没写完的意见")
    a11y.check(page)
