"""First journeys: the home page in both languages, large text, errors, staff sign-in."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from playwright.sync_api import Page, expect

from portal.config import PROJECT_ROOT
from portal.pages.services import load_pages

from ..conftest import TEST_PASSWORD

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def demo_pages(db):
    load_pages(db, PROJECT_ROOT / "content" / "pages")
    db.commit()


def test_home_page_in_chinese_then_english(page: Page, a11y):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.get_by_role("heading", level=1)).to_have_text("示例区人民检察院")
    for area in ("文书公开", "案件查询", "控告申诉", "开放日", "问卷调查"):
        expect(page.get_by_role("navigation", name="主导航")).to_contain_text(area)
    a11y.check(page)

    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Example District People's Procuratorate"
    )
    a11y.check(page)

    # The choice is kept: a guide page opens in English too.
    page.get_by_role("contentinfo").get_by_role("link", name="Privacy notice").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Privacy"))
    a11y.check(page)

    page.get_by_role("link", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("隐私"))
    a11y.check(page)


def test_large_text_mode_stays_on(page: Page, a11y):
    page.goto("/")
    normal = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    a11y.check(page)
    page.get_by_role("link", name="长辈模式").click()
    expect(page.locator("html")).to_have_class("large-text")
    larger = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    assert larger >= normal * 1.25
    a11y.check(page)
    page.get_by_role("link", name="服务指南").first.click()
    expect(page.locator("html")).to_have_class("large-text")
    a11y.check(page)
    page.get_by_role("link", name="标准字号").click()
    expect(page.locator("html")).not_to_have_class("large-text")
    a11y.check(page)


def test_missing_page_in_both_languages(page: Page, a11y):
    response = page.goto("/no/such/page")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("页面不存在")
    a11y.check(page)
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    a11y.check(page)


def test_staff_sign_in_with_totp_enrolment(page: Page, a11y, create_staff):
    user = create_staff("admin", username="registrar", enrolled=False)
    page.goto("/staff/login")
    a11y.check(page)

    # Empty form: the error summary takes focus and links to the fields.
    page.get_by_role("button", name="继续").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("请输入用户名")
    a11y.check(page)

    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="继续").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("设置两步登录")
    expect(page.locator(".qr svg")).to_be_visible()
    a11y.check(page)

    secret = page.get_by_test_id("totp-secret").inner_text().replace(" ", "")
    page.get_by_label(re.compile("6 位验证码")).fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="完成设置").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("工作人员专区")
    a11y.check(page)

    page.get_by_role("link", name="审计日志").click()
    expect(page.locator("tbody")).to_contain_text("设置两步验证")
    expect(page.locator("tbody")).not_to_contain_text("staff.enrol_2fa")
    a11y.check(page)

    page.get_by_role("button", name="退出登录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("工作人员登录")
    a11y.check(page)

    # Second sign-in: password, then a fresh code from the app.
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="继续").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("输入验证码")
    a11y.check(page)
    next_code = pyotp.TOTP(secret).at(time.time() + 30)  # the enrolment code is spent
    page.get_by_label(re.compile("6 位验证码")).fill(next_code)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("工作人员专区")
    a11y.check(page)


@pytest.mark.parametrize("device", ["kiosk_page", "phone_page"])
def test_home_fits_kiosk_and_phone_screens(request, device, a11y):
    page: Page = request.getfixturevalue(device)
    page.goto("/")
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"page scrolls sideways by {overflow}px"
    a11y.check(page)
    if device == "phone_page":  # the menu is folded behind its button
        page.get_by_role("button", name="菜单").tap()
    # Touch targets in the header and navigation are at least 44 px high.
    heights = page.evaluate(
        "() => [...document.querySelectorAll('.site-nav a, .tool-link')]"
        ".map(a => a.getBoundingClientRect().height)"
    )
    assert heights and min(heights) >= 44
    page.get_by_role("link", name="案件查询").first.tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("案件查询")
    a11y.check(page)
