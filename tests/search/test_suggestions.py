"""Did you mean, for Chinese: look-alike words from the index's own vocabulary."""

from __future__ import annotations

import pytest

from search import SearchIndex, SearchQuery
from search.index import GOOD_RESULTS, good_results
from search.spelling import HanziVocabulary, HanziWords, correct_hanzi, fuzzy_key, pinyin_key

TITLES = [
    "王某诈骗案起诉书",
    "李某诈骗案不起诉决定书",
    "赵某电信诈骗案起诉书",
    "冯某开设赌场案起诉书",
    "程某开设赌场案不起诉决定书",
    "甘某聚众斗殴案起诉书",
    "祝某聚众斗殴案起诉书",
    "裴某交通肇事案起诉书",
    "祝某交通肇事罪案起诉书",
    "陈某交通肇事案起诉书",
    "顾某危险驾驶案不起诉决定书",
    "冯某危险驾驶案起诉书",
    "欧某危险驾驶案起诉书",
    "Prosecutors announce an open day",
    "Prosecutors publish the annual report",
]
BODIES = {
    "王某诈骗案起诉书": "被告人王某以非法占有为目的，骗取他人财物。",
    "顾某危险驾驶案不起诉决定书": "顾某醉酒后驾驶机动车。当晚天气乍变，路面湿滑。",
}


@pytest.fixture
def typo_index(index: SearchIndex, make_doc) -> SearchIndex:
    docs = [make_doc(title=t, body=BODIES.get(t, t + "。本院审查认为，事实清楚。")) for t in TITLES]
    index.apply(docs, [], checkpoint=1)
    return index


def suggest(index: SearchIndex, text: str) -> tuple[int, str | None]:
    found = index.search(SearchQuery(text=text, per_page=50))
    return found.total, found.suggestion


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("诈编", "诈骗"),  # 编 bian for 骗 pian: a near homophone
        ("开设堵场", "开设赌场"),  # 堵 du = 赌 du
        ("聚众斗欧", "聚众斗殴"),  # cut 聚众 | 斗欧: the two tokens are one word
        ("交通肇是", "交通肇事"),  # 肇事 is only inside the index word 肇事罪 or a run
        ("危验驾驶", "危险驾驶"),  # 验 yan, 险 xian: one character off in a long word
        ("冯某 开设堵场", "冯某 开设赌场"),  # the rest of the query is kept as typed
    ],
)
def test_a_typo_that_finds_nothing_shows_the_results_of_the_word_it_sounds_or_looks_like(
    typo_index, typed, meant
):
    found = typo_index.search(SearchQuery(text=typed, per_page=50))
    assert found.suggestion == found.corrected == meant
    assert "query_corrected" in found.notices
    assert found.total == typo_index.search(SearchQuery(text=meant)).total > 0
    assert typo_index.suggest(typed) == meant


@pytest.mark.parametrize("query", ["危险驾驶", "诈骗", "起诉书", "危险驾驶 案"])
def test_a_query_with_good_results_gets_no_suggestion(typo_index, query):
    total, suggestion = suggest(typo_index, query)
    assert total >= GOOD_RESULTS
    assert suggestion is None


@pytest.mark.parametrize(
    "query",
    [
        "乍变",  # a real word in one document, sounding like 诈骗 (zha bian / zha pian)
        "天气乍变",
        "醉酒 驾驶",
        "骗取他人财物",
    ],
)
def test_real_but_rare_words_are_left_alone(typo_index, query):
    total, suggestion = suggest(typo_index, query)
    assert 0 < total < GOOD_RESULTS
    assert suggestion is None


def test_nothing_is_suggested_that_would_find_nothing_or_for_unknown_words(typo_index):
    assert suggest(typo_index, "量子物理") == (0, None)
    assert suggest(typo_index, "量子物理 力学") == (0, None)


def test_english_did_you_mean_keeps_working_next_to_chinese(typo_index):
    assert suggest(typo_index, "Prosecuters")[1] == "prosecutors"
    assert suggest(typo_index, "prosecutors")[1] is None
    assert typo_index.suggest("anounce") == "announce"
    assert typo_index.suggest("诈编") == "诈骗"
    assert typo_index.suggest("危险驾驶") is None


def test_good_results_means_enough_documents_with_every_word():
    assert good_results(GOOD_RESULTS, relaxed=False)
    assert not good_results(GOOD_RESULTS - 1, relaxed=False)
    assert not good_results(50, relaxed=True)  # found only by dropping a word


def test_candidates_are_looked_up_by_key_not_by_scanning():
    words = HanziWords({"诈骗": 40, "乍变": 1, "危险驾驶": 12, "肇事罪": 5, "交通": 9})
    assert pinyin_key("诈骗") == "zha pian"
    assert fuzzy_key("诈编") == fuzzy_key("诈骗")
    assert words.by_fuzzy[fuzzy_key("诈骗")] == ("诈骗", 40)
    assert words.by_blank["危?驾驶"] == ("危险驾驶", 12)
    assert words.by_pinyin[pinyin_key("肇事")] == ("肇事", 5)  # the start of 肇事罪
    vocabulary = HanziVocabulary([words])
    assert HanziVocabulary.of({"乍变": 1}).closest("乍便") is None  # one document: not offered
    assert correct_hanzi(vocabulary, "交通肇是") == "交通肇事"
    assert correct_hanzi(vocabulary, "诈骗 交通") is None
    assert correct_hanzi(HanziVocabulary.of({}), "诈编") is None


def test_frequencies_add_up_across_segments():
    older = HanziWords({"诈骗": 5, "乍变": 2})
    newer = HanziWords({"诈骗": 5})
    # 乍变 sounds the same as 诈编 (zha bian); 诈骗 only similar, and not 4x as common.
    assert HanziVocabulary([older]).closest("诈编") == "乍变"
    both = HanziVocabulary([older, newer])
    assert both.known("诈骗") == 10
    assert both.closest("诈编") == "诈骗"
    # Published one at a time, two documents saying 诈骗 sit in two segments.
    single = [HanziWords({"诈骗": 1}), HanziWords({"诈骗": 1})]
    assert HanziVocabulary(single[:1]).closest("诈编") is None
    assert HanziVocabulary(single).closest("诈编") == "诈骗"


def test_the_vocabulary_is_built_once_per_snapshot(typo_index):
    suggest(typo_index, "诈编")
    snap, _engine = typo_index._view()
    first = snap.hanzi_vocabulary()
    suggest(typo_index, "开设堵场")
    assert snap.hanzi_vocabulary() is first
    assert first.known("起诉书") >= 3


def test_a_typed_string_the_documents_contain_is_not_corrected(index, make_doc):
    """诈编 is no word, but three documents contain it (欺诈|编造): they are what was asked for."""
    docs = [make_doc(title=f"{n}某诈骗案起诉书", body="被告人诈骗他人财物。") for n in "王李赵"]
    docs += [
        make_doc(title=f"{n}某合同诈骗案", body="被告人以欺诈编造的材料签订合同。")
        for n in "钱孙周"
    ]
    index.apply(docs, [], checkpoint=1)
    assert suggest(index, "诈编") == (3, None)


def test_a_query_does_not_wait_long_for_the_maps_of_a_large_index(typo_index, monkeypatch) -> None:
    """On a large index the look-alike maps take seconds to read: the first typo query
    goes without a suggestion rather than hang, and a later one gets it."""
    import threading
    import time

    from search import snapshot

    release = threading.Event()
    build = snapshot._hanzi_words

    def slow_build(reader):  # type: ignore[no-untyped-def]
        release.wait(10)
        return build(reader)

    monkeypatch.setattr(snapshot, "_hanzi_words", slow_build)
    typo_index.suggestion_wait = 0.05
    started = time.monotonic()
    assert suggest(typo_index, "诈编") == (0, None)
    assert time.monotonic() - started < 2
    release.set()
    snap, _engine = typo_index._view()
    assert snap.hanzi_vocabulary(wait=10) is not None
    assert suggest(typo_index, "诈编") == (3, "诈骗")  # the results of 诈骗, said so
