"""Page numbers a pager shows: both ends, the pages around this one, an ellipsis for gaps."""

from __future__ import annotations

import pytest

from portal.pagination import make_pager


@pytest.mark.parametrize(
    ("page", "pages", "shown"),
    [
        (1, 1, [1]),
        (1, 5, [1, 2, 3, 4, 5]),  # a gap of one page shows the page, not "…"
        (1, 21, [1, 2, 3, None, 21]),
        (10, 21, [1, None, 8, 9, 10, 11, 12, None, 21]),
        (21, 21, [1, None, 19, 20, 21]),
        (4, 21, [1, 2, 3, 4, 5, 6, None, 21]),
    ],
)
def test_page_numbers(page: int, pages: int, shown: list[int | None]) -> None:
    assert make_pager(page, 10, pages * 10).numbers() == shown
