"""Legal-education articles (法治宣传) related to a question and answer or a guide page.

Found through the document search engine, so that they follow the same words,
synonyms and question handling as site search; the database has the last
word, so an article withdrawn since it was indexed is never offered. Only
hits that contain what was searched count: the engine's looser tiers (the
closest match, documents with only most of the words) would offer articles
that merely share a character or two, and a hit far weaker than the best one
in its language is dropped for the same reason.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from search import IndexFormatError, SearchQuery

from .indexing import get_index
from .models import Document

ARTICLE_TYPE = "legal_education"
LIMIT = 3
# A hit under this share of the best score in its language is only loosely related.
MIN_SHARE = 0.3
_CANDIDATES = 12


def either(words: Sequence[str]) -> str:
    """One search matching any of `words`; a phrase of several words is kept whole."""
    terms = []
    for word in words:
        word = " ".join(word.replace('"', " ").split())
        if word:
            terms.append(f'"{word}"' if " " in word else word)
    return " OR ".join(terms)


def _ranked(text: str) -> list[tuple[int, float]]:
    """(id, score) of the published articles matching every clause of `text`, best first."""
    query = SearchQuery(text=text, doc_types=(ARTICLE_TYPE,), per_page=_CANDIDATES, highlight=False)
    try:
        results = get_index().search(query)
    except IndexFormatError:  # an index waiting for a rebuild must not break the page
        return []
    if results.closest:
        return []
    return [
        (int(hit.doc_id), hit.score)
        for hit in results.hits
        if not hit.missing and hit.doc_id.isdigit()
    ]


def _strong(found: list[tuple[Document, float]]) -> list[Document]:
    """Drop hits far weaker than the best of their language: a word the article only
    mentions in passing, or a synonym in the other language."""
    best: dict[str, float] = {}
    for doc, score in found:
        best[doc.language] = max(best.get(doc.language, 0.0), score)
    return [doc for doc, score in found if score >= best[doc.language] * MIN_SHARE]


def related_articles(
    db: Session,
    searches: Sequence[str],
    language: str,
    limit: int = LIMIT,
) -> list[Document]:
    """Up to `limit` published articles found by the first of `searches`, then the
    next while there are fewer; in `language` first, one per title."""
    chosen: list[Document] = []
    for text in searches:
        if len(chosen) >= limit or not text.strip():
            continue
        ranked = _ranked(text)
        if not ranked:
            continue
        rows = db.scalars(
            select(Document).where(
                Document.id.in_([i for i, _score in ranked]),
                Document.doc_type == ARTICLE_TYPE,
                Document.status == "published",
            )
        )
        by_id = {doc.id: doc for doc in rows}
        found = _strong([(by_id[i], score) for i, score in ranked if i in by_id])
        found.sort(key=lambda doc: doc.language != language)  # stable: rank within a language
        titles = {doc.title for doc in chosen}
        for doc in found:
            if doc.title not in titles:
                titles.add(doc.title)
                chosen.append(doc)
    return chosen[:limit]
