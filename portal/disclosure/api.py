"""Read-only JSON API over published documents, described by OpenAPI."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, jsonify, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from search.model import NOTICE_NOTHING, SearchResults

from ..db import get_session
from ..errors import api_error
from ..extensions import limiter
from ..inputs import as_int
from ..pagination import parse_page
from .indexing import get_index
from .models import Document
from .queries import find_public, list_published, public_refs
from .types import DOC_TYPES
from .views import SEARCH_LIMIT, answer_hits, guide_hits, search_query_from_args

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Errors raised here answer JSON; portal.errors does the same for /api/ addresses no route matches.
bp.register_error_handler(HTTPException, api_error)

NOTHING_TO_SEARCH_HINT = (
    "The query has no word or number to look for, so nothing matches. Symbols such as "
    "* : ( ) are not query syntax: send words from the title or text, or a document number."
)


def _unknown_types() -> ResponseReturnValue | None:
    """The 400 both listing and search answer for a `type` that is not a document type."""
    unknown = [t for t in request.args.getlist("type") if t and t not in DOC_TYPES]
    if unknown:
        return jsonify(error="unknown type", status=400, types=sorted(DOC_TYPES)), 400
    return None


def _per_page() -> int:
    return min(50, max(1, parse_page(request.args.get("per_page") or "20")))


def _document(doc: Document, full: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": doc.title,
        "number": doc.number,
        "type": doc.doc_type,
        "type_label": str(DOC_TYPES[doc.doc_type]),
        "department": doc.department,
        "language": doc.language,
        "published": doc.published_at.date().isoformat() if doc.published_at else None,
        "url": url_for("disclosure.show", ref=doc.ref, _external=True),
    }
    if full:
        data.update(
            case_name=doc.case_name,
            charge=doc.charge,
            signed=doc.signed_on.isoformat() if doc.signed_on else None,
            judgment_effective=(
                doc.judgment_effective_on.isoformat() if doc.judgment_effective_on else None
            ),
            status=doc.status,
            body_html=doc.body_html if doc.status == "published" else None,
            withdrawn_reason=doc.withdrawn_reason,
        )
    return data


@bp.route("/documents")
def list_documents() -> ResponseReturnValue:
    refused = _unknown_types()
    if refused is not None:
        return refused
    doc_type = request.args.get("type") or None
    year = as_int(request.args.get("year"), maximum=9999)
    if request.args.get("year") and year is None:
        return jsonify(error="year must be a year, such as 2019", status=400), 400
    items, pager = list_published(
        get_session(),
        doc_type=doc_type,
        year=year,
        page=parse_page(request.args.get("page")),
        per_page=_per_page(),
    )
    return jsonify(
        page=pager.page,
        per_page=pager.per_page,
        total=pager.total,
        pages=pager.pages,
        documents=[_document(d) for d in items],
    )


@bp.route("/documents/<path:ref>")
def show_document(ref: str) -> ResponseReturnValue:
    doc = find_public(get_session(), ref)
    if doc is None:
        abort(404)
    return jsonify(_document(doc, full=True)), 200 if doc.status == "published" else 410


@bp.route("/search")
@limiter.limit(SEARCH_LIMIT)
def search() -> ResponseReturnValue:
    refused = _unknown_types()
    if refused is not None:
        return refused
    query = search_query_from_args()
    query = type(query)(**{**query.__dict__, "per_page": _per_page()})
    results = get_index().search(query)
    refs = public_refs(get_session(), [h.doc_id for h in results.hits])
    guides = [] if request.args.get("kind") == "document" else guide_hits(query)
    answers = [] if request.args.get("kind") == "document" else answer_hits(query)
    hits = [
        {
            "kind": "page",
            "title": g.title,
            "number": None,
            "type": "page",
            "date": None,
            "language": g.locale,
            "url": url_for("pages.show_guide", slug=g.slug, _external=True),
            "highlight": g.fragment_html,
            "title_highlight": g.title_html,
        }
        for g in guides
    ]
    hits += [
        {
            "kind": "qa",
            "title": a.title,
            "number": None,
            "type": "qa",
            "date": None,
            "language": a.locale,
            "url": url_for("answers.show_answer", answer_id=int(a.slug), _external=True),
            "highlight": a.fragment_html,
            "title_highlight": a.title_html,
        }
        for a in answers
    ]
    hits += [
        {
            "kind": "document",
            "title": h.title,
            "number": h.number or None,
            "type": h.doc_type,
            "date": h.published.date().isoformat(),
            "url": url_for("disclosure.show", ref=refs[h.doc_id], _external=True),
            "highlight": h.fragment_html,
            "title_highlight": h.title_html,
            "missing": list(h.missing),
        }
        for h in results.hits
        if h.doc_id in refs
    ]
    return jsonify(
        query=query.text,
        page=results.page,
        per_page=results.per_page,
        total=results.total,
        pages=results.pages,
        guide_total=len(guides),
        qa_total=len(answers),
        facets=results.facets,
        suggestion=results.suggestion,
        notices=list(results.notices),
        hint=NOTHING_TO_SEARCH_HINT if NOTICE_NOTHING in results.notices else None,
        understood=_understood(results),
        results=hits,
    )


def _understood(results: SearchResults) -> dict[str, Any]:
    """How the query was read: what was not honoured, left out, missing or corrected."""
    return {
        "ignored": list(results.ignored),
        "excluded": list(results.excluded),
        "all_words": results.all_words,
        "missing": list(results.missing),
        "corrected": results.corrected,
        "closest": results.closest,
    }


@bp.route("/openapi.json")
def openapi() -> ResponseReturnValue:
    return jsonify(OPENAPI)


_DOC_SCHEMA = {
    "type": "object",
    "properties": {
        "title": {"type": "string"},
        "number": {"type": ["string", "null"], "example": "深龙华检刑诉〔2019〕1247号"},
        "type": {"type": "string", "enum": sorted(DOC_TYPES)},
        "type_label": {"type": "string"},
        "department": {"type": "string"},
        "language": {"type": "string", "enum": ["zh_Hans", "en"]},
        "published": {"type": "string", "format": "date"},
        "url": {"type": "string", "format": "uri"},
    },
}
_ERROR = {
    "description": "",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["error", "status"],
                "properties": {
                    "error": {"type": "string", "example": "unknown type"},
                    "status": {"type": "integer"},
                    "message": {"type": "string"},
                    "types": {"type": "array", "items": {"type": "string"}},
                },
            }
        }
    },
}


def _error(description: str) -> dict[str, Any]:
    return {**_ERROR, "description": description}


# Every operation may meet these: a parameter refused, an address too long for the server.
_COMMON_ERRORS = {
    "400": _error(
        "A parameter was refused: an unknown type, a year that is not a year, "
        "or a control character in the address"
    ),
    "414": {"description": "The address is longer than the server accepts (about 4,000 bytes)"},
}
_PAGING = [
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
    {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 50}},
]
OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Published documents of the procuratorate",
        "version": "1.0.0",
        "description": (
            "Read-only. Out-of-range pages are clamped; query text never causes an error. "
            "Every error answers JSON: {error, status, message}."
        ),
    },
    "paths": {
        "/api/v1/documents": {
            "get": {
                "summary": "Published documents, newest first",
                "parameters": [
                    {
                        "name": "type",
                        "in": "query",
                        "schema": {"type": "string", "enum": sorted(DOC_TYPES)},
                    },
                    {"name": "year", "in": "query", "schema": {"type": "integer"}},
                    *_PAGING,
                ],
                "responses": {"200": {"description": "A page of documents"}, **_COMMON_ERRORS},
            }
        },
        "/api/v1/documents/{ref}": {
            "get": {
                "summary": "One document by its number (any bracket style) or web name",
                "parameters": [
                    {"name": "ref", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {
                        "description": "The document",
                        "content": {"application/json": {"schema": _DOC_SCHEMA}},
                    },
                    "404": _error("No such public document"),
                    "410": {"description": "Withdrawn; the reason is given"},
                    **_COMMON_ERRORS,
                },
            }
        },
        "/api/v1/search": {
            "get": {
                "summary": "Full-text search: Chinese words, exact substrings, quoted phrases",
                "parameters": [
                    {"name": "q", "in": "query", "schema": {"type": "string", "maxLength": 1000}},
                    {
                        "name": "type",
                        "in": "query",
                        "schema": {"type": "string", "enum": sorted(DOC_TYPES)},
                    },
                    {"name": "year_from", "in": "query", "schema": {"type": "integer"}},
                    {"name": "year_to", "in": "query", "schema": {"type": "integer"}},
                    {
                        "name": "kind",
                        "in": "query",
                        "description": "`document`: leave out guide pages and answers",
                        "schema": {"type": "string", "enum": ["document"]},
                    },
                    {
                        "name": "sort",
                        "in": "query",
                        "schema": {"type": "string", "enum": ["relevance", "date"]},
                    },
                    *_PAGING,
                ],
                "responses": {
                    "200": {
                        "description": (
                            "Title, number, type, date, URL, highlighted fragment. A query of "
                            "symbols only matches nothing: `notices` holds "
                            "`nothing_to_search` and `hint` says what to send instead. "
                            "Each result has a `kind`: `document`, or `page` for a guide "
                            "page (`type` is then `page`, `number` and `date` are null, "
                            "`language` is the page's). Up to three guide pages answering "
                            "the query come first, on the first page of a search without "
                            "`type` or year filters, in addition to `per_page` documents; "
                            "`total`, `pages` and the facets count documents only, and "
                            "`guide_total` the guide pages. Up to three published questions and "
                            "answers follow the guides as `kind` `qa` (`type` `qa`), counted "
                            "by `qa_total`. `OR` between words finds either, "
                            "`NOT word` and `-word` leave out documents with the word, `+word` "
                            "and a quoted phrase must be there, `AND` asks for every word; "
                            "a query of three or more words also finds documents with most of "
                            "them, after those with all. `understood` says how the query was "
                            "read: `ignored` (operators and signs typed but not used), "
                            "`excluded`, `all_words` (documents with every word when others "
                            "follow them, else null), `missing` (words no result has) and "
                            "`corrected` (the query searched instead, when no document had "
                            "every word of the one typed; `notices` then holds "
                            "`query_corrected`) and `closest` (true when no document "
                            "matched the words and the results only share parts of the "
                            "query; `notices` then holds `closest_match`). A word no "
                            "document contains is left out of the count and listed in "
                            "`missing`. Each document's `missing` lists the words it lacks."
                        )
                    },
                    **_COMMON_ERRORS,
                    "429": _error("Too many requests from this address"),
                },
            }
        },
    },
}
