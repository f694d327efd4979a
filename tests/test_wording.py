"""Staff-written wording in the page's language, or the Chinese marked as Chinese."""

from __future__ import annotations

from portal.wording import Wording, choose


def test_chinese_pages_always_show_the_chinese():
    assert choose("开放日", "Open day", "zh_Hans") == Wording("开放日")


def test_english_pages_show_the_english_or_the_chinese_marked_as_chinese():
    assert choose("开放日", "Open day", "en") == Wording("Open day")
    fallback = choose("开放日", "  ", "en")
    assert fallback == Wording("开放日", "zh-Hans")
    assert fallback.attr == ' lang="zh-Hans"'
    assert choose("", "", "en").attr == ""


def test_a_fallback_inside_an_english_sentence_is_a_marked_span_and_escaped():
    assert choose("<b>开放日</b>", "", "en").html == (
        '<span lang="zh-Hans">&lt;b&gt;开放日&lt;/b&gt;</span>'
    )
    assert choose("开放日", "Tom & Jerry", "en").html == "Tom &amp; Jerry"
