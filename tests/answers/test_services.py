"""Drafting, the guard, the two-person rule and withdrawal of public answers."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from portal.answers import services
from portal.answers.models import PublicAnswer
from portal.answers.search import search_answers
from portal.audit import AuditEntry
from portal.db import get_session
from portal.staff.models import StaffUser

from .conftest import ASKER

EN = {"Accept-Language": "en"}


def _draft(app: Flask, submission_id: int, author: StaffUser) -> int:
    with app.test_request_context(headers=EN):
        db = get_session()
        submission = services.answered_consultation(db, submission_id)
        qa = services.draft_from_consultation(db, submission, db.get(StaffUser, author.id))
        db.commit()
        return qa.id


def _act(app: Flask, answer_id: int, action: str, staff: StaffUser, *args: object) -> None:
    """Run `services.<action>(db, qa, *args, staff)` and commit."""
    with app.test_request_context(headers=EN):
        db = get_session()
        qa = db.get(PublicAnswer, answer_id)
        getattr(services, action)(db, qa, *args, db.get(StaffUser, staff.id))
        db.commit()


def _get(db, answer_id: int) -> PublicAnswer:
    db.rollback()  # a new snapshot: the app committed in its own session
    return db.get(PublicAnswer, answer_id)


def test_the_draft_has_the_question_and_reply_without_the_askers_details(
    app, db, staff, answered_consultation
):
    qa = _get(db, _draft(app, answered_consultation(), staff.author))
    assert qa.status == "draft"
    assert qa.title == "不起诉决定可以申诉吗"
    assert "不起诉决定" in qa.question and "七日内" in qa.answer
    for text in (qa.title, qa.question, qa.answer):
        assert ASKER["name"] not in text
        assert ASKER["phone"] not in text
    assert "张" in qa.question  # masked (张**), not silently cut
    with app.test_request_context(headers=EN):
        assert services.findings(get_session(), get_session().get(PublicAnswer, qa.id)) == []


def test_only_an_answered_consultation_becomes_a_draft(app, make_unanswered):
    with app.test_request_context(), pytest.raises(services.AnswerError):
        services.answered_consultation(get_session(), make_unanswered)


def test_the_guard_stops_the_askers_name_typed_back_in(app, db, staff, answered_consultation):
    answer_id = _draft(app, answered_consultation(), staff.author)
    fields = services.AnswerFields(
        topic="criminal",
        title="不起诉决定可以申诉吗",
        question="不起诉后能否申诉？",
        answer="张三丰可以在七日内申诉，联系电话13900001111。",
    )
    _act(app, answer_id, "update", staff.author, fields)
    with pytest.raises(services.AnswerError, match="personal data"):
        _act(app, answer_id, "submit", staff.author)
    assert _get(db, answer_id).status == "draft"
    _act(app, answer_id, "mask_findings", staff.author)
    qa = _get(db, answer_id)
    assert "张三丰" not in qa.answer and "13900001111" not in qa.answer
    _act(app, answer_id, "submit", staff.author)
    assert _get(db, answer_id).status == "pending"


def test_a_second_person_approves_never_the_author(app, db, staff, answered_consultation):
    answer_id = _draft(app, answered_consultation(), staff.both)
    _act(app, answer_id, "submit", staff.both)
    with pytest.raises(services.AnswerError, match="Someone else must approve"):
        _act(app, answer_id, "approve", staff.both)
    assert _get(db, answer_id).status == "pending"
    _act(app, answer_id, "approve", staff.approver)
    qa = _get(db, answer_id)
    assert qa.status == "published" and qa.approved_by_id == staff.approver.id
    with app.test_request_context(headers=EN):
        hits = search_answers(get_session(), "不起诉 申诉")
    assert [hit.slug for hit in hits] == [str(answer_id)]
    actions = db.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.target_type == "public_answer")
        .order_by(AuditEntry.id)
    ).all()
    assert actions == ["answer.create", "answer.submit", "answer.approve"]


def test_an_edit_after_submitting_needs_another_submission(app, db, staff, answered_consultation):
    answer_id = _draft(app, answered_consultation(), staff.author)
    _act(app, answer_id, "submit", staff.author)
    qa = _get(db, answer_id)
    fields = services.AnswerFields(
        topic=qa.topic, title=qa.title, question=qa.question, answer=qa.answer + "。"
    )
    _act(app, answer_id, "update", staff.both, fields)
    with pytest.raises(services.AnswerError, match="waiting for approval"):
        _act(app, answer_id, "approve", staff.approver)
    _act(app, answer_id, "submit", staff.author)
    with pytest.raises(services.AnswerError, match="Someone else"):
        _act(app, answer_id, "approve", staff.both)  # edited this version
    _act(app, answer_id, "approve", staff.approver)
    assert _get(db, answer_id).status == "published"


def test_a_withdrawn_answer_leaves_the_site_and_its_search(
    app, db, client, staff, answered_consultation
):
    answer_id = _draft(app, answered_consultation(), staff.author)
    _act(app, answer_id, "submit", staff.author)
    _act(app, answer_id, "approve", staff.approver)
    assert client.get(f"/answers/{answer_id}").status_code == 200
    with pytest.raises(services.AnswerError, match="reason"):
        _act(app, answer_id, "withdraw", staff.approver, "  ")
    _act(app, answer_id, "withdraw", staff.approver, "答复内容已过时")
    assert _get(db, answer_id).status == "withdrawn"
    assert client.get(f"/answers/{answer_id}").status_code == 404
    with app.test_request_context(headers=EN):
        assert search_answers(get_session(), "不起诉 申诉") == []
    assert "answer.withdraw" in db.scalars(select(AuditEntry.action)).all()
