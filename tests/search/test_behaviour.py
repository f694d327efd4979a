"""The search engine as the portal uses it: real indexes in a temporary folder."""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime

import pytest

from search import IndexDocument, SearchIndex, SearchQuery, ensure_index, parse_synonyms


def doc(doc_id: str, title: str, body: str, **fields: object) -> IndexDocument:
    values: dict[str, object] = {
        "number": "",
        "doc_type": "indictment",
        "department": "第一检察部",
        "language": "zh_Hans",
        "published": datetime(2021, 5, 1, tzinfo=UTC),
    }
    values.update(fields)
    return IndexDocument(doc_id=doc_id, title=title, body=body, **values)  # type: ignore[arg-type]


CORPUS = [
    doc(
        "1",
        "张某某危险驾驶案起诉书",
        "被告人张某某醉酒后驾驶机动车，血液中乙醇含量为156毫克。",
        number="示检刑诉〔2021〕12号",
    ),
    doc(
        "2",
        "李某盗窃案不起诉决定书",
        "李某在示例区和平路附近的超市盗窃商品，价值人民币860元。",
        doc_type="non_prosecution",
        published=datetime(2023, 2, 1, tzinfo=UTC),
    ),
    doc(
        "3",
        "检察开放日通知",
        "本院将于五月举办检察开放日活动，欢迎市民报名参加。",
        doc_type="announcement",
        department="综合业务部",
        published=datetime(2024, 4, 1, tzinfo=UTC),
    ),
    doc(
        "4",
        "Notice on the open day",
        "The procuratorate invites residents to visit on its open day.",
        doc_type="announcement",
        language="en",
        published=datetime(2024, 4, 2, tzinfo=UTC),
    ),
    doc(
        "5",
        "王某诈骗案起诉书",
        "被告人王某以投资养老项目为名骗取被害人钱款，诈骗数额巨大。",
        number="示检刑诉〔2022〕7号",
        published=datetime(2022, 8, 1, tzinfo=UTC),
    ),
]


@pytest.fixture
def index(tmp_path):
    folder = str(tmp_path / "index")
    ensure_index(folder)
    ix = SearchIndex(folder, synonyms=parse_synonyms("醉驾 => 危险驾驶\n"))
    ix.apply(CORPUS, [], checkpoint=5)
    yield ix
    ix.close()


def ids(results) -> set[str]:
    return {hit.doc_id for hit in results.hits}


def find(index, text, **kwargs) -> set[str]:
    return ids(index.search(SearchQuery(text=text, per_page=50, **kwargs)))


@pytest.mark.parametrize(
    "substring, expected",
    [
        ("醉酒后驾", {"1"}),  # crosses the segmenter's word boundaries
        ("某醉", {"1"}),
        ("平路附", {"2"}),
        ("开放日", {"3"}),
        ("养老项目", {"5"}),
        ("被告人", {"1", "5"}),
    ],
)
def test_any_exact_substring_finds_every_document_containing_it(index, substring, expected):
    assert find(index, substring) == expected


def test_terms_combine_with_and(index):
    assert find(index, "被告人 乙醇") == {"1"}
    apart = index.search(SearchQuery(text="被告人 开放日", per_page=50))
    # No document has both words: what is shown is only the closest, and says so.
    assert apart.closest and "closest_match" in apart.notices


def test_quoted_phrase_must_appear_as_written(index):
    exact = index.search(SearchQuery(text='"检察开放日"'))
    assert ids(exact) == {"3"} and "query_relaxed" not in exact.notices
    # No document has the words in this order: any answer is a relaxed one, and says so.
    reordered = index.search(SearchQuery(text='"开放日检察"'))
    assert reordered.total == 0 or "query_relaxed" in reordered.notices


def test_english_is_stemmed_and_case_insensitive(index):
    assert find(index, "Residents VISITING") == {"4"}


def test_document_number_matches_in_any_bracket_style(index):
    for typed in ("示检刑诉[2021]12号", "示检刑诉【2021】12号", "示检刑诉(2021)12号"):
        assert "1" in find(index, typed)


def test_synonyms_widen_the_search(index):
    assert find(index, "醉驾") == {"1"}


@pytest.mark.parametrize(
    "text",
    [
        '"unbalanced',
        "*:*",
        "title:x AND (y OR",
        "x" * 10_000,
        "乙醇\x00\x1b[31m",
        "^~?*[]{}",
        "AND OR NOT",
        "   ",
    ],
)
def test_nothing_typed_raises(index, text):
    results = index.search(SearchQuery(text=text))
    assert results.total >= 0


def test_long_queries_are_cut_and_say_so(index):
    results = index.search(SearchQuery(text="乙醇" * 500))
    assert "query_truncated" in results.notices


def test_filters_facets_sort_and_paging(index):
    only = index.search(SearchQuery(text="", doc_types=("announcement",), per_page=50))
    assert ids(only) == {"3", "4"}
    ranged = find(index, "被告人", year_from=2022, year_to=2022)
    assert ranged == {"5"}
    facets = index.search(SearchQuery(text="被告人")).facets
    assert facets["type"] == {"indictment": 2}
    assert facets["year"] == {"2021": 1, "2022": 1}
    newest = index.search(SearchQuery(text="被告人", sort="date"))
    assert [hit.doc_id for hit in newest.hits] == ["5", "1"]
    paged = index.search(SearchQuery(text="被告人", per_page=1, page=999))
    assert paged.page == paged.pages == 2 and len(paged.hits) == 1


def test_highlighting_marks_exactly_and_escapes_html(tmp_path):
    folder = str(tmp_path / "ix")
    ensure_index(folder)
    ix = SearchIndex(folder)
    ix.apply([doc("9", "标题<script>alert(1)</script>乙醇", "正文中的乙醇含量很高。")], [], 1)
    hit = ix.search(SearchQuery(text="乙醇")).hits[0]
    assert "<script>" not in hit.title_html and "&lt;script&gt;" in hit.title_html
    assert "<mark>乙醇</mark>" in hit.fragment_html
    assert "<mark>乙醇含量</mark>" not in hit.fragment_html
    ix.close()


def test_did_you_mean_for_misspelt_latin_words(index):
    assert index.search(SearchQuery(text="procuratorat")).suggestion == "procuratorate"


def test_deletions_and_checkpoint(index):
    assert index.checkpoint == 5
    index.apply([], ["1"], checkpoint=6)
    assert index.checkpoint == 6
    assert "1" not in index.doc_ids()
    assert find(index, "乙醇") == set()


def test_rebuild_swaps_in_a_complete_index(tmp_path, index):
    reader = SearchIndex(index_dir := str(tmp_path / "index"))
    assert find(reader, "乙醇") == {"1"}
    count = index.rebuild([CORPUS[1]], checkpoint=9)
    assert count == 1
    assert find(reader, "乙醇") == set()  # the reader follows the swap
    assert find(reader, "超市") == {"2"}
    assert SearchIndex(index_dir).checkpoint == 9
    reader.close()


def _write_from_another_process(folder: str, start: int) -> None:
    ix = SearchIndex(folder)
    for n in range(start, start + 5):
        ix.apply([doc(str(n), f"并发写入{n}", f"第{n}号文书的正文。")], [], checkpoint=n)
    ix.close()


def test_two_processes_writing_at_once_both_land(tmp_path):
    folder = str(tmp_path / "index")
    ensure_index(folder)
    ctx = multiprocessing.get_context("spawn")
    workers = [
        ctx.Process(target=_write_from_another_process, args=(folder, s)) for s in (100, 200)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    ix = SearchIndex(folder)
    assert {str(n) for n in [*range(100, 105), *range(200, 205)]} <= ix.doc_ids()
    ix.close()


def test_a_synonym_of_several_english_words_works_without_quotes(tmp_path):
    folder = str(tmp_path / "ix")
    ensure_index(folder)
    ix = SearchIndex(folder, synonyms=parse_synonyms("drunk driving => 危险驾驶\n"))
    ix.apply(CORPUS, [], checkpoint=5)
    try:
        assert find(ix, "drunk driving") == find(ix, "危险驾驶") != set()
        assert find(ix, '"drunk driving"') == find(ix, "危险驾驶")
        # The words apart are not the synonym.
        assert find(ix, "driving drunk") == set()
    finally:
        ix.close()


def test_did_you_mean_offers_nothing_rather_than_an_unrelated_word(index):
    index.apply(
        [doc("6", "Reception hours", "The reception runs every weekday.", language="en")], [], 6
    )
    # "runs" is one deletion and one substitution from "drunk", but a different word.
    assert index.search(SearchQuery(text="drunk")).suggestion is None
    assert index.search(SearchQuery(text="recepton")).suggestion == "reception"
