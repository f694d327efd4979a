"""An answered consultation and the staff who turn it into a public answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from flask import Flask

from portal.db import get_session, utcnow
from portal.staff.models import StaffUser
from portal.submissions import services as submissions
from portal.submissions.deadlines import limits_from_config

ASKER = {
    "name": "张三丰",
    "id_number": "11010519491231002X",
    "phone": "13812345678",
    "email": "",
}
SUBJECT = "不起诉决定可以申诉吗"
QUESTION = "我是张三丰，电话13812345678。检察院对我的案件作出不起诉决定后，我还能申诉吗？"
REPLY = "张三丰您好：被不起诉人对不起诉决定不服的，可以自收到决定书后七日内向人民检察院申诉。"


@dataclass
class Staff:
    author: StaffUser  # answers consultations and drafts public answers
    approver: StaffUser  # an editor
    both: StaffUser  # may draft and approve, but not their own


@pytest.fixture
def staff(create_staff: Callable[..., StaffUser]) -> Staff:
    return Staff(
        create_staff("moderator"), create_staff("editor"), create_staff("moderator", "editor")
    )


@pytest.fixture
def answered_consultation(app: Flask, staff: Staff) -> Callable[..., int]:
    """Factory: the id of a consultation from 张三丰 with a staff reply naming him."""

    def make(reply: str = REPLY, language: str = "zh_Hans") -> int:
        with app.app_context(), app.test_request_context():
            db = get_session()
            created = submissions.create_submission(
                db,
                kind="consultation",
                anonymous=False,
                identity=ASKER,
                answers={"subject": SUBJECT, "question": QUESTION},
                language=language,
                limits=limits_from_config(app.config),
                now=utcnow(),
            )
            author = db.get(StaffUser, staff.author.id)
            submissions.post_reply(
                db, created.submission, reply, author, utcnow(), track_url="http://x/"
            )
            db.commit()
            return created.submission.id

    return make


@pytest.fixture
def make_unanswered(app: Flask) -> int:
    """A consultation nobody has replied to yet."""
    with app.app_context():
        db = get_session()
        created = submissions.create_submission(
            db,
            kind="consultation",
            anonymous=False,
            identity=ASKER,
            answers={"subject": SUBJECT, "question": QUESTION},
            language="zh_Hans",
            limits=limits_from_config(app.config),
            now=utcnow(),
        )
        db.commit()
        return created.submission.id


@pytest.fixture
def published_answer(app: Flask, staff: Staff, answered_consultation) -> Callable[..., int]:
    """Factory: the id of an answer drafted from a consultation and approved, through
    the services (for pages that only read answers)."""
    from portal.answers import services as answers

    def make(topic: str = "criminal") -> int:
        submission_id = answered_consultation()
        with app.test_request_context():
            db = get_session()
            author, approver = (
                db.get(StaffUser, staff.author.id),
                db.get(StaffUser, staff.approver.id),
            )
            qa = answers.draft_from_consultation(
                db, answers.answered_consultation(db, submission_id), author
            )
            qa.topic = topic
            answers.submit(db, qa, author)
            answers.approve(db, qa, approver)
            db.commit()
            return qa.id

    return make
