"""No exits at a kiosk, in a real browser at a portrait and a landscape screen: no page
a kiosk visitor can reach links to another site or scheme, opens a window, downloads
a file or asks for an upload; QR codes with the address written out stand where the
links were. The complaint flow skips its files step; a booking's calendar is a QR code."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from portal.db import get_session
from portal.disclosure.attachments import add_attachment
from portal.pages.services import load_pages

from ..booking.factories import make_open_day, resident_id
from ..files import PDF
from .conftest import enrol_screen
from .kiosk_crawl import kiosk_pages
from .steps import describe_complaint, fill_booker

pytestmark = pytest.mark.e2e

SCREENS = ["kiosk_page", "kiosk_landscape_page"]
OTHER_SITE = "https://www.spp.gov.cn/spp/gzbg/index.shtml"
GUIDE_SITE = "https://www.12309.gov.cn/"
BODY = (
    f"详见[最高人民检察院工作报告]({OTHER_SITE})。"
    "来信请寄[信箱](mailto:letters@example.gov.cn)，或致电[0000-12309000](tel:0000-12309000)。"
    "参观须知见[来访指南](/guide/visiting)。"
)

# What a page must not have at a kiosk, described for the failure message.
EXITS = """() => {
  const here = location.origin;
  const out = [];
  for (const a of document.querySelectorAll('a[href]')) {
    const url = new URL(a.getAttribute('href'), location.href);
    if (!['http:', 'https:'].includes(url.protocol) || url.origin !== here)
      out.push('link out: ' + a.getAttribute('href'));
    else if (/\\.(ics|atom|pdf|csv|svg)$|\\/attachments\\//.test(url.pathname))
      out.push('download: ' + a.getAttribute('href'));
  }
  const tag = el => el.outerHTML.slice(0, 80);
  for (const el of document.querySelectorAll('[target]')) out.push('target: ' + tag(el));
  for (const el of document.querySelectorAll('[download]')) out.push('download: ' + tag(el));
  for (const el of document.querySelectorAll('input[type=file]')) out.push('upload: ' + tag(el));
  return out;
}"""

# The QR codes shown in place of links: the address they hold, written beside them.
CODES = """() => Array.from(document.querySelectorAll('.kiosk-exit'), el => ({
  address: el.dataset.kioskExit,
  text: (el.querySelector('.kiosk-url') || {}).textContent || '',
  qr: !!el.querySelector('svg'),
}))"""


def _content(app: Flask, tmp_path: Path, publish_document) -> tuple[str, int]:
    """A document linking out with an attachment, a guide linking out, an open day."""
    (tmp_path / "visiting.zh_Hans.md").write_text(
        f"---\ntitle: 来访指南\n---\n来访前请先查看[12309 检察服务中心]({GUIDE_SITE})。\n",
        encoding="utf-8",
    )
    doc = publish_document(body_markdown=BODY)
    with app.app_context():
        db = get_session()
        load_pages(db, tmp_path)
        attachment = add_attachment(db, db.merge(doc), "起诉书.pdf", PDF)
        db.commit()
        attachment_id = attachment.id
    make_open_day(app)
    return doc.ref, attachment_id


@pytest.mark.parametrize("screen", SCREENS)
def test_no_kiosk_page_leads_away_and_qr_codes_stand_in_for_links(
    request, screen: str, app: Flask, a11y, live_server, tmp_path: Path, publish_document
) -> None:
    page: Page = request.getfixturevalue(screen)
    ref, attachment_id = _content(app, tmp_path, publish_document)
    enrol_screen(page, app, a11y)
    problems: dict[str, list[str]] = {}
    codes: dict[str, list[dict]] = {}
    # A visitor reaches documents by searching: the crawl starts at a search too.
    for path in kiosk_pages(page, limit=80, also=("/documents/search?q=危险驾驶",)):
        a11y.check(page)
        found = page.evaluate(EXITS)
        if found:
            problems[path] = found
        codes[page.url.removeprefix(live_server.url)] = page.evaluate(CODES)
    assert problems == {}, problems

    shown = {code["address"]: code for found in codes.values() for code in found}
    attachment = f"{live_server.url}/documents/{quote(ref)}/attachments/{attachment_id}"
    for address in (OTHER_SITE, GUIDE_SITE, attachment, "https://www.12388.gov.cn/"):
        assert address in shown, f"no QR code for {address}; reached: {sorted(codes)}"
        assert shown[address]["qr"] and shown[address]["text"] == unquote(address)
    feeds = [a for a in shown if a.startswith(f"{live_server.url}/documents/feed/")]
    assert feeds and all(shown[a]["qr"] and shown[a]["text"] == a for a in feeds)
    for address, text in (
        ("mailto:letters@example.gov.cn", "letters@example.gov.cn"),
        ("tel:0000-12309000", "0000-12309000"),
    ):
        assert shown[address]["text"] == text and not shown[address]["qr"]


def test_the_complaint_flow_at_a_kiosk_skips_files_and_says_where_to_send_them(
    kiosk_page: Page, app: Flask, a11y
) -> None:
    page = kiosk_page
    enrol_screen(page, app, a11y)
    page.get_by_role("link", name="控告、申诉、举报、咨询或建议").click()
    a11y.check(page)
    page.get_by_role("link", name="控告", exact=True).click()
    a11y.check(page)
    expect(page.locator("main")).not_to_contain_text("PDF、JPEG")
    page.get_by_role("button", name="开始填写").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("您的信息")
    a11y.check(page)
    page.get_by_label("姓名").fill("王小明")
    page.get_by_label("身份证号码").fill("11010519491231002X")
    page.get_by_label("电话号码").fill("13912345678")
    page.get_by_role("button", name="继续").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("请说明您反映的事项")
    expect(page.get_by_test_id("send-files-elsewhere")).to_contain_text("本屏幕无法添加材料和照片")
    a11y.check(page)
    describe_complaint(page)
    page.get_by_role("button", name="继续").click()

    # Straight to the check page: the files step is not part of the kiosk's flow.
    expect(page.get_by_role("heading", level=1)).to_have_text("提交前请核对您填写的内容")
    assert page.url.endswith("/submissions/complaint/check")
    notice = page.get_by_test_id("send-files-elsewhere")
    expect(notice).to_contain_text("邮寄至")
    expect(notice.locator(".kiosk-url")).to_have_text(re.compile(r"/submissions/track$"))
    expect(notice.locator("svg")).to_be_visible()
    assert page.locator("input[type=file]").count() == 0
    a11y.check(page)
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("您的材料已提交成功")
    expect(page.get_by_test_id("tracking-code")).to_be_visible()
    a11y.check(page)


def test_a_booking_at_a_kiosk_shows_its_calendar_as_a_qr_code(
    kiosk_landscape_page: Page, app: Flask, a11y
) -> None:
    page = kiosk_landscape_page
    open_day = make_open_day(app)
    enrol_screen(page, app, a11y)
    page.get_by_role("link", name="检察开放日").first.click()
    a11y.check(page)
    page.get_by_role("link", name=open_day.title).click()
    a11y.check(page)
    page.get_by_role("link", name="预约此场次").first.click()
    a11y.check(page)
    page.get_by_label(re.compile("^2")).first.check()
    fill_booker(page, resident_id())
    page.get_by_role("button", name="预约", exact=True).click()
    expect(page.get_by_test_id("status")).to_have_text("已确认")
    a11y.check(page)
    code = page.get_by_test_id("booking-code").inner_text()
    calendar = page.get_by_test_id("calendar-qr")
    expect(calendar.locator("svg")).to_be_visible()
    expect(calendar).to_contain_text("日历")
    expect(page.get_by_test_id("booking-qr")).to_contain_text(code)
    assert page.locator("a[href$='.ics'], a[download], img[src*='qr.svg']").count() == 0
    assert page.evaluate(EXITS) == []
