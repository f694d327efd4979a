"""Home page, area pages, display switches and the health check."""

from __future__ import annotations

from flask import Response, abort, current_app, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select, text

from search import index as search_index

from ..db import get_session
from ..disclosure.models import Document
from ..disclosure.queries import latest_published
from ..disclosure.types import DOC_TYPES
from ..i18n import COOKIE_MAX_AGE, LANG_COOKIE, LARGE_TEXT_COOKIE, normalise_locale
from ..page_cache import cached_page
from ..pages.queries import list_pages
from ..security import cookies_secure, is_safe_next
from . import bp
from .areas import AREAS, AREAS_BY_SLUG


def _back(default: str = "/") -> str:
    target = request.args.get("next")
    return target if is_safe_next(target) else default


def _set_pref_cookie(response: ResponseReturnValue, name: str, value: str) -> None:
    response.set_cookie(  # type: ignore[union-attr]
        name,
        value,
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=cookies_secure(),
    )


@bp.route("/")
@cached_page
def home() -> ResponseReturnValue:
    db = get_session()
    return render_template(
        "core/home.html",
        areas=AREAS,
        guides=list_pages(db),
        latest=latest_published(db),
        doc_types=DOC_TYPES,
    )


@bp.route("/areas/<slug>")
@cached_page
def area(slug: str) -> ResponseReturnValue:
    found = AREAS_BY_SLUG.get(slug)
    if found is None:
        abort(404)
    if found.endpoint:
        return redirect(url_for(found.endpoint), code=301)
    return render_template("core/area.html", area=found)


@bp.route("/language/<code>")
def set_language(code: str) -> ResponseReturnValue:
    """Switch language; an unknown code falls back to the default."""
    locale = normalise_locale(code) or str(current_app.config["BABEL_DEFAULT_LOCALE"])
    response = redirect(_back(), code=303)
    _set_pref_cookie(response, LANG_COOKIE, locale)
    return response


@bp.route("/display/large-text/<state>")
def set_large_text(state: str) -> ResponseReturnValue:
    if state not in {"on", "off"}:
        abort(404)
    response = redirect(_back(), code=303)
    _set_pref_cookie(response, LARGE_TEXT_COOKIE, "1" if state == "on" else "0")
    return response


@bp.route("/healthz")
def healthz() -> ResponseReturnValue:
    """For load balancers: 200 when the database answers and the index opens."""
    checks: dict[str, str] = {}
    try:
        get_session().execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception:  # noqa: BLE001 - any failure means unhealthy
        current_app.logger.exception("health check: database")
        checks["database"] = "error"
    try:
        search_index.document_count(str(current_app.config["INDEX_DIR"]))
        checks["index"] = "ok"
    except Exception:  # noqa: BLE001
        current_app.logger.exception("health check: index")
        checks["index"] = "error"
    healthy = all(v == "ok" for v in checks.values())
    response = jsonify(status="ok" if healthy else "error", checks=checks)
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    return response


SITEMAP_LIMIT = 50_000  # the most one sitemap file may list


@bp.route("/sitemap.xml")
@cached_page
def sitemap() -> ResponseReturnValue:
    db = get_session()
    urls = [url_for("core.home", _external=True), url_for("disclosure.register", _external=True)]
    urls += [url_for("pages.show_guide", slug=p.slug, _external=True) for p in list_pages(db)]
    refs = db.execute(
        select(Document.number, Document.slug, Document.id, Document.updated_at)
        .where(Document.status == "published")
        .order_by(Document.published_at.desc())
        .limit(SITEMAP_LIMIT - len(urls))
    ).all()
    documents = [
        (url_for("disclosure.show", ref=number or slug or str(i), _external=True), updated)
        for number, slug, i, updated in refs
    ]
    body = render_template("core/sitemap.xml", urls=urls, documents=documents)
    return Response(body, mimetype="application/xml")
