"""Page numbers that are always in range, whatever the address says."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Pager:
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    def numbers(self, around: int = 2) -> list[int | None]:
        """The page numbers a pager shows: the first, the last and `around` pages either
        side of this one; None where a run of pages is left out (shown as an ellipsis)."""
        shown = {1, self.pages, *range(self.page - around, self.page + around + 1)}
        numbers: list[int | None] = []
        for number in sorted(n for n in shown if 1 <= n <= self.pages):
            if numbers and number - (numbers[-1] or 0) == 2:
                numbers.append(number - 1)  # a gap of one page: show it rather than "…"
            elif numbers and number - (numbers[-1] or 0) > 2:
                numbers.append(None)
            numbers.append(number)
        return numbers


def parse_page(raw: str | None) -> int:
    """A page number from a query string: anything odd becomes 1."""
    try:
        value = int(str(raw or "1").strip()[:6])
    except ValueError:
        return 1
    return max(1, value)


def make_pager(page: int, per_page: int, total: int) -> Pager:
    pages = max(1, -(-total // per_page))
    return Pager(min(max(1, page), pages), per_page, total)


def count_rows(db: Session, query: Select) -> int:
    return db.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0


def paginate(db: Session, query: Select, page: int, per_page: int) -> tuple[list, Pager]:
    """One page of `query`'s rows and its pager (the total counted in the database)."""
    pager = make_pager(page, per_page, count_rows(db, query))
    return list(db.scalars(query.offset(pager.offset).limit(per_page))), pager
