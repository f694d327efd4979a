"""Security defaults applied to every response, and safe-redirect checks."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, current_app, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "geolocation=(), microphone=(), payment=()",
}


def cookies_secure(app: Flask | None = None) -> bool:
    """Whether this response's cookies are Secure: always in production (or with
    PORTAL_FORCE_HTTPS_COOKIES), whatever the proxy says; otherwise on HTTPS requests.
    Every cookie the portal sets asks here, so none is weaker than the session's."""
    config = (app or current_app).config
    return bool(config["SESSION_COOKIE_SECURE"]) or request.is_secure


class SessionInterface(SecureCookieSessionInterface):
    """Marks the session cookie Secure as `cookies_secure` says."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return cookies_secure(app)


def is_safe_next(target: str | None) -> bool:
    """Only paths on this site: no scheme, no host, no protocol-relative tricks."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def init_app(app: Flask) -> None:
    app.session_interface = SessionInterface()
    proxies = int(app.config.get("PROXY_COUNT") or 0)
    if proxies:
        # The client address and scheme only: X-Forwarded-Host is never trusted, and
        # absolute links come from PUBLIC_URL (public_url.py), not from any header.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=0
        )

    @app.after_request
    def _security_headers(response: Response) -> Response:
        # One pass over the headers: werkzeug's per-key lookups raise and catch
        # internally, which made this hook a noticeable part of a cached page.
        present = {key.lower() for key in response.headers.keys()}  # noqa: SIM118
        missing = [(name, value) for name, value in HEADERS.items() if name.lower() not in present]
        if request.is_secure and "strict-transport-security" not in present:
            missing.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))
        if "cache-control" not in present and response.mimetype == "text/html":
            # Pages can carry a visitor's own data; shared caches must not keep them.
            missing.append(("Cache-Control", "private, no-store"))
        response.headers.extend(missing)
        return response
