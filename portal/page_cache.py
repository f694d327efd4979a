"""A per-process cache of rendered public pages, exact across processes.

Public pages are the same for every visitor who shares a language and a
text size, so each worker keeps the rendered HTML keyed by path, language and
text size. What they show changes only when content changes, and every change
to public content bumps one counter in the database (`bump_generation`, in
the same transaction). A worker compares the counter at most once a second,
and at once after its own commit, so other workers' changes show within a
second and a worker's own at the next request.

Only anonymous GETs of views marked `@cached_page` are cached, never a
response that sets a cookie, carries a flashed message, or is not a 200.
Pages with forms must not be marked: their CSRF token is per visitor.

The key has no host on purpose: every absolute link is built from
PORTAL_PUBLIC_URL (public_url.py), so a page is the same whatever Host the
request named, and a forged Host cannot put its name into a cached page.
"""

from __future__ import annotations

import functools
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, Response, current_app, g, make_response, request, session
from sqlalchemy import Integer, event, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from .db import Base
from .i18n import current_locale, large_text_enabled

F = TypeVar("F", bound=Callable[..., Any])

RECHECK_SECONDS = 1.0
MAX_ENTRIES = 2048

# Bumped after a commit in this process that changed public content.
_local_epoch = 0


class SiteGeneration(Base):
    """One row whose value changes whenever public content changes."""

    __tablename__ = "site_generation"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


def bump_generation(db: Session) -> None:
    """Mark public content as changed; call in the transaction that changes it."""
    result = db.execute(update(SiteGeneration).values(value=SiteGeneration.value + 1))
    if result.rowcount == 0:  # type: ignore[attr-defined]
        db.add(SiteGeneration(id=1, value=1))
    db.info["content_changed"] = True


@event.listens_for(Session, "after_commit")
def _after_commit(db: Session) -> None:
    global _local_epoch
    if db.info.pop("content_changed", False):
        _local_epoch += 1


@event.listens_for(Session, "after_rollback")
def _after_rollback(db: Session) -> None:
    db.info.pop("content_changed", None)


class PageCache:
    def __init__(self, app: Flask) -> None:
        self.app = app
        self.entries: OrderedDict[tuple[Any, ...], tuple[bytes, str]] = OrderedDict()
        self.lock = threading.Lock()
        self.generation: int | None = None
        self.checked_at = 0.0
        self.seen_epoch = -1

    def _read_generation(self) -> int:
        engine = self.app.extensions["portal.db"].engine
        with engine.connect() as conn:
            value = conn.exec_driver_sql("SELECT value FROM site_generation WHERE id = 1").scalar()
        return int(value or 0)

    def _refresh(self) -> int:
        now = time.monotonic()
        if (
            self.generation is None
            or self.seen_epoch != _local_epoch
            or now - self.checked_at > RECHECK_SECONDS
        ):
            epoch = _local_epoch
            generation = self._read_generation()
            with self.lock:
                if generation != self.generation:
                    self.entries.clear()
                self.generation, self.checked_at, self.seen_epoch = generation, now, epoch
        return self.generation  # type: ignore[return-value]

    def get(self, key: tuple[Any, ...]) -> tuple[bytes, str] | None:
        with self.lock:
            hit = self.entries.get(key)
            if hit is not None:
                self.entries.move_to_end(key)
            return hit

    def put(self, key: tuple[Any, ...], value: tuple[bytes, str]) -> None:
        with self.lock:
            self.entries[key] = value
            while len(self.entries) > MAX_ENTRIES:
                self.entries.popitem(last=False)


def init_app(app: Flask) -> None:
    app.extensions["portal.page_cache"] = PageCache(app)


def current_generation(app: Flask) -> int:
    """The site generation as the page cache sees it: anything built from public
    content at another generation is out of date."""
    cache: PageCache = app.extensions["portal.page_cache"]
    return cache._refresh()


def cached_page(view: F) -> F:
    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if (
            request.method != "GET"
            or session.get("_flashes")
            or "staff_id" in session
            or g.get("kiosk") is not None  # the kiosk shell is never served to the web
        ):
            return view(*args, **kwargs)
        cache: PageCache = current_app.extensions["portal.page_cache"]
        generation = cache._refresh()
        key = (generation, request.full_path, current_locale(), large_text_enabled())
        hit = cache.get(key)
        if hit is not None:
            body, mimetype = hit
            return Response(body, status=200, mimetype=mimetype)
        response = make_response(view(*args, **kwargs))
        if (
            response.status_code == 200
            and "Set-Cookie" not in response.headers
            and not response.direct_passthrough
        ):
            cache.put(key, (response.get_data(), response.mimetype or "text/html"))
        return response

    return wrapper  # type: ignore[return-value]
