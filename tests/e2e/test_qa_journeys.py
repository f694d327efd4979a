"""Journey: a consultation answered by staff becomes a public answer, approved by a
second person, found by site search and offered on the consultation start page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from portal.config import PROJECT_ROOT
from portal.pages.services import load_pages

from ..answers.conftest import (  # noqa: F401  (fixtures)
    answered_consultation,
    published_answer,
    staff,
)
from .conftest import enrol_screen
from .test_submissions_journeys import _staff_sign_in, _staff_sign_out

pytestmark = pytest.mark.e2e


def _draft_and_submit(page: Page, a11y, submission_id: int) -> None:
    page.goto(f"/staff/submissions/{submission_id}")
    a11y.check(page)
    page.get_by_role("button", name="Draft a public answer from this consultation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit the public answer")
    a11y.check(page)
    question = page.get_by_label("The question", exact=True)
    expect(question).not_to_have_value(re.compile("张三丰|13812345678"))
    expect(question).to_have_value(re.compile("不起诉决定"))
    page.get_by_label("Topic").select_option(label="Criminal cases")
    page.get_by_label("The answer").fill(
        "被不起诉人对不起诉决定不服的，可以自收到决定书后七日内向人民检察院申诉。"
    )
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_test_id("guard-clear")).to_be_visible()
    a11y.check(page)
    page.get_by_role("button", name="Send for approval").click()
    expect(page.get_by_test_id("status")).to_have_text("Waiting for approval")
    expect(page.get_by_role("button", name="Approve and publish")).to_have_count(0)
    a11y.check(page)


def test_an_answered_consultation_becomes_an_answer_people_find(
    page: Page,
    en_page: Page,
    a11y,
    staff,  # noqa: F811
    answered_consultation,  # noqa: F811
):
    submission_id = answered_consultation()
    desk = en_page
    _staff_sign_in(desk, a11y, staff.author)
    _draft_and_submit(desk, a11y, submission_id)
    _staff_sign_out(desk, a11y)

    _staff_sign_in(desk, a11y, staff.approver)
    desk.get_by_role("link", name="Public answers").click()
    a11y.check(desk)
    desk.get_by_role("link", name="不起诉决定可以申诉吗").click()
    desk.get_by_role("button", name="Approve and publish").click()
    expect(desk.get_by_test_id("status")).to_have_text("Published")
    a11y.check(desk)

    # A citizen, in Chinese: site search finds it among the questions and answers.
    citizen = page
    citizen.goto("/documents/search")
    a11y.check(citizen)
    citizen.get_by_label("搜索公开文书").fill("不起诉 申诉")
    citizen.get_by_role("button", name="搜索").click()
    results = citizen.get_by_test_id("qa-results")
    expect(results.get_by_role("heading", level=2)).to_have_text("咨询问答")
    a11y.check(citizen)
    results.get_by_role("link", name="不起诉决定可以申诉吗").click()
    expect(citizen.get_by_test_id("answer-text")).to_contain_text("七日内")
    expect(citizen.locator("main")).not_to_contain_text("张三丰")
    a11y.check(citizen)
    citizen.get_by_role("link", name="全部问答").click()
    expect(citizen.get_by_role("heading", name="刑事案件")).to_be_visible()
    a11y.check(citizen)

    # The consultation start page offers it before anyone writes, and searches answers.
    citizen.goto("/submissions/consultation/")
    offer = citizen.get_by_test_id("answer-offer")
    expect(offer.get_by_role("heading", level=2)).to_have_text("您的问题是否已有答复？")
    expect(offer.get_by_role("link", name="不起诉决定可以申诉吗")).to_be_visible()
    a11y.check(citizen)
    offer.get_by_label("搜索我院已公开的答复").fill("不服 不起诉")
    offer.get_by_role("button", name="搜索答复").click()
    expect(citizen.get_by_label("搜索我院已公开的答复")).to_have_value("不服 不起诉")
    expect(offer.get_by_role("link", name="不起诉决定可以申诉吗")).to_be_visible()
    a11y.check(citizen)

    # In English, the same offer; the answer says it is in Chinese.
    citizen.get_by_role("link", name="English").click()
    offer = citizen.get_by_test_id("answer-offer")
    expect(offer.get_by_role("heading", level=2)).to_have_text("Is your question answered here?")
    expect(citizen.get_by_label("Search the answers we have published")).to_have_value(
        "不服 不起诉"
    )
    a11y.check(citizen)
    offer.get_by_role("link", name="不起诉决定可以申诉吗").click()
    expect(
        citizen.get_by_text("This answer is not yet available in your language.")
    ).to_be_visible()
    a11y.check(citizen)


def test_a_kiosk_visitor_reads_an_answer_and_the_judicial_aid_guide_from_the_start_screen(
    kiosk_page: Page,
    app,
    db,
    a11y,
    published_answer,  # noqa: F811
    publish_document,
):
    load_pages(db, PROJECT_ROOT / "content" / "pages")
    db.commit()
    publish_document(
        doc_type="legal_education",
        slug="aid-story",
        title="雪中送炭的司法救助",
        body_markdown="## 案例\n\n生活困难的被害人获得国家司法救助。",
    )
    answer_id = published_answer()
    page = kiosk_page
    enrol_screen(page, app, a11y)
    page.get_by_role("link", name=re.compile("咨询问答")).tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("咨询问答")
    a11y.check(page)
    page.get_by_role("link", name="不起诉决定可以申诉吗").tap()
    page.wait_for_url(f"**/answers/{answer_id}")
    expect(page.get_by_test_id("answer-text")).to_contain_text("七日内")
    external = page.locator("main a[href^='http']")
    expect(external).to_have_count(0)
    a11y.check(page)
    page.locator(".kiosk-header").get_by_role("button", name="结束").tap()
    page.wait_for_url("**/kiosk/")

    # The judicial-aid guide: read at the screen, applied for online or at the counter.
    page.get_by_role("link", name=re.compile("服务指南")).tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("服务指南")
    a11y.check(page)
    page.get_by_role("link", name="国家司法救助指南").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("国家司法救助指南")
    expect(page.locator("main a[href^='http']")).to_have_count(0)
    related = page.get_by_test_id("related-articles")
    expect(related.get_by_role("heading", level=2)).to_have_text("相关法治宣传")
    expect(related.get_by_role("link", name="雪中送炭的司法救助")).to_be_visible()
    a11y.check(page)
    page.get_by_role("link", name="在线申请国家司法救助").tap()
    page.wait_for_url("**/submissions/judicial_aid/")
    expect(page.get_by_role("heading", level=1)).to_have_text("国家司法救助")
    told = page.get_by_test_id("apply-elsewhere")
    expect(told.get_by_role("heading", name="网上申请")).to_be_visible()
    expect(told.locator("svg")).to_be_visible()  # the address as a code for a phone
    expect(told.get_by_role("heading", name="到窗口申请")).to_be_visible()
    expect(page.locator("input[type=file]")).to_have_count(0)
    expect(page.locator("main form")).to_have_count(0)
    a11y.check(page)
    told.get_by_role("link", name="谁可以申请、需要带什么材料").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("国家司法救助指南")
    a11y.check(page)


def test_the_answers_fit_a_phone(phone_page: Page, a11y, published_answer):  # noqa: F811
    published_answer()
    page = phone_page
    page.goto("/answers/")
    expect(page.get_by_role("heading", name="刑事案件")).to_be_visible()
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    a11y.check(page)
