"""A double click sends the same form twice at once, to a real threaded server: one record."""

from __future__ import annotations

import http.cookiejar
import re
import threading
import urllib.parse
import urllib.request

from sqlalchemy import func, select
from werkzeug.serving import make_server

from portal.submissions.models import Submission

from .conftest import ANSWERS, PERSON


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_two_simultaneous_sends_of_one_form_store_one_submission(app, db):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())

    def call(path, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with opener.open(base + path, data=body) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    try:
        page = call("/submissions/complaint/")[1]
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        call("/submissions/complaint/", {"csrf_token": token})
        call("/submissions/complaint/about-you", {"csrf_token": token, **PERSON})
        call("/submissions/complaint/details", {"csrf_token": token, **ANSWERS["complaint"]})
        check = call("/submissions/complaint/check")[1]
        key = re.search(r'name="submit_key"[^>]*value="([^"]+)"', check).group(1)
        form = {"csrf_token": token, "submit_key": key}
        results: list[int] = []
        barrier = threading.Barrier(4)

        def send():
            barrier.wait()
            results.append(call("/submissions/complaint/check", form)[0])

        senders = [threading.Thread(target=send) for _ in range(4)]
        for t in senders:
            t.start()
        for t in senders:
            t.join()
        assert results == [302] * 4
        status, confirmation = call("/submissions/confirmation")
        assert status == 200 and 'data-testid="query-code"' in confirmation
    finally:
        server.shutdown()
        thread.join(timeout=10)
    db.rollback()
    assert db.scalar(select(func.count()).select_from(Submission)) == 1
