"""Full-text index of published documents (Whoosh). No Flask imports here:
the portal calls this package, never the reverse, so the engine can be
swapped without touching the web app.

Modules: `model` (the values passed in and out), `analysis` (words, bigrams,
normalisation), `schema` and `codec` (how documents are stored in Whoosh),
`build` and `worker` (parallel rebuilds), `index` (`SearchIndex`: reading,
writing, generations), `snapshot` (one open view of the index), `parse`,
`engine` (matching and ranking), `highlight`, `spelling`, `synonyms`, and `pages`
(the guide pages of site search, held in memory).
"""

from .index import IndexBusyError, IndexFormatError, SearchIndex, document_count, ensure_index
from .model import IndexDocument, SearchHit, SearchQuery, SearchResults
from .synonyms import load_synonyms, parse_synonyms

__all__ = [
    "IndexBusyError",
    "IndexDocument",
    "IndexFormatError",
    "SearchHit",
    "SearchIndex",
    "SearchQuery",
    "SearchResults",
    "document_count",
    "ensure_index",
    "load_synonyms",
    "parse_synonyms",
]
