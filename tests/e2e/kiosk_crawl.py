"""Walk every page a kiosk visitor can reach by following links from the start screen."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from urllib.parse import urldefrag, urljoin, urlsplit

from playwright.sync_api import Page

# Links that change state rather than show a page; the crawl must not follow them.
# The calendar's month-to-month links go on without end: its first month is enough.
SKIP_PREFIXES = ("/kiosk/end", "/language/", "/display/", "/static/", "/open-days/calendar?")

LINKS = "() => Array.from(document.querySelectorAll('a[href]'), a => a.href)"


def kiosk_pages(
    page: Page,
    start: str = "/kiosk/",
    limit: int = 60,
    also: tuple[str, ...] = (),
    variants: int = 3,
) -> Iterator[str]:
    """Open each same-site page reachable from `start` (breadth first, at most `limit`),
    yielding its path while the page is loaded, so the caller can check it.

    `also` adds starting points a visitor reaches by typing (a search); `variants`
    bounds how many query strings of one path are opened, so that an endless
    series (a calendar's next month) does not use up the limit."""
    origin = urlsplit(page.url if page.url.startswith("http") else "http://x/")
    seen: set[str] = set()
    queued_per_path: Counter[str] = Counter()
    queue = [start, *also]
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        page.goto(path)
        yield path
        origin = urlsplit(page.url)
        for href in page.evaluate(LINKS):
            url, _ = urldefrag(urljoin(page.url, href))
            parts = urlsplit(url)
            if parts.scheme not in {"http", "https"} or parts.netloc != origin.netloc:
                continue  # the caller's checks report links that leave the site
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target in seen or target in queue or target.startswith(SKIP_PREFIXES):
                continue
            if queued_per_path[parts.path] < variants:
                queued_per_path[parts.path] += 1
                queue.append(target)


def check_every_page(page: Page, check: Callable[[Page, str], None], **kwargs: object) -> int:
    """Run `check` on every reachable kiosk page; returns how many pages were checked."""
    count = 0
    for path in kiosk_pages(page, **kwargs):  # type: ignore[arg-type]
        check(page, path)
        count += 1
    return count
