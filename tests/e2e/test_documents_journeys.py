"""Journeys: search → document, and draft → approve → found by search."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from ..conftest import TEST_PASSWORD
from ..helpers import totp_now

pytestmark = pytest.mark.e2e


def test_search_then_read_a_document(page: Page, a11y, publish_document):
    publish_document(title="钱某某危险驾驶案起诉书", number="示检刑诉〔2021〕321号")
    page.goto("/")
    a11y.check(page)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="文书公开").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("文书公开")
    a11y.check(page)
    page.get_by_label("搜索公开文书").fill("乙醇含量")
    page.get_by_role("button", name="搜索").click()
    expect(page.locator(".results h2")).to_contain_text("1")
    expect(page.locator(".fragment mark").first).to_have_text(re.compile("乙醇"))
    a11y.check(page)
    page.get_by_role("link", name="钱某某危险驾驶案起诉书").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("钱某某危险驾驶案起诉书")
    expect(page.locator(".doc-meta")).to_contain_text("示检刑诉〔2021〕321号")
    a11y.check(page)

    page.get_by_role("link", name="English").click()
    expect(page.locator(".doc-meta")).to_contain_text("Document number")
    a11y.check(page)


def test_a_typo_shows_the_corrected_search_and_a_link_reaches_the_document(
    page: Page, a11y, publish_document
):
    publish_document(title="孙某某诈骗案起诉书", number="示检刑诉〔2021〕322号", charge="诈骗罪")
    publish_document(title="吴某诈骗案起诉书", number="示检刑诉〔2021〕323号", charge="诈骗罪")
    page.goto("/documents/search")
    a11y.check(page)
    page.get_by_label("搜索公开文书").fill("诈编")
    page.get_by_role("button", name="搜索").click()
    expect(page.locator("#search-corrected")).to_contain_text("以下显示诈骗的检索结果")
    expect(page.locator(".suggestion")).to_have_count(0)
    a11y.check(page)
    page.get_by_role("link", name="孙某某诈骗案起诉书").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("孙某某诈骗案起诉书")
    a11y.check(page)


def _sign_in(page: Page, a11y, user) -> None:
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


def test_draft_approve_then_found_by_search(en_page: Page, a11y, create_staff):
    page = en_page
    writer, approver = create_staff("editor"), create_staff("editor")
    _sign_in(page, a11y, writer)
    a11y.check(page)
    page.goto("/staff/documents/new")
    a11y.check(page)
    page.get_by_label("Type").select_option("non_prosecution")
    page.get_by_label("Title").fill("周某某盗窃案不起诉决定书")
    page.get_by_label("Document number").fill("示检刑不诉(2023)17号")
    page.get_by_label("Text", exact=True).fill(
        "## 查明\n\n周某某在示例区和平路附近的超市窃取商品，价值人民币860元。联系电话13912345678。"
    )
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Mobile number")).to_be_visible()
    a11y.check(page)
    page.get_by_role("button", name="Mask all").click()
    expect(page.get_by_test_id("guard-clear")).to_be_visible()
    a11y.check(page)
    page.get_by_role("button", name="Send for approval").click()
    expect(page.get_by_test_id("status")).to_have_text("Waiting for approval")
    a11y.check(page)
    page.get_by_role("button", name="Sign out").click()
    a11y.check(page)

    _sign_in(page, a11y, approver)
    a11y.check(page)
    page.goto("/staff/documents/?status=pending")
    a11y.check(page)
    page.get_by_role("link", name="周某某盗窃案不起诉决定书").click()
    a11y.check(page)
    page.get_by_role("button", name="Approve and publish").click()
    expect(page.get_by_test_id("status")).to_have_text("Published")
    a11y.check(page)

    page.goto("/documents/search?q=" + "窃取商品")
    expect(page.get_by_role("link", name="周某某盗窃案不起诉决定书")).to_be_visible()
    a11y.check(page)
    page.get_by_role("link", name="周某某盗窃案不起诉决定书").click()
    expect(page.locator(".doc-body")).not_to_contain_text("13912345678")
    a11y.check(page)


def test_browse_the_register_on_a_phone(phone_page: Page, a11y, publish_document):
    page = phone_page
    publish_document(title="孙某某盗窃案起诉书")
    publish_document(doc_type="announcement", title="关于检察开放日的通知")
    page.goto("/documents/")
    a11y.check(page)
    page.get_by_label("类型").select_option("announcement")
    page.get_by_role("button", name="显示").tap()
    expect(page.locator(".doc-list")).to_contain_text("关于检察开放日的通知")
    expect(page.locator(".doc-list")).not_to_contain_text("孙某某盗窃案起诉书")
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    a11y.check(page)
    page.get_by_role("link", name="关于检察开放日的通知").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("关于检察开放日的通知")
    a11y.check(page)


def test_a_guide_is_found_from_the_search_box_in_both_languages(page: Page, a11y, app):
    from portal.config import PROJECT_ROOT
    from portal.db import get_session
    from portal.pages.services import load_pages

    with app.app_context():
        db = get_session()
        load_pages(db, PROJECT_ROOT / "content" / "pages")
        db.commit()
    page.goto("/documents/search")
    a11y.check(page)
    page.get_by_label("搜索公开文书").fill("控告 须知")
    page.get_by_role("button", name="搜索").click()
    guides = page.get_by_role("region", name="服务指南")
    expect(guides.locator("mark").first).to_have_text("控告")
    a11y.check(page)
    guides.get_by_role("link", name="控告申诉须知").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("控告申诉须知")
    a11y.check(page)

    page.get_by_role("link", name="English").click()
    page.goto("/documents/search")
    page.get_by_label("Search published documents").fill("how to file a complaint")
    page.get_by_role("button", name="Search").click()
    guides = page.get_by_role("region", name="Service guides")
    a11y.check(page)
    guides.get_by_role("link", name="Complaints and Appeals Guide").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Complaints and Appeals Guide")
    a11y.check(page)
