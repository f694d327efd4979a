"""Public guide pages."""

from __future__ import annotations

from flask import abort, render_template
from flask.typing import ResponseReturnValue

from ..db import get_session
from ..kiosk import visit as kiosk_visit
from ..page_cache import cached_page
from . import bp
from .queries import articles_for, get_page, list_pages


@bp.route("/")
@cached_page
def list_guides() -> ResponseReturnValue:
    return render_template("pages/list.html", guides=list_pages(get_session()))


@bp.route("/<slug>")
@cached_page
def show_guide(slug: str) -> ResponseReturnValue:
    db = get_session()
    page = get_page(db, slug)
    if page is None:
        abort(404)
    kiosk_visit.complete("guides")
    return render_template("pages/show.html", page=page, articles=articles_for(db, page))
