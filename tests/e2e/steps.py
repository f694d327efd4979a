"""Form steps several journeys take in the same way (the Chinese interface)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from ..files import PDF


def describe_complaint(page: Page) -> None:
    """Fill the complaint's "your matter" step (without pressing Continue)."""
    page.get_by_label("事项名称").fill("对派出所不立案的控告")
    page.get_by_label("被控告人或单位").fill("示例区某派出所")
    page.get_by_label("事实经过").fill("2026年3月电动车被盗，报警后派出所一直未立案。")
    page.get_by_label("您的请求").fill("请依法监督立案。")


def fill_booker(page: Page, id_number: str, email: str = "visitor@example.com") -> None:
    """Fill the open-day booking form's personal fields (the session is chosen apart)."""
    page.get_by_label("姓名").fill("王小明")
    page.get_by_label("证件号码").fill(id_number)
    page.get_by_label("手机号码", exact=True).fill("13912345678")
    page.get_by_label("电子邮箱").fill(email)


def attach_proof(page: Page, a11y, words: dict[str, str], name: str) -> None:
    """Add one PDF on a submission's files step and see it listed."""
    page.get_by_label(words["add_file"]).set_input_files(
        files=[{"name": name, "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name=words["add"]).click()
    expect(page.get_by_test_id("files")).to_contain_text(name)
    a11y.check(page)


def send_and_read_codes(page: Page, a11y, words: dict[str, str]) -> tuple[str, str]:
    """Send from the check step; returns the confirmation's (tracking, query) codes."""
    page.get_by_role("button", name=words["send"], exact=True).click()
    tracking = page.get_by_test_id("tracking-code").inner_text()
    query = page.get_by_test_id("query-code").inner_text()
    a11y.check(page)
    return tracking, query
