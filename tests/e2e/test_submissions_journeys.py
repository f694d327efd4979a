"""Journeys: a real-name complaint with a file, answered by staff and rated by the citizen
(in Chinese); an anonymous report whose reporter's fields only the reports role sees
(in English)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from ..conftest import TEST_PASSWORD
from ..files import PDF
from ..helpers import totp_now
from .steps import describe_complaint

pytestmark = pytest.mark.e2e


def _staff_sign_in(page: Page, a11y, user) -> None:
    page.goto("/staff/login")
    a11y.check(page)
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
    a11y.check(page)
    page.get_by_label(re.compile("6-digit code")).fill(totp_now(user.totp_secret))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff area")
    a11y.check(page)


def _staff_sign_out(page: Page, a11y) -> None:
    page.get_by_role("button", name="Sign out").click()
    a11y.check(page)


def test_real_name_complaint_answered_and_rated(page: Page, en_page: Page, a11y, create_staff):
    citizen = page
    citizen.goto("/")
    a11y.check(citizen)
    citizen.get_by_role("navigation", name="主导航").get_by_role(
        "link", name="控告申诉举报"
    ).click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text("控告申诉举报")
    a11y.check(citizen)
    citizen.get_by_role("link", name="控告", exact=True).click()
    expect(citizen.get_by_role("heading", level=2, name="隐私声明")).to_be_visible()
    a11y.check(citizen)
    citizen.get_by_role("button", name="开始填写").click()

    expect(citizen.get_by_role("heading", level=1)).to_have_text("您的信息")
    a11y.check(citizen)
    citizen.get_by_label("姓名").fill("王小明")
    citizen.get_by_label("身份证号码").fill("110105194912310021")  # wrong check digit
    citizen.get_by_label("电话号码").fill("13912345678")
    citizen.get_by_role("button", name="继续").click()
    expect(citizen.get_by_role("alert")).to_contain_text("请填写18位居民身份证号码")
    expect(citizen.get_by_label("姓名")).to_have_value("王小明")
    a11y.check(citizen)
    citizen.get_by_label("身份证号码").fill("11010519491231002X")
    citizen.get_by_role("button", name="继续").click()

    expect(citizen.get_by_role("heading", level=1)).to_have_text("请说明您反映的事项")
    a11y.check(citizen)
    describe_complaint(citizen)
    citizen.get_by_role("button", name="继续").click()

    expect(citizen.get_by_role("heading", level=1)).to_have_text("材料和照片")
    a11y.check(citizen)
    citizen.get_by_label("添加文件").set_input_files(
        files=[{"name": "报警回执.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    citizen.get_by_role("button", name="添加此文件").click()
    expect(citizen.get_by_test_id("files")).to_contain_text("报警回执.pdf")
    a11y.check(citizen)
    citizen.get_by_role("button", name="继续").click()

    expect(citizen.get_by_role("heading", level=1)).to_have_text("提交前请核对您填写的内容")
    expect(citizen.locator("main")).to_contain_text("11010519491231002X")
    expect(citizen.locator("main")).to_contain_text("报警回执.pdf")
    a11y.check(citizen)
    citizen.get_by_role("button", name="提交").click()

    expect(citizen.get_by_role("heading", level=1)).to_have_text("您的材料已提交成功")
    tracking = citizen.get_by_test_id("tracking-code").inner_text()
    query = citizen.get_by_test_id("query-code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", tracking)
    expect(citizen.get_by_role("img", name="打开查询页面的二维码")).to_be_visible()
    a11y.check(citizen)

    staff = en_page
    _staff_sign_in(staff, a11y, create_staff("moderator"))
    staff.goto("/staff/submissions/")
    a11y.check(staff)
    staff.get_by_role("row").filter(has_text=tracking).get_by_role("link").click()
    expect(staff.get_by_test_id("status")).to_have_text("Received")
    expect(staff.locator("main")).to_contain_text("报警回执.pdf")
    a11y.check(staff)
    staff.locator(".template-list").get_by_role("button", name="Accepted, 中文", exact=True).click()
    expect(staff.get_by_label("Reply to the citizen")).to_have_value(re.compile("决定依法受理"))
    expect(staff.get_by_label("New status")).to_have_value("accepted")
    a11y.check(staff)
    staff.get_by_role("button", name="Send reply").click()
    expect(staff.get_by_test_id("status")).to_have_text("Accepted")
    a11y.check(staff)

    citizen.goto("/submissions/track")
    a11y.check(citizen)
    citizen.get_by_label("受理编号").fill(tracking.lower())
    citizen.get_by_label("查询码").fill(query)
    citizen.get_by_role("button", name="查看进展").click()
    expect(citizen.get_by_test_id("status")).to_have_text("已受理")
    expect(citizen.get_by_test_id("reply")).to_contain_text("决定依法受理")
    # The reply is shown once: not again as the reason of the status step.
    expect(citizen.locator("main").get_by_text(re.compile("决定依法受理"))).to_have_count(1)
    a11y.check(citizen)
    citizen.get_by_label("满意", exact=True).check()
    citizen.get_by_role("button", name="提交评价").click()
    expect(citizen.get_by_test_id("reply")).to_contain_text("您的评价：满意")
    a11y.check(citizen)


def test_anonymous_report_only_reports_role_sees_the_reporter(en_page: Page, a11y, create_staff):
    page = en_page
    page.goto("/submissions/")
    a11y.check(page)
    page.get_by_role("link", name="Report (举报)").click()
    expect(page.get_by_test_id("corruption-note")).to_contain_text("12388")
    a11y.check(page)
    page.get_by_role("button", name="Start now").click()
    a11y.check(page)
    page.get_by_label("No, I want to stay anonymous").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How to let you know there is news")
    a11y.check(page)
    page.get_by_label("E-mail address (optional)").fill("whistle@example.com")
    page.get_by_role("button", name="Continue").click()
    a11y.check(page)
    page.get_by_label("Subject").fill("Court clerk accepting gifts")
    page.get_by_label("Name of the person reported").fill("Li")
    page.get_by_label("Their unit").fill("Example District Court")
    page.get_by_label("When it happened").fill("May 2026")
    page.get_by_label("Where it happened").fill("Court entrance")
    page.get_by_label("What happened", exact=True).fill("Accepted gifts from a party's family.")
    page.get_by_label("What you ask us to do").fill("Investigate.")
    page.get_by_role("button", name="Continue").click()
    a11y.check(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_test_id("anonymous-warning")).to_contain_text(
        "nobody can give you a new one"
    )
    a11y.check(page)
    page.get_by_role("button", name="Send").click()
    tracking = page.get_by_test_id("tracking-code").inner_text()
    a11y.check(page)

    _staff_sign_in(page, a11y, create_staff("moderator"))
    page.goto("/staff/submissions/?kind=report")
    a11y.check(page)
    page.get_by_role("row").filter(has_text=tracking).get_by_role("link").click()
    expect(page.locator("main")).not_to_contain_text("whistle@example.com")
    expect(page.locator("main")).not_to_contain_text("Court clerk accepting gifts")
    expect(page.locator("main")).to_contain_text("visible only to staff with the reports role")
    a11y.check(page)
    _staff_sign_out(page, a11y)

    _staff_sign_in(page, a11y, create_staff("reports"))
    page.goto("/staff/submissions/?kind=report")
    a11y.check(page)
    page.get_by_role("row").filter(has_text=tracking).get_by_role("link").click()
    expect(page.get_by_test_id("identity")).to_contain_text("whistle@example.com")
    expect(page.locator("main")).to_contain_text("Court clerk accepting gifts")
    a11y.check(page)
