"""The Nu HTML checker behind `a11y.check(page)`: it reports what is wrong, and where."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from .nu_checker import NuChecker, describe

# Line 6 repeats an id; line 7 closes a <div> that was never opened (the browser
# drops that end tag, so only the HTML as served shows it).
BROKEN = b"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Broken on purpose</title></head>
<body><main>
<h1>Broken on purpose</h1>
<p id="twice">One</p><p id="twice">Two</p>
<p>Three</p></div>
</main></body>
</html>
"""


def test_the_checker_reports_errors_with_their_line(nu_checker: NuChecker):
    errors = nu_checker.errors(BROKEN)

    report = describe("http://127.0.0.1/broken", BROKEN, errors)
    assert "http://127.0.0.1/broken line 6, column" in report
    assert "Duplicate ID “twice”" in report
    assert "http://127.0.0.1/broken line 7, column" in report
    assert "Stray end tag “div”" in report
    assert "<p>Three</p></div>" in report  # the served line, to find the template by


def test_a_conforming_page_has_no_errors(nu_checker: NuChecker):
    fixed = BROKEN.replace(b'<p id="twice">Two', b"<p>Two").replace(b"</p></div>", b"</p>")

    assert nu_checker.errors(fixed) == []


def test_a_page_served_with_an_error_fails_its_check(page: Page, a11y, live_server):
    page.route(
        "**/broken-on-purpose",
        lambda route: route.fulfill(
            status=200, content_type="text/html; charset=utf-8", body=BROKEN
        ),
    )
    page.goto("/broken-on-purpose")

    with pytest.raises(AssertionError) as failure:
        a11y.check(page)
    message = str(failure.value)
    assert f"{live_server.url}/broken-on-purpose line 6" in message
    assert "Duplicate ID “twice”" in message
    assert "Stray end tag “div”" in message
    a11y.watch.checked.add("/broken-on-purpose")  # the page was checked: it failed
