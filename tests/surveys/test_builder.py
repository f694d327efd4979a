"""Building questionnaires: access, validation, conditions, versions once answers exist, audit."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.audit import AuditEntry
from portal.surveys.models import Question, Questionnaire, SurveyResponse

from ..helpers import csrf_token, submit
from .conftest import answer_fields, post_button


def test_only_staff_with_the_surveys_role_may_build(client, login_as):
    assert client.get("/staff/questionnaires/").status_code == 302
    login_as("editor")
    assert client.get("/staff/questionnaires/").status_code == 403
    assert client.get("/staff/questionnaires/results").status_code == 403


def _create(client, **overrides):
    data = {
        "title": "开放日参观满意度",
        "introduction": "谢谢参观。",
        "department": "办公室",
        "audience": "public",
        "opens_on": "",
        "closes_on": "",
        **overrides,
    }
    return submit(client, "/staff/questionnaires/new", data)


def _add(client, q_id, **fields):
    data = {"section": "", "options": "", "condition": "", **fields}
    return submit(client, f"/staff/questionnaires/{q_id}", data)


def test_build_a_questionnaire_with_a_conditional_question(client, db, login_as):
    login_as("surveys")
    response = _create(client)
    assert response.status_code == 302
    q_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert (
        _add(client, q_id, kind="yesno", text="您是否需要帮助？", required="y").status_code == 302
    )
    db.rollback()
    yes = db.scalars(select(Questionnaire).where(Questionnaire.id == q_id)).one().questions[0]
    yes_id = next(o.id for o in yes.options if o.value == "yes")
    page = client.get(f"/staff/questionnaires/{q_id}")
    assert "Question 1 is answered “Yes”" in page.text
    response = _add(
        client, q_id, kind="text", text="需要什么帮助？", max_length="100", condition=str(yes_id)
    )
    assert response.status_code == 302
    db.rollback()
    follow = db.scalar(select(Question).where(Question.text == "需要什么帮助？"))
    assert follow.condition_option_id == yes_id and follow.max_length == 100

    preview = client.get(f"/staff/questionnaires/{q_id}/preview")
    assert "需要什么帮助？" in preview.text and "Send my answers" not in preview.text
    assert post_button(client, f"/staff/questionnaires/{q_id}/publish").status_code == 302
    assert client.get("/questionnaires/").text.count("开放日参观满意度") == 1
    db.rollback()
    actions = db.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)).all()
    assert [a for a in actions if a.startswith("survey.")] == [
        "survey.create",
        "survey.add_question",
        "survey.add_question",
        "survey.publish",
    ]


def test_builder_mistakes_are_explained_at_the_field(client, login_as):
    login_as("surveys")
    response = _create(client, title="", opens_on="2026-05-01", closes_on="2026-04-01")
    assert response.status_code == 200
    assert "Enter the title." in response.text
    response = _create(client, opens_on="2026-05-01", closes_on="2026-04-01")
    assert "The closing date must be on or after the opening date." in response.text
    response = _create(client)
    q_id = int(response.headers["Location"].rsplit("/", 1)[1])
    response = _add(client, q_id, kind="single", text="只有一个选项？", options="唯一")
    assert response.status_code == 400
    assert "Enter at least two options, one per line." in response.text
    assert 'value="只有一个选项？"' in response.text  # what was typed is kept
    response = _add(
        client,
        q_id,
        kind="multiple",
        text="多选",
        options="甲\n乙",
        min_choices="2",
        max_choices="1",
    )
    assert "The minimum cannot be more than the maximum." in response.text
    response = _add(client, q_id, kind="text", text="条件", condition="999999")
    assert response.status_code == 400
    publish = post_button(client, f"/staff/questionnaires/{q_id}/publish", follow_redirects=True)
    assert "Add at least one question before opening the questionnaire." in publish.text


def test_answers_lock_a_version_and_editing_makes_a_new_one(
    client, db, login_as, sample_questionnaire, app
):
    q = sample_questionnaire()
    public = app.test_client()
    path = f"/questionnaires/{q.family_id}"
    data = answer_fields(q, rating="satisfied", contact="电话")
    assert (
        public.post(path, data={**data, "csrf_token": csrf_token(public, path)}).status_code == 302
    )

    login_as("surveys")
    page = client.get(f"/staff/questionnaires/{q.id}")
    assert "it is locked" in page.text
    response = _add(client, q.id, kind="yesno", text="新增的问题？")
    assert response.status_code == 302
    db.rollback()
    versions = db.scalars(
        select(Questionnaire)
        .where(Questionnaire.family_id == q.family_id)
        .order_by(Questionnaire.version)
    ).all()
    assert [(v.version, v.status) for v in versions] == [(1, "superseded"), (2, "published")]
    old, new = versions
    assert len(old.questions) == 5 and len(new.questions) == 6
    # The conditional question still depends on the copy of its option.
    new_dissatisfied = next(o.id for o in new.questions[0].options if o.value == "dissatisfied")
    assert new.questions[2].condition_option_id == new_dissatisfied
    counts = dict(
        db.execute(
            select(SurveyResponse.questionnaire_id, func.count()).group_by(
                SurveyResponse.questionnaire_id
            )
        ).all()
    )
    assert counts == {old.id: 1}
    # One response per person and questionnaire: a new version does not open a second one.
    assert "您已作答" in public.get(path).text
    assert "新增的问题？" in app.test_client().get(path).text
    assert "1 responses" in client.get(f"/staff/questionnaires/{old.id}/results").text
    assert "0 responses" in client.get(f"/staff/questionnaires/{new.id}/results").text
    old_page = client.get(f"/staff/questionnaires/{old.id}")
    assert "A newer version exists." in old_page.text
    assert "Add a question" not in old_page.text


def test_removing_a_question_others_depend_on_is_refused(
    client, db, login_as, sample_questionnaire
):
    q = sample_questionnaire(publish=False)
    login_as("surveys")
    first = q.questions[0].id
    response = post_button(
        client, f"/staff/questionnaires/{q.id}/questions/{first}/remove", follow_redirects=True
    )
    assert "Another question is shown depending on this one." in response.text
    third = q.questions[2].id
    response = post_button(client, f"/staff/questionnaires/{q.id}/questions/{third}/remove")
    assert response.status_code == 302
    db.rollback()
    assert [x.position for x in db.get(Questionnaire, q.id).questions] == [1, 2, 3, 4]
