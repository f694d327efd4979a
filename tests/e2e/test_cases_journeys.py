"""Journey: import the sample cases → a party finds their case → a lawyer asks for
access → an officer approves → the lawyer looks the case up with the code.
In Chinese and in English, every page checked with axe-core."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from portal.cases.cli import DEMO_PARTY
from portal.config import PROJECT_ROOT

from ..conftest import TEST_PASSWORD
from ..files import PDF
from ..helpers import totp_now

pytestmark = pytest.mark.e2e

TEXT = {
    "page": {
        "area": "案件查询",
        "party": "我是案件当事人",
        "number": "案号",
        "name": "您的姓名",
        "id": "您的身份证号码",
        "look_up": "查询",
        "stage": "审查起诉",
        "request": "我是近亲属、法定代理人、辩护人或诉讼代理人",
        "role": "您是当事人的",
        "relation": "您与当事人的关系",
        "phone": "电话号码",
        "email": "电子邮箱",
        "proofs": "与当事人关系的证明材料",
        "send": "提交申请",
        "received": "申请已收到",
        "approve": "批准并发送查询码",
        "reason": "理由",
        "code_page": "凭查询码查询案件",
        "code": "查询码",
    },
    "en_page": {
        "area": "Case inquiry",
        "party": "I am a party to the case",
        "number": "Case number",
        "name": "Your full name",
        "id": "Your identity number",
        "look_up": "Look up the case",
        "stage": "Review for prosecution",
        "request": "I am a relative, representative, defender or agent",
        "role": "You are the party's",
        "relation": "Your relation to the party",
        "phone": "Phone number",
        "email": "Email address",
        "proofs": "Proof of who you are to the party",
        "send": "Send the request",
        "received": "Request received",
        "approve": "Approve and send a code",
        "reason": "Reason",
        "code_page": "Look up a case with an access code",
        "code": "Access code",
    },
}


def _sign_in(page: Page, a11y, user) -> None:
    page.goto("/staff/login")
    a11y.check(page)
    page.locator("#username").fill(user.username)
    page.locator("#password").fill(TEST_PASSWORD)
    page.locator("button[type=submit]").click()
    expect(page.locator("#code")).to_be_visible()
    a11y.check(page)
    page.locator("#code").fill(totp_now(user.totp_secret))
    page.locator("main button[type=submit]").click()
    expect(page.get_by_test_id("staff-account")).to_be_visible()
    a11y.check(page)


@pytest.mark.parametrize("browser_page", ["page", "en_page"])
def test_party_then_lawyer_with_an_officers_code(request, app, a11y, create_staff, browser_page):
    page: Page = request.getfixturevalue(browser_page)
    t = TEXT[browser_page]
    runner = app.test_cli_runner()
    sample = PROJECT_ROOT / "content" / "cases" / "sample-cases.jsonl"
    result = runner.invoke(args=["cases", "import", str(sample)])
    assert "8 created" in result.output, result.output
    number, name, id_number = DEMO_PARTY

    # A party finds their case, typing the number with other brackets and a lower-case x.
    page.goto("/")
    a11y.check(page)
    page.get_by_role("navigation").get_by_role("link", name=t["area"]).click()
    a11y.check(page)
    page.get_by_role("link", name=t["party"]).click()
    a11y.check(page)
    page.get_by_label(t["number"]).fill(number.replace("〔", "[").replace("〕", "]"))
    page.get_by_label(t["name"]).fill(name)
    page.get_by_label(t["id"]).fill(id_number.lower())
    page.get_by_role("button", name=t["look_up"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("陈某峰盗窃案")
    expect(page.get_by_test_id("current-stage")).to_have_text(t["stage"])
    expect(page.get_by_test_id("measures")).to_contain_text("取保候审")
    assert page.url.endswith("/cases/inquiry")
    a11y.check(page)

    # A lawyer asks for access with a licence.
    page.goto("/cases/")
    a11y.check(page)
    page.get_by_role("link", name=t["request"]).click()
    a11y.check(page)
    page.get_by_label(t["number"]).fill(number)
    page.get_by_label(t["role"]).select_option("defender")
    page.get_by_label(t["relation"]).fill("陈晓峰的辩护人，示例律师事务所")
    page.get_by_label(t["name"]).fill("周明远")
    page.get_by_label(t["id"]).fill("440304198001010519")
    page.get_by_label(t["phone"]).fill("0755-12345678")
    page.get_by_label(t["email"]).fill("lawyer@example.com")
    page.get_by_label(t["proofs"]).set_input_files(
        [{"name": "licence.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name=t["send"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t["received"])
    reference = page.get_by_test_id("reference").inner_text()
    a11y.check(page)

    # An officer approves it and reads the code.
    officer = create_staff("case_officer")
    _sign_in(page, a11y, officer)
    page.goto("/staff/cases/requests")
    a11y.check(page)
    page.get_by_role("link", name=reference).click()
    a11y.check(page)
    page.get_by_label(t["reason"]).fill("律师执业证与委托书齐全")
    page.get_by_role("button", name=t["approve"]).click()
    code = page.get_by_test_id("access-code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    a11y.check(page)
    page.locator("#sign-out button").click()
    a11y.check(page)

    # The lawyer looks the case up with the code.
    page.goto("/cases/code")
    expect(page.get_by_role("heading", level=1)).to_have_text(t["code_page"])
    a11y.check(page)
    page.get_by_label(t["number"]).fill(number)
    page.get_by_label(t["code"]).fill(code.lower())
    page.get_by_role("button", name=t["look_up"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("陈某峰盗窃案")
    expect(page.get_by_test_id("timeline")).to_contain_text(t["stage"])
    a11y.check(page)
