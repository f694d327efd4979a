"""Site search offers a public answer only for what the query really asks: never
through one character of a string no answer has, nor for a masked name."""

from __future__ import annotations

import pytest
from flask import Flask

from portal.answers.demo import load_demo_answers
from portal.answers.search import search_answers
from portal.db import get_session, utcnow

EN = {"Accept-Language": "en"}


@pytest.fixture
def demo_answers(app: Flask, db) -> None:
    load_demo_answers(db, utcnow())
    db.commit()


def _titles(app: Flask, text: str, headers: dict[str, str] | None = None) -> list[str]:
    with app.test_request_context(headers=headers or {}):
        return [hit.title for hit in search_answers(get_session(), text)]


@pytest.mark.usefixtures("demo_answers")
@pytest.mark.parametrize("masked", ["申某某", "申某", "诸葛某", "欧阳某某"])
def test_a_masked_name_offers_no_answer(app, masked):
    # 申 is in 申诉 and 申请: the person the query names is in no answer.
    assert _titles(app, masked) == []


@pytest.mark.usefixtures("demo_answers")
def test_one_character_of_a_string_no_answer_has_offers_none(app):
    # 申女士 is cut into 申 and 女士; no answer has 女士, so 申 alone must not count.
    assert _titles(app, "申女士") == []


@pytest.mark.usefixtures("demo_answers")
def test_a_real_question_still_finds_its_answer(app):
    assert _titles(app, "不起诉决定 申诉") == ["不起诉决定可以申诉吗"]
    assert _titles(app, "申诉")[:1] == ["不起诉决定可以申诉吗"]
    assert _titles(app, "How do I book a file reading as a lawyer?", EN) == [
        "How can a lawyer book a case file reading?"
    ]


@pytest.mark.usefixtures("demo_answers")
@pytest.mark.parametrize("query", ["盗窃 不起诉", "fraud prosecution", "检察院地址在哪里"])
def test_a_word_in_a_title_does_not_make_up_for_the_rest_of_the_query(app, query):
    # 不起诉 (prosecution, 检察院) is in the title of the petitions answer; 盗窃, fraud
    # and 地址 are in no answer: these ask for documents or the guides.
    assert _titles(app, query) == []
