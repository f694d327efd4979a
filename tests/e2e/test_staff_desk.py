"""The staff desk as staff use it, in both languages: its own shell, sign-out per
device, the queue (columns, sorting, paging, saved filters), the case page in two
columns, and replies whose template fields must be filled before they go out."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from ..conftest import TEST_PASSWORD
from ..helpers import totp_now
from ..submissions.conftest import create_complaint

pytestmark = pytest.mark.e2e

T = {
    "zh": {
        "fixture": "page",
        "moderator": "受理人员（控告申诉举报）",
        "public_sign_in": "工作人员登录",
        "public_nav": "主导航",
        "staff_area": "工作人员专区",
        "sign_out": "退出登录",
        "everywhere": "在所有设备上退出",
        "everywhere_now": "立即在所有设备上退出",
        "signed_out_everywhere": "您已在所有设备上退出登录。",
        "signed_out_here": "您已在本设备上退出登录。",
        "queue": "信访待办列表",
        "count": "53 件",
        "page_2": "第 2 页",
        "next": "下一页",
        "received": "已接收",
        "type": "类型",
        "filter": "筛选",
        "filter_name": "筛选条件名称",
        "save_filter": "保存当前筛选条件",
        "saved": "筛选条件“举报件”已保存。",
        "template": "已转办, 中文",
        "template_text": "已依法移送{authority}处理",
        "authority": "移送单位名称",
        "status": "新状态",
        "reply": "答复来信人",
        "send": "发送答复",
        "missing": "请填写“移送单位名称”",
        "wrong_template": "模板“已转办”用于“已转办”状态",
        "transferred": "已转办",
        "authority_value": "示例市公安局",
        "track_code": "受理编号",
        "query_code": "查询码",
        "show_progress": "查看进展",
    },
    "en": {
        "fixture": "en_page",
        "moderator": "Moderator (complaints and reports)",
        "public_sign_in": "Staff sign-in",
        "public_nav": "Main",
        "staff_area": "Staff area",
        "sign_out": "Sign out",
        "everywhere": "Sign out on every device",
        "everywhere_now": "Sign out on every device now",
        "signed_out_everywhere": "You have signed out on every device.",
        "signed_out_here": "You have signed out on this device.",
        "queue": "Submissions queue",
        "count": "53 submissions",
        "page_2": "Page 2",
        "next": "Next page",
        "received": "Received",
        "type": "Type",
        "filter": "Filter",
        "filter_name": "Name for these filters",
        "save_filter": "Save these filters",
        "saved": "The filter “举报件” was saved.",
        "template": "Transferred, English",
        "template_text": "We have passed it to {authority}",
        "authority": "Name of the authority it was passed to",
        "status": "New status",
        "reply": "Reply to the citizen",
        "send": "Send reply",
        "missing": "Fill in “Name of the authority it was passed to”",
        "wrong_template": "The template “Transferred” is for the status “Transferred”",
        "transferred": "Transferred",
        "authority_value": "the Example City Public Security Bureau",
        "track_code": "Tracking code",
        "query_code": "Query code",
        "show_progress": "Show progress",
    },
}


def _sign_in(page: Page, a11y, user, offset: int = 0) -> None:
    page.goto("/staff/login")
    a11y.check(page)
    page.get_by_label(re.compile("Username|用户名")).fill(user.username)
    page.get_by_label(re.compile("Password|密码")).fill(TEST_PASSWORD)
    page.get_by_role("button", name=re.compile("Continue|继续")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile("Enter your code|输入验证码")
    )
    a11y.check(page)
    page.get_by_label(re.compile("6-digit code|6 位验证码")).fill(
        totp_now(user.totp_secret, offset)
    )
    page.get_by_role("button", name=re.compile("^(Sign in|登录)$")).click()
    expect(page.get_by_test_id("staff-account")).to_be_visible()
    a11y.check(page)


def _seed(app, kinds: list[str]) -> list[tuple[int, str, str]]:
    """Submissions one day apart, oldest first: (id, tracking code, query code)."""
    from portal.db import get_session, utcnow

    with app.app_context():
        db = get_session()
        start = utcnow() - timedelta(days=len(kinds) + 1)
        made = [
            create_complaint(db, app.config, kind, now=start + timedelta(days=i))
            for i, kind in enumerate(kinds)
        ]
        db.commit()
        return [(c.submission.id, c.submission.tracking_code, c.query_code or "") for c in made]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_staff_desk_has_its_own_shell(request, lang, a11y, create_staff):
    t = T[lang]
    page: Page = request.getfixturevalue(t["fixture"])
    user = create_staff("moderator")
    _sign_in(page, a11y, user)
    account = page.get_by_test_id("staff-account")
    expect(account).to_contain_text(user.display_name)
    expect(account).to_contain_text(t["moderator"])
    expect(page.get_by_role("link", name=t["public_sign_in"])).to_have_count(0)
    expect(page.get_by_role("navigation", name=t["public_nav"], exact=True)).to_have_count(0)
    expect(page.get_by_role("banner")).to_be_visible()
    expect(page.get_by_role("main")).to_be_visible()
    expect(page.get_by_role("contentinfo")).to_be_visible()
    expect(
        page.get_by_role("banner").get_by_role("link", name=re.compile("^(English|中文)$"))
    ).to_be_visible()
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_class("skip-link")
    # Sign-out is at the foot of the page, with the other devices as a separate choice.
    expect(page.get_by_role("button").first).to_have_text(t["sign_out"])
    page.get_by_role("link", name=t["everywhere"], exact=True).click()
    a11y.check(page)
    page.get_by_role("button", name=t["everywhere_now"]).click()
    expect(page.get_by_role("status")).to_contain_text(t["signed_out_everywhere"])
    a11y.check(page)


def test_signing_out_on_the_phone_leaves_the_desktop_signed_in(
    page: Page, phone_page: Page, a11y, create_staff
):
    user = create_staff("events_coordinator")
    _sign_in(page, a11y, user)
    _sign_in(phone_page, a11y, user, offset=30)  # each code is accepted once
    phone_page.goto("/staff/open-days/check-in")
    a11y.check(phone_page)
    # At the door, the first button is the one that finds the booking, not sign-out.
    expect(phone_page.get_by_role("button").first).to_have_text("查找预约")
    phone_page.get_by_role("button", name="退出登录", exact=True).click()
    expect(phone_page.get_by_role("status")).to_contain_text("您已在本设备上退出登录。")
    a11y.check(phone_page)
    page.reload()
    expect(page.get_by_test_id("staff-account")).to_be_visible()
    a11y.check(page)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_queue_sorts_pages_and_keeps_saved_filters(request, lang, app, a11y, create_staff):
    t = T[lang]
    page: Page = request.getfixturevalue(t["fixture"])
    seeded = _seed(app, ["report"] + ["complaint"] * 52)
    _sign_in(page, a11y, create_staff("moderator", "reports"))
    page.get_by_role("link", name=t["queue"]).first.click()
    a11y.check(page)
    rows = page.get_by_test_id("queue").locator("tbody tr")
    expect(page.get_by_test_id("queue-count")).to_have_text(t["count"])
    expect(rows).to_have_count(50)
    pager = page.get_by_role("navigation", name=re.compile("Pages|页码|分页"))
    expect(pager.locator('[aria-current="page"]')).to_contain_text("1")
    expect(pager.get_by_role("link", name=t["page_2"], exact=True)).to_be_visible()
    page.get_by_role("link", name=t["next"]).click()
    expect(rows).to_have_count(3)
    a11y.check(page)

    page.get_by_role("columnheader", name=t["received"]).get_by_role("link").click()
    expect(page.get_by_role("columnheader", name=t["received"])).to_have_attribute(
        "aria-sort", "ascending"
    )
    expect(rows.first).to_contain_text(seeded[0][1])  # the oldest first
    a11y.check(page)
    page.get_by_role("columnheader", name=t["received"]).get_by_role("link").click()
    expect(rows.first).to_contain_text(seeded[-1][1])  # now the newest first
    a11y.check(page)

    page.get_by_label(t["type"], exact=True).select_option("report")
    page.get_by_role("button", name=t["filter"], exact=True).click()
    expect(rows).to_have_count(1)
    a11y.check(page)
    page.get_by_label(t["filter_name"]).fill("举报件")
    page.get_by_role("button", name=t["save_filter"]).click()
    expect(page.get_by_role("status")).to_contain_text(t["saved"])
    a11y.check(page)
    page.get_by_role("link", name=t["queue"]).first.click()
    expect(rows).to_have_count(50)
    a11y.check(page)
    page.get_by_test_id("saved-filters").get_by_role("link", name="举报件").click()
    expect(rows).to_have_count(1)
    expect(page.get_by_label(t["type"], exact=True)).to_have_value("report")
    a11y.check(page)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_reply_needs_its_fields_filled_and_reaches_the_citizen_once(
    request, lang, app, a11y, create_staff
):
    t = T[lang]
    page: Page = request.getfixturevalue(t["fixture"])
    [(sub_id, tracking, query)] = _seed(app, ["complaint"])
    _sign_in(page, a11y, create_staff("moderator"))
    page.goto(f"/staff/submissions/{sub_id}")
    a11y.check(page)
    # At 1280 px the citizen's matter and the actions stand side by side.
    matter = page.locator(".case-matter").bounding_box()
    actions = page.locator(".case-actions").bounding_box()
    assert matter and actions and actions["x"] > matter["x"] + matter["width"] - 1
    assert abs(actions["y"] - matter["y"]) < 5

    body = page.get_by_label(t["reply"], exact=True)
    body.fill("Typed first.")
    page.locator("textarea[name='note']").fill("内部草稿")
    page.evaluate("window.notReloaded = true")
    page.get_by_role("button", name=t["template"], exact=True).click()
    # The template text is added in place: nothing typed is lost, no page load.
    expect(body).to_have_value(re.compile(r"^Typed first\.\n\n"))
    expect(body).to_have_value(re.compile(re.escape(t["template_text"])))
    assert page.evaluate("window.notReloaded === true")
    expect(page.locator("textarea[name='note']")).to_have_value("内部草稿")
    expect(page.get_by_label(t["status"])).to_have_value("transferred")
    authority = page.get_by_label(t["authority"])
    expect(authority).to_be_visible()
    expect(authority).to_be_focused()
    a11y.check(page)

    # A template cannot go out with another status: the server says so.
    page.get_by_label(t["status"]).select_option("accepted")
    authority.fill(t["authority_value"])
    page.get_by_role("button", name=t["send"]).click()
    expect(page.get_by_role("alert")).to_contain_text(t["wrong_template"])
    a11y.check(page)
    # Nor with a field left empty.
    page.get_by_label(t["status"]).select_option("transferred")
    page.get_by_label(t["authority"]).fill("")
    page.get_by_role("button", name=t["send"]).click()
    expect(page.get_by_role("alert")).to_contain_text(t["missing"])
    expect(page.get_by_label(t["reply"], exact=True)).to_have_value(re.compile("^Typed first"))
    a11y.check(page)
    page.get_by_label(t["authority"]).fill(t["authority_value"])
    page.get_by_role("button", name=t["send"]).click()
    expect(page.get_by_test_id("status")).to_have_text(t["transferred"])
    a11y.check(page)

    page.goto("/submissions/track")
    a11y.check(page)
    page.get_by_label(t["track_code"]).fill(tracking)
    page.get_by_label(t["query_code"]).fill(query)
    page.get_by_role("button", name=t["show_progress"]).click()
    reply = page.get_by_test_id("reply")
    expect(reply).to_have_count(1)
    expect(reply).to_contain_text(t["authority_value"])
    expect(reply).not_to_contain_text("{authority}")
    expect(
        page.locator("main").get_by_text(re.compile(re.escape(t["authority_value"])))
    ).to_have_count(1)
    a11y.check(page)


def test_the_case_page_is_one_column_on_a_phone(phone_page: Page, app, a11y, create_staff):
    [(sub_id, _tracking, _query)] = _seed(app, ["complaint"])
    _sign_in(phone_page, a11y, create_staff("moderator"))
    phone_page.goto(f"/staff/submissions/{sub_id}")
    a11y.check(phone_page)
    matter = phone_page.locator(".case-matter").bounding_box()
    actions = phone_page.locator(".case-actions").bounding_box()
    assert matter and actions and actions["y"] >= matter["y"] + matter["height"] - 1
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
