"""What a citizen notices on the public pages: radios beside their labels, space around
the content, a 429 page that says how long, removable search filters and page numbers,
`lang` on text in the other language, a phone menu and calendar, a booking cancelled
only when confirmed, a case number kept after a failed lookup, and 长辈模式."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect

from portal.cases.importer import import_cases
from portal.db import get_session

from ..booking.factories import make_open_day, resident_id
from ..cases.conftest import PARTY_ID, PARTY_NAME, case_record, jsonl

pytestmark = pytest.mark.e2e

WORDS = {
    "zh": {
        "start": "开始填写",
        "real_name": "是，我实名提交",
        "anonymous": "否，我希望匿名",
        "case_number": "案号",
        "name": "您的姓名",
        "id_number": "您的身份证号码",
        "look_up": "查询",
        "too_many": "尝试次数过多",
        "wait": "请60分钟后再试",
        "back": "返回刚才的页面",
        "remove": "移除筛选条件：",
        "clear": "清除全部筛选条件",
        "next": "下一页",
        "indictment": "起诉书",
        "cancel": "取消此预约",
        "confirm_title": "确定取消预约吗？",
        "keep": "不，保留预约",
        "yes_cancel": "是，取消此预约",
        "confirmed": "已确认",
        "cancelled": "已取消",
    },
    "en": {
        "start": "Start now",
        "real_name": "Yes, I give my name (real-name)",
        "anonymous": "No, I want to stay anonymous",
        "case_number": "Case number",
        "name": "Your full name",
        "id_number": "Your identity number",
        "look_up": "Look up the case",
        "too_many": "Too many attempts",
        "wait": "Wait 60 minutes, then try again.",
        "back": "Go back to where you were",
        "remove": "Remove filter: ",
        "clear": "Clear all filters",
        "next": "Next page",
        "indictment": "Indictment",
        "cancel": "Cancel this booking",
        "confirm_title": "Cancel your booking?",
        "keep": "No, keep my booking",
        "yes_cancel": "Yes, cancel this booking",
        "confirmed": "Confirmed",
        "cancelled": "Cancelled",
    },
}
LANGUAGES = pytest.mark.parametrize("language", ["zh", "en"])


def _file_a_case(app) -> None:
    """One case in the register, imported as `flask cases import` does."""
    with app.app_context():
        db = get_session()
        import_cases(db, jsonl(case_record()), filename="test.jsonl", actor="test")
        db.commit()


def _page(request, language: str) -> Page:
    return request.getfixturevalue("page" if language == "zh" else "en_page")


def _box(page: Page, selector: str) -> dict[str, float]:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return box


@LANGUAGES
def test_radios_sit_beside_their_labels_and_the_whole_row_is_a_target(request, a11y, language):
    page, words = _page(request, language), WORDS[language]
    page.goto("/submissions/report/")
    a11y.check(page)
    page.get_by_role("button", name=words["start"]).click()
    radio = page.get_by_role("radio", name=words["anonymous"])
    expect(radio).to_be_visible()
    a11y.check(page)
    label = page.locator("label", has_text=words["anonymous"])
    circle, text = radio.bounding_box(), label.bounding_box()
    assert circle and text
    # Beside, not below: the label starts to the right of the circle, on the same line.
    assert text["x"] >= circle["x"] + circle["width"]
    assert abs((text["y"] + text["height"] / 2) - (circle["y"] + circle["height"] / 2)) < 6
    assert text["height"] >= 44
    # A tap at the far end of the row still chooses the answer.
    label.click(position={"x": text["width"] - 5, "y": text["height"] - 3})
    expect(radio).to_be_checked()
    expect(page.get_by_role("radio", name=words["real_name"])).not_to_be_checked()


@LANGUAGES
def test_content_keeps_its_distance_from_the_navigation_and_the_footer(request, a11y, language):
    page = _page(request, language)
    for path in ("/", "/cases/inquiry", "/open-days/find"):
        page.goto(path)
        a11y.check(page)
        nav, footer = _box(page, ".site-nav"), _box(page, ".site-footer")
        heading = _box(page, "main h1")
        last = page.locator("main > *").last.bounding_box()
        assert last is not None
        assert heading["y"] - (nav["y"] + nav["height"]) >= 24, path
        assert footer["y"] - (last["y"] + last["height"]) >= 24, path
        # and on each side: nothing touches the edge of the window
        assert heading["x"] >= 16, path


@LANGUAGES
def test_the_429_page_says_how_long_to_wait_and_leads_back(request, app, a11y, language):
    page, words = _page(request, language), WORDS[language]
    app.config["CASE_NUMBER_LIMIT"] = "1 per hour"
    _file_a_case(app)
    page.goto("/cases/inquiry")
    a11y.check(page)
    for _attempt in range(2):
        page.get_by_label(words["case_number"]).fill("示检刑诉〔2026〕1248号")
        page.get_by_label(words["name"]).fill(PARTY_NAME)
        page.get_by_label(words["id_number"]).fill(PARTY_ID)
        page.get_by_role("button", name=words["look_up"]).click()
        a11y.check(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(words["too_many"])
    expect(page.locator("main")).to_contain_text(words["wait"])
    page.get_by_role("link", name=words["back"]).click()
    page.wait_for_url("**/cases/inquiry")
    a11y.check(page)


def _publish_many(publish_document) -> None:
    for n in range(12):
        publish_document(
            title=f"盗窃案起诉书{n}", published_at=datetime(2021 + n % 2, 5, 28, 2, tzinfo=UTC)
        )
    publish_document(title="盗窃案不起诉决定书", doc_type="non_prosecution")


@LANGUAGES
def test_search_filters_can_be_removed_the_year_is_marked_and_pages_are_numbered(
    request, a11y, publish_document, language
):
    page, words = _page(request, language), WORDS[language]
    _publish_many(publish_document)
    page.goto("/documents/search?q=盗窃")
    a11y.check(page)
    pager = page.get_by_role("navigation", name=re.compile("^(Pages|分页)$"))
    expect(pager.get_by_role("link", name=re.compile("2"))).to_be_visible()
    expect(pager.locator("[aria-current=page]")).to_contain_text("1")
    pager.get_by_role("link", name=re.compile("2")).first.click()
    expect(pager.locator("[aria-current=page]")).to_contain_text("2")
    expect(pager.get_by_role("link", name=re.compile("1"))).to_be_visible()
    a11y.check(page)

    facets = page.locator(".facets")
    facets.get_by_role("link", name="2022", exact=True).click()
    a11y.check(page)
    chosen = facets.get_by_role("link", name="2022", exact=True)
    expect(chosen).to_have_attribute("aria-current", "true")
    assert chosen.evaluate("a => getComputedStyle(a).fontWeight") == "700"
    type_name = words["indictment"]
    facets.get_by_role("link", name=type_name, exact=True).click()
    a11y.check(page)
    chips = page.locator(".chips")
    expect(chips.get_by_role("link", name=words["remove"] + "2022")).to_be_visible()
    expect(chips.get_by_role("link", name=words["remove"] + type_name)).to_be_visible()

    chips.get_by_role("link", name=words["remove"] + "2022").click()
    a11y.check(page)
    expect(chips.get_by_role("link", name=words["remove"] + "2022")).to_have_count(0)
    expect(chips.get_by_role("link", name=words["remove"] + type_name)).to_be_visible()
    chips.get_by_role("link", name=words["clear"]).click()
    a11y.check(page)
    expect(page.locator(".chips")).to_have_count(0)
    expect(page.get_by_label(re.compile("搜索公开文书|Search published documents"))).to_have_value(
        "盗窃"
    )


def test_chinese_content_on_english_pages_says_so(en_page: Page, app, a11y, publish_document):
    page = en_page
    publish_document(title="盗窃案起诉书")
    page.goto("/documents/search?q=盗窃")
    a11y.check(page)
    expect(page.get_by_role("link", name="盗窃案起诉书")).to_have_attribute("lang", "zh-Hans")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    open_day = make_open_day(app)
    page.goto(f"/open-days/{open_day.id}")
    a11y.check(page)
    expect(page.get_by_text("城南检察联络室")).to_have_attribute("lang", "zh-Hans")
    page.goto(f"/open-days/{open_day.id}/book?session={open_day.sessions[0].id}")
    a11y.check(page)
    expect(page.get_by_text("城南检察联络室")).to_have_attribute("lang", "zh-Hans")
    # Phone and e-mail fields say what they hold, for the keyboard and autofill.
    email = page.get_by_label("E-mail address")
    expect(email).to_have_attribute("type", "email")
    expect(email).to_have_attribute("autocomplete", "email")
    phone = page.get_by_label("Mobile phone number", exact=True)
    expect(phone).to_have_attribute("type", "tel")
    expect(phone).to_have_attribute("autocomplete", "tel")
    expect(page.get_by_label("Full name")).to_have_attribute("autocomplete", "name")


def test_the_same_page_in_chinese_has_no_stray_lang(page: Page, app, a11y, publish_document):
    publish_document(title="盗窃案起诉书")
    page.goto("/documents/search?q=盗窃")
    a11y.check(page)
    expect(page.get_by_role("link", name="盗窃案起诉书")).not_to_have_attribute(
        "lang", re.compile(".*")
    )


def test_on_a_phone_the_menu_folds_behind_a_button(phone_page: Page, a11y):
    page = phone_page
    for language in ("zh", "en"):
        page.goto("/")
        a11y.check(page)
        if language == "en":
            page.get_by_role("link", name="English").click()
            a11y.check(page)
        header = _box(page, "header.site-header")
        assert header["height"] <= 0.25 * 740, header  # a quarter of the first screen at most
        nav = page.get_by_role("navigation", name=re.compile("主导航|Main"))
        button = page.get_by_role("button", name=re.compile("菜单|Menu"))
        expect(button).to_have_attribute("aria-expanded", "false")
        expect(nav).to_be_hidden()
        button.click()
        expect(button).to_have_attribute("aria-expanded", "true")
        expect(nav).to_be_visible()
        a11y.check(page)
        page.keyboard.press("Escape")
        expect(nav).to_be_hidden()
        expect(button).to_be_focused()
        if language == "en":
            page.get_by_role("link", name="中文").click()
            a11y.check(page)


def test_on_a_wide_screen_the_menu_is_always_open(page: Page, a11y):
    page.goto("/")
    a11y.check(page)
    expect(page.get_by_role("navigation", name="主导航")).to_be_visible()
    expect(page.get_by_role("button", name="菜单")).to_be_hidden()


def test_the_open_day_calendar_is_readable_on_a_phone(phone_page: Page, app, a11y):
    page = phone_page
    open_day = make_open_day(app)
    start = open_day.sessions[0].starts_at
    month = start.astimezone(UTC).strftime("%Y-%m")  # sessions are at midday, same month
    for path in (f"/open-days/calendar?month={month}",):
        page.goto(path)
        a11y.check(page)
        link = page.get_by_role("link", name=re.compile(open_day.title))
        expect(link.first).to_be_visible()
        box = link.first.bounding_box()
        assert box is not None and box["width"] >= 150  # not squeezed into a seventh
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    page.get_by_role("link", name="English").click()
    a11y.check(page)
    expect(page.get_by_role("link", name=re.compile(open_day.title)).first).to_be_visible()
    expect(page.locator(".agenda-day").first).to_contain_text(re.compile("day"))


@LANGUAGES
def test_cancelling_a_booking_asks_first(request, app, a11y, language):
    page, words = _page(request, language), WORDS[language]
    open_day = make_open_day(app)
    page.goto(f"/open-days/{open_day.id}/book?session={open_day.sessions[0].id}")
    a11y.check(page)
    # Booked through the form, in the same browser, so the booking page is the visitor's.
    token = page.locator("input[name=csrf_token]").input_value()
    page.locator(f"#session_id-{open_day.sessions[0].id}").check()
    fields = {
        "name": "王小明",
        "id_number": resident_id(),
        "phone": "13912345678",
        "email": "visitor@example.com",
    }
    for name, value in fields.items():
        page.locator(f"[name={name}]").fill(value)
    assert token
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_test_id("status")).to_have_text(words["confirmed"])
    a11y.check(page)

    page.get_by_role("link", name=words["cancel"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["confirm_title"])
    a11y.check(page)
    page.get_by_role("link", name=words["keep"]).click()
    expect(page.get_by_test_id("status")).to_have_text(words["confirmed"])
    a11y.check(page)

    page.get_by_role("link", name=words["cancel"]).click()
    a11y.check(page)
    page.get_by_role("button", name=words["yes_cancel"]).click()
    expect(page.get_by_test_id("status")).to_have_text(words["cancelled"])
    a11y.check(page)


@LANGUAGES
def test_a_failed_case_lookup_keeps_the_case_number_only(request, app, a11y, language):
    page, words = _page(request, language), WORDS[language]
    _file_a_case(app)
    page.goto("/cases/inquiry")
    a11y.check(page)
    page.get_by_label(words["case_number"]).fill("示检刑诉〔2026〕1248号")
    page.get_by_label(words["name"]).fill(PARTY_NAME)
    page.get_by_label(words["id_number"]).fill(PARTY_ID)
    page.get_by_role("button", name=words["look_up"]).click()
    expect(page.locator("[data-error-summary]")).to_be_visible()
    a11y.check(page)
    expect(page.get_by_label(words["case_number"])).to_have_value("示检刑诉〔2026〕1248号")
    expect(page.get_by_label(words["name"])).to_have_value("")
    expect(page.get_by_label(words["id_number"])).to_have_value("")
    assert PARTY_ID not in page.content()


def test_elderly_mode_is_larger_plainer_and_one_column(page: Page, a11y, publish_document):
    publish_document(title="盗窃案起诉书")
    page.goto("/")
    a11y.check(page)
    columns = page.evaluate(
        "() => getComputedStyle(document.querySelector('.cards')).gridTemplateColumns"
    )
    assert len(columns.split()) > 1
    expect(page.get_by_role("heading", name="最新公开文书")).to_be_visible()

    page.get_by_role("link", name="长辈模式").click()
    a11y.check(page)
    columns = page.evaluate(
        "() => getComputedStyle(document.querySelector('.cards')).gridTemplateColumns"
    )
    assert len(columns.split()) == 1  # one column of services
    expect(page.get_by_role("heading", name="最新公开文书")).to_be_hidden()  # fewer links
    page.goto("/submissions/report/")
    a11y.check(page)
    page.get_by_role("button", name="开始填写").click()
    a11y.check(page)
    radio = page.get_by_role("radio", name=WORDS["zh"]["anonymous"])
    box = radio.bounding_box()
    assert box is not None and box["width"] >= 28  # a larger circle to aim at
    row = page.locator("label", has_text=WORDS["zh"]["anonymous"]).bounding_box()
    assert row is not None and row["height"] >= 56
    muted = page.evaluate(
        "() => getComputedStyle(document.querySelector('.caption') || document.body).color"
    )
    assert muted in ("rgb(43, 43, 43)", "rgb(27, 27, 27)")  # darker secondary text


def test_home_tiles_have_one_icon_each_and_the_whole_tile_leads_on(page: Page, a11y):
    page.goto("/")
    a11y.check(page)
    tiles = page.locator(".cards > li")
    count = tiles.count()
    assert count >= 5
    for index in range(count):
        expect(tiles.nth(index).locator("svg[aria-hidden=true]")).to_have_count(1)
    summary = tiles.nth(1).locator("p").bounding_box()
    assert summary is not None
    page.mouse.click(summary["x"] + 10, summary["y"] + 5)  # the text, not the link
    expect(page.get_by_role("heading", level=1)).to_have_text("案件查询")
    a11y.check(page)


def test_without_script_the_menu_is_open_and_the_button_hidden(client):
    html = client.get("/").text
    button = re.search(r"<button[^>]*data-menu-button[^>]*>", html)
    assert button and re.search(r"\shidden[\s>]", button.group(0))
    assert re.search(r'<nav class="site-nav" id="site-nav"', html)
    assert not re.search(r'<nav[^>]*id="site-nav"[^>]*hidden', html)


def test_the_booking_cancel_page_needs_a_booking(client):
    assert client.get("/open-days/booking/cancel").status_code == 404
