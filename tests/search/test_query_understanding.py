"""Queries as citizens type them reach the documents they mean.

Traditional characters and full-width forms, questions typed without spaces,
colloquial names inside longer runs, and statute articles in any notation.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from search import SearchIndex, SearchQuery, ensure_index, load_synonyms
from search.parse import compile_synonyms, parse
from search.understand import (
    QUESTION_WORDS,
    chinese_number,
    parse_chinese_number,
    pinyin_readings,
    place_names,
    strip_question_words,
)

from .test_behaviour import doc

SYNONYMS = Path(__file__).resolve().parents[2] / "content" / "synonyms.txt"


CORPUS = [
    doc(
        "theft",
        "刘某盗窃案起诉书",
        "被告人刘某多次窃取他人财物，其行为触犯了《中华人民共和国刑法》第二百六十四条，"
        "应当以盗窃罪追究其刑事责任。",
        number="示检刑诉〔2025〕2064号",
    ),
    doc(
        "drunk",
        "陈某危险驾驶案不起诉决定书",
        "陈某醉酒驾驶机动车，其行为触犯了《中华人民共和国刑法》第一百三十三条之一。",
        doc_type="non_prosecution",
    ),
    doc(
        "traffic",
        "赵某交通肇事案起诉书",
        "赵某驾车撞伤行人后逃逸，依照刑法第133条追究其刑事责任。",
    ),
    doc(
        "fraud",
        "王某诈骗案起诉书",
        "被告人王某冒充客服骗取钱款，构成诈骗罪。",
    ),
    doc(
        "compensation",
        "国家赔偿申请须知",
        "申请国家赔偿的，应当递交赔偿申请书，写明具体要求、事实根据和理由。",
        doc_type="announcement",
    ),
    doc(
        "bail",
        "取保候审的适用",
        "对犯罪嫌疑人可以取保候审，取保候审最长不得超过十二个月。",
        doc_type="legal_education",
    ),
    doc(
        "hongkong",
        "香港居民來信的答覆",
        "本院檢察官已就詐騙線索答覆來信人，聯絡電話ＡＢＣ１２３。",
        doc_type="announcement",
    ),
    doc(
        "disorder",
        "孙某寻衅滋事案起诉书",
        "孙某酒后在夜市随意殴打他人，起哄闹事，情节恶劣。",
    ),
    doc(
        "gambling",
        "周某开设赌场案起诉书",
        "周某通过网络开设赌场，接受投注，情节严重，应当判处刑罚。",
    ),
    doc(
        "community",
        "关于开展进社区法律服务活动的通知",
        "本院定于1月20日起在辖区各社区开展法律服务活动，现场解答群众法律咨询。",
        doc_type="announcement",
    ),
]


def _indexed(tmp_path: Path, corpus: list):
    folder = str(tmp_path / "index")
    ensure_index(folder)
    ix = SearchIndex(folder, synonyms=load_synonyms(str(SYNONYMS)))
    ix.apply(corpus, [], checkpoint=len(corpus))
    yield ix
    ix.close()


@pytest.fixture
def index(tmp_path: Path):
    yield from _indexed(tmp_path, CORPUS)


def find(index: SearchIndex, text: str) -> set[str]:
    return {hit.doc_id for hit in index.search(SearchQuery(text=text, per_page=50)).hits}


# Traditional characters and full-width forms


@pytest.mark.parametrize(
    "query, expected",
    [
        ("詐騙", {"fraud", "hongkong"}),  # traditional query, simplified document
        ("检察官", {"hongkong"}),  # simplified query, traditional document
        ("联络电话", {"hongkong"}),
        ("危險駕駛", {"drunk"}),
        ("盜竊", {"theft"}),
    ],
)
def test_traditional_and_simplified_characters_meet(index, query, expected):
    assert find(index, query) == expected


def test_full_width_letters_and_digits_fold(index):
    assert find(index, "abc123") == {"hongkong"}
    assert find(index, "ＡＢＣ") == {"hongkong"}


def test_highlighting_marks_the_traditional_characters_as_written(index):
    results = index.search(SearchQuery(text="检察官"))
    assert "<mark>檢察官</mark>" in results.hits[0].fragment_html


# Questions typed without spaces


@pytest.mark.parametrize(
    "query, expected",
    [
        ("怎么申请国家赔偿", {"compensation"}),
        ("申请国家赔偿应当递交什么", {"compensation"}),
        ("取保候审要多久", {"bail"}),
        ("请问取保候审最长多长时间", {"bail"}),
        ("开设赌场会判刑吗", {"gambling"}),
    ],
)
def test_a_question_finds_the_document_that_answers_it(index, query, expected):
    assert expected <= find(index, query)


def test_question_words_are_removed_only_as_whole_words_of_a_question():
    assert strip_question_words("怎么申请国家赔偿").split() == ["申请国家赔偿"]
    assert strip_question_words("取保候审要多久").split() == ["取保候审"]
    # not a question: legal text with 可以 or 的 is searched as typed
    assert strip_question_words("可以从轻处罚") == "可以从轻处罚"
    assert strip_question_words("危险驾驶的") == "危险驾驶的"


@pytest.mark.parametrize("query", ["什么", "怎么办", "吗", "是否"])
def test_a_query_of_only_question_words_is_left_alone(query):
    assert strip_question_words(query) == query


def test_the_question_word_list_parses():
    assert QUESTION_WORDS and len(set(QUESTION_WORDS)) == len(QUESTION_WORDS)
    for word in QUESTION_WORDS:
        assert word == word.strip() and word and all("\u4e00" <= c <= "\u9fff" for c in word)


# Statute references


@pytest.mark.parametrize(
    "query",
    [
        "刑法第二百六十四条",
        "第264条",
        "刑法264条",
        "刑法第264条",
        "《中华人民共和国刑法》第二百六十四条",
        "中华人民共和国刑法第二百六十四条",
        "第二百六十四条",
        "Article 264 of the Criminal Law",  # as English texts cite it
        "Criminal Law Article 264",
        "art. 264",
    ],
)
def test_an_article_in_any_notation_finds_the_documents_citing_it(index, query):
    assert find(index, query) == {"theft"}


@pytest.mark.parametrize(
    "query",
    ["第一百三十三条之一", "第133条之一", "刑法133条之一", "Article 133-1 of the Criminal Law"],
)
def test_an_article_with_a_sub_number_is_found_in_both_numerals(index, query):
    assert find(index, query) == {"drunk"}


def test_an_article_cited_in_english_finds_english_documents_citing_it_first(tmp_path):
    english = doc(
        "english",
        "Case explained: renting out bank cards",
        "Article 287-2 of the Criminal Law punishes helping crimes on information networks.",
        language="en",
    )
    chinese = doc(
        "chinese",
        "华某帮助信息网络犯罪活动案起诉书",
        "触犯了《中华人民共和国刑法》第二百八十七条之二。",
    )
    other = doc(
        "other", "钱某非法利用信息网络案起诉书", "触犯了《中华人民共和国刑法》第二百八十七条之一。"
    )
    ix = next(_indexed(tmp_path, [english, chinese, other]))
    try:
        hits = ix.search(SearchQuery(text="Article 287-2", per_page=10)).hits
        assert [hit.doc_id for hit in hits] == ["english", "chinese"]
    finally:
        ix.close()


def test_documents_writing_arabic_numerals_are_found_by_chinese_ones(index):
    assert "traffic" in find(index, "刑法第一百三十三条")


def test_chinese_numerals_round_trip():
    assert chinese_number(264) == "二百六十四"
    assert chinese_number(303) == "三百零三"
    assert chinese_number(110) == "一百一十"
    assert chinese_number(10) == "十"
    for value in range(1, 1000):
        assert parse_chinese_number(chinese_number(value)) == value


@pytest.mark.parametrize(
    "query",
    [
        "示检刑诉〔2025〕2064号",
        "示检刑诉[2025]2064号",
        "示检刑诉（2025）2064号",
        "示检刑诉2025 2064号",
    ],
)
def test_a_document_number_with_any_or_no_brackets_finds_the_document(index, query):
    results = index.search(SearchQuery(text=query))
    assert results.hits and results.hits[0].doc_id == "theft"


# Synonyms inside longer runs and after splitting


@pytest.mark.parametrize(
    "query, expected",
    [
        ("醉驾", {"drunk"}),
        ("醉驾不起诉", {"drunk"}),  # the colloquial name inside a run
        ("醉驾能不能不起诉", {"drunk"}),  # inside a question
        ("网赌", {"gambling"}),
        ("偷东西", {"theft"}),
        ("电诈", {"fraud"}),
        ("撞人逃逸", {"traffic"}),
        ("picking quarrels and provoking trouble", {"disorder"}),  # a long English name
    ],
)
def test_colloquial_names_find_the_charge_inside_longer_queries(index, query, expected):
    assert expected <= find(index, query)


@pytest.mark.parametrize(
    "query",
    ["free legal advice in the community", "legal advice", "legal consultation", "community"],
)
def test_english_words_for_public_services_find_chinese_documents(index, query):
    assert "community" in find(index, query)


@pytest.mark.parametrize(
    "query",
    ["drunk-driving", "non-prosecution", "non-prosecution decision", "non–prosecution"],
)
def test_english_names_written_with_a_hyphen_find_their_synonyms(index, query):
    # Cut at the hyphen, "non-prosecution" was "non" and "prosecution" (起诉): every
    # indictment, and "drunk-driving" no Chinese document at all.
    assert find(index, query) == {"drunk"}


# Places typed in pinyin, as a visitor reads them on a street sign

PLACES = [
    doc("shop", "林某盗窃案起诉书", "被告人林某在示例区滨江路某商场内盗窃他人手机一部。"),
    doc("site", "马某故意伤害案起诉书", "被告人马某在示例区滨江路某工地内与工友发生纠纷。"),
    doc("north1", "王某诈骗案起诉书", "被告人王某在示例区湖滨北路租用房屋实施诈骗。"),
    doc("north2", "李某寻衅滋事案起诉书", "被告人李某在示例区湖滨北路夜市随意殴打他人。"),
    doc("elsewhere", "赵某盗窃案起诉书", "被告人赵某在示例区人民路某超市内盗窃商品。"),
]


@pytest.fixture
def places(tmp_path: Path):
    yield from _indexed(tmp_path, PLACES)


@pytest.mark.parametrize(
    "query, expected",
    [
        ("Binjiang Road", {"shop", "site"}),
        ("bin jiang road", {"shop", "site"}),
        ("Hubin North Road", {"north1", "north2"}),
    ],
)
def test_a_place_typed_in_pinyin_finds_the_documents_that_write_it_in_chinese(
    places, query, expected
):
    assert find(places, query) == expected


def test_a_pinyin_place_narrows_a_charge_typed_with_it(places):
    hits = places.search(SearchQuery(text="theft Binjiang Road", per_page=10)).hits
    assert hits[0].doc_id == "shop"
    assert "<mark>滨江路</mark>" in hits[0].fragment_html


def test_a_name_that_is_no_pinyin_or_no_place_of_the_index_is_not_turned_into_one(places):
    assert place_names("Main Street") == []
    # 中山 is pinyin but no document's word: no Chinese document is offered instead.
    assert find(places, "Zhongshan Road") == set()


def test_pinyin_readings_prefer_the_fewest_syllables():
    assert pinyin_readings("binjiang")[0] == "bin jiang"
    assert pinyin_readings("xian")[:2] == ("xian", "xi an")
    assert pinyin_readings("street") == ()


# A question found whole in a document or two


def test_a_question_found_whole_in_few_documents_also_shows_those_saying_it_apart(tmp_path):
    corpus = [
        doc(
            "whole", "国家赔偿须知", "申请国家赔偿的，应当递交赔偿申请书。", doc_type="announcement"
        ),
        doc("apart", "赔偿义务机关的答复", "赔偿请求人可以向本院申请，本院依法审查国家赔偿请求。"),
        doc("unrelated", "王某诈骗案起诉书", "被告人王某骗取钱款，构成诈骗罪。"),
    ]
    ix = next(_indexed(tmp_path, corpus))
    try:
        asked = ix.search(SearchQuery(text="怎么申请国家赔偿", per_page=10))
        assert [hit.doc_id for hit in asked.hits] == ["whole", "apart"]
        # The second has the words, not the words together, and the page says so.
        assert "partial_match" in asked.notices
        assert asked.hits[0].missing == ()
        assert asked.hits[1].missing == ("申请国家赔偿",)
        # Typed as words, not as a question, the run is looked for as typed.
        assert [hit.doc_id for hit in ix.search(SearchQuery(text="申请国家赔偿")).hits] == ["whole"]
    finally:
        ix.close()


def test_a_long_question_finds_documents_with_half_of_its_words(tmp_path):
    corpus = [
        doc(
            "food",
            "守护校园周边食品安全",
            "检察院督促整治学校周边销售过期零食的问题。",
            doc_type="legal_education",
        ),
        doc("other", "王某诈骗案起诉书", "王某在超市门口的小卖部向店主反映问题后骗取钱款。"),
    ]
    ix = next(_indexed(tmp_path, corpus))
    try:
        # 学校 过期 零食 检察院 of 学校 门口 小卖部 过期 零食 检察院 反映: four of seven
        # (the other document has three).
        asked = "学校门口小卖部卖过期零食能向检察院反映吗"
        assert find(ix, asked) == {"food"}
        # The same words typed as words, not asked, still need most of them: only
        # the closest-match tier, which says so, may show anything.
        typed = ix.search(SearchQuery(text="学校 门口 小卖部 过期 零食 检察院 反映"))
        assert typed.closest or not typed.hits
    finally:
        ix.close()


# Everyday questions for the legal terms the documents use

EVERYDAY = [
    doc(
        "wages",
        "谷某某拒不支付劳动报酬案起诉书",
        "被告人谷某某以逃匿方法逃避支付公司四十名工人的劳动报酬，经责令支付仍不支付。",
    ),
    doc(
        "probation",
        "走近社区矫正：检察监督在行动",
        "社区矫正对象应当遵守法律法规，按时报告，未经批准不得离开所居住的市、县。",
        doc_type="legal_education",
    ),
    doc("settled", "许某故意伤害案不起诉决定书", "许某与被害人达成和解，赔偿损失并取得谅解。"),
    doc("lawyers", "律师服务指南", "辩护律师可以查阅、摘抄、复制本案的案卷材料，请提前预约阅卷。"),
]


@pytest.fixture
def everyday(tmp_path: Path):
    yield from _indexed(tmp_path, EVERYDAY)


@pytest.mark.parametrize(
    "query, expected",
    [
        ("公司拖欠工资怎么办", {"wages"}),
        ("老板跑路了工资怎么要", {"wages"}),
        ("判了缓刑要遵守什么", {"probation"}),
        ("私了有用吗", {"settled"}),
        ("被打了对方不赔钱怎么办", {"settled"}),
        ("律师怎么看卷", {"lawyers"}),
    ],
)
def test_everyday_questions_find_the_documents_in_legal_words(everyday, query, expected):
    assert find(everyday, query) == expected


def test_everyday_question_fillers_are_removed():
    assert strip_question_words("醉驾怎么处理").split() == ["醉驾"]
    assert strip_question_words("打架管不管").split() == ["打架"]
    assert strip_question_words("偷东西算不算犯法").split() == ["偷东西", "犯法"]


@pytest.mark.parametrize(
    "query, entry, legal",
    [
        # 拖欠工资 holds 工资, a word other entries lead to: it is cut out all the same
        ("公司拖欠工资怎么办", "拖欠工资", "拒不支付劳动报酬"),
        ("判了缓刑要遵守什么", "判了缓刑", "社区矫正"),  # its 了 stays
        ("私了有用吗", "私了", "和解"),
    ],
)
def test_an_everyday_entry_inside_a_question_is_looked_for_with_its_legal_words(
    query, entry, legal
):
    clauses = parse(query, compile_synonyms(load_synonyms(str(SYNONYMS)))).clauses
    typed = {clause.typed: [term.text for term in clause.alternatives] for clause in clauses}
    assert legal in typed[entry]


def test_a_query_parses_the_same_from_memory_and_follows_its_synonyms():
    """The documents, guides and answers share one parse of a query; a parse under
    other synonyms is its own."""
    from search.parse import _parse

    site = compile_synonyms(load_synonyms(str(SYNONYMS)))
    assert compile_synonyms(load_synonyms(str(SYNONYMS))) is site  # one shared object
    for query in ("醉驾怎么判", "电诈 OR 帮信 -赌博", '"取保候审"', "檢察院"):
        assert parse(query, site) == _parse(query, site, None)
        assert parse(query, site) is parse(query, site)
    assert [t.text for t in parse("醉驾", None).clauses[0].alternatives] == ["醉驾"]
    assert "危险驾驶" in {t.text for t in parse("醉驾", site).clauses[0].alternatives}
    other = compile_synonyms({"醉驾": ["酒后驾驶"]})
    assert other is not site
    texts = {term.text for term in parse("醉驾", other).clauses[0].alternatives}
    assert "酒后驾驶" in texts and "危险驾驶" not in texts
