"""Ratings from other capabilities that feed the questionnaire results pages.

The rating a citizen gives to a reply to a complaint, appeal or report
(满意 / 基本满意 / 不满意, `portal/submissions`) joins the satisfaction index,
grouped by kind of submission. Submissions carry no department: their ratings
go under PORTAL_SUBMISSIONS_DEPARTMENT (for example 控告申诉检察部, the
department that answers them), or, when that is not set, under a label that
says plainly that no department is recorded.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import Flask, current_app
from flask_babel import LazyString
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..submissions.models import ReplyRating, Submission, SubmissionReply
from ..submissions.types import KINDS
from .results import Rating, register_rating_source

# The submissions capability's rating values, in the questionnaires' vocabulary.
REPLY_RATING_VALUES = {"satisfied": "satisfied", "fair": "fairly", "unsatisfied": "dissatisfied"}
KIND_PREFIX = "reply:"


def _kind_label(title: object) -> str:
    return _("Reply ratings: %(kind)s", kind=str(title))


def reply_kind_labels() -> dict[str, object]:
    """A label for each kind of submission, e.g. "Reply ratings: Complaint (控告)"."""
    return {KIND_PREFIX + key: LazyString(_kind_label, kind.title) for key, kind in KINDS.items()}


def submissions_department() -> str:
    return str(current_app.config.get("SUBMISSIONS_DEPARTMENT") or "") or _(
        "Complaints and reports (no department recorded)"
    )


def reply_ratings(db: Session) -> list[Rating]:
    """Every rating of a reply to a submission, as a satisfaction rating."""
    tz = ZoneInfo(str(current_app.config["BABEL_DEFAULT_TIMEZONE"]))
    department = submissions_department()
    rows = db.execute(
        select(Submission.kind, ReplyRating.rating, ReplyRating.created_at)
        .join(SubmissionReply, SubmissionReply.id == ReplyRating.reply_id)
        .join(Submission, Submission.id == SubmissionReply.submission_id)
        .where(Submission.spam.is_(False))
    ).all()
    return [
        Rating(department, KIND_PREFIX + kind, REPLY_RATING_VALUES[value], at.astimezone(tz).date())
        for kind, value, at in rows
        if value in REPLY_RATING_VALUES
    ]


def init_app(app: Flask) -> None:
    register_rating_source(app, reply_ratings, reply_kind_labels())
