"""Absolute addresses come from PORTAL_PUBLIC_URL, never from the request.

A client chooses the Host and X-Forwarded-Host headers it sends. Flask builds
`url_for(..., _external=True)` from them by default, so a forged host would
end up in mail, feeds, the sitemap, QR codes and calendar files, and in the
page cache for every later visitor. Here Flask's URL adapter is bound to the
configured public address (scheme, host and path) for every request and for
code that runs outside a request (cron commands), so there is one place where
an absolute address is made, and the request's host takes no part in it.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import SplitResult, urlsplit

from flask import Flask, Request, current_app
from werkzeug.routing import MapAdapter


@lru_cache(maxsize=8)
def _split(url: str) -> SplitResult:
    return urlsplit(url)


def public_base(app: Flask | None = None) -> SplitResult:
    """The configured public address, split (config.py has normalised it)."""
    return _split(str((app or current_app).config["PUBLIC_URL"]))


def public_host(app: Flask | None = None) -> str:
    """The public host name, e.g. for identifiers that must name the site."""
    return public_base(app).hostname or "localhost"


class PortalFlask(Flask):
    """Flask whose URL building always uses the public address."""

    def create_url_adapter(self, request: Request | None) -> MapAdapter | None:
        base = public_base(self)
        adapter = super().create_url_adapter(request)
        if adapter is None:  # outside a request, without SERVER_NAME
            return self.url_map.bind(base.netloc, base.path or "/", url_scheme=base.scheme)
        # Matching uses only the path; building uses these three.
        adapter.server_name = base.netloc
        adapter.url_scheme = base.scheme
        adapter.script_name = base.path.rstrip("/") + "/"
        return adapter
