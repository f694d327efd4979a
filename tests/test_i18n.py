"""Both languages, complete catalogs, and the switcher."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from portal.catalogs import problems
from portal.config import PROJECT_ROOT

TRANSLATIONS = PROJECT_ROOT / "translations"


def _ids(path: Path) -> set[str]:
    with path.open("rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


@pytest.mark.parametrize("locale", ["zh_Hans", "en"])
def test_catalog_is_complete(locale):
    po = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"
    assert problems(po) == []
    assert _ids(po) == _ids(TRANSLATIONS / "messages.pot"), "run `make strings`"


def test_template_is_not_stale(tmp_path):
    """Every message in the code and templates is in messages.pot, and nothing else."""
    fresh = tmp_path / "fresh.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "-q",
            "extract",
            "-F",
            str(PROJECT_ROOT / "babel.cfg"),
            "-k",
            "lazy_gettext",
            "-k",
            "_l",
            "-o",
            str(fresh),
            ".",
        ],
        cwd=PROJECT_ROOT,
        check=True,
        capture_output=True,
    )
    assert _ids(fresh) == _ids(TRANSLATIONS / "messages.pot"), "run `make strings`"


def test_chinese_is_the_default(app):
    html = app.test_client().get("/").text
    assert '<html lang="zh-Hans"' in html
    assert "服务指南" in html


def test_accept_language_english(client):
    html = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.8"}).text
    assert '<html lang="en"' in html
    assert "Service guides" in html
    assert "服务指南" not in html


def test_switcher_cookie_wins_over_accept_language(client):
    response = client.get("/language/en", query_string={"next": "/guide/"})
    assert response.status_code == 303 and response.headers["Location"] == "/guide/"
    html = client.get("/guide/", headers={"Accept-Language": "zh-CN"}).text
    assert '<html lang="en"' in html


def test_unknown_language_falls_back_to_the_default(client):
    client.get("/language/xx-klingon")
    assert client.get_cookie("portal_lang").value == "zh_Hans"
    html = client.get("/", headers={"Accept-Language": "en"}).text
    assert '<html lang="zh-Hans"' in html


def test_traditional_chinese_request_gets_simplified(client):
    assert '<html lang="zh-Hans"' in client.get("/", headers={"Accept-Language": "zh-TW"}).text


def test_large_text_mode_stays_on_across_pages(client):
    client.get("/display/large-text/on", query_string={"next": "/"})
    for path in ("/", "/guide/", "/areas/open-days", "/staff/login"):
        assert 'class="large-text"' in client.get(path, follow_redirects=True).text
    client.get("/display/large-text/off")
    assert 'class="large-text"' not in client.get("/").text
