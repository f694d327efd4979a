"""Journeys: a lawyer books a file reading with a proof (in Chinese), a case officer
publishes a slot and accepts the request into it, the lawyer sees the date, time and
room and cancels; in English, the officer proposes another time, the lawyer accepts
it, and a second request is refused with a reason the lawyer reads."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from portal.db import get_session
from portal.staff import services as staff_services

from ..appointments.conftest import CASE_NUMBER, DEPARTMENT, add_case
from .steps import attach_proof, send_and_read_codes
from .test_submissions_journeys import _staff_sign_in, _staff_sign_out

pytestmark = pytest.mark.e2e

ZH = {
    "area": "律师预约",
    "book": "申请预约",
    "start": "开始填写",
    "name": "姓名",
    "id": "身份证号码",
    "phone": "电话号码",
    "email": "电子邮箱",
    "continue": "继续",
    "purpose": "预约事项",
    "applicant": "申请人身份",
    "firm": "律师事务所或法律援助机构",
    "licence": "律师执业证号",
    "case": "案号",
    "client": "委托人",
    "add_file": "添加文件",
    "add": "添加此文件",
    "send": "提交",
    "purpose_choice": "阅卷（查阅、摘抄、复制案卷材料）",
    "applicant_choice": "律师",
    "lookup": "查询预约",
    "tracking": "受理编号",
    "query": "查询码",
    "show": "查看预约",
    "cancel": "取消此预约",
    "cancelled": "已取消",
    "accept_time": "接受此时间",
    "accepted": "已安排",
}
EN = {
    "area": "Lawyers' appointments",
    "book": "Book an appointment",
    "start": "Start now",
    "name": "Full name",
    "id": "Identity card number",
    "phone": "Phone number",
    "email": "E-mail address",
    "continue": "Continue",
    "purpose": "What you ask for",
    "applicant": "You are",
    "firm": "Law firm or legal aid centre",
    "licence": "Practising-licence number",
    "case": "Case number",
    "client": "Your client",
    "add_file": "Add a file",
    "add": "Add this file",
    "send": "Send",
    "purpose_choice": "Meeting the prosecutor handling the case (约见承办检察官)",
    "applicant_choice": "Legal aid worker",
    "lookup": "Look up an appointment request",
    "tracking": "Tracking code",
    "query": "Query code",
    "show": "Show the request",
    "cancel": "Cancel this request",
    "cancelled": "Cancelled",
    "accept_time": "Accept this time",
    "accepted": "Appointment confirmed",
}


@pytest.fixture
def known_case(app: Flask) -> None:
    with app.app_context():
        db = get_session()
        add_case(db)
        db.commit()


@pytest.fixture
def case_officer(app: Flask, create_staff):
    user = create_staff("case_officer")
    with app.app_context():
        db = get_session()
        staff_services.set_department(db, user.username, DEPARTMENT, actor="test")
        db.commit()
    return user


def book(page: Page, a11y, words: dict[str, str]) -> tuple[str, str]:
    """From the home page to the confirmation; returns (tracking, query) codes."""
    page.goto("/")
    a11y.check(page)
    page.locator("#site-nav").get_by_role("link", name=words["area"]).click()
    a11y.check(page)
    page.get_by_role("link", name=words["book"]).click()
    a11y.check(page)
    page.get_by_role("button", name=words["start"]).click()
    a11y.check(page)
    page.get_by_label(words["name"]).fill("张律师")
    page.get_by_label(words["id"]).fill("11010519491231002X")
    page.get_by_label(words["phone"]).fill("13912345678")
    page.get_by_label(re.compile(words["email"])).fill("lawyer@example.com")
    page.get_by_role("button", name=words["continue"]).click()
    a11y.check(page)
    page.get_by_label(words["purpose"], exact=True).select_option(label=words["purpose_choice"])
    page.get_by_label(words["applicant"], exact=True).select_option(label=words["applicant_choice"])
    page.get_by_label(words["firm"]).fill("示例律师事务所")
    page.get_by_label(words["licence"]).fill("1310120191012345")  # one digit short
    page.get_by_label(words["case"], exact=True).fill(CASE_NUMBER)
    page.get_by_label(re.compile(words["client"])).fill("李某")
    page.get_by_role("button", name=words["continue"]).click()
    expect(page.get_by_role("alert")).to_contain_text("17")
    a11y.check(page)
    page.get_by_label(words["licence"]).fill("１３１０１２０１９１０１２３４５６")
    page.get_by_role("button", name=words["continue"]).click()
    a11y.check(page)
    attach_proof(page, a11y, words, "律师执业证.pdf")
    page.get_by_role("button", name=words["continue"]).click()
    expect(page.locator("main")).to_contain_text("13101201910123456")
    a11y.check(page)
    return send_and_read_codes(page, a11y, words)


def look_up(page: Page, a11y, words: dict[str, str], tracking: str, query: str) -> None:
    page.goto("/appointments/lookup")
    a11y.check(page)
    page.get_by_label(words["tracking"]).fill(tracking)
    page.get_by_label(words["query"]).fill(query)
    page.get_by_role("button", name=words["show"]).click()
    a11y.check(page)


def publish_slot(staff: Page, a11y, room: str) -> datetime:
    staff.goto("/staff/")
    staff.get_by_role("link", name="Slots of the department").click()
    a11y.check(staff)
    day = datetime.now(UTC) + timedelta(days=3)
    staff.get_by_label("Starts").fill(day.strftime("%Y-%m-%dT09:30"))
    staff.get_by_label("Ends").fill(day.strftime("%Y-%m-%dT11:00"))
    staff.get_by_label("Room").fill(room)
    staff.get_by_label("Lawyers received in this slot").fill("2")
    staff.get_by_role("button", name="Publish the slot").click()
    expect(staff.get_by_role("status")).to_contain_text("The slot is published.")
    expect(staff.get_by_test_id("slots")).to_contain_text(room)
    a11y.check(staff)
    return day


def open_request(staff: Page, a11y, tracking: str) -> None:
    staff.goto("/staff/")
    staff.get_by_test_id("appointments-overdue-count").click()
    a11y.check(staff)
    staff.get_by_role("row").filter(has_text=tracking).get_by_role("link").click()
    expect(staff.get_by_test_id("appointment-files")).to_contain_text("律师执业证.pdf")
    a11y.check(staff)


def test_lawyer_books_in_chinese_officer_accepts_lawyer_sees_room_and_cancels(
    page: Page, en_page: Page, a11y, known_case, case_officer
):
    lawyer = page
    tracking, query = book(lawyer, a11y, ZH)

    staff = en_page
    _staff_sign_in(staff, a11y, case_officer)
    day = publish_slot(staff, a11y, "阅卷室 2")
    open_request(staff, a11y, tracking)
    staff.get_by_label("Slot", exact=True).select_option(index=1)
    staff.get_by_role("button", name="Accept into this slot").click()
    expect(staff.get_by_role("status")).to_contain_text("The request is accepted.")
    expect(staff.get_by_test_id("appointment-status")).to_have_text("Appointment confirmed")
    a11y.check(staff)

    look_up(lawyer, a11y, ZH, tracking, query)
    expect(lawyer.get_by_test_id("appointment-status")).to_have_text(ZH["accepted"])
    weekday = "一二三四五六日"[day.weekday()]
    expect(lawyer.get_by_test_id("appointment-date")).to_have_text(
        f"{day.strftime('%Y-%m-%d')} 星期{weekday}"
    )
    expect(lawyer.get_by_test_id("appointment-time")).to_have_text("09:30–11:00")
    expect(lawyer.get_by_test_id("appointment-room")).to_have_text("阅卷室 2")
    lawyer.get_by_test_id("ask-case-inquiry").click()
    expect(lawyer.get_by_test_id("case-inquiry-asked")).to_be_visible()
    a11y.check(lawyer)
    lawyer.get_by_role("button", name=ZH["cancel"]).click()
    expect(lawyer.get_by_test_id("appointment-status")).to_have_text(ZH["cancelled"])
    expect(lawyer.get_by_test_id("appointment-when")).to_have_count(0)
    a11y.check(lawyer)

    # The officer reads in the request's history that the lawyer cancelled.
    staff.reload()
    history = staff.get_by_test_id("appointment-history").get_by_role("listitem")
    expect(history.last).to_contain_text("Cancelled · the lawyer")
    expect(history.nth(2)).to_contain_text("Case inquiry requested · the lawyer")
    a11y.check(staff)
    staff.goto("/staff/appointments/slots")
    expect(staff.get_by_test_id("slots")).to_contain_text("0 / 2")
    _staff_sign_out(staff, a11y)


def test_in_english_a_proposed_time_is_accepted_and_a_refusal_gives_its_reason(
    en_page: Page, browser, live_server, a11y, known_case, case_officer
):
    lawyer = en_page
    tracking, query = book(lawyer, a11y, EN)
    refused_tracking, refused_query = book(lawyer, a11y, EN)

    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    staff = context.new_page()
    try:
        _staff_sign_in(staff, a11y, case_officer)
        publish_slot(staff, a11y, "Meeting room 5")
        open_request(staff, a11y, tracking)
        staff.get_by_label("Slot", exact=True).select_option(index=1)
        staff.get_by_label("Message to the lawyer (with a proposed time)").fill(
            "The prosecutor is in court on your preferred day."
        )
        staff.get_by_role("button", name="Propose this time instead").click()
        expect(staff.get_by_role("status")).to_contain_text("The lawyer was offered the time.")
        a11y.check(staff)
        open_request(staff, a11y, refused_tracking)
        staff.get_by_role("button", name="Refuse the request").click()
        expect(staff.get_by_role("alert")).to_contain_text("Give the reason")
        a11y.check(staff)
        staff.get_by_label("Reason the lawyer reads").fill("The case was sent to the court.")
        staff.get_by_role("button", name="Refuse the request").click()
        expect(staff.get_by_test_id("appointment-status")).to_have_text("Refused")
        a11y.check(staff)
    finally:
        context.close()

    look_up(lawyer, a11y, EN, tracking, query)
    expect(lawyer.get_by_test_id("appointment-status")).to_have_text("Another time proposed")
    expect(lawyer.get_by_test_id("appointment-room")).to_have_text("Meeting room 5")
    expect(lawyer.get_by_test_id("appointment-reason")).to_contain_text("in court")
    lawyer.get_by_role("button", name=EN["accept_time"]).click()
    expect(lawyer.get_by_test_id("appointment-status")).to_have_text(EN["accepted"])
    a11y.check(lawyer)
    look_up(lawyer, a11y, EN, refused_tracking, refused_query)
    expect(lawyer.get_by_test_id("appointment-status")).to_have_text("Refused")
    expect(lawyer.get_by_test_id("appointment-reason")).to_have_text(
        "The case was sent to the court."
    )
    a11y.check(lawyer)
