"""Rate limits: the 429 answer says how long to wait and leads back; counters are shared."""

from __future__ import annotations

import re

from .cases.test_inquiry import ask


def test_the_429_page_says_how_long_to_wait_and_leads_back(app, client):
    app.config["CASE_INQUIRY_LIMIT"] = "1 per hour"
    came_from = {"HTTP_REFERER": "http://localhost:5000/cases/inquiry?step=2"}
    assert ask(client, **came_from).status_code == 200
    blocked = ask(client, **came_from)
    assert blocked.status_code == 429
    wait = int(blocked.headers["Retry-After"])
    assert 3590 <= wait <= 3600  # what is left of the hour the limit counts
    assert "Too many attempts" in blocked.text
    assert "Wait 60 minutes, then try again." in blocked.text
    assert 'href="/cases/inquiry?step=2"' in blocked.text
    assert "no-store" in blocked.headers["Cache-Control"]


def test_the_429_page_in_chinese(app):
    app.config["CASE_INQUIRY_LIMIT"] = "1 per hour"
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "zh-CN"
    ask(client)
    blocked = ask(client)
    assert blocked.status_code == 429
    assert 3590 <= int(blocked.headers["Retry-After"]) <= 3600
    assert "尝试次数过多" in blocked.text
    assert "请60分钟后再试" in blocked.text


def test_the_429_page_never_links_to_another_site(app, client):
    app.config["CASE_INQUIRY_LIMIT"] = "1 per hour"
    elsewhere = {"HTTP_REFERER": "https://evil.example/cases/inquiry"}
    ask(client, **elsewhere)
    blocked = ask(client, **elsewhere)
    assert blocked.status_code == 429
    assert "evil.example" not in blocked.text
    links = re.findall(r'<a href="([^"]+)">Go back to where you were', blocked.text)
    assert links == ["/"]


def test_the_api_answers_429_in_json_with_retry_after(app):
    from portal.extensions import limiter

    view = limiter.limit("1 per minute")(lambda: {"ok": True})
    app.add_url_rule("/api/v1/_limited", "api.limited_for_test", view)
    client = app.test_client()
    assert client.get("/api/v1/_limited").status_code == 200
    blocked = client.get("/api/v1/_limited")
    assert blocked.status_code == 429
    assert blocked.json["error"] == "too many requests"
    assert 1 <= blocked.json["retry_after"] == int(blocked.headers["Retry-After"]) <= 60
