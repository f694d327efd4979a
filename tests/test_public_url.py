"""Absolute links name the configured public address, whatever Host a request claims."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from portal import create_app

PUBLIC = "https://portal.example.gov.cn"
FORGED = {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}


def behind_proxy(app: Flask) -> Flask:
    """`app` as deployed behind one proxy (PROXY_COUNT=1), with its public address set."""
    keep = ("MAIL_SERVER", "MAIL_PORT", "SECRET_KEY", "DATABASE_URL", "INSTANCE_PATH", "INDEX_DIR")
    settings = {k: app.config[k] for k in keep}
    return create_app({**settings, "TESTING": True, "PROXY_COUNT": 1, "PUBLIC_URL": PUBLIC})


@pytest.fixture
def proxied_app(app: Flask) -> Iterator[Flask]:
    proxied = behind_proxy(app)
    yield proxied
    proxied.extensions["portal.db"].dispose()


@pytest.mark.parametrize(
    "path", ["/sitemap.xml", "/documents/feed/all.atom", "/documents/feed/indictment.atom"]
)
def test_a_forged_host_does_not_reach_cached_sitemap_or_feeds(proxied_app, publish_document, path):
    publish_document()
    client = proxied_app.test_client()
    forged = client.get(path, headers=FORGED)  # first: the page cache keeps this answer
    later = client.get(path)  # an ordinary visitor, answered from the cache
    for response in (forged, later):
        assert response.status_code == 200
        assert "evil.example" not in response.text
        assert f"{PUBLIC}/documents/" in response.text
    assert later.data == forged.data


def test_api_addresses_name_the_public_site(proxied_app, publish_document):
    publish_document(number="示检刑诉〔2021〕950号")
    listing = proxied_app.test_client().get("/api/v1/documents", headers=FORGED).json
    url = listing["documents"][0]["url"]
    assert url.startswith(f"{PUBLIC}/documents/")


def test_links_outside_a_request_name_the_public_site(proxied_app):
    from flask import url_for

    with proxied_app.app_context():
        assert url_for("booking.find_booking", _external=True) == f"{PUBLIC}/open-days/find"


def test_a_public_address_under_a_path_prefixes_every_link(app):
    app.config["PUBLIC_URL"] = "https://www.example.gov.cn/portal"
    response = app.test_client().get("/sitemap.xml", headers=FORGED)
    assert "https://www.example.gov.cn/portal/documents/" in response.text
    assert "evil.example" not in response.text
