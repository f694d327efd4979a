"""One visitor at a time, at a portrait and a landscape touch screen: every journey
reaches its end and returns to the start screen, and a visitor who walks away leaves
nothing behind, neither on the page, nor in the history, nor on the server."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from flask import Flask
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import func, select

from portal.cases.cli import DEMO_PARTY
from portal.config import PROJECT_ROOT
from portal.db import get_session
from portal.pages.services import load_pages
from portal.submissions.models import SubmissionDraft

from ..booking.factories import make_open_day, resident_id
from .conftest import enrol_screen
from .steps import describe_complaint, fill_booker
from .test_surveys_journeys import _published_sample

pytestmark = pytest.mark.e2e

ORIENTATIONS = ["kiosk_page", "kiosk_landscape_page"]
NUMBER, NAME, ID_NUMBER = DEMO_PARTY
START_HEADING = "示例区人民检察院"
FIELD_VALUES = "() => [...document.querySelectorAll('input, textarea')].map(e => e.value)"


@pytest.fixture
def kiosk(request, app: Flask, a11y) -> Page:
    """The screen of the parametrized orientation, enrolled, showing the start screen."""
    page: Page = request.getfixturevalue(getattr(request, "param", "kiosk_page"))
    enrol_screen(page, app, a11y)
    return page


@pytest.fixture
def sample_cases(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        args=["cases", "import", str(PROJECT_ROOT / "content" / "cases" / "sample-cases.jsonl")]
    )
    assert "created" in result.output, result.output


def _go(page: Page, a11y, target: Locator) -> None:
    """Tap what leads to another page, wait for it, check it."""
    with page.expect_navigation():
        target.tap()
    a11y.check(page)


def _tile(page: Page, a11y, name: str) -> None:
    _go(page, a11y, page.get_by_role("link", name=re.compile(re.escape(name))).first)


def _at_start(page: Page, a11y) -> None:
    page.wait_for_url(re.compile(r"/kiosk/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(START_HEADING)
    a11y.check(page)


def _finish(page: Page, a11y) -> None:
    """The large Finish button at the end of a journey ends the visit."""
    page.get_by_role("button", name="完成", exact=True).tap()
    _at_start(page, a11y)


def _end(page: Page, a11y) -> None:
    """The header's End button, for journeys that end on reading a page."""
    page.locator(".kiosk-header").get_by_role("button", name="结束").tap()
    _at_start(page, a11y)


def _look_up_case(page: Page, a11y, *, send: bool = True) -> None:
    _tile(page, a11y, "案件查询")
    _go(page, a11y, page.get_by_role("link", name="我是案件当事人"))
    page.get_by_label("案号").fill(NUMBER)
    page.get_by_label("您的姓名").fill(NAME)
    page.get_by_label("您的身份证号码").fill(ID_NUMBER)
    if send:
        page.get_by_role("button", name="查询").tap()
        expect(page.get_by_role("heading", level=1)).to_have_text("陈某峰盗窃案")
        a11y.check(page)


@pytest.mark.parametrize("kiosk", ORIENTATIONS, indirect=True)
def test_a_case_inquiry_ends_on_the_start_screen(kiosk: Page, a11y, sample_cases) -> None:
    page = kiosk
    _look_up_case(page, a11y)
    _finish(page, a11y)
    page.go_back()
    expect(page.locator("body")).not_to_contain_text(NAME)
    expect(page.get_by_role("heading", level=1)).to_have_text(START_HEADING)


@pytest.mark.parametrize("kiosk", ORIENTATIONS, indirect=True)
def test_a_document_search_and_a_guide_end_on_the_start_screen(
    kiosk: Page, a11y, db, publish_document
) -> None:
    load_pages(db, PROJECT_ROOT / "content" / "pages")
    db.commit()
    publish_document(title="钱某某危险驾驶案起诉书", number="示检刑诉〔2021〕321号")
    page = kiosk
    _tile(page, a11y, "文书公开")
    page.get_by_label("搜索公开文书").fill("乙醇含量")
    page.get_by_role("button", name="搜索", exact=True).tap()
    link = page.get_by_role("link", name="钱某某危险驾驶案起诉书")
    expect(link).to_be_visible()
    a11y.check(page)
    _go(page, a11y, link)
    expect(page.get_by_role("heading", level=1)).to_have_text("钱某某危险驾驶案起诉书")
    a11y.check(page)
    _end(page, a11y)

    _tile(page, a11y, "服务指南")
    _go(page, a11y, page.locator("main").get_by_role("link").first)
    assert "/guide/" in page.url
    _end(page, a11y)


def _complaint_about_you(page: Page, a11y) -> None:
    _tile(page, a11y, "控告、申诉、举报、咨询或建议")
    _go(page, a11y, page.get_by_role("link", name="控告", exact=True))
    page.get_by_role("button", name="开始填写").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("您的信息")
    a11y.check(page)
    page.get_by_label("姓名").fill(NAME)
    page.get_by_label("身份证号码").fill(ID_NUMBER)


@pytest.mark.parametrize("kiosk", ORIENTATIONS, indirect=True)
def test_a_complaint_is_sent_then_tracked(kiosk: Page, a11y) -> None:
    page = kiosk
    _complaint_about_you(page, a11y)
    page.get_by_label("电话号码").fill("13912345678")
    page.get_by_role("button", name="继续").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("请说明您反映的事项")
    a11y.check(page)
    describe_complaint(page)
    page.get_by_role("button", name="继续").tap()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile("材料和照片|提交前请核对您填写的内容"))
    a11y.check(page)
    if heading.inner_text() == "材料和照片":  # the files step, where a kiosk offers it
        page.get_by_role("button", name="继续").tap()
        expect(heading).to_have_text("提交前请核对您填写的内容")
        a11y.check(page)
    page.get_by_role("button", name="提交").tap()
    expect(heading).to_have_text("您的材料已提交成功")
    a11y.check(page)
    tracking = page.get_by_test_id("tracking-code").inner_text()
    query = page.get_by_test_id("query-code").inner_text()
    _finish(page, a11y)

    _tile(page, a11y, "查询办理进度")
    page.get_by_label("受理编号").fill(tracking)
    page.get_by_label("查询码").fill(query)
    page.get_by_role("button", name="查看进展").tap()
    expect(page.get_by_test_id("status")).to_have_text("已接收")
    a11y.check(page)
    _finish(page, a11y)


@pytest.mark.parametrize("kiosk", ORIENTATIONS, indirect=True)
def test_an_open_day_is_booked_then_found(kiosk: Page, a11y, app: Flask) -> None:
    open_day = make_open_day(app, sessions=[{"capacity": 5}])
    page = kiosk
    _tile(page, a11y, "检察开放日")
    _go(page, a11y, page.get_by_role("link", name=open_day.title))
    _go(page, a11y, page.get_by_role("link", name="预约此场次").first)
    fill_booker(page, resident_id(), email="wang@example.com")
    page.get_by_role("button", name="预约", exact=True).tap()
    expect(page.get_by_test_id("status")).to_have_text("已确认")
    a11y.check(page)
    code = page.get_by_test_id("booking-code").inner_text()
    _finish(page, a11y)

    _tile(page, a11y, "检察开放日")
    _go(page, a11y, page.get_by_role("link", name="查看或取消预约"))
    page.get_by_label("预约码").fill(code)
    page.get_by_label("手机号码").fill("13912345678")
    page.get_by_role("button", name="继续").tap()
    expect(page.get_by_test_id("booking-code")).to_have_text(code)
    a11y.check(page)
    _finish(page, a11y)


@pytest.mark.parametrize("kiosk", ORIENTATIONS, indirect=True)
def test_a_questionnaire_is_answered_at_the_kiosk(kiosk: Page, a11y, app: Flask) -> None:
    page = kiosk
    _published_sample(app)
    page.reload()  # the start screen now offers the questionnaire
    a11y.check(page)
    _tile(page, a11y, "问卷调查")
    _go(page, a11y, page.locator("main .card a").first)
    assert "/questionnaires/kiosk/" in page.url
    page.get_by_label("不满意", exact=True).tap()
    page.get_by_label(re.compile("不满意的原因")).fill("等候时间太长")
    page.get_by_label("来访", exact=True).tap()
    page.get_by_role("button", name="提交我的回答").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("感谢您的参与")
    a11y.check(page)
    _finish(page, a11y)


def test_the_start_screen_clock_ticks_in_the_procuratorates_time(kiosk: Page, a11y) -> None:
    page = kiosk
    page.clock.install(time=datetime(2026, 12, 3, 5, 0, 10, tzinfo=UTC))  # 13:00 in Shanghai
    page.reload()
    a11y.check(page)
    clock = page.locator("time[data-kiosk-clock]")
    expect(clock).to_have_text(re.compile(r"2026年12月3日星期四\s*13:00"))
    page.clock.run_for("01:00")
    expect(clock).to_have_text(re.compile(r"13:01$"))


# --- walking away ------------------------------------------------------------------------


def _short_timeouts(app: Flask, idle: int = 2, warning: int = 2) -> None:
    app.config["KIOSK_IDLE_SECONDS"] = idle
    app.config["KIOSK_WARNING_SECONDS"] = warning


def _nothing_typed_is_left(page: Page, a11y, typed: tuple[str, ...]) -> None:
    dialog = page.get_by_role("dialog", name="您还在使用吗？")
    expect(dialog).to_be_visible()
    _at_start(page, a11y)
    values = page.evaluate(FIELD_VALUES)
    for text in typed:
        expect(page.locator("body")).not_to_contain_text(text)
        assert text not in values
    page.go_back()
    page.wait_for_load_state()
    a11y.check(page)
    values = page.evaluate(FIELD_VALUES)
    for text in typed:
        expect(page.locator("body")).not_to_contain_text(text)
        assert text not in values


@pytest.mark.parametrize("kiosk", ORIENTATIONS, indirect=True)
def test_a_visitor_who_walks_away_leaves_nothing_behind(kiosk: Page, a11y, app: Flask) -> None:
    page = kiosk
    _short_timeouts(app)
    _look_up_case(page, a11y, send=False)
    _nothing_typed_is_left(page, a11y, (NAME, ID_NUMBER))

    _complaint_about_you(page, a11y)
    _nothing_typed_is_left(page, a11y, (NAME, ID_NUMBER))
    with app.app_context():
        assert get_session().scalar(select(func.count()).select_from(SubmissionDraft)) == 0


def test_continue_keeps_what_was_typed(kiosk: Page, a11y, app: Flask) -> None:
    page = kiosk
    _short_timeouts(app, idle=2, warning=30)
    _look_up_case(page, a11y, send=False)
    dialog = page.get_by_role("dialog", name="您还在使用吗？")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("timer")).to_contain_text(re.compile(r"剩余时间：\d+ 秒"))
    a11y.check(page)
    dialog.get_by_role("button", name="继续").tap()
    expect(dialog).to_be_hidden()
    expect(page.get_by_label("您的姓名")).to_have_value(NAME)
    expect(page.get_by_label("您的身份证号码")).to_have_value(ID_NUMBER)
    # End, in the same dialog, ends the visit at once.
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="结束").tap()
    _at_start(page, a11y)
    expect(page.locator("body")).not_to_contain_text(NAME)


def test_a_start_screen_reached_in_the_middle_of_a_visit_ends_it_when_left(
    kiosk: Page, a11y, app: Flask
) -> None:
    page = kiosk
    _complaint_about_you(page, a11y)
    _short_timeouts(app)
    _go(page, a11y, page.locator(".kiosk-header").get_by_role("link", name="返回首页"))
    with page.expect_navigation():  # the countdown runs out: the start screen, afresh
        expect(page.get_by_role("dialog", name="您还在使用吗？")).to_be_visible()
    expect(page.locator("[data-kiosk-visit-open]")).to_have_count(0)
    a11y.check(page)
    with app.app_context():
        assert get_session().scalar(select(func.count()).select_from(SubmissionDraft)) == 0


def test_a_page_with_personal_data_clears_sooner(kiosk: Page, a11y, app: Flask, sample_cases):
    page = kiosk
    app.config.update(KIOSK_IDLE_SECONDS=60, KIOSK_PRIVATE_SECONDS=2, KIOSK_WARNING_SECONDS=2)
    _look_up_case(page, a11y)  # the form waits a minute; the result seconds
    _at_start(page, a11y)
    expect(page.locator("body")).not_to_contain_text("陈某峰盗窃案")
