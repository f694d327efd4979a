"""Public pages: answers grouped by topic, one page per answer."""

from __future__ import annotations

from flask import abort, render_template, request
from flask.typing import ResponseReturnValue

from ..db import get_session
from ..kiosk import visit as kiosk_visit
from ..page_cache import cached_page
from . import bp, services
from .models import PublicAnswer
from .search import search_answers
from .types import TOPICS


def query_text() -> str:
    return (request.args.get("q") or "").strip()[:200]


@bp.route("/")
@cached_page
def list_answers() -> ResponseReturnValue:
    db = get_session()
    text = query_text()
    grouped: dict[str, list[PublicAnswer]] = {key: [] for key in TOPICS}
    for qa in services.published(db):
        grouped.setdefault(qa.topic, []).append(qa)
    return render_template(
        "answers/list.html",
        grouped=grouped,
        topics=TOPICS,
        q=text,
        hits=search_answers(db, text, limit=10) if text else None,
    )


@bp.route("/<int:answer_id>")
@cached_page
def show_answer(answer_id: int) -> ResponseReturnValue:
    db = get_session()
    qa = db.get(PublicAnswer, answer_id)
    if qa is None or qa.status != "published":
        abort(404)
    kiosk_visit.complete("answers")
    return render_template(
        "answers/show.html", qa=qa, topics=TOPICS, articles=services.articles_for(db, qa)
    )
