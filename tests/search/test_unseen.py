"""Queries nobody judged degrade gracefully: a word no document has does not block the
others, a question is read without its question words, and a query that shares a
meaningful part with some document never returns nothing (the closest documents, said
to be only that)."""

from __future__ import annotations

import pytest

from search import SearchIndex, SearchQuery
from search.parse import parse
from search.understand import strip_question_words

from .test_ranking import CORPUS


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> SearchIndex:
    from search import ensure_index

    path = str(tmp_path_factory.mktemp("unseen") / "index")
    ensure_index(path)
    search_index = SearchIndex(path)
    search_index.apply(CORPUS, [], checkpoint=1)
    yield search_index
    search_index.close()


def run(index: SearchIndex, text: str, **kwargs):
    return index.search(SearchQuery(text=text, per_page=50, **kwargs))


def order(results) -> list[str]:
    return [hit.doc_id for hit in results.hits]


# A word no document contains


def test_a_word_no_document_has_does_not_block_the_others(index):
    results = run(index, "电动车 量子")  # two words: both would be needed
    assert order(results) == ["bike"] and not results.closest
    assert results.missing == ("量子",) and results.all_words == 0
    assert "partial_match" in results.notices
    assert results.hits[0].missing == ("量子",)


def test_an_unknown_word_leaves_the_count_of_the_others_alone(index):
    # Four words, one unknown: the three others are all needed, as for a query of three
    # less one (all but one of three), not 3 of 4 with the unknown word among them.
    results = run(index, "盗窃 滨江路 电动车 2019年")
    assert order(results) == ["bike"] and results.missing == ("2019年",)


def test_quoted_and_plus_words_still_block_when_no_document_has_them(index):
    assert run(index, '电动车 "量子"').total == 0
    assert run(index, "电动车 +量子").total == 0
    assert run(index, "电动车 AND 量子").total == 0


# The closest documents, when the words find nothing


def test_a_query_the_words_cannot_find_gets_the_closest_documents_flagged(index):
    results = run(index, "学府路盗窃")  # no document has 学府路 with 盗窃
    assert results.closest and "closest_match" in results.notices
    assert order(results)[0] == "assault"
    assert "partial_match" not in results.notices and results.missing == ()
    assert "<mark>" in results.hits[0].fragment_html


def test_the_closest_tier_needs_half_the_bigrams_and_keeps_filters(index):
    # 学府 府路 of 学府路夜市 are in one document, 夜市 alone in another: two of four is enough.
    assert order(run(index, "学府路夜市")) == ["assault"]
    assert run(index, "量子力学原理").total == 0  # nothing shared
    filtered = run(index, "学府路盗窃", doc_types=("announcement",))
    assert filtered.total == 0


def test_exact_queries_get_no_closest_documents(index):
    assert run(index, '"学府路盗窃"').total == 0


def test_documents_with_the_words_never_fall_to_the_closest_tier(index):
    results = run(index, "滨江路")
    assert set(order(results)) == {"bike", "riverside"} and not results.closest


# Questions


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("我想了解一下取保候审需要什么材料", ["取保候审", "材料"]),
        ("请问能不能申请国家赔偿", ["申请国家赔偿"]),
        ("举报可以匿名吗", ["举报", "匿名"]),
        ("律师应该怎么阅卷", ["律师", "阅卷"]),
        ("开放日有没有名额", ["开放日", "名额"]),
        ("什么时候可以拿到不起诉决定书", ["拿到不起诉决定书"]),
        ("申诉需要哪些材料", ["申诉", "材料"]),
        ("我该去哪里控告", ["控告"]),
        ("司法救助是否需要申请", ["司法救助", "申请"]),
        ("请问一下开放日几点开始", ["开放日", "开始"]),
        ("咋举报", ["举报"]),
        ("取保候审可以吗", ["取保候审"]),
    ],
)
def test_question_words_modals_and_politeness_are_removed(question, words):
    assert strip_question_words(question).split() == words
    assert [clause.typed for clause in parse(question).clauses] == words


@pytest.mark.parametrize("text", ["申请", "哪些", "可以", "应当履行职责", "请求权"])
def test_text_that_is_no_question_or_only_question_words_is_left_alone(text):
    assert strip_question_words(text) == text


# English


@pytest.fixture(scope="module")
def crosswalk():
    from pathlib import Path

    from search import load_synonyms
    from search.parse import compile_synonyms

    root = Path(__file__).resolve().parents[2]
    return compile_synonyms(load_synonyms(str(root / "content" / "synonyms.txt")))


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("how to file a complaint", ["complaint"]),  # "file" is only the verb here
        ("can I lodge an appeal", ["appeal"]),
        ("lawyer file review", ["lawyer", "file review"]),  # a noun, not the verb
        ("how to file", ["file"]),  # nothing else: kept
        ("how do I apply for state compensation", ["apply", "state compensation"]),
        ("what is plea leniency", ["plea leniency"]),
        ("hit and run", ["hit and run"]),  # a synonym phrase keeps its little words
        ("the", ["the"]),  # nothing else: left as typed
    ],
)
def test_english_function_words_are_left_out_of_a_query_with_other_words(crosswalk, query, words):
    assert [clause.typed for clause in parse(query, crosswalk).clauses] == words


def test_english_plurals_and_procedural_words_reach_chinese_documents(crosswalk):
    clause = parse("victims", crosswalk).clauses[0]
    assert "被害人" in {term.text for term in clause.alternatives}
