"""Receipts at a kiosk, printed as Chromium prints them on an 80 mm thermal roll: only the
receipt, nothing wider than the paper, the secret query code only when the visitor asks,
and no identity number on a case summary."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import update

from portal.booking.models import Office
from portal.cases.cli import DEMO_PARTY
from portal.config import PROJECT_ROOT
from portal.db import get_session

from ..booking.factories import make_open_day, resident_id
from .conftest import enrol_screen
from .steps import fill_booker

pytestmark = pytest.mark.e2e

ROLL_PX = 302  # 80 mm at 96 CSS px per inch
POINTS_PER_MM = 72 / 25.4
# Long enough, without a space, to run off 80 mm paper unless the receipt wraps it.
UNBROKEN = "请携带全部同行人员身份证件复印件编号" + "ABCDEFGHJKLMNPQRSTUVWXYZ" * 2

# What sticks out of the paper, and what outside the receipt would still print.
LAYOUT = """() => {
  const root = document.documentElement;
  const receipt = document.querySelector('.kiosk-receipt');
  if (!receipt) return {missing: true};
  const box = receipt.getBoundingClientRect();
  const wide = [];
  if (root.scrollWidth > root.clientWidth) wide.push(`document ${root.scrollWidth}`);
  for (const el of [receipt, ...receipt.querySelectorAll('*')]) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.right > box.right + 0.5 || r.left < box.left - 0.5 || r.right > root.clientWidth)
      wide.push(`${el.tagName}.${el.className} right=${r.right}`);
    if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth)
      wide.push(`${el.tagName}.${el.className} scrollWidth=${el.scrollWidth}`);
  }
  const shown = [...document.body.querySelectorAll('*')].filter(el =>
    el !== receipt && !receipt.contains(el) && !el.contains(receipt)
    && el.getClientRects().length > 0 && !['SCRIPT', 'STYLE'].includes(el.tagName));
  // A QR code without a viewBox must be drawn at its own size, or it spills onto the text.
  const cut = [...receipt.querySelectorAll('svg')].filter(
    svg => svg.getBoundingClientRect().width < svg.width.baseVal.value);
  if (cut.length) wide.push(`QR code squeezed to ${cut[0].getBoundingClientRect().width}px`);
  return {
    width: box.width, height: box.height, wide,
    shown: shown.slice(0, 5).map(el => `${el.tagName}.${el.className}`),
    text: receipt.innerText,
  };
}"""


def _on_paper(page: Page) -> dict:
    """Lay the page out as print at the roll's width; return what the receipt looks like."""
    page.set_viewport_size({"width": ROLL_PX, "height": 1200})
    page.emulate_media(media="print")
    layout = page.evaluate(LAYOUT)
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 1080, "height": 1920})
    assert not layout.get("missing"), "no receipt on this page"
    assert layout["width"] > 200 and layout["height"] > 100, layout
    assert layout["wide"] == [], f"wider than 80 mm: {layout['wide']}"
    assert layout["shown"] == [], f"printed besides the receipt: {layout['shown']}"
    assert layout["text"].startswith("示例区人民检察院"), layout["text"][:80]
    return layout


def _pdf_is_80mm(page: Page) -> None:
    page.emulate_media(media="print")
    pdf = page.pdf(width="80mm", print_background=False)
    page.emulate_media(media="screen")
    assert pdf.startswith(b"%PDF")
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", pdf)
    assert boxes, "no page in the PDF"
    assert abs(float(boxes[0][0]) - 80 * POINTS_PER_MM) < 1.5, boxes[0]


def _print_button_prints(page: Page) -> None:
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    button = page.get_by_role("button", name="打印回执")
    expect(button).to_be_visible()
    assert button.bounding_box()["height"] >= 64
    button.click()
    assert page.evaluate("() => window.printed") == 1


def _book(page: Page, a11y, open_day_id: int) -> None:
    page.goto(f"/open-days/{open_day_id}/book")
    a11y.check(page)
    fill_booker(page, resident_id())
    page.locator("input[name=session_id]").first.check()
    page.get_by_role("button", name="预约", exact=True).click()
    expect(page.get_by_test_id("status")).to_have_text("已确认")
    a11y.check(page)


def test_a_submission_receipt_prints_the_query_code_only_when_asked(
    kiosk_page: Page, app: Flask, a11y
):
    page = kiosk_page
    enrol_screen(page, app, a11y)
    page.goto("/submissions/consultation/")
    a11y.check(page)
    page.get_by_role("button", name="开始填写").click()
    a11y.check(page)
    page.get_by_label("姓名").fill("王小明")
    page.get_by_label("身份证号码").fill("11010519491231002X")
    page.get_by_label("电话号码").fill("13912345678")
    page.get_by_role("button", name="继续").click()
    a11y.check(page)
    for field in page.locator("main textarea, main input[type=text]").all():
        field.fill("国家赔偿应向哪个机关申请？")
    page.get_by_role("button", name="继续").click()
    for _ in range(2):  # the files page, when the kiosk shows one
        if page.get_by_role("button", name="提交").count():
            break
        a11y.check(page)
        page.get_by_role("button", name="继续").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("提交前请核对您填写的内容")
    a11y.check(page)
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("您的材料已提交成功")
    a11y.check(page)
    tracking = page.get_by_test_id("tracking-code").inner_text()
    query = page.get_by_test_id("query-code").inner_text()
    choice = page.get_by_label("同时打印我的查询码")
    expect(choice).not_to_be_checked()
    # The whole label is the tap target, as for every kiosk checkbox.
    assert page.locator("label[for=receipt-with-query-code]").bounding_box()["height"] >= 64

    paper = _on_paper(page)
    assert tracking in paper["text"] and query not in paper["text"]
    assert "/submissions/track" in paper["text"]  # the address under the QR code
    assert page.locator(".kiosk-receipt svg title").text_content() == "打开查询页面的二维码"
    _pdf_is_80mm(page)

    choice.check()
    paper = _on_paper(page)
    assert tracking in paper["text"] and query in paper["text"]
    assert "妥善保管" in paper["text"]
    choice.uncheck()
    assert query not in _on_paper(page)["text"]
    _print_button_prints(page)


def test_a_booking_confirmation_fits_the_roll(kiosk_page: Page, app: Flask, a11y):
    open_day = make_open_day(app, what_to_bring=UNBROKEN)
    with app.app_context():
        db = get_session()
        db.execute(
            update(Office)
            .where(Office.id == open_day.office_id)
            .values(address="示例省示例市示例区城南路八号院二号楼东侧检察服务中心一层联络室")
        )
        db.commit()
    page = kiosk_page
    enrol_screen(page, app, a11y)
    _book(page, a11y, open_day.id)
    code = page.get_by_test_id("booking-code").inner_text()

    paper = _on_paper(page)
    for expected in (code, "检察开放日：走进公诉厅", "城南路八号院", UNBROKEN[:12], "身份证件"):
        assert expected in paper["text"], expected
    assert "13912345678" not in paper["text"] and "王小明" not in paper["text"]
    assert page.locator(".kiosk-receipt svg").count() == 1
    _pdf_is_80mm(page)
    _print_button_prints(page)


def test_a_case_summary_has_the_stages_but_no_identity(kiosk_page: Page, app: Flask, a11y):
    sample = PROJECT_ROOT / "content" / "cases" / "sample-cases.jsonl"
    result = app.test_cli_runner().invoke(args=["cases", "import", str(sample)])
    assert "8 created" in result.output, result.output
    number, name, id_number = DEMO_PARTY
    page = kiosk_page
    enrol_screen(page, app, a11y)
    page.goto("/cases/")
    a11y.check(page)
    page.get_by_role("link", name="我是案件当事人").click()
    a11y.check(page)
    page.get_by_label("案号").fill(number)
    page.get_by_label("您的姓名").fill(name)
    page.get_by_label("您的身份证号码").fill(id_number)
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_test_id("current-stage")).to_have_text("审查起诉")
    a11y.check(page)

    paper = _on_paper(page)
    assert number in paper["text"] and "审查起诉" in paper["text"]
    assert re.search(r"\d{4}-\d{2}-\d{2}", paper["text"])
    for secret in (id_number, id_number.lower(), name, "陈某峰"):
        assert secret not in paper["text"], secret
    assert id_number not in page.locator(".kiosk-receipt").inner_html()
    _pdf_is_80mm(page)
    _print_button_prints(page)


def test_the_ordinary_site_shows_no_kiosk_receipt(page: Page, app: Flask, a11y):
    open_day = make_open_day(app)
    _book(page, a11y, open_day.id)
    assert page.locator(".kiosk-receipt, [data-receipt-tools]").count() == 0
    assert page.get_by_role("button", name="打印回执").count() == 0
