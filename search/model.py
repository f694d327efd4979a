"""The values the portal passes in and gets back, kept free of Whoosh types."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

DOC_TYPES = (
    "indictment",
    "non_prosecution",
    "criminal_protest",
    "appeal_review",
    "case_information",
    "announcement",
    "legal_education",
)
MAX_PER_PAGE = 50
MAX_QUERY_CHARS = 200

NOTICE_TRUNCATED = "query_truncated"
NOTICE_SYNTAX = "syntax_ignored"
NOTICE_RELAXED = "query_relaxed"
# Something was typed, but only symbols (`*`, `*:*`, `(((((`): nothing to look for, so
# nothing is found, rather than every document as for an empty query.
NOTICE_NOTHING = "nothing_to_search"
# Not every result has every word: `SearchResults.all_words` documents do, the others
# have most of them (each `SearchHit.missing` says which it lacks).
NOTICE_PARTIAL = "partial_match"
# Nothing had every word, so the results are those of `SearchResults.corrected`.
NOTICE_CORRECTED = "query_corrected"
# The words found nothing, so the results share only parts of the query (its
# character bigrams): the closest documents, not matches.
NOTICE_CLOSEST = "closest_match"


@dataclass(frozen=True)
class IndexDocument:
    """One published document as the index sees it."""

    doc_id: str
    number: str
    title: str
    body: str
    doc_type: str
    department: str
    language: str
    published: datetime
    charge: str = ""  # the charge(s) of a case document, for ranking (危险驾驶罪)


@dataclass(frozen=True)
class SearchQuery:
    """What the public asked for; every field is clamped or sanitised, never trusted."""

    text: str = ""
    doc_types: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 10
    highlight: bool = True


@dataclass(frozen=True)
class SearchHit:
    """One result, with HTML-escaped, highlighted title and fragment."""

    doc_id: str
    number: str
    title: str
    doc_type: str
    department: str
    published: datetime
    title_html: str
    fragment_html: str
    score: float
    missing: tuple[str, ...] = ()  # words of the query this document lacks


@dataclass(frozen=True)
class SearchResults:
    """One page of hits plus counts over all matches."""

    hits: list[SearchHit]
    total: int
    page: int
    per_page: int
    pages: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    suggestion: str | None = None
    notices: tuple[str, ...] = ()
    # How the query was understood, for the page and the API to say so:
    ignored: tuple[str, ...] = ()  # operators and signs typed but not honoured
    excluded: tuple[str, ...] = ()  # words whose documents were left out (NOT, -word)
    all_words: int | None = None  # documents with every word, when others are shown too
    missing: tuple[str, ...] = ()  # words no result has
    corrected: str | None = None  # the query searched instead, when nothing had every word
    closest: bool = False  # no document matched the words; these share parts of the query
