"""Ranking that degrades gracefully, and the operators people know from web search.

A long query whose words are not all in one document still finds the documents
with most of them, below those with all of them; a rare word missing costs
more than a common one; OR, NOT, -word, +word and quotes do what they say, and
whatever was typed but not honoured is reported.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from search import SearchIndex, SearchQuery
from search.engine import minimum_should_match

from .test_behaviour import doc

CORPUS = [
    doc("bike", "张某案起诉书", "被告人张某在滨江路盗窃电动车一辆。"),
    # Many a word, and 盗窃 everywhere: BM25 alone would put it first.
    doc("phone", "李某盗窃案起诉书", "被告人李某盗窃手机，又盗窃手机，盗窃他人手机三部。"),
    doc("riverside", "王某诈骗案起诉书", "被告人王某在滨江路诈骗老人。"),
    doc("assault", "赵某故意伤害案起诉书", "被告人赵某在学府路打伤他人，抢走手机。"),
    doc("market", "孙某寻衅滋事案起诉书", "孙某在夜市摔坏摊主手机。"),
    doc("drunk", "陈某危险驾驶案起诉书", "陈某醉驾，触犯刑法第一百三十三条之一。"),
    doc("crash", "周某交通肇事案起诉书", "周某撞人后逃逸，触犯《刑法》第一百三十三条。"),
    doc("both", "吴某交通肇事、危险驾驶案起诉书", "依照刑法第一百三十三条、第一百三十三条之一。"),
    doc("arabic", "郑某危险驾驶案不起诉决定书", "郑某醉驾，依照刑法第133条之一，情节轻微。"),
    doc("charged", "甲某案起诉书", "甲某诈骗他人财物。", charge="诈骗罪"),
    doc("mention", "乙某案起诉书", "乙某盗窃。曾因诈骗被处罚，诈骗所得已退还。", charge="盗窃罪"),
    doc("numbered", "某某案件通报", "本案涉及故意伤害。", number="示检刑诉〔2021〕7号"),
]


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> SearchIndex:
    from search import ensure_index

    path = str(tmp_path_factory.mktemp("ranking") / "index")
    ensure_index(path)
    search_index = SearchIndex(path)
    search_index.apply(CORPUS, [], checkpoint=1)
    yield search_index
    search_index.close()


def run(index: SearchIndex, text: str):
    return index.search(SearchQuery(text=text, per_page=50))


def order(results) -> list[str]:
    return [hit.doc_id for hit in results.hits]


# How many words must match


def test_how_many_words_must_match_grows_with_the_query():
    assert [minimum_should_match(n) for n in range(1, 11)] == [1, 2, 2, 3, 4, 5, 5, 6, 7, 7]


def test_short_queries_still_need_every_word(index):
    assert order(run(index, "盗窃 滨江路")) == ["bike"]
    # No document has both: only the closest tier answers (half the query's bigrams).
    apart = run(index, "盗窃 学府路")
    assert apart.closest and order(apart) == ["assault"]


def test_documents_with_most_of_the_words_are_found_and_say_what_they_lack(index):
    results = run(index, "盗窃 滨江路 电动车 手机")
    assert "partial_match" in results.notices
    assert results.all_words == 0  # no document has all four
    assert set(order(results)) == {"bike"}  # three of four; the others have two at most
    assert results.hits[0].missing == ("手机",)
    three = run(index, "盗窃 滨江路 手机")
    assert {hit.doc_id: hit.missing for hit in three.hits} == {
        "bike": ("手机",),
        "phone": ("滨江路",),
    }


def test_documents_with_every_word_rank_above_those_with_most(index):
    results = run(index, "盗窃 被告人 电动车")
    assert order(results)[0] == "bike"  # all three, though 李某 has 盗窃 three times
    assert results.all_words == 1 and results.hits[0].missing == ()
    assert "phone" in order(results) and results.hits[1].missing == ("电动车",)


def test_a_rare_word_missing_costs_more_than_a_common_one(index):
    # 滨江路 is in two documents, 手机 in four: lacking 手机 is the lesser loss.
    results = run(index, "盗窃 滨江路 手机")
    assert order(results) == ["bike", "phone"]


def test_words_no_result_has_are_named(index):
    results = run(index, "盗窃 电动车 二〇一九年")
    assert results.missing == ("二〇一九年",)
    assert order(results) == ["bike"]


def test_a_query_with_every_word_somewhere_reports_nothing_partial(index):
    results = run(index, "被告人 盗窃 电动车 滨江路")
    assert results.notices == () and results.all_words is None


def test_documents_of_the_charge_named_rank_first(index):
    # 乙某 mentions 诈骗 twice, in a longer text; 甲某 was charged with it.
    ranked = order(run(index, "诈骗"))
    assert ranked.index("charged") < ranked.index("mention")


def test_a_document_number_typed_without_its_closing_mark_ranks_its_document_first(index):
    assert order(run(index, "示检刑诉〔2021〕7号"))[0] == "numbered"
    assert order(run(index, "示检刑诉(2021)7"))[0] == "numbered"


# Operators


def test_or_finds_either(index):
    assert set(order(run(index, "电动车 OR 老人"))) == {"bike", "riverside"}
    assert set(order(run(index, "电动车 OR 老人 OR 夜市"))) == {"bike", "riverside", "market"}
    lower = run(index, "电动车 or 老人")  # lower case "or" is a word like any other
    assert lower.closest and "riverside" not in order(lower)


@pytest.mark.parametrize("text", ["手机 NOT 盗窃", "手机 -盗窃", "-盗窃 手机"])
def test_not_and_minus_leave_out_documents_with_the_word(index, text):
    results = run(index, text)
    assert set(order(results)) == {"assault", "market"}
    assert results.excluded == ("盗窃",) and results.ignored == ()


def test_a_hyphen_inside_a_word_is_not_an_exclusion(index):
    assert run(index, "交通肇事-危险驾驶").excluded == ()


def test_only_an_exclusion_lists_every_other_document(index):
    results = run(index, "-盗窃")
    assert "bike" not in order(results) and "market" in order(results)
    assert "nothing_to_search" not in results.notices


def test_quoted_words_and_plus_words_are_never_left_out(index):
    loose = run(index, "盗窃 滨江路 手机")
    assert "phone" in order(loose)
    assert order(run(index, '盗窃 "滨江路" 手机')) == ["bike"]
    assert order(run(index, "盗窃 +滨江路 手机")) == ["bike"]
    assert run(index, "盗窃 AND 滨江路 AND 手机").total == 0  # AND: every word


@pytest.mark.parametrize(
    ("text", "ignored"),
    [
        ("手机 NOT", ("NOT",)),
        ('手机 "夜市', ('"',)),
        ("body:手机", ("body:",)),
        ("OR 手机", ("OR",)),
        ("手机*", ("*",)),
    ],
)
def test_what_could_not_be_honoured_is_reported(index, text, ignored):
    results = run(index, text)
    assert results.ignored == ignored
    assert "syntax_ignored" in results.notices
    assert results.total > 0


# Statute articles with and without a sub-number


def test_an_article_is_not_the_article_inserted_after_it(index):
    assert set(order(run(index, "刑法第一百三十三条"))) == {"crash", "both"}
    assert set(order(run(index, "第133条"))) == {"crash", "both"}


def test_an_inserted_article_is_not_the_article_before_it(index):
    assert set(order(run(index, "刑法第133条之一"))) == {"drunk", "both", "arabic"}
    assert set(order(run(index, "第一百三十三条之一"))) == {"drunk", "both", "arabic"}


def test_a_quoted_article_is_still_found_as_written(index):
    # Quotes ask for the string itself, wherever it stands.
    assert set(order(run(index, '"第一百三十三条"'))) == {"drunk", "crash", "both"}


# A word typed in English whose synonym is Chinese


def test_an_english_document_with_the_words_typed_ranks_above_translated_matches(tmp_path):
    from search import ensure_index, parse_synonyms

    chinese = [
        doc(f"zh{i}", f"某{i}诈骗案起诉书", "被告人诈骗他人财物，诈骗数额较大。", charge="诈骗罪")
        for i in range(4)
    ]
    others = [doc(f"theft{i}", f"某{i}盗窃案起诉书", "被告人盗窃他人财物。") for i in range(12)]
    story = "An elderly woman was persuaded to invest in a retirement project. " * 4
    english = doc(
        "en",
        "How to spot scams",
        f"{story}Its organisers were prosecuted for fraud.",
        language="en",
        published=datetime(2019, 1, 1, tzinfo=UTC),
    )
    path = str(tmp_path / "index")
    ensure_index(path)
    index = SearchIndex(path, synonyms=parse_synonyms("fraud => 诈骗\n"))
    try:
        index.apply([*chinese, *others, english], [], checkpoint=1)
        # Without the rule the English document, "fraud" once in its body, came after
        # every Chinese one (诈骗 in the title, the body and the charge).
        assert order(run(index, "fraud"))[0] == "en"
        assert set(order(run(index, "fraud"))) == {"en", *(d.doc_id for d in chinese)}
        # A Chinese query is not affected: the English document does not match it.
        assert "en" not in order(run(index, "诈骗"))
    finally:
        index.close()


# A masked name, which the segmenter cuts into a surname and 某某


def test_the_party_of_a_masked_name_ranks_above_documents_mentioning_it_once(tmp_path):
    from search import ensure_index

    party = doc(
        "party",
        "华某某帮助信息网络犯罪活动案刑事抗诉书",
        "原审被告人华某某出租银行卡。华某某明知他人利用信息网络实施犯罪。",
        published=datetime(2019, 1, 1, tzinfo=UTC),
    )
    witness = doc(
        "witness",
        "葛某某危险驾驶案起诉书",
        "被告人葛某某醉酒驾驶，吕某某、申某某、罗某某在场，证人华某某证言、葛某某供述。"
        "葛某某、吕某某、申某某、罗某某均到案。",
    )
    path = str(tmp_path / "index")
    ensure_index(path)
    index = SearchIndex(path)
    try:
        others = [doc(f"o{i}", f"冯某某{i}盗窃案起诉书", "被告人冯某某盗窃。") for i in range(10)]
        index.apply([party, witness, *others], [], checkpoint=1)
        # By the words 华 and 某某 alone, the witness statement (某某 ten times) came first.
        assert order(run(index, "华某某")) == ["party", "witness"]
    finally:
        index.close()


def test_a_colloquial_word_ranks_the_cases_of_its_charge_above_a_notice_using_it(tmp_path):
    from search import ensure_index, parse_synonyms

    cases = [
        doc(
            "case", "甲某诈骗案起诉书", "被告人甲某以网络兼职为名诈骗被害人钱财。", charge="诈骗罪"
        ),
        doc(
            "case2",
            "乙某诈骗案起诉书",
            "被告人乙某冒充客服诈骗被害人钱财，诈骗数额较大。",
            charge="诈骗罪",
        ),
    ]
    notice = doc(
        "notice",
        "检察官提醒：警惕网络兼职陷阱",
        "刷单返利是常见骗局，切勿轻信刷单返利。刷单返利广告不可信，刷单返利先给甜头。",
        doc_type="legal_education",
    )
    others = [
        doc(f"o{i}", f"丙某{i}盗窃案起诉书", "被告人丙某盗窃。", charge="盗窃罪") for i in range(10)
    ]
    path = str(tmp_path / "index")
    ensure_index(path)
    index = SearchIndex(path, synonyms=parse_synonyms("刷单返利 => 诈骗\n"))
    try:
        index.apply([*cases, notice, *others], [], checkpoint=1)
        # 刷单返利 is no word of the index; scored like a masked name by its rarest
        # bigram, the notice repeating it came before a case of the fraud it names.
        assert order(run(index, "刷单返利"))[-1] == "notice"
    finally:
        index.close()


def test_an_english_word_without_a_translation_does_not_block_the_chinese_documents(tmp_path):
    from search import ensure_index, parse_synonyms

    chinese = [
        doc("zh1", "甲某诈骗案起诉书", "被告人甲某诈骗他人钱财。", charge="诈骗罪"),
        doc("zh2", "乙某诈骗案不起诉决定书", "乙某诈骗数额较小。", charge="诈骗罪"),
    ]
    english = doc(
        "en", "Case explained: a fraud", "The case of a fraud on older people.", language="en"
    )
    theft = doc("zh3", "丙某盗窃案起诉书", "被告人丙某盗窃。", charge="盗窃罪")
    path = str(tmp_path / "index")
    ensure_index(path)
    index = SearchIndex(path, synonyms=parse_synonyms("fraud => 诈骗\n"))
    try:
        index.apply([*chinese, english, theft], [], checkpoint=1)
        # "case" has no Chinese synonym, so no Chinese document can have it: with both
        # words needed, only the English document was found.
        results = run(index, "fraud case")
        assert order(results)[0] == "en"
        assert set(order(results)) == {"en", "zh1", "zh2"}
        assert results.hits[1].missing == ("case",)
        # A quoted word is still needed.
        assert order(run(index, 'fraud "case"')) == ["en"]
    finally:
        index.close()
