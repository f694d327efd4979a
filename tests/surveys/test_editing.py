"""Changing and reordering questions: options kept by position, conditions kept earlier,
a new version once answers exist, English wording with a Chinese fallback."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.audit import AuditEntry
from portal.db import get_session
from portal.staff.models import StaffUser
from portal.surveys import services
from portal.surveys.models import Questionnaire, SurveyResponse

from ..helpers import csrf_token, submit
from .conftest import post_button


@pytest.fixture
def builder(app, sample_questionnaire):
    """Yields (db, questionnaire, author) inside a request context, the sample unpublished."""
    sample = sample_questionnaire(publish=False)
    with app.test_request_context(headers={"Cookie": "portal_lang=en"}):
        db = get_session()
        author = db.scalar(select(StaffUser).where(StaffUser.username == "survey-author"))
        yield db, db.get(Questionnaire, sample.id), author


def _fields(question, **changes):
    base = services.QuestionFields(
        kind=question.kind,
        text=question.text,
        section=question.section,
        required=question.required,
        options=[o.label for o in question.options if o.label],
        min_choices=question.min_choices,
        max_choices=question.max_choices,
        max_length=question.max_length,
        condition_option_id=question.condition_option_id,
    )
    for key, value in changes.items():
        setattr(base, key, value)
    return base


def _answer(db, q):
    db.add(SurveyResponse(questionnaire_id=q.id, channel="online", token="t-" + str(q.id)))
    db.flush()


def test_changing_a_question_keeps_its_options_and_the_conditions_on_them(builder):
    db, q, author = builder
    contact = q.questions[1]
    kept = [o.id for o in contact.options]
    fields = _fields(
        contact, text="您怎样联系我们？", options=["电话", "来访", "网上", "信函"], text_en="How?"
    )
    fields.options_en = ["Phone", "", "Online"]
    target = services.update_question(db, q, contact.id, fields, author)
    assert target is q
    assert contact.text == "您怎样联系我们？" and contact.text_en == "How?"
    assert [o.id for o in contact.options][:3] == kept
    assert [(o.label, o.label_en) for o in contact.options] == [
        ("电话", "Phone"),
        ("来访", ""),
        ("网上", "Online"),
        ("信函", ""),
    ]
    actions = db.scalars(select(AuditEntry.action).order_by(AuditEntry.seq.desc())).first()
    assert actions == "survey.edit_question"


def test_a_change_that_removes_an_answer_another_question_depends_on_is_refused(builder):
    db, q, author = builder
    rating = q.questions[0]  # question 3 is shown when it is answered "dissatisfied"
    with pytest.raises(services.SurveyError, match="Question 3 is shown depending"):
        services.update_question(db, q, rating.id, _fields(rating, kind="yesno"), author)
    # Rewording a fixed-kind question keeps its options, so it is allowed.
    services.update_question(db, q, rating.id, _fields(rating, text="满意吗？"), author)
    assert q.questions[2].condition_option_id in {o.id for o in rating.options}


def test_a_condition_must_stay_on_an_earlier_question(builder):
    db, q, author = builder
    later = q.questions[4]
    option = later.options[0].id
    first = q.questions[0]
    with pytest.raises(services.SurveyError, match="earlier question"):
        services.update_question(
            db, q, first.id, _fields(first, condition_option_id=option), author
        )


def test_moving_questions_keeps_a_conditional_question_after_its_condition(builder):
    db, q, author = builder
    ids = [x.id for x in q.questions]
    services.move_question(db, q, ids[1], -1, author)
    assert [x.id for x in q.questions] == [ids[1], ids[0], *ids[2:]]
    assert [x.position for x in q.questions] == [1, 2, 3, 4, 5]
    with pytest.raises(services.SurveyError, match="must stay after it"):
        services.move_question(db, q, ids[0], 1, author)  # below question 3, which needs it
    with pytest.raises(services.SurveyError, match="must stay after it"):
        services.move_question(db, q, ids[2], -1, author)
    with pytest.raises(services.SurveyError, match="cannot move further"):
        services.move_question(db, q, ids[4], 1, author)


def test_with_answers_a_change_or_a_move_makes_a_new_version(builder):
    db, q, author = builder
    services.update_questionnaire(
        db,
        q,
        services.QuestionnaireFields(title=q.title, title_en="Visitors' satisfaction"),
        author,
    )
    _answer(db, q)
    contact = q.questions[1]
    new = services.update_question(db, q, contact.id, _fields(contact, text="新的措辞"), author)
    assert new.version == 2 and q.status == "superseded"
    assert q.questions[1].text == "您是通过什么方式联系我们的？"
    assert new.questions[1].text == "新的措辞" and new.title_en == "Visitors' satisfaction"
    _answer(db, new)
    newer = services.move_question(db, new, new.questions[3].id, -1, author)
    assert newer.version == 3
    assert [x.text for x in newer.questions][1:4] == [
        "新的措辞",
        "您认为哪些方面需要改进？",
        "请告诉我们不满意的原因。",
    ]
    dissatisfied = next(o for o in newer.questions[0].options if o.value == "dissatisfied")
    assert newer.questions[3].condition_option_id == dissatisfied.id


def test_staff_change_and_reorder_questions_through_the_pages(
    client, db, login_as, sample_questionnaire
):
    q = sample_questionnaire(publish=False)
    login_as("surveys")
    contact = q.questions[1]
    path = f"/staff/questionnaires/{q.id}/questions/{contact.id}/edit"
    page = client.get(path)
    assert "Change question 2" in page.text and "电话\n来访\n网上" in page.text
    response = submit(
        client,
        path,
        {
            "section": "总体评价",
            "section_en": "",
            "kind": "single",
            "text": "您怎样联系我们？",
            "text_en": "How did you contact us?",
            "options": "电话\n来访",
            "options_en": "Phone\nVisit",
            "condition": "",
        },
    )
    assert response.status_code == 302
    moved = post_button(client, f"/staff/questionnaires/{q.id}/questions/{contact.id}/up")
    assert moved.status_code == 302
    db.rollback()
    fresh = db.get(Questionnaire, q.id)
    assert [x.text for x in fresh.questions][:2] == ["您怎样联系我们？", "您对本次接待是否满意？"]
    refused = post_button(
        client,
        f"/staff/questionnaires/{q.id}/questions/{q.questions[0].id}/down",
        follow_redirects=True,
    )
    assert "must stay after it" in refused.text


def test_english_pages_show_the_english_wording_or_the_chinese_marked_as_chinese(
    client, app, sample_questionnaire
):
    q = sample_questionnaire()
    with app.app_context():
        db = get_session()
        stored = db.get(Questionnaire, q.id)
        stored.title_en = "Visitors' satisfaction"
        stored.questions[1].text_en = "How did you contact us?"
        stored.questions[1].options[0].label_en = "Phone"
        db.commit()
    path = f"/questionnaires/{q.family_id}"
    client.set_cookie("portal_lang", "zh_Hans")
    chinese = client.get(path).text
    assert "来访群众满意度调查" in chinese and "Visitors' satisfaction" not in chinese
    assert "How did you contact us?" not in chinese and chinese.count('lang="zh-Hans"') == 1
    client.set_cookie("portal_lang", "en")
    english = client.get(path).text
    assert "<h1>Visitors&#39; satisfaction</h1>" in english
    assert "<span>How did you contact us?</span>" in english
    assert '<span lang="zh-Hans">您对本次接待是否满意？</span>' in english
    assert f'for="q{q.questions[1].id}-{q.questions[1].options[0].id}">Phone<' in english
    assert f'for="q{q.questions[1].id}-{q.questions[1].options[1].id}" lang="zh-Hans">来访<' in (
        english
    )
    # Fixed answers are the portal's own text, translated.
    assert ">Satisfied</label>" in english


def test_without_scripts_every_question_is_shown_numbered_in_order(client, sample_questionnaire):
    q = sample_questionnaire()
    path = f"/questionnaires/{q.family_id}"
    client.set_cookie("portal_lang", "zh_Hans")
    page = client.post(path, data={"csrf_token": csrf_token(client, path)}).text
    numbers = re.findall(r"<span data-question-number>(\d+)</span>", page)
    assert numbers == ["1", "2", "3", "4", "5"]
    # The error summary names each question by the same number.
    assert re.findall(r'<span data-number-of="question-\d+">(\d+)</span>', page) == ["1", "2"]
