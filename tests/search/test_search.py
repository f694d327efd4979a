"""Searching as the public does: recall, phrases, input that must not break, filters, pages."""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from search import IndexDocument, SearchIndex, SearchQuery, load_synonyms

BODIES = [
    "被告人李某某于2020年在龙华区盗窃他人财物，价值人民币3000元。",
    "犯罪嫌疑人赵小宝醉酒驾驶机动车，涉嫌危险驾驶罪，本院依法提起公诉。",
    "欧阳娜娜诈骗案：被告人以虚构事实的方法骗取被害人财物，数额较大。",
    "深圳市龙华区人民检察院依法对许可可故意伤害案作出不起诉决定。",
    "被告人张伟明持刀抢劫，经依法审查查明，犯罪事实清楚，证据确实、充分。",
    "本院受理后，依法讯问了被告人，听取了辩护人的意见，被告人自愿认罪认罚。",
    "王大锤涉嫌危险驾驶罪一案，由示例市公安局示例分局侦查终结，移送本院审查起诉。",
    "法治宣传：醉驾入刑十余年，饮酒后切勿驾驶机动车。酒驾也会受到处罚。",
    "人民检察院开展检察开放日活动，欢迎群众参观。",
    "The People's Procuratorate announces new rules about drunk-driving cases.",
    "Prosecutors filed charges. Driving while drunk is a crime in China.",
    "被告人陈一发盗窃电动自行车一辆，被告人李某某帮助销赃。",
]
TYPES = ["indictment", "non_prosecution", "indictment", "non_prosecution", "indictment"]
YEARS = [2019, 2020, 2021, 2022, 2023, 2024]


@pytest.fixture
def corpus(make_doc) -> list[IndexDocument]:
    docs = []
    for i, body in enumerate(BODIES):
        docs.append(
            make_doc(
                title=f"文书{i}号 " + (body[:8] if i not in (9, 10) else "English"),
                body=body,
                doc_type=TYPES[i % len(TYPES)] if i < 9 else "legal_education",
                department="第一检察部" if i % 2 else "第二检察部",
                year=YEARS[i % len(YEARS)],
                published=datetime(YEARS[i % len(YEARS)], 1 + i % 12, 3, tzinfo=UTC),
            )
        )
    return docs


@pytest.fixture
def loaded(index: SearchIndex, corpus: list[IndexDocument]) -> SearchIndex:
    index.apply(corpus, [], checkpoint=1)
    return index


def ids(results) -> set[str]:
    return {hit.doc_id for hit in results.hits}


def search(index: SearchIndex, text: str = "", **kwargs) -> object:
    kwargs.setdefault("per_page", 50)
    return index.search(SearchQuery(text=text, **kwargs))


# Recall


@pytest.mark.parametrize(
    "query",
    ["欧阳娜娜", "赵小宝", "他人财物", "检察院", "许可可", "犯罪事实", "认罪认罚", "0年在"],
)
def test_strings_the_segmenter_splits_or_hides_inside_words_are_found(loaded, corpus, query):
    """欧阳娜娜 is cut 欧阳|娜娜, 他人财物 他|人财物, 检察院 sits inside 人民检察院."""
    expected = {d.doc_id for d in corpus if query in f"{d.title}\n{d.body}"}
    assert expected
    assert ids(search(loaded, query)) == expected


def test_every_substring_finds_exactly_the_documents_containing_it(loaded, corpus):
    texts = {d.doc_id: f"{d.title}\n{d.body}" for d in corpus}
    rng = random.Random(7)
    runs = [r for t in texts.values() for r in re.findall(r"[\u4e00-\u9fff0-9]{2,}", t)]
    checked = 0
    for _ in range(150):
        run = rng.choice(runs)
        length = rng.randint(2, min(6, len(run)))
        start = rng.randrange(len(run) - length + 1)
        query = run[start : start + length]
        expected = {i for i, t in texts.items() if query in t}
        results = search(loaded, query)
        assert results.total == len(expected), query
        assert ids(results) == expected, query
        checked += 1
    assert checked == 150


def test_a_single_character_finds_every_document_containing_it(loaded, corpus):
    expected = {d.doc_id for d in corpus if "盗" in f"{d.title}\n{d.body}"}
    assert ids(search(loaded, "盗")) == expected


def test_english_is_matched_by_stem(loaded):
    assert len(ids(search(loaded, "prosecutor"))) == 1
    assert len(ids(search(loaded, "DRIVE"))) == 2


# Phrases and AND


def test_terms_combine_with_and(loaded):
    both = ids(search(loaded, "被告人 盗窃"))
    assert both == ids(search(loaded, "盗窃")) & ids(search(loaded, "被告人"))
    assert len(both) == 2


def test_quoted_english_phrase_needs_the_words_in_order(loaded):
    assert len(ids(search(loaded, "drunk driving"))) == 2
    phrase = search(loaded, '"drunk driving"')
    assert [h.doc_id for h in phrase.hits] == ["10"]


def test_chinese_is_matched_as_written_and_quotes_keep_it_so(loaded):
    assert search(loaded, "醉酒驾驶").total == 1
    assert search(loaded, "醉酒 驾驶").total == 1
    assert search(loaded, '"驾驶醉酒"').total == 0


def test_a_string_with_no_exact_match_falls_back_to_its_words_and_says_so(loaded):
    exact = search(loaded, "醉酒驾驶")
    assert exact.notices == ()
    results = search(loaded, "嫌疑人驾驶机动车醉酒")
    assert ids(results) == ids(exact)
    assert "query_relaxed" in results.notices


# Input that must never break


@pytest.mark.parametrize(
    "text",
    [
        '"unbalanced',
        '醉驾"',
        '"""',
        "*:*",
        "title:醉驾",
        "醉驾 AND 盗窃 OR NOT x",
        "醉驾^3 盗窃~2",
        "盗* 诈?",
        "[2019 TO 2020] {a TO b}",
        "(醉驾",
        "+醉驾 -盗窃",
        "\\",
        "醉" * 10_000,
        "\x00\x01\x1b[31m醉驾\u202e",
        "\ud800 lone surrogate",
        "ＡＢＣ醉驾abc盗窃123",
        "mixed 醉驾 русский عربى 🚓",
        "   ",
        "深龙华检刑诉[2019",
        "<script>alert(1)</script>",
    ],
)
def test_anything_typed_returns_results_without_raising(loaded, text):
    results = loaded.search(SearchQuery(text=text))
    assert results.page == 1
    assert results.total >= 0
    for hit in results.hits:
        assert "<script>" not in hit.title_html + hit.fragment_html


def test_long_input_is_cut_with_a_notice(loaded):
    results = search(loaded, "醉驾" + " x" * 5000)
    assert "query_truncated" in results.notices


def test_query_syntax_is_ignored_with_a_notice(loaded):
    results = search(loaded, "body:醉驾 AND 入刑")
    assert "syntax_ignored" in results.notices
    assert results.total == 1


def test_nonsense_parameters_are_clamped(loaded):
    results = loaded.search(SearchQuery(text="被告人", page=-3, per_page=1000))
    assert (results.page, results.per_page) == (1, 50)
    results = loaded.search(SearchQuery(text="被告人", page=999, per_page=0))
    assert results.per_page == 1
    assert results.page == results.pages == results.total
    assert len(results.hits) == 1


# Filters, facets, sorting, paging


def test_filters_by_type_department_and_years(loaded, corpus):
    results = search(loaded, "被告人", doc_types=("indictment",), year_from=2019, year_to=2021)
    expected = {
        d.doc_id
        for d in corpus
        if "被告人" in d.title + "\n" + d.body
        and d.doc_type == "indictment"
        and 2019 <= d.published.year <= 2021
    }
    assert ids(results) == expected
    assert search(loaded, "", departments=("第一检察部",)).total == 6
    assert search(loaded, "", doc_types=("no_such_type",)).total == 0


def test_facets_count_all_matches_not_just_the_page(loaded, corpus):
    results = loaded.search(SearchQuery(text="", per_page=2))
    assert len(results.hits) == 2
    assert results.total == len(corpus)
    assert sum(results.facets["type"].values()) == len(corpus)
    assert results.facets["type"]["indictment"] == sum(d.doc_type == "indictment" for d in corpus)
    assert results.facets["year"]["2019"] == sum(d.published.year == 2019 for d in corpus)


def test_date_sort_is_newest_first_and_pages_do_not_overlap(loaded):
    seen: list = []
    page = 1
    while True:
        results = loaded.search(SearchQuery(text="", sort="date", page=page, per_page=5))
        seen.extend(results.hits)
        if page >= results.pages:
            break
        page += 1
    dates = [hit.published for hit in seen]
    assert dates == sorted(dates, reverse=True)
    assert len({hit.doc_id for hit in seen}) == len(seen) == 12


def test_relevance_puts_title_and_frequent_matches_first(index, make_doc):
    index.apply(
        [
            make_doc(
                "无关标题", "盗窃一次。其他内容很长很长很长很长很长很长很长很长。", doc_id="once"
            ),
            make_doc("盗窃案起诉书", "盗窃。", doc_id="title"),
            make_doc("无关标题", "盗窃，盗窃，再次盗窃。", doc_id="thrice"),
        ],
        [],
        1,
    )
    order = [hit.doc_id for hit in index.search(SearchQuery(text="盗窃")).hits]
    assert order == ["title", "thrice", "once"]


def test_relevance_finds_the_best_among_many_matches(index, make_doc):
    docs = [make_doc("案件", "被告人" + "。其他" * 50, doc_id=f"d{i}") for i in range(4000)]
    docs.append(make_doc("被告人名单", "被告人被告人被告人", doc_id="best"))
    index.rebuild(docs, 1)
    results = index.search(SearchQuery(text="被告人", per_page=3))
    assert results.total == 4001
    assert results.hits[0].doc_id == "best"


# Document numbers


def test_document_number_in_any_bracket_style_finds_the_document(index, make_doc):
    index.apply(
        [
            make_doc("起诉书", "正文", number="深龙华检刑诉〔2019〕1247号", doc_id="n1"),
            make_doc("另一份", "正文", number="深龙华检刑诉〔2019〕1248号", doc_id="n2"),
        ],
        [],
        1,
    )
    for typed in ["深龙华检刑诉[2019]1247号", "深龙华检刑诉（２０１９）1247号"]:
        results = index.search(SearchQuery(text=typed))
        assert results.hits[0].doc_id == "n1"
        assert results.hits[0].number == "深龙华检刑诉〔2019〕1247号"


# Highlighting


def test_highlighting_escapes_html_and_marks_only_the_match(index, make_doc):
    index.apply(
        [make_doc("<script>alert('x')</script> 检察院通知", "深圳市龙华区人民检察院 & 公安局")],
        [],
        1,
    )
    hit = index.search(SearchQuery(text="检察院")).hits[0]
    assert hit.title_html == (
        "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; <mark>检察院</mark>通知"
    )
    assert hit.fragment_html == "深圳市龙华区人民<mark>检察院</mark> &amp; 公安局"
    plain = index.search(SearchQuery(text="检察院", highlight=False)).hits[0]
    assert plain.fragment_html == ""


def test_fragment_is_cut_around_the_match(index, make_doc):
    body = "前言。" * 100 + "被告人赵小宝醉酒驾驶。" + "后记。" * 100
    index.apply([make_doc("标题", body)], [], 1)
    fragment = index.search(SearchQuery(text="赵小宝")).hits[0].fragment_html
    assert "<mark>赵小宝</mark>" in fragment
    assert fragment.startswith("…") and fragment.endswith("…")
    assert len(re.sub(r"</?mark>", "", fragment)) <= 152


def test_english_words_are_marked_whole(loaded):
    hit = search(loaded, "prosecutor").hits[0]
    assert hit.fragment_html.startswith("<mark>Prosecutors</mark> filed")


# Synonyms and did-you-mean


def test_synonyms_expand_a_query_term(tmp_path: Path, index_dir, corpus):
    path = tmp_path / "synonyms.txt"
    path.write_text("# 同义词\n醉驾 => 危险驾驶\n酒驾, 饮酒驾驶\n", encoding="utf-8")
    synonyms = load_synonyms(str(path))
    assert synonyms == {"醉驾": ["危险驾驶"], "酒驾": ["饮酒驾驶"], "饮酒驾驶": ["酒驾"]}
    index = SearchIndex(index_dir, synonyms=synonyms)
    index.apply(corpus, [], 1)
    drunk = index.search(SearchQuery(text="醉驾", per_page=50))
    assert len(drunk.hits) == 3  # 醉驾 itself, and two documents saying 危险驾驶
    assert any("<mark>危险驾驶</mark>" in h.fragment_html for h in drunk.hits)
    assert index.search(SearchQuery(text="危险驾驶")).total == 2  # one way only
    index.close()


def test_did_you_mean_corrects_misspelt_english_from_the_index(loaded):
    assert search(loaded, "Prosecuters").suggestion == "prosecutors"
    # No document has both words; "prosecutors" has no Chinese synonym, so it does
    # not keep the 醉驾 documents out (they are shown without it).
    mixed = search(loaded, "prosecutors 醉驾")
    assert mixed.all_words == 0 and mixed.missing == ("prosecutors",)
    # No document has both: the correction would lead to another empty page.
    assert search(loaded, "Prosecuters 醉驾").suggestion is None
    assert search(loaded, "prosecutors").suggestion is None
    assert search(loaded, "醉驾").suggestion is None
    assert loaded.suggest("anounces") == "announces"


def test_pages_of_a_ranking_with_many_ties_fit_together_without_gaps_or_repeats(index, make_doc):
    rng = random.Random(3)
    words = ["盗窃", "诈骗", "醉驾", "被告人", "检察院", "财物", "公诉", "驾驶"]
    docs = []
    for n in range(1500):
        title = "".join(rng.choice(words) for _ in range(rng.randint(1, 3))) + "案"
        body = "，".join(rng.choice(words) for _ in range(rng.randint(3, 40)))
        docs.append(make_doc(title, body, doc_id=str(n), year=2018 + n % 7))
    index.rebuild(docs, 1)
    for text in ["盗窃", "被告人 财物", "检察院", "醉驾 公诉", "窃案", "驾驶，财物"]:
        whole = index.search(SearchQuery(text=text, per_page=50))
        pages = [index.search(SearchQuery(text=text, per_page=10, page=p)) for p in range(1, 6)]
        paged = [h.doc_id for page in pages for h in page.hits]
        assert paged == [h.doc_id for h in whole.hits], text
        scores = [h.score for h in whole.hits]
        assert scores == sorted(scores, reverse=True), text
        assert whole.total > 50
