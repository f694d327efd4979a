"""Answering a public questionnaire online and at a kiosk: one response each, checked answers."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from portal.kiosk.models import KioskUsage
from portal.surveys import views
from portal.surveys.models import Answer, SurveyResponse

from ..helpers import csrf_token
from .conftest import answer_fields

GOOD = {"rating": "satisfied", "contact": "电话", "improve": ["办事效率"]}


def _count(db) -> int:
    db.rollback()
    return db.scalar(select(func.count()).select_from(SurveyResponse))


def _post(client, path, data):
    token = csrf_token(client, path)
    return client.post(path, data={**data, "csrf_token": token})


def test_the_questionnaires_area_lists_open_public_questionnaires(client, sample_questionnaire):
    q = sample_questionnaire()
    sample_questionnaire(title="草稿问卷", publish=False)
    sample_questionnaire(title="回访问卷", audience="invitation")
    page = client.get("/questionnaires/")
    assert q.title in page.text
    assert "草稿问卷" not in page.text and "回访问卷" not in page.text
    assert 'href="/questionnaires/"' in client.get("/").text


def test_an_answer_is_stored_once_and_a_second_response_is_refused(
    client, db, sample_questionnaire
):
    q = sample_questionnaire()
    path = f"/questionnaires/{q.family_id}"
    response = _post(client, path, answer_fields(q, **GOOD))
    assert response.status_code == 302
    assert response.headers["Location"] == "/questionnaires/thanks"
    assert _count(db) == 1

    again = client.get(path)
    assert "You have already answered" in again.text
    token = csrf_token(client, "/questionnaires/invitation")
    second = client.post(path, data={**answer_fields(q, **GOOD), "csrf_token": token})
    assert "You have already answered" in second.text
    assert _count(db) == 1


def test_the_browser_token_is_signed_and_a_forged_one_is_replaced(client, db, sample_questionnaire):
    q = sample_questionnaire()
    path = f"/questionnaires/{q.family_id}"
    client.get(path)
    cookie = client.get_cookie(views.cookie_name(q.family_id), path=path)
    assert cookie is not None and "." in cookie.value
    client.set_cookie(views.cookie_name(q.family_id), "forged.value", path=path)
    token = csrf_token(client, path)  # a forged token is replaced by a new signed one
    assert client.get_cookie(views.cookie_name(q.family_id), path=path).value != "forged.value"
    response = client.post(path, data={**answer_fields(q, **GOOD), "csrf_token": token})
    assert response.status_code == 302
    assert _count(db) == 1


def test_without_the_browser_cookie_nothing_is_stored(client, db, sample_questionnaire):
    q = sample_questionnaire()
    path = f"/questionnaires/{q.family_id}"
    token = csrf_token(client, path)
    client.delete_cookie(views.cookie_name(q.family_id), path=path)
    response = client.post(path, data={**answer_fields(q, **GOOD), "csrf_token": token})
    assert response.status_code == 400
    assert "Allow cookies for this site" in response.text
    assert _count(db) == 0


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"contact": "电话"}, "Choose an answer to this question."),
        ({"rating": "dissatisfied", "contact": "电话"}, "Enter your answer to this question."),
        (
            {"rating": "dissatisfied", "contact": "电话", "reason": "太" * 51},
            "Your answer must be 50 characters or fewer.",
        ),
        (
            {**GOOD, "improve": ["接待态度", "办事效率", "信息公开"]},
            "Choose no more than 2 answers.",
        ),
    ],
)
def test_wrong_answers_are_explained_and_nothing_is_stored(
    client, db, sample_questionnaire, answers, message
):
    q = sample_questionnaire()
    response = _post(client, f"/questionnaires/{q.family_id}", answer_fields(q, **answers))
    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert message in response.text
    assert _count(db) == 0


def test_answers_are_kept_when_the_form_comes_back(client, sample_questionnaire):
    q = sample_questionnaire()
    data = answer_fields(q, rating="dissatisfied", contact="来访")
    response = _post(client, f"/questionnaires/{q.family_id}", data)
    assert response.status_code == 400
    checked = re.findall(r'value="(\d+)" checked', response.text)
    assert set(checked) == {data[f"q{q.questions[0].id}"], data[f"q{q.questions[1].id}"]}


def test_a_tampered_choice_id_is_refused(client, db, sample_questionnaire):
    q = sample_questionnaire()
    data = answer_fields(q, **GOOD)
    other_question_option = str(q.questions[1].options[0].id)
    data[f"q{q.questions[0].id}"] = other_question_option
    response = _post(client, f"/questionnaires/{q.family_id}", data)
    assert response.status_code == 400
    assert "Choose one of the answers shown." in response.text
    data[f"q{q.questions[0].id}"] = [str(o.id) for o in q.questions[0].options[:2]]
    response = _post(client, f"/questionnaires/{q.family_id}", data)
    assert "Choose only one answer." in response.text
    assert _count(db) == 0


def test_a_condition_not_met_means_the_question_is_skipped(client, db, sample_questionnaire):
    q = sample_questionnaire()
    data = answer_fields(q, rating="satisfied", contact="电话", reason="不应保存的文字")
    assert _post(client, f"/questionnaires/{q.family_id}", data).status_code == 302
    db.rollback()
    texts = db.scalars(select(Answer.text).where(Answer.text.is_not(None))).all()
    assert texts == []


def test_a_draft_or_closed_questionnaire_cannot_be_answered(client, sample_questionnaire):
    draft = sample_questionnaire(publish=False)
    assert client.get(f"/questionnaires/{draft.family_id}").status_code == 404
    assert client.get(f"/questionnaires/kiosk/{draft.family_id}").status_code == 404


def _kiosk_token(page: str) -> str:
    match = re.search(r'name="token" type="hidden" value="([^"]+)"', page) or re.search(
        r'id="token" name="token" type="hidden" value="([^"]+)"', page
    )
    assert match, page
    return match.group(1)


def test_at_a_kiosk_each_visitor_gets_a_blank_form_and_a_fresh_token(
    client, db, sample_questionnaire, enrol_kiosk
):
    q = sample_questionnaire()
    enrol_kiosk(client)
    path = f"/questionnaires/kiosk/{q.family_id}"
    first_page = client.get(path).text
    first_token = _kiosk_token(first_page)
    data = answer_fields(q, rating="dissatisfied", contact="来访", reason="第一位访客的意见")
    response = client.post(
        path, data={**data, "token": first_token, "csrf_token": csrf_token(client, path)}
    )
    assert response.status_code == 302
    thanks = client.get(response.headers["Location"])
    assert "第一位访客的意见" not in thanks.text
    assert "next visitor" in thanks.text
    assert 'action="/kiosk/end"' in thanks.text  # Finish ends the visit
    online = f"/questionnaires/{q.family_id}"
    assert client.get_cookie(views.cookie_name(q.family_id), path=online) is None

    second_page = client.get(path).text
    assert "第一位访客的意见" not in second_page
    assert " checked" not in second_page
    assert _kiosk_token(second_page) != first_token
    with client.session_transaction() as session:
        assert not any(key.startswith("q") for key in session)
    # Every answer the kiosk took counts as a completed questionnaire visit, nothing more.
    rows = db.execute(select(KioskUsage.service, KioskUsage.event, KioskUsage.count)).all()
    assert ("surveys", "completed", 1) in rows

    # The next visitor replays the previous visitor's form: refused, nothing changed.
    replay = client.post(
        path,
        data={
            **answer_fields(q, **GOOD),
            "token": first_token,
            "csrf_token": csrf_token(client, path),
        },
        follow_redirects=True,
    )
    assert "These answers were already sent" in replay.text
    assert _count(db) == 1
    assert db.scalar(select(func.count()).select_from(Answer).where(Answer.text.is_not(None))) == 1


def test_a_forged_or_expired_kiosk_token_is_refused(
    client, db, sample_questionnaire, monkeypatch, enrol_kiosk
):
    q = sample_questionnaire()
    enrol_kiosk(client)
    path = f"/questionnaires/kiosk/{q.family_id}"
    data = answer_fields(q, **GOOD)
    forged = client.post(
        path,
        data={**data, "token": "abc.def", "csrf_token": csrf_token(client, path)},
        follow_redirects=True,
    )
    assert "The form could not be checked" in forged.text
    token = _kiosk_token(client.get(path).text)
    monkeypatch.setattr(views, "KIOSK_TOKEN_AGE", -1)
    expired = client.post(
        path,
        data={**data, "token": token, "csrf_token": csrf_token(client, path)},
        follow_redirects=True,
    )
    assert "left open too long" in expired.text
    assert _count(db) == 0


def test_a_token_for_another_questionnaire_is_refused(
    client, db, sample_questionnaire, enrol_kiosk
):
    first, second = sample_questionnaire(), sample_questionnaire(title="第二份问卷")
    enrol_kiosk(client)
    token = _kiosk_token(client.get(f"/questionnaires/kiosk/{first.family_id}").text)
    path = f"/questionnaires/kiosk/{second.family_id}"
    response = client.post(
        path,
        data={
            **answer_fields(second, **GOOD),
            "token": token,
            "csrf_token": csrf_token(client, path),
        },
        follow_redirects=True,
    )
    assert "The form could not be checked" in response.text
    assert _count(db) == 0


def test_an_ordinary_browser_answers_online_not_as_a_kiosk(client, sample_questionnaire):
    """A fresh token in every form is for enrolled screens only: any other browser
    would answer as often as it liked."""
    q = sample_questionnaire()
    response = client.get(f"/questionnaires/kiosk/{q.family_id}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/questionnaires/{q.family_id}")
    assert client.get(f"/questionnaires/kiosk/{q.family_id}/thanks").status_code == 302
    listing = client.get("/questionnaires/").text
    assert f"/questionnaires/{q.family_id}" in listing and "/questionnaires/kiosk/" not in listing


def test_at_a_kiosk_the_list_leads_to_the_kiosk_form(client, sample_questionnaire, enrol_kiosk):
    q = sample_questionnaire()
    enrol_kiosk(client)
    assert f"/questionnaires/kiosk/{q.family_id}" in client.get("/questionnaires/").text


def test_online_answers_are_rate_limited_per_address(client, db, sample_questionnaire):
    q = sample_questionnaire()
    path = f"/questionnaires/{q.family_id}"
    token = csrf_token(client, path)
    for _attempt in range(20):
        assert client.post(path, data={"csrf_token": token}).status_code == 400
    blocked = client.post(path, data={**answer_fields(q, **GOOD), "csrf_token": token})
    assert blocked.status_code == 429
    assert _count(db) == 0


def test_guessing_invitation_codes_is_rate_limited(client):
    token = csrf_token(client, "/questionnaires/invitation")
    for attempt in range(10):
        response = client.post(
            "/questionnaires/invitation",
            data={"code": f"AAAA-AAAA-AAA{attempt}", "csrf_token": token},
        )
        assert "We could not find that code." in response.text
    blocked = client.post(
        "/questionnaires/invitation", data={"code": "AAAA-AAAA-AAAA", "csrf_token": token}
    )
    assert blocked.status_code == 429
