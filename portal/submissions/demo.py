"""Fictional submissions for `flask demo load`, so that `make run` shows the queue."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..db import utcnow
from . import services
from .deadlines import limits_from_config
from .models import Submission

# Fictional people; the identity numbers have valid check digits but belong to nobody.
DEMO = (
    (
        "complaint",
        False,
        {"name": "王小明", "id_number": "11010519491231002X", "phone": "13912345678", "email": ""},
        {
            "subject": "对派出所不立案的控告",
            "accused": "示例区某派出所",
            "facts": "2026年3月，我的电动车在小区被盗，报警后派出所一直未立案。",
            "request": "请检察院监督公安机关依法立案。",
        },
        10,
    ),
    (
        "report",
        True,
        {"email": ""},
        {
            "subject": "举报某法院工作人员收受礼品",
            "person_name": "李某",
            "person_unit": "示例区人民法院",
            "person_position": "书记员",
            "when": "2026年5月",
            "where": "法院门口",
            "facts": "当事人家属向其送礼，其收下后承诺加快立案。",
            "request": "请依法调查。",
        },
        3,
    ),
    (
        "consultation",
        False,
        {"name": "陈静", "id_number": "440305198506151233", "phone": "13800138000", "email": ""},
        {"subject": "如何申请国家赔偿", "question": "被错误羁押后，应当向哪个机关申请国家赔偿？"},
        1,
    ),
)


def load_demo_submissions(db: Session) -> list[tuple[str, str]]:
    """Add the demo submissions once (some already overdue); return the tracking and
    query codes of those added, so that the tracking page can be opened with them."""
    if db.scalar(select(func.count()).select_from(Submission)):
        return []
    limits = limits_from_config(current_app.config)
    codes = []
    for kind, anonymous, identity, answers, days_ago in DEMO:
        created = services.create_submission(
            db,
            kind=kind,
            anonymous=anonymous,
            identity=identity,
            answers=answers,
            language="zh_Hans",
            limits=limits,
            now=utcnow() - timedelta(days=days_ago),
        )
        codes.append((created.submission.tracking_code, created.query_code or ""))
    db.flush()
    return codes
