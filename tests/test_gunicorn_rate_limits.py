"""Through gunicorn with two workers: a limit of N per hour allows exactly N in all."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from .live_gunicorn import gunicorn, portal_env, served_by

LIMIT = 4
ATTEMPTS = 12
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _inquire(base: str) -> int:
    """One visitor: open the inquiry form, then send it (a case that does not exist)."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    url = f"{base}/cases/inquiry"
    page = opener.open(url, timeout=60).read().decode()
    form = {
        "csrf_token": TOKEN.search(page).group(1),
        "case_number": "示检刑诉〔2026〕1号",
        "name": "王某",
        "id_number": "110101199003077777",
    }
    try:
        return opener.open(url, data=urllib.parse.urlencode(form).encode(), timeout=60).status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.mark.parametrize("store", ["default", "memory"])
def test_two_workers_share_one_allowance(app, tmp_path, store):
    settings = {"CASE_INQUIRY_LIMIT": f"{LIMIT} per hour", "CASE_NUMBER_LIMIT": "1000 per hour"}
    if store == "memory":  # what the portal did before: one count per worker
        settings["RATELIMIT_STORAGE_URI"] = "memory://"
    env = portal_env(app, **settings)
    log = tmp_path / "gunicorn.log"
    with gunicorn(env, log, workers=2) as base, ThreadPoolExecutor(max_workers=4) as pool:
        statuses = list(pool.map(lambda _: _inquire(base), range(ATTEMPTS)))
    assert len(served_by(log, "POST", "/cases/inquiry")) == 2  # both workers counted
    allowed = statuses.count(200)
    assert statuses.count(200) + statuses.count(429) == ATTEMPTS, statuses
    if store == "default":
        assert allowed == LIMIT, statuses
    else:
        assert allowed > LIMIT, statuses  # shows the test can tell the difference
