"""Journeys: queries as citizens type them reach the document they mean, and the page
says what the search did with OR, a minus sign, a lone NOT and words no document has."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

# (locale of the page fixture, search label, button, result count heading)
CHINESE = ("搜索公开文书", "搜索", "条结果")
ENGLISH = ("Search published documents", "Search", "result")


def _search(page: Page, a11y, labels: tuple[str, str, str], text: str) -> None:
    """Search from the box on the search page; both pages are checked for accessibility."""
    page.goto("/documents/search")
    a11y.check(page)
    page.get_by_label(labels[0]).fill(text)
    page.get_by_role("button", name=labels[1], exact=True).click()
    expect(page.get_by_label(labels[0])).to_have_value(text)
    a11y.check(page)


def _publish_cases(publish_document) -> None:
    publish_document(
        title="钱某危险驾驶案不起诉决定书",
        number="示检刑不诉〔2021〕31号",
        charge="危险驾驶罪",
        body_markdown="钱某醉酒驾驶机动车，涉嫌危险驾驶罪，情节轻微。",
    )
    publish_document(
        title="孙某取保候审期限告知",
        number="示检刑诉〔2021〕32号",
        body_markdown="对孙某取保候审，取保候审最长不得超过十二个月。",
    )
    for name, number in (("吴", 33), ("郑", 34)):
        publish_document(
            title=f"{name}某诈骗案起诉书",
            number=f"示检刑诉〔2021〕{number}号",
            charge="诈骗罪",
            body_markdown=f"被告人{name}某冒充客服骗取钱款，构成诈骗罪。",
        )


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_question_traditional_characters_and_a_typo_reach_the_document(
    request, a11y, publish_document, language
):
    page: Page = request.getfixturevalue("page" if language == "zh" else "en_page")
    labels = CHINESE if language == "zh" else ENGLISH
    _publish_cases(publish_document)

    _search(page, a11y, labels, "取保候审要多久")  # a question typed without spaces
    a11y.check(page)
    page.get_by_role("link", name="孙某取保候审期限告知").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("孙某取保候审期限告知")
    a11y.check(page)

    _search(page, a11y, labels, "危險駕駛")  # traditional characters
    expect(page.locator(".results mark").first).to_have_text("危险驾驶")
    page.get_by_role("link", name=re.compile("钱某")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("钱某危险驾驶案不起诉决定书")
    a11y.check(page)

    _search(page, a11y, labels, "诈编")  # a typo: the results of the correction, said so
    corrected = page.locator("#search-corrected")
    expect(corrected).to_contain_text(
        "未找到与诈编相符的文件" if language == "zh" else "No document matches 诈编"
    )
    expect(corrected.locator("q")).to_have_text(["诈编", "诈骗"])
    expect(page.locator(".suggestion")).to_have_count(0)
    a11y.check(page)
    page.get_by_role("link", name=re.compile("吴某")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("吴某诈骗案起诉书")
    a11y.check(page)


def _publish_thefts(publish_document) -> None:
    publish_document(
        title="王某盗窃案起诉书",
        number="示检刑诉〔2022〕41号",
        charge="盗窃罪",
        body_markdown="被告人王某在滨江路盗窃电动车一辆。",
    )
    publish_document(
        title="李某盗窃案起诉书",
        number="示检刑诉〔2022〕42号",
        charge="盗窃罪",
        body_markdown="被告人李某在商场盗窃手机一部。",
    )
    publish_document(
        title="赵某诈骗案起诉书",
        number="示检刑诉〔2022〕43号",
        charge="诈骗罪",
        body_markdown="被告人赵某在滨江路诈骗老人。",
    )


def _titles(page: Page) -> list[str]:
    return page.locator(".results .doc-item h3").all_inner_texts()


def test_or_a_minus_sign_and_a_partial_match_behave_and_say_so(page: Page, a11y, publish_document):
    _publish_thefts(publish_document)

    _search(page, a11y, CHINESE, "电动车 OR 手机")
    expect(page.locator(".results h2")).to_have_text("共 2 条结果")
    assert sorted(_titles(page)) == ["李某盗窃案起诉书", "王某盗窃案起诉书"]
    a11y.check(page)

    _search(page, a11y, CHINESE, "盗窃 -电动车")
    expect(page.locator(".results h2")).to_have_text("共 1 条结果")
    assert _titles(page) == ["李某盗窃案起诉书"]
    expect(page.locator("#search-excluded")).to_have_text("已排除包含电动车的文件。")
    a11y.check(page)

    _search(page, a11y, CHINESE, "盗窃 NOT 滨江路")
    assert _titles(page) == ["李某盗窃案起诉书"]

    _search(page, a11y, CHINESE, "滨江路 老人 诈骗 二〇一九年")  # three words of four
    expect(page.locator("#search-partial")).to_have_text(
        "未找到同时包含全部词语的结果，以下结果包含其中部分词语。缺少：二〇一九年"
    )
    assert _titles(page) == ["赵某诈骗案起诉书"]
    expect(page.locator(".results .missing")).to_have_text("缺少：二〇一九年")
    a11y.check(page)

    _search(page, a11y, CHINESE, "盗窃 NOT")
    expect(page.locator("#search-ignored")).to_contain_text("以下内容未用于检索：NOT。")
    expect(page.locator(".results h2")).to_have_text("共 2 条结果")
    a11y.check(page)


def test_the_notices_are_in_english_too(en_page: Page, a11y, publish_document):
    _publish_thefts(publish_document)
    _search(en_page, a11y, ENGLISH, "盗窃 滨江路 手机")
    expect(en_page.locator("#search-partial")).to_have_text(
        "No document contains all of your words; the results below contain some of them."
    )
    missing = sorted(en_page.locator(".results .missing").all_inner_texts())
    assert missing == ["Missing: 手机", "Missing: 滨江路"]  # <q> adds the quotes on screen
    a11y.check(en_page)
    _search(en_page, a11y, ENGLISH, '盗窃 "滨江路')
    expect(en_page.locator("#search-ignored")).to_contain_text('Not used in your search: ".')
    a11y.check(en_page)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_search_the_words_cannot_answer_shows_the_closest_and_says_so(
    request, a11y, publish_document, language
):
    page: Page = request.getfixturevalue("page" if language == "zh" else "en_page")
    labels = CHINESE if language == "zh" else ENGLISH
    _publish_thefts(publish_document)
    _search(page, a11y, labels, "商场电动车")  # no document has both words
    expect(page.locator("#search-closest")).to_have_text(
        "未找到完全匹配的结果，以下是相近的结果。"
        if language == "zh"
        else "No exact matches; these are the closest."
    )
    assert _titles(page) == ["王某盗窃案起诉书"]
    expect(page.locator("#search-partial")).to_have_count(0)
    a11y.check(page)
