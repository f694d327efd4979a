"""Index schema: one Whoosh document per published document."""

from __future__ import annotations

from whoosh.fields import DATETIME, ID, STORED, TEXT, Schema


def build_schema() -> Schema:
    return Schema(
        doc_id=ID(stored=True, unique=True),
        title=TEXT(stored=True, field_boost=2.0),
        body=TEXT,
        published=DATETIME(stored=True, sortable=True),
        url=STORED,
    )
