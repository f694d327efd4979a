"""The public flow: start page, question pages, check your answers, confirmation."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from sqlalchemy import func, select, text

from portal.submissions import codes, services
from portal.submissions.models import Submission, SubmissionDraft

from ..helpers import submit
from .conftest import ANSWERS, PERSON, VALID_ID, codes_on, post_check


def test_index_lists_every_kind_and_the_home_area_links_to_it(client):
    page = client.get("/submissions/").text
    for title in (
        "Complaint (控告)",
        "Criminal appeal (刑事申诉)",
        "Report (举报)",
        "Civil or administrative appeal",
        "State compensation",
        "Consultation",
        "Suggestion",
    ):
        assert title in page
    assert 'href="/submissions/"' in client.get("/").text


def test_start_page_has_privacy_notice_quick_exit_and_12388_for_reports(client):
    page = client.get("/submissions/report/").text
    assert "Privacy notice" in page
    assert "data-quick-exit" in page
    assert "12388" in page
    assert "12388" not in client.get("/submissions/complaint/").text


def test_a_complaint_is_stored_encrypted_with_its_fingerprint(client, send, db):
    receipt = send("complaint")
    assert codes.normalise(receipt.tracking_code, 12) == receipt.tracking_code
    assert "What happens next" in receipt.page
    sub = db.scalars(select(Submission)).one()
    assert sub.tracking_code == receipt.tracking_code
    assert sub.status == "received"
    assert json.loads(sub.original)["identity"]["id_number"] == VALID_ID
    import hashlib

    assert hashlib.sha256(sub.original.encode()).hexdigest() == sub.original_sha256
    raw = db.execute(text("SELECT original, query_hash FROM submissions")).one()
    stored = bytes(raw.original)
    assert VALID_ID.encode() not in stored and "王小明".encode() not in stored
    assert receipt.query_code not in raw.query_hash and raw.query_hash.startswith("$argon2")


def test_answers_between_pages_stay_on_the_server(client, fill_in):
    fill_in("complaint")
    cookie = client.get_cookie("portal_session")
    assert cookie is not None
    import base64
    import zlib

    payload = (
        cookie.value.split(".")[0]
        if not cookie.value.startswith(".")
        else cookie.value.split(".")[1]
    )
    decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    if cookie.value.startswith("."):
        decoded = zlib.decompress(decoded)
    assert b"13912345678" not in decoded and VALID_ID.encode() not in decoded


def _send_and_lose_the_page(client, fill_in, kind="suggestion"):
    """Send, but never read the confirmation: as when the connection drops."""
    fill_in(kind, anonymous=True)
    response = post_check(client, kind)
    assert response.headers["Location"].endswith("/submissions/confirmation")


def _move_submission_back(db, *, minutes: int) -> None:
    """As if the submission had been sent `minutes` earlier."""
    draft = db.scalars(select(SubmissionDraft)).one()
    draft.submitted_at -= timedelta(minutes=minutes)
    db.commit()


def test_a_lost_confirmation_page_shows_the_same_codes_again(app, client, fill_in, db):
    _send_and_lose_the_page(client, fill_in)
    first = codes_on(client.get("/submissions/confirmation").text)
    again = codes_on(client.get("/submissions/confirmation").text)
    assert (again.tracking_code, again.query_code) == (first.tracking_code, first.query_code)
    sub = db.scalars(select(Submission)).one()
    assert sub.anonymous and sub.tracking_code == first.tracking_code
    assert codes.check_query_code(sub.query_hash, first.query_code)
    # Kept encrypted at rest, like the rest of the draft.
    raw = db.execute(text("SELECT query_code FROM submission_drafts")).scalar_one()
    assert first.query_code.encode() not in bytes(raw)
    # Another browser, with other cookies, sees nothing of it.
    other = app.test_client()
    page = other.get("/submissions/confirmation", follow_redirects=True).text
    assert first.tracking_code not in page and first.query_code not in page


def test_the_query_code_is_forgotten_once_written_down(client, fill_in, db):
    _send_and_lose_the_page(client, fill_in)
    page = client.get("/submissions/confirmation").text
    receipt = codes_on(page)
    assert "I have written it down" in page
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    done = client.post(
        "/submissions/confirmation/written-down",
        data={"csrf_token": token},
        follow_redirects=True,
    )
    assert receipt.tracking_code in done.text and receipt.query_code not in done.text
    assert 'data-testid="query-code-gone"' in done.text
    assert db.scalar(select(SubmissionDraft.query_code)) is None


def test_the_query_code_is_forgotten_after_the_window(app, client, fill_in, db):
    _send_and_lose_the_page(client, fill_in)
    receipt = codes_on(client.get("/submissions/confirmation").text)
    # 31 minutes later: the page still shows the tracking code, no longer the query code.
    _move_submission_back(db, minutes=31)
    page = client.get("/submissions/confirmation").text
    assert receipt.tracking_code in page and receipt.query_code not in page
    db.expire_all()
    assert db.scalar(select(SubmissionDraft.query_code)) is None


def test_the_purge_forgets_query_codes_past_the_window(app, client, fill_in, db):
    _send_and_lose_the_page(client, fill_in)
    result = app.test_cli_runner().invoke(args=["submissions", "purge-drafts"])
    assert "forgot 0 query codes" in result.output
    assert db.scalar(select(SubmissionDraft.query_code)) is not None
    _move_submission_back(db, minutes=31)
    result = app.test_cli_runner().invoke(args=["submissions", "purge-drafts"])
    assert result.exit_code == 0 and "forgot 1 query codes" in result.output
    db.expire_all()
    assert db.scalar(select(SubmissionDraft.query_code)) is None


def test_a_failure_after_storing_says_the_submission_was_stored(app, client, fill_in, monkeypatch):
    import segno

    app.config["PROPAGATE_EXCEPTIONS"] = False
    _send_and_lose_the_page(client, fill_in)
    monkeypatch.setattr(segno, "make", lambda *a, **k: 1 / 0)
    response = client.get("/submissions/confirmation")
    assert response.status_code == 500
    assert "nothing was saved" not in response.text
    assert "Your submission was stored: do not send it again." in response.text
    monkeypatch.undo()
    receipt = codes_on(client.get("/submissions/confirmation").text)
    assert receipt.tracking_code in response.text
    # Before anything was stored, the usual message stays true.
    other = app.test_client()
    other.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    fill_in("complaint", who=other)
    monkeypatch.setattr(services, "draft_answers", lambda *a, **k: 1 / 0)
    failed = other.get("/submissions/complaint/check")
    assert failed.status_code == 500 and "nothing was saved" in failed.text


def test_qr_code_leads_to_tracking_without_the_query_code(app, client, send):
    receipt = send("complaint")
    assert 'src="data:image/svg+xml' in receipt.page
    import segno

    public = app.config["PUBLIC_URL"]  # never the Host the request claimed
    expected = segno.make(
        f"{public}/submissions/track?code={receipt.tracking_code}", error="m"
    ).svg_data_uri(scale=4, border=2)
    assert expected in receipt.page


def test_double_submission_creates_one_record(client, fill_in, db):
    fill_in("complaint")
    page = client.get("/submissions/complaint/check").text
    first = post_check(client, "complaint")
    assert first.status_code == 302
    # The same form sent again (double click, or back and send).
    import re

    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    key = re.search(r'name="submit_key"[^>]*value="([^"]+)"', page).group(1)
    second = client.post(
        "/submissions/complaint/check", data={"csrf_token": token, "submit_key": key}
    )
    assert second.status_code == 302
    assert second.headers["Location"].endswith("/submissions/confirmation")
    assert db.scalar(select(func.count()).select_from(Submission)) == 1


def test_check_page_has_change_links_that_return_to_it(client, fill_in):
    fill_in("complaint")
    page = client.get("/submissions/complaint/check").text
    assert "/submissions/complaint/details?change=1" in page
    assert "王小明" in page
    response = submit(
        client,
        "/submissions/complaint/details?change=1",
        {**ANSWERS["complaint"], "subject": "改过的标题"},
    )
    assert response.headers["Location"].endswith("/submissions/complaint/check")
    assert "改过的标题" in client.get("/submissions/complaint/check").text


def test_real_name_needs_valid_identity_number_and_phone(client):
    submit(client, "/submissions/complaint/", {})
    response = submit(
        client,
        "/submissions/complaint/about-you",
        {"name": "王小明", "id_number": "110105194912310021", "phone": "12", "email": "nope"},
    )
    assert response.status_code == 200
    assert "check each digit" in response.text
    assert "Enter a phone number we can call" in response.text
    assert "Enter an e-mail address like name@example.com" in response.text
    assert 'value="王小明"' in response.text  # what was typed is kept
    assert "There is a problem" in response.text


def test_complaints_cannot_be_anonymous(client):
    submit(client, "/submissions/complaint/", {})
    assert client.get("/submissions/complaint/anonymity").status_code == 404


def test_anonymous_report_warns_about_lost_codes_and_stores_no_identity(client, fill_in, db):
    fill_in("report", anonymous=True)
    page = client.get("/submissions/report/check").text
    assert "nobody can give you a new one" in page
    response = post_check(client, "report", follow_redirects=True)
    codes_on(response.text)
    sub = db.scalars(select(Submission)).one()
    assert sub.anonymous and sub.id_number_hash is None and sub.phone_hash is None
    assert json.loads(sub.original)["identity"] == {"email": ""}


def test_a_very_long_text_gets_a_clear_message_and_is_kept(client):
    submit(client, "/submissions/complaint/", {})
    submit(client, "/submissions/complaint/about-you", PERSON)
    long_text = "甲" * 100_000
    response = submit(
        client, "/submissions/complaint/details", {**ANSWERS["complaint"], "facts": long_text}
    )
    assert response.status_code == 200
    assert "This answer is 100,000 characters long; the limit is 5,000" in response.text
    assert long_text in response.text


def test_required_answers_are_asked_for_by_name(client):
    submit(client, "/submissions/complaint/", {})
    submit(client, "/submissions/complaint/about-you", PERSON)
    response = submit(client, "/submissions/complaint/details", {"subject": "x"})
    assert "Answer this question: What happened" in response.text


def test_pages_without_a_draft_send_back_to_the_start(client):
    response = client.get("/submissions/complaint/details")
    assert response.headers["Location"].endswith("/submissions/complaint/")


def test_html_typed_by_a_citizen_is_shown_as_text(client, send, login_as, db):
    send("complaint", answers={**ANSWERS["complaint"], "facts": "<script>alert(1)</script>"})
    login_as("moderator")
    sub = db.scalars(select(Submission)).one()
    page = client.get(f"/staff/submissions/{sub.id}").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_drafts_are_kept_on_the_server(client, fill_in, db):
    fill_in("complaint")
    draft = db.scalars(select(SubmissionDraft)).one()
    assert json.loads(draft.answers)["identity"]["phone"] == "13912345678"
