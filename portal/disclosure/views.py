"""Public pages: the register, search, a document, and the Atom feeds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from typing import Any
from urllib.parse import quote_plus

from flask import Response, abort, render_template, request, send_from_directory, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from search import SearchQuery
from search.pages import PageHit

from ..answers.search import search_answers
from ..db import get_session, utcnow
from ..extensions import limiter
from ..i18n import translated_names
from ..kiosk import visit as kiosk_visit
from ..page_cache import cached_page
from ..pages.search import search_pages
from ..pagination import make_pager, parse_page
from . import bp
from .attachments import attachments_dir
from .indexing import get_index
from .models import Document
from .queries import (
    find_public,
    latest_published,
    list_published,
    public_refs_and_languages,
    publication_years,
)
from .types import DOC_TYPES

MAX_QUERY = 200
SEARCH_LIMIT = "300 per minute"  # per address: searching is the costliest public page


def _year(raw: str | None) -> int | None:
    try:
        value = int((raw or "").strip()[:4])
    except ValueError:
        return None
    return value if 1949 <= value <= datetime.now().year + 1 else None


def _doc_type(raw: str | None) -> str | None:
    return raw if raw in DOC_TYPES else None


@bp.route("/")
@cached_page
def register() -> ResponseReturnValue:
    db = get_session()
    doc_type = _doc_type(request.args.get("type"))
    year = _year(request.args.get("year"))
    items, pager = list_published(
        db, doc_type=doc_type, year=year, page=parse_page(request.args.get("page"))
    )
    return render_template(
        "disclosure/register.html",
        items=items,
        listing=pager,
        doc_type=doc_type,
        year=year,
        years=publication_years(db),
        doc_types=DOC_TYPES,
    )


def search_query_from_args() -> SearchQuery:
    """Read the search form; nothing a visitor types can make it fail."""
    args = request.args
    types = tuple(t for t in args.getlist("type") if t in DOC_TYPES)
    sort = "date" if args.get("sort") == "date" else "relevance"
    return SearchQuery(
        text=(args.get("q") or "")[: MAX_QUERY * 5],
        doc_types=types,
        year_from=_year(args.get("year_from")),
        year_to=_year(args.get("year_to")),
        sort=sort,
        page=parse_page(args.get("page")),
        per_page=10,
    )


@lru_cache(maxsize=4096)
def _encoded(text: str) -> str:
    return quote_plus(text)


def search_link() -> Callable[..., str]:
    """Links to the search page with the given arguments (None left out, lists repeated),
    built from one `url_for`: a results page has about thirty of them, and building
    each through the URL map was a third of the page's rendering. Values are
    percent-encoded through a process-wide memo: page numbers, years and types
    recur on every page, and the query text is in every link."""
    base = url_for("disclosure.search")

    def encode(value: Any) -> str:
        return _encoded(str(value))

    def link(**args: Any) -> str:
        pairs: list[str] = []
        for key, value in args.items():
            if value is None:
                continue
            values = value if isinstance(value, list | tuple) else (value,)
            pairs.extend(f"{key}={encode(item)}" for item in values)
        return f"{base}?{'&'.join(pairs)}" if pairs else base

    return link


def _beside_documents(query: SearchQuery) -> bool:
    """Guides and answers come on the first page of an unfiltered search only,
    because the filters (type, year) and paging are about documents."""
    return not (query.doc_types or query.year_from or query.year_to or query.page != 1)


def guide_hits(query: SearchQuery) -> list[PageHit]:
    """Guide pages answering the query."""
    return search_pages(get_session(), query.text) if _beside_documents(query) else []


def answer_hits(query: SearchQuery) -> list[PageHit]:
    """Published questions and answers matching the query."""
    return search_answers(get_session(), query.text) if _beside_documents(query) else []


@bp.route("/search")
@limiter.limit(SEARCH_LIMIT)
@cached_page
def search() -> ResponseReturnValue:
    query = search_query_from_args()
    results = get_index().search(query) if (query.text.strip() or query.doc_types) else None
    refs: dict[str, str] = {}
    languages: dict[str, str] = {}
    result_pager = None
    guides = guide_hits(query)
    if results is not None:
        # The database has the last word: a hit for a document no longer public is dropped.
        found = public_refs_and_languages(get_session(), [hit.doc_id for hit in results.hits])
        refs = {key: ref for key, (ref, _language) in found.items()}
        languages = {key: language for key, (_ref, language) in found.items()}
        result_pager = make_pager(results.page, results.per_page, results.total)
    return render_template(
        "disclosure/search.html",
        query=query,
        results=results,
        guides=guides,
        answers=answer_hits(query),
        refs=refs,
        languages=languages,
        result_pager=result_pager,
        doc_types=translated_names(DOC_TYPES),
        link=search_link(),
    )


@bp.route("/feed/<feed>.atom")
@cached_page
def feed(feed: str) -> ResponseReturnValue:
    if feed != "all" and feed not in DOC_TYPES:
        abort(404)
    items, _pager = list_published(
        get_session(), doc_type=None if feed == "all" else feed, year=None, page=1, per_page=30
    )
    title = _("Published documents") if feed == "all" else str(DOC_TYPES[feed])
    body = render_template(
        "disclosure/feed.xml",
        items=items,
        title=title,
        feed=feed,
        doc_types=DOC_TYPES,
        updated=utcnow(),
    )
    return Response(body, mimetype="application/atom+xml")


@bp.route("/<path:ref>")
@cached_page
def show(ref: str) -> ResponseReturnValue:
    doc = find_public(get_session(), ref)
    if doc is None:
        abort(404)
    if doc.status == "withdrawn":
        return render_template("disclosure/withdrawn.html", doc=doc, doc_types=DOC_TYPES), 410
    canonical = url_for("disclosure.show", ref=doc.ref)
    kiosk_visit.complete("documents")
    return render_template(
        "disclosure/show.html", doc=doc, doc_types=DOC_TYPES, canonical=canonical
    )


@bp.route("/<path:ref>/attachments/<int:attachment_id>")
def attachment(ref: str, attachment_id: int) -> ResponseReturnValue:
    doc = find_public(get_session(), ref)
    if doc is None or doc.status != "published":
        abort(404)
    item = next((a for a in doc.attachments if a.id == attachment_id), None)
    if item is None:
        abort(404)
    return send_from_directory(
        attachments_dir(),
        item.stored_name,
        mimetype="application/pdf",
        as_attachment=False,
        download_name=item.filename,
    )


def latest_for_home() -> list[Document]:
    return latest_published(get_session())
