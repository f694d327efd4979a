"""Guide pages in site search (`search.pages`): found by what people ask, in their language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from search import load_synonyms
from search.pages import PageIndex, PageText

CONTENT = Path(__file__).resolve().parents[2] / "content"
_FRONT = re.compile(r"\A---\n(?P<meta>.*?)\n---\n(?P<body>.*)\Z", re.S)


def _demo_pages() -> list[PageText]:
    pages = []
    for path in sorted((CONTENT / "pages").glob("*.md")):
        slug, locale, _md = path.name.split(".")
        found = _FRONT.match(path.read_text(encoding="utf-8"))
        assert found, path
        meta = dict(line.split(": ", 1) for line in found["meta"].splitlines() if ": " in line)
        pages.append(PageText(slug, locale, meta["title"], meta.get("summary", ""), found["body"]))
    return pages


@pytest.fixture(scope="module")
def demo() -> PageIndex:
    return PageIndex(_demo_pages(), load_synonyms(str(CONTENT / "synonyms.txt")))


@pytest.mark.parametrize(
    ("query", "locale", "slug", "title"),
    [
        ("控告 须知", "zh_Hans", "complaint-guide", "控告申诉须知"),
        ("开放日 带什么", "zh_Hans", "open-day-guide", "检察开放日参观须知"),
        ("举报人保护", "zh_Hans", "complaint-guide", "控告申诉须知"),
        ("open day", "en", "open-day-guide", "Open Day Visitor Guide"),
    ],
)
def test_a_question_about_a_service_finds_its_guide_first(demo, query, locale, slug, title):
    hits = demo.search(query, locale)
    assert hits and hits[0].slug == slug
    assert hits[0].title == title and hits[0].locale == locale


def test_an_english_question_finds_the_english_complaint_guide(demo):
    hits = demo.search("how to file a complaint", "en")
    found = {hit.slug: hit for hit in hits}
    assert "complaint-guide" in found
    assert found["complaint-guide"].title == "Complaints and Appeals Guide"
    assert "<mark>Complaints</mark>" in found["complaint-guide"].title_html


def test_the_page_is_shown_in_the_visitors_language_whatever_language_was_typed(demo):
    [english] = [h for h in demo.search("控告 须知", "en") if h.slug == "complaint-guide"]
    assert english.locale == "en" and english.title == "Complaints and Appeals Guide"
    [chinese] = [h for h in demo.search("whistleblower protection", "zh_Hans")][:1]
    assert chinese.slug == "complaint-guide" and chinese.title == "控告申诉须知"


def test_a_page_missing_in_the_visitors_language_falls_back_to_chinese():
    index = PageIndex(
        [
            PageText("only-zh", "zh_Hans", "仅中文的指南", "", "关于预约参观的说明。"),
            PageText("other", "zh_Hans", "其他", "", "无关内容。"),
        ]
    )
    [hit] = index.search("预约参观", "en")
    assert (hit.slug, hit.locale, hit.title) == ("only-zh", "zh_Hans", "仅中文的指南")


def test_the_excerpt_is_short_escaped_and_marks_the_words(demo):
    [hit, *_rest] = demo.search("开放日 带什么", "zh_Hans")
    assert "<mark>开放日</mark>" in hit.fragment_html
    assert len(re.sub("<[^>]+>", "", hit.fragment_html)) <= 160
    index = PageIndex(
        [
            PageText("a", "zh_Hans", "说明", "", "<script>alert(1)</script> 检察开放日须知"),
            PageText("b", "zh_Hans", "其他", "", "无关内容。"),
        ]
    )
    [hit] = index.search("开放日", "zh_Hans")
    assert "<script>" not in hit.fragment_html and "&lt;script&gt;" in hit.fragment_html
    assert "<mark>开放日</mark>" in hit.fragment_html


def test_queries_for_documents_and_words_on_most_pages_find_no_guide(demo):
    for query in ("盗窃", "危险驾驶", "起诉书", "诈骗 不起诉", "盗窃 不起诉", "the", "", "*:*"):
        assert demo.search(query, "zh_Hans") == [], query
    # 检察院 is on every page; only the page about the procuratorate has it in its summary.
    assert [hit.slug for hit in demo.search("检察院", "zh_Hans")] == ["about"]


def test_a_run_counts_once_in_the_share_of_the_query_a_page_has(demo):
    # 不起诉 is in the complaint guide (how to appeal one), 诈骗 in no guide: the query is
    # for documents. Counted as 不起诉 and again as 不 and 起诉, the guide had half its weight.
    assert demo.search("诈骗 不起诉", "zh_Hans") == []
    assert [hit.slug for hit in demo.search("不起诉", "zh_Hans")] == ["complaint-guide"]


def test_adding_an_unrelated_page_does_not_change_the_guide_offered():
    synonyms = load_synonyms(str(CONTENT / "synonyms.txt"))
    # The judicial aid guide says nothing of fraud or non-prosecution; when it was added,
    # the complaint guide began to be offered for 诈骗 不起诉.
    pages = [p for p in _demo_pages() if p.slug != "judicial-aid-guide"]
    aid = [p for p in _demo_pages() if p.slug == "judicial-aid-guide"]
    travel = [
        PageText(f"travel-{i}", "zh_Hans", f"交通指引{i}", "", "乘公交车到法治大道站下车。")
        for i in range(5)
    ]
    before = PageIndex(pages, synonyms)
    queries = ("诈骗 不起诉", "控告 须知", "开放日 带什么", "举报人保护")
    for added, extra in [(1, aid), (1, travel[:1]), (2, [*aid, *travel[:1]]), (5, travel)]:
        after = PageIndex([*pages, *extra], synonyms)
        for query in queries if added == 1 else queries[:1]:
            found = [hit.slug for hit in before.search(query, "zh_Hans")]
            assert [hit.slug for hit in after.search(query, "zh_Hans")] == found, (query, extra)


def test_a_word_on_more_than_half_of_the_pages_tells_none_apart():
    def index(having: int) -> PageIndex:
        return PageIndex(
            [
                PageText(
                    f"p{i}",
                    "zh_Hans",
                    f"指南{i}",
                    "",
                    "请携带身份证件。" if i < having else "无关内容。",
                )
                for i in range(4)
            ]
        )

    assert [hit.slug for hit in index(2).search("身份证件", "zh_Hans")] == ["p0", "p1"]
    assert index(3).search("身份证件", "zh_Hans") == []


def test_a_word_found_only_in_a_body_needs_most_of_the_query():
    index = PageIndex(
        [
            PageText("visit", "zh_Hans", "参观须知", "", "参观当天请携带身份证件。"),
            PageText("privacy", "zh_Hans", "隐私声明", "", "我们保护个人信息。"),
            PageText("services", "zh_Hans", "办事指南", "", "通过网站预约。"),
        ]
    )
    assert [h.slug for h in index.search("身份证件", "zh_Hans")] == ["visit"]
    # Each page has one word of three, in its body only: none answers the question.
    assert index.search("身份证件 个人信息 网站", "zh_Hans") == []
    # A word in a title names what the page answers.
    assert [h.slug for h in index.search("隐私 身份证件 网站", "zh_Hans")][:1] == ["privacy"]
    # A query mostly about what no page covers is for documents.
    assert index.search("盗窃 身份证件", "zh_Hans") == []


def test_synonyms_apply_to_pages_as_to_documents():
    index = PageIndex(
        [
            PageText("lawyer", "zh_Hans", "律师服务指南", "", "预约阅卷的办法。"),
            PageText("other", "zh_Hans", "其他", "", "无关内容。"),
        ],
        synonyms={"查卷": ["阅卷"]},
    )
    assert [h.slug for h in index.search("查卷", "zh_Hans")] == ["lawyer"]


def test_a_question_typed_without_spaces_counts_by_its_words():
    index = PageIndex(
        [
            PageText("visit", "zh_Hans", "开放日参观须知", "", "请携带身份证件。"),
            PageText("privacy", "zh_Hans", "隐私声明", "", "我们为什么收集信息。"),
            PageText("services", "zh_Hans", "办事指南", "", "通过网站预约。"),
        ]
    )
    hits = index.search("开放日需要带什么", "zh_Hans")
    assert hits[0].slug == "visit"
    assert hits[0].title_html == "<mark>开放日</mark>参观须知"


def test_one_character_of_an_unknown_string_or_a_masked_name_finds_no_page():
    index = PageIndex(
        [
            PageText("aid", "zh_Hans", "申请司法救助", "", "请准备证明材料。"),
            PageText("appeal", "zh_Hans", "申诉须知", "", "七日内提出。"),
            PageText("museum", "zh_Hans", "欧阳修纪念馆参观须知", "", "请预约。"),
            PageText("visit", "zh_Hans", "开放日参观须知", "", "请携带身份证件。"),
        ],
        distinctive_only=False,
    )
    # 申女士 is cut into 申 and 女士: 申 alone is in 申请 and 申诉, no answer to her.
    assert index.search("申女士", "zh_Hans") == []
    assert index.search("申某某", "zh_Hans") == []
    # A masked name asks for a party in the documents, not for what 欧阳 is in.
    assert index.search("欧阳某某", "zh_Hans") == []
    # A character counts beside a longer word of its run that the page has.
    assert [h.slug for h in index.search("开放日带什么", "zh_Hans")][:1] == ["visit"]
    assert [h.slug for h in index.search("申诉", "zh_Hans")] == ["appeal"]


def test_without_distinctive_units_a_title_word_alone_is_not_enough():
    pages = [
        PageText("appeal", "zh_Hans", "不起诉决定可以申诉吗", "", "七日内申诉。"),
        PageText("aid", "zh_Hans", "申请司法救助", "", "请准备证明材料。"),
    ]
    answers = PageIndex(pages, distinctive_only=False)
    # 盗窃 is in neither: half the query is missing, wherever 不起诉 is.
    assert answers.search("盗窃 不起诉", "zh_Hans") == []
    assert [h.slug for h in answers.search("不起诉 申诉", "zh_Hans")] == ["appeal"]


def test_a_page_found_by_its_body_alone_needs_the_words_together(demo):
    # The about page names minors in one paragraph and crime in another; the privacy
    # page names minors only. Neither answers a query for juvenile crime.
    assert demo.search("juvenile crime", "en") == []
    index = PageIndex(
        [
            PageText("about", "en", "About us", "", "We protect minors. We prosecute crime."),
            PageText("school", "en", "School visits", "", "We talk about juvenile crime."),
            PageText("other", "en", "Other", "", "Nothing related."),
            PageText("more", "en", "More", "", "Nothing related either."),
        ]
    )
    assert [h.slug for h in index.search("juvenile crime", "en")] == ["school"]
    # A word on most pages need not stand beside the others.
    assert [h.slug for h in demo.search("检察院地址在哪里", "zh_Hans")][:1] == ["about"]


def test_only_a_title_makes_up_for_a_missing_word(demo):
    # Crime is in the judicial aid guide's summary; juvenile, the rarer word, is not there.
    assert "judicial-aid-guide" not in {h.slug for h in demo.search("juvenile crime", "en")}
    # Complaint is in the complaint guide's title: it carries how to file a complaint.
    assert "complaint-guide" in {h.slug for h in demo.search("how to file a complaint", "en")}
