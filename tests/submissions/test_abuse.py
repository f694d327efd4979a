"""Anti-abuse: honeypot, challenge after a limit trips, per-phone limit, submit rate limit."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from portal.submissions.models import Submission, SubmissionDraft

from .conftest import post_check


def _count(db) -> int:
    db.rollback()
    return db.scalar(select(func.count()).select_from(Submission))


def test_honeypot_filled_stores_nothing(client, fill_in, db):
    fill_in("complaint")
    response = post_check(client, "complaint", {"website": "http://spam.example"})
    assert response.status_code == 200
    assert _count(db) == 0


def test_challenge_appears_after_the_address_limit_and_is_checked(client, app, send, fill_in, db):
    app.config["SUBMISSIONS_CHALLENGE_AFTER_PER_ADDRESS"] = 1
    app.config["SUBMISSIONS_CHALLENGE_AFTER_PER_PHONE"] = 99
    send("complaint")
    fill_in("complaint")
    page = post_check(client, "complaint").text
    assert "Answer the question below" in page
    question = re.search(r"What is (\d) plus (\d)\?", page)
    assert question
    assert _count(db) == 1
    wrong = post_check(client, "complaint", {"challenge": "99"}).text
    assert "That answer is not right" in wrong
    question = re.search(r"What is (\d) plus (\d)\?", wrong)
    answer = str(int(question.group(1)) + int(question.group(2)))
    response = post_check(client, "complaint", {"challenge": answer})
    assert response.headers["Location"].endswith("/submissions/confirmation")
    assert _count(db) == 2


def test_the_challenge_answer_is_kept_with_the_draft(client, app, send, fill_in, db):
    app.config["SUBMISSIONS_CHALLENGE_AFTER_PER_ADDRESS"] = 1
    send("complaint")
    fill_in("complaint")
    post_check(client, "complaint")
    db.rollback()
    draft = db.scalars(select(SubmissionDraft).order_by(SubmissionDraft.id.desc())).first()
    assert draft.challenge_answer


def test_phone_limit_per_day(client, app, send, fill_in, db):
    app.config["SUBMISSIONS_CHALLENGE_AFTER_PER_ADDRESS"] = 99
    app.config["SUBMISSIONS_CHALLENGE_AFTER_PER_PHONE"] = 99
    app.config["SUBMISSIONS_MAX_PER_PHONE_PER_DAY"] = 1
    send("complaint")
    fill_in("complaint")
    page = post_check(client, "complaint").text
    assert "Too many submissions were sent with this phone number today" in page
    assert _count(db) == 1


def test_sending_is_rate_limited_per_address(client, app, fill_in):
    app.config["SUBMISSIONS_SUBMIT_LIMIT"] = "2 per hour"
    app.config["SUBMISSIONS_CHALLENGE_AFTER_PER_ADDRESS"] = 99
    app.config["SUBMISSIONS_CHALLENGE_AFTER_PER_PHONE"] = 99
    codes = []
    for _ in range(3):
        fill_in("complaint")
        codes.append(post_check(client, "complaint").status_code)
    assert codes == [302, 302, 429]
