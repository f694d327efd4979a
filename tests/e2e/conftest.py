"""Browser tests: a live portal on a free port, Debian's Chromium through Playwright.

Every page a test visits must be checked (`a11y.check(page)`): axe-core on the
page as shown, and the Nu Html Checker on the HTML the portal served. A page
visited but never checked fails the test at teardown, and so does any
Content-Security-Policy violation or script error reported by the browser.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, Response, sync_playwright
from playwright.sync_api import Error as PlaywrightError
from werkzeug.serving import make_server

from portal.config import PROJECT_ROOT

from .nu_checker import NuChecker, describe

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_SOURCE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"

pytestmark = pytest.mark.e2e

# Inputs a person fills in must have a real <label> (axe accepts a placeholder).
UNLABELLED_FIELDS = """() => [...document.querySelectorAll('input, select, textarea')]
  .filter(el => !['hidden', 'submit', 'button'].includes(el.type))
  .filter(el => !(el.id && document.querySelector(`label[for="${el.id}"]`))
             && !el.closest('label') && !el.getAttribute('aria-labelledby'))
  .map(el => el.name || el.id || el.outerHTML.slice(0, 80))"""

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary),
  }));
}"""


@dataclass
class PageWatch:
    """What the browser did on one page: where it went, what was checked, what broke."""

    visited: list[str] = field(default_factory=list)
    checked: set[str] = field(default_factory=set)
    console_errors: list[str] = field(default_factory=list)
    served: dict[Page, Response] = field(default_factory=dict)  # last HTML document per page


class LiveServer:
    def __init__(self, app: Flask) -> None:
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.thread.join(timeout=10)


@pytest.fixture
def live_server(app: Flask) -> Iterator[LiveServer]:
    with LiveServer(app) as server:
        app.config["PUBLIC_URL"] = server.url  # links and redirects name where the browser is
        yield server


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


def _path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture(scope="session")
def nu_checker() -> Iterator[NuChecker]:
    checker = NuChecker()
    yield checker
    checker.close()


def _served_html(page: Page, watch: PageWatch) -> bytes:
    """The body of the response that produced the page now shown; the DOM only when
    the browser kept no body (a page restored from its history cache)."""
    response = watch.served.get(page)
    if response is not None and _path_of(response.url) == _path_of(page.url):
        try:
            return response.body()
        except PlaywrightError:
            pass
    return page.content().encode()


class A11y:
    """Checks the current page (axe-core, labels, the Nu Html Checker) and remembers
    that it did."""

    def __init__(self, watch: PageWatch, checker: NuChecker) -> None:
        self.watch = watch
        self.checker = checker
        self.source = AXE_SOURCE.read_text()

    def check(self, page: Page) -> None:
        page.wait_for_load_state("load")
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(self.source + "\n;undefined")
        violations = page.evaluate(RUN_AXE, AXE_TAGS)
        assert violations == [], f"axe violations on {page.url}: {violations}"
        unlabelled = page.evaluate(UNLABELLED_FIELDS)
        assert unlabelled == [], f"fields without a label on {page.url}: {unlabelled}"
        self.check_html(page)
        self.watch.checked.add(_path_of(page.url))

    def check_html(self, page: Page) -> None:
        html = _served_html(page, self.watch)
        errors = self.checker.errors(html)
        assert errors == [], describe(page.url, html, errors)


@pytest.fixture
def watch() -> PageWatch:
    return PageWatch()


@pytest.fixture
def a11y(watch: PageWatch, nu_checker: NuChecker) -> A11y:
    return A11y(watch, nu_checker)


def _open_page(browser: Browser, watch: PageWatch, **context_args: Any) -> Iterator[Page]:
    context = browser.new_context(**context_args)
    page = context.new_page()
    page.set_default_timeout(15_000)

    def on_navigate(frame: Any) -> None:
        if frame == page.main_frame and frame.url.startswith("http"):
            watch.visited.append(_path_of(frame.url))

    page.on("framenavigated", on_navigate)

    def on_console(msg: Any) -> None:
        # A page that is itself a 404 or 429 logs its status; failed
        # sub-resources are caught by on_response instead.
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            watch.console_errors.append(msg.text)

    def on_response(response: Response) -> None:
        document = response.request.resource_type == "document"
        if response.status >= 400 and not document:
            watch.console_errors.append(f"{response.status} for {response.url}")
        if document and response.frame == page.main_frame and not 300 <= response.status < 400:
            watch.served[page] = response

    page.on("console", on_console)
    page.on("response", on_response)
    page.on("pageerror", lambda exc: watch.console_errors.append(str(exc)))
    yield page
    context.close()
    unchecked = [url for url in watch.visited if url not in watch.checked]
    assert unchecked == [], f"pages visited without an accessibility check: {unchecked}"
    assert watch.console_errors == [], f"browser errors: {watch.console_errors}"


@pytest.fixture
def page(browser: Browser, watch: PageWatch, live_server: LiveServer) -> Iterator[Page]:
    """A desktop browser that prefers Chinese, as most visitors do."""
    yield from _open_page(
        browser,
        watch,
        base_url=live_server.url,
        locale="zh-CN",
        viewport={"width": 1280, "height": 900},
    )


@pytest.fixture
def kiosk_page(browser: Browser, watch: PageWatch, live_server: LiveServer) -> Iterator[Page]:
    """A 1080×1920 portrait touch screen, as in the liaison offices."""
    yield from _open_page(
        browser,
        watch,
        base_url=live_server.url,
        locale="zh-CN",
        viewport={"width": 1080, "height": 1920},
        has_touch=True,
        is_mobile=False,
    )


@pytest.fixture
def kiosk_landscape_page(
    browser: Browser, watch: PageWatch, live_server: LiveServer
) -> Iterator[Page]:
    """A 1920×1080 landscape touch screen."""
    yield from _open_page(
        browser,
        watch,
        base_url=live_server.url,
        locale="zh-CN",
        viewport={"width": 1920, "height": 1080},
        has_touch=True,
        is_mobile=False,
    )


def enrol_screen(page: Page, app: Flask, a11y: A11y, name: str = "大厅屏幕") -> int:
    """Make the browser of `page` a kiosk the way an administrator does: register it,
    open the one-time link on the screen, press the button. Returns the kiosk's id."""
    from portal.db import get_session
    from portal.kiosk import services

    with app.app_context():
        db = get_session()
        kiosk, token = services.register_kiosk(db, name=name, office_id=None, actor="test")
        db.commit()
        kiosk_id = kiosk.id
    page.goto(f"/kiosk/enrol/{token}")
    a11y.check(page)
    page.get_by_role("button", name="启用此屏幕").click()
    page.wait_for_url("**/kiosk/")
    a11y.check(page)
    return kiosk_id


@pytest.fixture
def phone_page(browser: Browser, watch: PageWatch, live_server: LiveServer) -> Iterator[Page]:
    """A 360 px wide phone with touch."""
    yield from _open_page(
        browser,
        watch,
        base_url=live_server.url,
        locale="zh-CN",
        viewport={"width": 360, "height": 740},
        has_touch=True,
        is_mobile=True,
    )


@pytest.fixture
def en_page(browser: Browser, watch: PageWatch, live_server: LiveServer) -> Iterator[Page]:
    """A desktop browser that prefers English."""
    yield from _open_page(
        browser,
        watch,
        base_url=live_server.url,
        locale="en-GB",
        viewport={"width": 1280, "height": 900},
    )
