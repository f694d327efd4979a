"""Security defaults every response and form carries."""

from __future__ import annotations

import re

import pytest

from .helpers import csrf_token

PUBLIC_PAGES = ["/", "/guide/", "/areas/complaints", "/staff/login", "/no-such-page"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_security_headers(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_pages_have_no_inline_script_or_style(client, path):
    html = client.get(path).text
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag, tag
    assert "<style" not in html
    assert not re.search(r"\son[a-z]+=", html), "inline event handler"
    assert ' style="' not in html


def test_post_without_csrf_token_is_refused_and_keeps_what_was_typed(client):
    response = client.post(
        "/staff/login", data={"username": "clerk<script>", "password": "secret-value"}
    )
    assert response.status_code == 400
    assert "This form has expired" in response.text
    assert "clerk&lt;script&gt;" in response.text  # kept, and escaped
    assert "secret-value" not in response.text  # passwords are never echoed
    assert 'href="/staff/login"' in response.text


def test_oversized_request_gets_the_413_page(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    token = csrf_token(client, "/staff/login")
    response = client.post(
        "/staff/login", data={"csrf_token": token, "username": "x" * 20_000, "password": "p"}
    )
    assert response.status_code == 413
    assert "too large" in response.text


def test_session_cookie_is_httponly_and_samesite(client):
    response = client.get("/staff/login")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain HTTP in development


def test_session_cookie_is_secure_over_https(client):
    response = client.get("/staff/login", base_url="https://portal.example")
    assert "Secure" in response.headers["Set-Cookie"]
    assert "Strict-Transport-Security" in response.headers


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"]
)
def test_switchers_never_redirect_off_site(client, target):
    for path in ("/language/en", "/display/large-text/on"):
        response = client.get(path, query_string={"next": target})
        assert response.headers["Location"] == "/"


def test_staff_pages_are_not_cached(client, login_as):
    login_as("admin")
    assert "no-store" in client.get("/staff/audit").headers["Cache-Control"]


def test_logout_needs_a_post_with_token(client, login_as):
    login_as("editor")
    assert client.get("/staff/logout").status_code == 405
    assert client.post("/staff/logout").status_code == 400
    assert client.get("/staff/").status_code == 200


@pytest.mark.parametrize("path", ["/language/en", "/display/large-text/on"])
def test_preference_cookies_are_secure_whenever_the_session_cookie_is(app, path):
    """Production behind a proxy that does not say https: the setting decides, not the request."""
    from portal import create_app

    keep = ("SECRET_KEY", "DATABASE_URL", "INSTANCE_PATH", "INDEX_DIR")
    forced = create_app({**{k: app.config[k] for k in keep}, "FORCE_HTTPS_COOKIES": True})
    cookies = forced.test_client().get(path).headers.getlist("Set-Cookie")
    forced.extensions["portal.db"].dispose()
    assert cookies and all("; Secure" in cookie for cookie in cookies)
    # Development over plain HTTP: not Secure, or the browser would drop them.
    plain = app.test_client().get(path).headers.getlist("Set-Cookie")
    assert plain and not any("Secure" in cookie for cookie in plain)
