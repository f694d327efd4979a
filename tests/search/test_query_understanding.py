"""Queries as citizens type them reach the documents they mean.

Traditional characters and full-width forms, questions typed without spaces,
colloquial names inside longer runs, and statute articles in any notation.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from search import SearchIndex, SearchQuery, ensure_index, load_synonyms

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
        "gambling",
        "周某开设赌场案起诉书",
        "周某通过网络开设赌场，接受投注，情节严重，应当判处刑罚。",
    ),
]


@pytest.fixture
def index(tmp_path: Path):
    folder = str(tmp_path / "index")
    ensure_index(folder)
    ix = SearchIndex(folder, synonyms=load_synonyms(str(SYNONYMS)))
    ix.apply(CORPUS, [], checkpoint=len(CORPUS))
    yield ix
    ix.close()


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
