"""Fixtures for the search engine: real Whoosh indexes in tmp_path, no Flask."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from itertools import count
from pathlib import Path

import pytest

from search import IndexDocument, SearchIndex, ensure_index

DocFactory = Callable[..., IndexDocument]


@pytest.fixture
def make_doc() -> DocFactory:
    """Factory: a published document with sensible defaults and a fresh id."""
    ids = count(1)

    def make(
        title: str = "通知公告",
        body: str = "",
        *,
        doc_id: str | None = None,
        number: str = "",
        doc_type: str = "announcement",
        department: str = "办公室",
        language: str = "zh_Hans",
        published: datetime | None = None,
        year: int = 2024,
    ) -> IndexDocument:
        return IndexDocument(
            doc_id=doc_id or str(next(ids)),
            number=number,
            title=title,
            body=body,
            doc_type=doc_type,
            department=department,
            language=language,
            published=published or datetime(year, 6, 1, 8, 0, tzinfo=UTC),
        )

    return make


@pytest.fixture
def index_dir(tmp_path: Path) -> str:
    path = str(tmp_path / "index")
    ensure_index(path)
    return path


@pytest.fixture
def index(index_dir: str) -> Iterator[SearchIndex]:
    search_index = SearchIndex(index_dir)
    yield search_index
    search_index.close()
