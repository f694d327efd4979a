"""Cached public pages stay right for each visitor and follow content changes."""

from __future__ import annotations

import time

from sqlalchemy import text

from portal.pages.services import load_pages


def _page(folder, slug, title):
    folder.mkdir(exist_ok=True)
    (folder / f"{slug}.en.md").write_text(f"---\ntitle: {title}\n---\nBody of {title}.\n")


def test_each_visitor_gets_their_own_language_and_text_size(app):
    visitors = [
        ({}, {}, 'lang="zh-Hans"', False),
        ({"Accept-Language": "en"}, {}, 'lang="en"', False),
        ({}, {"portal_lang": "en", "portal_large_text": "1"}, 'lang="en"', True),
        ({"Accept-Language": "en"}, {"portal_large_text": "1"}, 'lang="en"', True),
        ({}, {"portal_large_text": "1"}, 'lang="zh-Hans"', True),
    ]
    browsers = []
    for _headers, cookies, _lang, _large in visitors:
        browser = app.test_client()
        for name, value in cookies.items():
            browser.set_cookie(name, value)
        browsers.append(browser)
    for _round in range(3):  # the later rounds are served from the cache
        for browser, (headers, _cookies, lang, large) in zip(browsers, visitors, strict=True):
            html = browser.get("/guide/", headers=headers).text
            assert f"<html {lang}" in html
            assert ('class="large-text"' in html) is large


def test_a_change_in_this_process_shows_at_once(app, db, tmp_path):
    client = app.test_client()
    _page(tmp_path, "news", "First title")
    load_pages(db, tmp_path)
    db.commit()
    assert "First title" in client.get("/guide/news", headers={"Accept-Language": "en"}).text
    _page(tmp_path, "news", "Second title")
    load_pages(db, tmp_path)
    db.commit()
    assert "Second title" in client.get("/guide/news", headers={"Accept-Language": "en"}).text
    assert "Second title" in client.get("/guide/", headers={"Accept-Language": "en"}).text


def test_a_change_by_another_process_shows_within_a_second(app, db, tmp_path):
    client = app.test_client()
    _page(tmp_path, "news", "Old title")
    load_pages(db, tmp_path)
    db.commit()
    assert "Old title" in client.get("/guide/news", headers={"Accept-Language": "en"}).text
    # Another worker changes the page: only the database knows.
    db.execute(text("UPDATE pages SET title = 'New title' WHERE slug = 'news'"))
    db.execute(text("UPDATE site_generation SET value = value + 1"))
    db.commit()
    cache = app.extensions["portal.page_cache"]
    cache.checked_at = time.monotonic() - 1.5  # a second and a half later
    assert "New title" in client.get("/guide/news", headers={"Accept-Language": "en"}).text


def test_flashed_messages_are_never_served_from_the_cache(client):
    client.get("/guide/")
    with client.session_transaction() as session:
        session["_flashes"] = [("message", "Only for this visitor")]
    assert "Only for this visitor" in client.get("/guide/").text
    assert "Only for this visitor" not in client.get("/guide/").text
