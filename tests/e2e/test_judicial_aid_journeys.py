"""Journeys: a victim applies for judicial aid with a proof, staff with the judicial_aid
role move it through 受理 → 审查 → 决定 → 发放 and send the decision letter, and the
victim follows it on the tracking page (in Chinese, and in English with a refusal)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .steps import attach_proof, send_and_read_codes
from .test_submissions_journeys import _staff_sign_in, _staff_sign_out

pytestmark = pytest.mark.e2e

ZH = {
    "kind": "国家司法救助",
    "start": "开始填写",
    "name": "姓名",
    "id": "身份证号码",
    "phone": "电话号码",
    "continue": "继续",
    "case": "案件情况",
    "harm": "受到的损害",
    "hardship": "生活困难情况",
    "amount": "申请救助金额（元）",
    "account": "接收救助金的银行账号",
    "add_file": "添加文件",
    "add": "添加此文件",
    "send": "提交",
    "tracking": "受理编号",
    "query": "查询码",
    "view": "查看进展",
}
EN = {
    "kind": "Judicial aid (国家司法救助)",
    "start": "Start now",
    "name": "Full name",
    "id": "Identity card number",
    "phone": "Phone number",
    "continue": "Continue",
    "case": "The case",
    "harm": "The harm you suffered",
    "hardship": "Your financial hardship",
    "amount": "Amount you ask for, in yuan",
    "account": "Bank account for the payment",
    "add_file": "Add a file",
    "add": "Add this file",
    "send": "Send",
    "tracking": "Tracking code",
    "query": "Query code",
    "view": "Show progress",
}


def apply_for_aid(page: Page, a11y, words: dict[str, str], amount: str) -> tuple[str, str]:
    """From the list of services to the confirmation; returns (tracking, query) codes."""
    page.goto("/submissions/")
    a11y.check(page)
    page.get_by_role("link", name=words["kind"], exact=True).click()
    a11y.check(page)
    page.get_by_role("button", name=words["start"]).click()
    a11y.check(page)
    page.get_by_label(words["name"]).fill("王小明")
    page.get_by_label(words["id"]).fill("11010519491231002X")
    page.get_by_label(words["phone"]).fill("13912345678")
    page.get_by_role("button", name=words["continue"]).click()
    a11y.check(page)
    page.get_by_label(re.compile(words["case"])).fill("示公刑立〔2025〕88号")
    page.get_by_label(words["harm"]).fill("被抢劫致腿部骨折，住院三周。")
    page.get_by_label(words["hardship"]).fill("无固定收入，需抚养两名子女。")
    page.get_by_label(words["amount"]).fill(amount)
    page.get_by_label(words["account"]).fill("6222 0202 0011 2233")
    page.get_by_role("button", name=words["continue"]).click()
    a11y.check(page)
    attach_proof(page, a11y, words, "诊断证明.pdf")
    page.get_by_role("button", name=words["continue"]).click()
    main = page.locator("main")
    expect(main).to_contain_text("**** 2233")
    expect(main).not_to_contain_text("6222")
    a11y.check(page)
    return send_and_read_codes(page, a11y, words)


def track(page: Page, a11y, words: dict[str, str], tracking: str, query: str) -> None:
    page.goto("/submissions/track")
    a11y.check(page)
    page.get_by_label(words["tracking"]).fill(tracking)
    page.get_by_label(words["query"]).fill(query)
    page.get_by_role("button", name=words["view"]).click()
    expect(page.get_by_test_id("aid-stages")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("6222")
    a11y.check(page)


def open_application(staff: Page, a11y, tracking: str) -> None:
    staff.get_by_role("link", name="Judicial aid", exact=True).click()
    a11y.check(staff)
    staff.get_by_role("row").filter(has_text=tracking).get_by_role("link").click()
    expect(staff.get_by_test_id("bank-account")).to_have_text("**** 2233")
    a11y.check(staff)


def move(staff: Page, a11y, stage: str, told: str = "") -> None:
    staff.get_by_label("Next stage").select_option(label=stage)
    if told:
        staff.get_by_label("What the applicant is told").fill(told)
    staff.get_by_role("button", name="Move", exact=True).click()
    expect(staff.get_by_test_id("status")).to_have_text(stage)
    a11y.check(staff)


def decide(staff: Page, a11y, outcome: str, letter: str, amount: str = "") -> None:
    staff.get_by_label(outcome).check()
    if amount:
        staff.get_by_label("Amount granted, in yuan").fill(amount)
    staff.get_by_label("Decision letter to the applicant").fill(letter)
    staff.get_by_role("button", name="Send the decision letter").click()
    expect(staff.get_by_role("status")).to_contain_text("The decision letter was sent.")
    a11y.check(staff)


def test_victim_applies_in_chinese_and_follows_it_to_payment(
    page: Page, en_page: Page, a11y, create_staff
):
    citizen = page
    tracking, query = apply_for_aid(citizen, a11y, ZH, "２００００")

    staff = en_page
    _staff_sign_in(staff, a11y, create_staff("judicial_aid"))
    open_application(staff, a11y, tracking)
    expect(staff.get_by_test_id("aid-files")).to_contain_text("诊断证明.pdf")
    staff.get_by_role("button", name="Show the full account number for payment").click()
    expect(staff.get_by_test_id("bank-account")).to_have_text("6222020200112233")
    a11y.check(staff)
    move(staff, a11y, "Accepted", "本院已依法受理您的司法救助申请。")
    move(staff, a11y, "Under review (审查)")

    track(citizen, a11y, ZH, tracking, query)
    stages = citizen.get_by_test_id("aid-stages")
    expect(stages.locator("[aria-current=step]")).to_contain_text("审查")
    expect(stages.get_by_role("listitem").first).to_contain_text(re.compile("受理\\s*已完成"))

    decide(staff, a11y, "Grant aid", "经审查，决定给予您国家司法救助金人民币15000元。", "15000")
    move(staff, a11y, "Aid paid (发放)", "救助金已发放至您尾号2233的账户。")

    citizen.reload()
    expect(citizen.get_by_test_id("status")).to_have_text("已发放救助金")
    expect(stages.locator("[aria-current=step]")).to_contain_text("发放")
    expect(citizen.get_by_test_id("reply")).to_contain_text("决定给予您国家司法救助金")
    a11y.check(citizen)


def test_refusal_in_english_rated_unsatisfied_opens_a_follow_up(en_page: Page, a11y, create_staff):
    page = en_page
    tracking, query = apply_for_aid(page, a11y, EN, "8000")

    _staff_sign_in(page, a11y, create_staff("judicial_aid"))
    open_application(page, a11y, tracking)
    move(page, a11y, "Accepted", "We have accepted your application.")
    move(page, a11y, "Under review (审查)")
    decide(page, a11y, "Refuse aid", "The compensation you received covers the harm.")
    _staff_sign_out(page, a11y)

    track(page, a11y, EN, tracking, query)
    expect(page.get_by_test_id("status")).to_have_text("Decided: aid refused (决定)")
    expect(page.get_by_test_id("reply")).to_contain_text("compensation you received")
    page.get_by_label("Not satisfied (不满意)").check()
    page.get_by_role("button", name="Send rating").click()
    expect(page.get_by_test_id("reply")).to_contain_text("Not satisfied (不满意)")
    a11y.check(page)

    _staff_sign_in(page, a11y, create_staff("supervisor"))
    page.goto("/staff/submissions/follow-ups")
    expect(page.locator("main")).to_contain_text(tracking)
    a11y.check(page)
