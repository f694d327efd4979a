"""Journeys: book → calendar file and QR code → cancel → the waiting list moves up;
a lottery made and reproduced; check-in at the door on a phone."""

from __future__ import annotations

import hashlib
import hmac
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import update

from portal.booking.models import OpenDay

from ..booking.factories import make_open_day, resident_id
from ..conftest import TEST_PASSWORD
from ..helpers import submit, totp_now

pytestmark = pytest.mark.e2e

LABELS = {
    "zh": {
        "nav": "检察开放日",
        "book": "预约此场次",
        "name": "姓名",
        "id_number": "证件号码",
        "phone": "手机号码",
        "email": "电子邮箱",
        "submit": "预约",
        "confirmed": "已确认",
        "ics": "添加到日历（.ics 文件）",
        "cancel": "取消此预约",
        "yes_cancel": "是，取消此预约",
        "cancelled": "已取消",
        "find": "查看或取消预约",
        "code": "预约码",
        "continue": "继续",
        "calendar": "日历视图",
    },
    "en": {
        "nav": "Open days",
        "book": "Book this session",
        "name": "Full name",
        "id_number": "Identity document number",
        "phone": "Mobile phone number",
        "email": "E-mail address",
        "submit": "Book",
        "confirmed": "Confirmed",
        "ics": "Add to your calendar (.ics file)",
        "cancel": "Cancel this booking",
        "yes_cancel": "Yes, cancel this booking",
        "cancelled": "Cancelled",
        "find": "See or cancel a booking",
        "code": "Booking code",
        "continue": "Continue",
        "calendar": "Calendar view",
    },
}


def _book_in_background(app, open_day, email: str) -> None:
    client = app.test_client()
    response = submit(
        client,
        f"/open-days/{open_day.id}/book",
        {
            "session_id": str(open_day.sessions[0].id),
            "name": "候补者",
            "id_type": "resident_card",
            "id_number": resident_id(),
            "phone": "13700000000",
            "email": email,
        },
    )
    assert response.status_code == 302


@pytest.mark.parametrize("language", ["zh", "en"])
def test_book_get_calendar_and_qr_cancel_and_the_waiting_list_moves_up(
    request, app, a11y, mailbox, deliver_mail, language
):
    page: Page = request.getfixturevalue("page" if language == "zh" else "en_page")
    words = LABELS[language]
    open_day = make_open_day(app, sessions=[{"capacity": 1}])
    page.goto("/")
    a11y.check(page)
    page.get_by_role("navigation").get_by_role("link", name=words["nav"], exact=True).click()
    a11y.check(page)
    page.get_by_role("link", name=words["calendar"]).click()
    a11y.check(page)
    page.go_back()
    page.get_by_role("link", name=open_day.title).click()
    a11y.check(page)
    page.get_by_role("link", name=words["book"]).click()
    a11y.check(page)
    page.get_by_label(words["name"]).fill("王小明")
    valid = resident_id()
    wrong = valid[:-1] + ("1" if valid[-1] == "0" else "0")  # a wrong check digit
    page.get_by_label(words["id_number"]).fill(wrong)
    page.get_by_label(words["phone"], exact=True).fill("13912345678")
    page.get_by_label(words["email"]).fill("first@example.com")
    page.get_by_role("button", name=words["submit"], exact=True).click()
    expect(page.locator(".error-summary")).to_be_visible()
    a11y.check(page)
    page.get_by_label(words["id_number"]).fill(valid)
    page.get_by_role("button", name=words["submit"], exact=True).click()
    expect(page.get_by_test_id("status")).to_have_text(words["confirmed"])
    a11y.check(page)
    code = page.get_by_test_id("booking-code").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    qr = page.locator("img.qr")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    with page.expect_download() as download:
        page.get_by_role("link", name=words["ics"]).click()
    ics = Path(download.value.path()).read_bytes()
    assert b"BEGIN:VEVENT" in ics and code.encode() in ics

    _book_in_background(app, open_day, "second@example.com")

    page.goto("/open-days/find")
    a11y.check(page)
    page.get_by_label(words["code"]).fill(code.lower())
    page.get_by_label(words["phone"]).fill("13912345678")
    page.get_by_role("button", name=words["continue"]).click()
    a11y.check(page)
    page.get_by_role("link", name=words["cancel"]).click()
    a11y.check(page)
    page.get_by_role("button", name=words["yes_cancel"]).click()
    expect(page.get_by_test_id("status")).to_have_text(words["cancelled"])
    a11y.check(page)
    deliver_mail()  # what `flask mail worker` does next
    promoted = mailbox.to("second@example.com")
    assert len(promoted) == 1
    assert "候补者" not in promoted[0]["Subject"]


def _sign_in(page: Page, a11y, user) -> None:
    page.goto("/staff/login")
    a11y.check(page)
    page.get_by_label(re.compile("Username|用户名")).fill(user.username)
    page.get_by_label(re.compile("Password|密码")).fill(TEST_PASSWORD)
    page.get_by_role("button", name=re.compile("Continue|继续")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile("Enter your code|输入验证码")
    )
    a11y.check(page)
    page.get_by_label(re.compile("6-digit code|6 位验证码")).fill(totp_now(user.totp_secret))
    page.get_by_role("button", name=re.compile("^(Sign in|登录)$")).click()
    a11y.check(page)


def test_a_lottery_is_made_then_reproduced_from_its_seed(en_page, app, a11y, db, create_staff):
    page = en_page
    open_day = make_open_day(app, allocation="lottery", sessions=[{"capacity": 2}])
    for n in range(5):
        _book_in_background(app, open_day, f"entrant{n}@example.com")
    db.execute(
        update(OpenDay)
        .where(OpenDay.id == open_day.id)
        .values(closes_at=open_day.opens_at + (open_day.closes_at - open_day.opens_at) / 1000)
    )
    db.commit()
    _sign_in(page, a11y, create_staff("events_coordinator"))
    page.get_by_role("link", name="Open days and offices").click()
    a11y.check(page)
    page.get_by_role("link", name=open_day.title).click()
    a11y.check(page)
    page.get_by_role("button", name="Make the draw").click()
    expect(page.locator(".notice")).to_contain_text("2 confirmed, 3 on the waiting list")
    a11y.check(page)
    page.get_by_role("link", name="Public results").click()
    a11y.check(page)
    seed = page.get_by_test_id("seed").inner_text()
    rows = page.locator("table tbody tr").all_inner_texts()
    published = [int(row.split("\t")[1]) for row in rows]
    outcomes = [row.split("\t")[2] for row in rows]
    redone = sorted(
        published,
        key=lambda n: hmac.new(seed.encode(), str(n).encode(), hashlib.sha256).hexdigest(),
    )
    assert published == redone
    assert outcomes == ["Confirmed"] * 2 + ["On the waiting list"] * 3
    page.go_back()
    page.get_by_role("link", name="Printable attendee sheet").click()
    expect(page.locator("table.attendee-sheet tbody tr")).to_have_count(2)
    a11y.check(page)


def test_check_in_at_the_door_on_a_phone(phone_page, app, a11y, create_staff):
    page = phone_page
    open_day = make_open_day(app)
    visitor = app.test_client()
    submit(
        visitor,
        f"/open-days/{open_day.id}/book",
        {
            "session_id": str(open_day.sessions[0].id),
            "name": "孙八",
            "id_type": "resident_card",
            "id_number": "11010119900307" + resident_id()[14:],
            "phone": "13912345678",
            "email": "sun@example.com",
        },
    )
    code = re.search(r'booking-code">([^<]+)<', visitor.get("/open-days/booking").text).group(1)
    _sign_in(page, a11y, create_staff("events_coordinator"))
    page.goto("/staff/open-days/check-in")
    a11y.check(page)
    page.get_by_label("预约码").fill(code)
    page.get_by_role("button", name="查找预约").click()
    expect(page.get_by_test_id("check-in-result")).to_contain_text("孙八")
    expect(page.get_by_test_id("masked-id")).to_have_text(re.compile(r"^110\*{11}[0-9X]{4}$"))
    a11y.check(page)
    page.get_by_role("button", name="确认到场").click()
    expect(page.get_by_test_id("checked-in")).to_be_visible()
    a11y.check(page)
    page.get_by_label("预约码").fill(code)
    page.get_by_role("button", name="查找预约").click()
    expect(page.get_by_test_id("check-in-refused")).to_contain_text("已于")
    a11y.check(page)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360
