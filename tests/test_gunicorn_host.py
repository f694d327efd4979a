"""Through gunicorn: a forged Host never reaches the cached sitemap and feeds."""

from __future__ import annotations

import http.client
from urllib.parse import urlsplit

from .live_gunicorn import gunicorn, portal_env

PUBLIC = "https://portal.example.gov.cn"
PATHS = ["/sitemap.xml", "/documents/feed/all.atom", "/documents/feed/indictment.atom"]


def _get(base: str, path: str, headers: dict[str, str]) -> tuple[int, str]:
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def test_forged_host_headers_never_reach_any_visitor(app, publish_document, tmp_path):
    publish_document()
    env = portal_env(
        app, ENV="production", ALLOW_SQLITE_IN_PRODUCTION="1", PUBLIC_URL=PUBLIC, PROXY_COUNT="1"
    )
    forged = {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}
    with gunicorn(env, tmp_path / "gunicorn.log", workers=2) as base:
        # Forged first, on both workers (each keeps its own page cache), then ordinary visits.
        answers = [_get(base, path, forged) for path in PATHS for _ in range(4)]
        answers += [_get(base, path, {}) for path in PATHS for _ in range(4)]
    for status, body in answers:
        assert status == 200
        assert "evil.example" not in body
        assert f"{PUBLIC}/documents/" in body
