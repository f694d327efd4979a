"""Kiosk touch layout and keypad in a real browser, portrait and landscape.

Every visible touch target of every kiosk page is at least 64 px tall and at
least 8 px from its neighbours; identity and phone numbers are typed on the
on-screen keypad, grouped as typed, and accepted by the server; the case-number
buttons build a number the inquiry accepts.
"""

from __future__ import annotations

from datetime import datetime
from itertools import chain
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from portal.cases.importer import import_cases
from portal.config import PROJECT_ROOT
from portal.db import get_session
from portal.pages.services import load_pages
from portal.staff import services as staff_services
from portal.surveys.demo import build_sample

from ..booking.factories import make_open_day, resident_id
from ..cases.conftest import OTHER_ID, PARTY_ID, PARTY_NAME, case_record, jsonl
from ..conftest import TEST_PASSWORD
from .conftest import enrol_screen
from .kiosk_crawl import kiosk_pages

pytestmark = pytest.mark.e2e

MIN_HEIGHT = 64
MIN_GAP = 8
SCREENS = ["kiosk_page", "kiosk_landscape_page"]

# Every visible target a finger can touch: a radio or checkbox through its label (the tile).
TARGETS = """() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, label';
  const name = el => {
    const text = (el.getAttribute('aria-label') || el.textContent || el.name || el.id || '')
      .trim().replace(/\\s+/g, ' ').slice(0, 40);
    return `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} "${text}"`;
  };
  const targets = [];
  for (const el of document.querySelectorAll(selector)) {
    const tick = ['radio', 'checkbox'];
    if (el.tagName === 'LABEL' && !(el.control && tick.includes(el.control.type))) continue;
    if (el.tagName === 'INPUT' && tick.includes(el.type) && el.labels.length) continue;
    if (el.closest('[hidden], .visually-hidden, [aria-hidden=true]')) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') continue;
    for (const box of [el.getBoundingClientRect()]) {
      if (box.width === 0 || box.height === 0) continue;
      targets.push({el, name: name(el), box: {left: box.left + scrollX, right: box.right + scrollX,
        top: box.top + scrollY, bottom: box.bottom + scrollY, height: box.height}});
    }
  }
  const small = targets.filter(t => t.box.height < MIN_HEIGHT - 0.5)
    .map(t => `${t.name}: ${Math.round(t.box.height)} px tall`);
  const close = [];
  for (let i = 0; i < targets.length; i++) {
    for (let j = i + 1; j < targets.length; j++) {
      const a = targets[i], b = targets[j];
      if (a.el.contains(b.el) || b.el.contains(a.el)) continue;
      if (a.el.tagName === 'LABEL' && a.el.control === b.el) continue;
      const dx = Math.max(0, b.box.left - a.box.right, a.box.left - b.box.right);
      const dy = Math.max(0, b.box.top - a.box.bottom, a.box.top - b.box.bottom);
      const gap = Math.round(Math.max(dx, dy));
      if (gap < MIN_GAP - 0.5) close.push(`${a.name} and ${b.name}: ${gap} px apart`);
    }
  }
  return {count: targets.length, small, close};
}""".replace("MIN_HEIGHT", str(MIN_HEIGHT)).replace("MIN_GAP", str(MIN_GAP))


def measure(page: Page, where: str, offenders: list[str]) -> int:
    """Add this page's too-small and too-close targets to `offenders`; return the count."""
    found = page.evaluate(TARGETS)
    offenders += [f"{where}: {item}" for item in found["small"] + found["close"]]
    return found["count"]


def _seed(app: Flask, publish_document) -> None:
    """Something behind each tile: documents, an open day, a questionnaire, the guides."""
    for n in range(3):
        publish_document(title=f"示例区人民检察院起诉书{n}", number=f"示检刑诉〔2026〕{n + 1}号")
    make_open_day(app)
    with app.app_context():
        db = get_session()
        author = staff_services.create_staff(
            db, username="touch-author", password=TEST_PASSWORD, roles=["surveys"], actor="test"
        )
        build_sample(db, author)
        load_pages(db, PROJECT_ROOT / "content" / "pages")
        db.commit()


@pytest.mark.parametrize("screen", SCREENS)
def test_every_target_of_every_kiosk_page_is_large_and_apart(
    request, screen: str, app: Flask, a11y, publish_document
) -> None:
    _seed(app, publish_document)
    page: Page = request.getfixturevalue(screen)
    enrol_screen(page, app, a11y)
    offenders: list[str] = []
    pages, targets = [], 0
    # The documents tile opens an empty search; a search leads on to the documents.
    crawl = chain(kiosk_pages(page, limit=60), kiosk_pages(page, "/documents/search?q=起诉书", 15))
    for _ in crawl:
        a11y.check(page)
        here = urlsplit(page.url)
        where = here.path + (f"?{here.query}" if here.query else "")
        targets += measure(page, where, offenders)
        pages.append(urlsplit(page.url).path)
        # A keypad opened on a field must be as easy to touch as the page.
        first = page.locator("input[data-keypad]").first
        if first.count():
            first.tap()
            expect(page.locator(".keypad:not([hidden])")).to_have_count(1)
            targets += measure(page, f"{where} (keypad open)", offenders)
            a11y.check(page)
    assert {"/kiosk/", "/cases/", "/submissions/", "/open-days/"} <= set(pages), pages
    assert any(p.startswith("/guide/") and p != "/guide/" for p in pages), " ".join(pages)
    assert any(p.startswith("/documents/") and "search" not in p for p in pages), " ".join(pages)
    assert any(p.startswith("/questionnaires/") for p in pages), " ".join(pages)
    assert targets > 100
    assert offenders == [], "\n".join(offenders)


def _import_cases(app: Flask, *records: dict) -> None:
    with app.app_context():
        db = get_session()
        import_cases(db, jsonl(*records), filename="kiosk.jsonl", actor="test")
        db.commit()


def tap_keys(page: Page, keys: list[str] | str) -> None:
    """Tap keypad buttons by their names, as a visitor would with a finger."""
    keypad = page.locator(".keypad:not([hidden])")
    for key in keys:
        keypad.get_by_role("button", name=key, exact=True).tap()


@pytest.mark.parametrize("screen", SCREENS)
def test_a_party_builds_the_case_number_and_types_the_id_on_the_keypad(
    request, screen: str, app: Flask, a11y
) -> None:
    year = datetime.now(ZoneInfo("Asia/Shanghai")).year
    number = f"示检刑诉〔{year}〕1247号"
    _import_cases(
        app,
        case_record(case_number=number),
        case_record(
            case_number=f"示检未检〔{year - 1}〕8号",
            parties=[{"role": "犯罪嫌疑人", "name": "李某", "id_number": OTHER_ID}],
        ),
    )
    page: Page = request.getfixturevalue(screen)
    enrol_screen(page, app, a11y)
    page.goto("/cases/inquiry")
    a11y.check(page)

    # The case number from the office's prefixes, a year in brackets and the serial.
    field = page.get_by_label("案号")
    field.tap()
    expect(page.locator(".keypad:not([hidden])").get_by_role("button")).not_to_have_count(0)
    a11y.check(page)
    tap_keys(
        page, ["示检未检", "示检刑诉", f"〔{year - 1}〕", f"〔{year}〕", "1", "2", "4", "7", "号"]
    )
    expect(field).to_have_value(number)
    tap_keys(page, ["完成"])
    expect(page.locator(".keypad:not([hidden])")).to_have_count(0)

    # The device's keyboard still types; the identity number is grouped as it is tapped.
    page.get_by_label("您的姓名").fill(PARTY_NAME)
    id_field = page.get_by_label("您的身份证号码")
    id_field.tap()
    tap_keys(page, list(PARTY_ID[:-1]) + ["9", "删除", "X"])
    expect(id_field).to_have_value("1101 0519 8805 1202 7X")
    a11y.check(page)
    page.get_by_role("button", name="查询", exact=True).tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("陈某峰盗窃案")
    a11y.check(page)


@pytest.mark.parametrize("screen", SCREENS)
def test_a_complainant_types_identity_and_phone_numbers_on_the_keypad(
    request, screen: str, app: Flask, a11y
) -> None:
    page: Page = request.getfixturevalue(screen)
    enrol_screen(page, app, a11y)
    page.goto("/submissions/")
    a11y.check(page)
    page.get_by_role("link", name="控告", exact=True).tap()
    expect(page.get_by_role("heading", level=2, name="隐私声明")).to_be_visible()
    a11y.check(page)
    page.get_by_role("button", name="开始填写").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("您的信息")
    a11y.check(page)
    page.get_by_label("姓名").fill("王小明")
    id_field = page.get_by_label("身份证号码")
    id_field.tap()
    tap_keys(page, "11010519491231002X")
    expect(id_field).to_have_value("1101 0519 4912 3100 2X")
    phone = page.get_by_label("电话号码")
    phone.tap()
    # Only the phone's keypad is open now, with digits and no X.
    expect(page.locator(".keypad:not([hidden])")).to_have_count(1)
    expect(page.locator(".keypad:not([hidden])").get_by_role("button", name="X")).to_have_count(0)
    tap_keys(page, "13800138000")
    expect(phone).to_have_value("138 0013 8000")
    a11y.check(page)
    page.get_by_role("button", name="继续").tap()
    # The server accepted both numbers: the next step asks about the matter.
    expect(page.get_by_role("heading", level=1)).to_have_text("请说明您反映的事项")
    a11y.check(page)


@pytest.mark.parametrize("screen", SCREENS)
def test_a_visitor_books_on_tiles_and_finds_the_booking_with_the_code_keypad(
    request, screen: str, app: Flask, a11y
) -> None:
    open_day = make_open_day(app)
    page: Page = request.getfixturevalue(screen)
    enrol_screen(page, app, a11y)
    page.goto(f"/open-days/{open_day.id}/book")
    a11y.check(page)
    # The session is a tile: touching its text chooses it.
    session = page.locator("input[type=radio]").first
    page.locator(f"label[for='{session.get_attribute('id')}']").tap()
    expect(session).to_be_checked()
    page.get_by_label("姓名").fill("王小明")
    page.get_by_label("证件号码").tap()
    tap_keys(page, resident_id())
    page.get_by_label("手机号码", exact=True).tap()
    tap_keys(page, "13912345678")
    page.get_by_label("电子邮箱").fill("first@example.com")
    page.get_by_role("button", name="预约", exact=True).tap()
    expect(page.get_by_test_id("status")).to_have_text("已确认")
    a11y.check(page)
    code = page.get_by_test_id("booking-code").inner_text()

    # The booking code's keypad holds only the code's letters and digits, grouped as typed.
    page.goto("/open-days/find")
    a11y.check(page)
    code_field = page.get_by_label("预约码")
    code_field.tap()
    keypad = page.locator(".keypad:not([hidden])")
    expect(keypad.get_by_role("button", name="O", exact=True)).to_have_count(0)
    tap_keys(page, code.replace("-", ""))
    expect(code_field).to_have_value(code)
    page.get_by_label("手机号码").tap()
    tap_keys(page, "13912345678")
    page.get_by_role("button", name="继续").tap()
    expect(page.get_by_test_id("status")).to_have_text("已确认")
    a11y.check(page)
