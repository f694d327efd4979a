"""Mail sent in answer to a request links to the public site, not to the Host it claimed."""

from __future__ import annotations

import re

from ..helpers import csrf_token, submit
from ..test_public_url import FORGED, PUBLIC, behind_proxy
from .conftest import booking_data


def test_calendar_and_promotion_mail_after_forged_requests_name_the_public_site(
    app, create_open_day, mailbox
):
    proxied = behind_proxy(app)
    try:
        _cancel_with_a_forged_host(proxied, create_open_day, mailbox)
    finally:
        proxied.extensions["portal.db"].dispose()


def _cancel_with_a_forged_host(proxied, create_open_day, mailbox) -> None:
    open_day = create_open_day(sessions=[{"capacity": 1}])
    leaving, waiting = proxied.test_client(), proxied.test_client()
    path = f"/open-days/{open_day.id}/book"
    for client, email in ((leaving, "first@example.com"), (waiting, "second@example.com")):
        assert submit(client, path, booking_data(open_day, email=email)).status_code == 302
    mailbox.messages.clear()

    token = csrf_token(leaving, "/open-days/booking/cancel")
    # The attacker's browser sends its own session cookie along with the forged host.
    session_cookie = leaving.get_cookie("portal_session")
    leaving.set_cookie("portal_session", session_cookie.value, domain="evil.example")
    calendar = leaving.get("/open-days/booking/visit.ics", headers=FORGED)
    assert calendar.status_code == 200
    assert b"evil.example" not in calendar.data and b"@portal.example.gov.cn" in calendar.data
    response = leaving.post("/open-days/booking/cancel", data={"csrf_token": token}, headers=FORGED)
    assert response.status_code == 302

    if not mailbox.to("second@example.com"):  # mail queued by the request, sent by cron
        proxied.test_cli_runner().invoke(args=["mail", "send-pending"])
    (mail,) = mailbox.to("second@example.com")
    body = mail.get_content()
    assert "evil.example" not in mail.as_string()
    assert re.search(re.escape(PUBLIC) + r"/open-days/find\b", body)
