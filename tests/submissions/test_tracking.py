"""Tracking with both codes: history, replies, adding information, rating; the code reset."""

from __future__ import annotations

import re

from sqlalchemy import select

from portal.submissions.models import ReplyRating, Submission, SubmissionAddition

from ..helpers import submit
from .conftest import PERSON, VALID_ID

GENERIC = "We could not find a submission with these codes"


def _open(client, tracking, query):
    return submit(
        client,
        "/submissions/track",
        {"tracking_code": tracking, "query_code": query},
        follow_redirects=True,
    )


def test_codes_open_the_history_case_and_dashes_do_not_matter(client, make_submission):
    _id, tracking, query = make_submission()
    typed = tracking.lower().replace("-", " ")
    page = _open(client, typed, query.replace("-", "")).text
    assert "Progress of your submission" in page
    assert 'data-testid="status">Received<' in page
    assert "电动车被盗" in page


def test_wrong_codes_get_one_generic_message(client, make_submission):
    _id, tracking, query = make_submission()
    wrong_query = _open(client, tracking, "ACDE-ACDE-ACDE-ACDE").text
    unknown_tracking = _open(client, "ACDE-ACDE-ACDE", query).text
    assert GENERIC in wrong_query and GENERIC in unknown_tracking
    assert "Progress of your submission" not in wrong_query


def test_wrong_codes_are_rate_limited(client, make_submission):
    _id, tracking, _query = make_submission()
    statuses = [_open(client, tracking, "ACDE-ACDE-ACDE-ACDE").status_code for _ in range(12)]
    assert statuses[:10] == [200] * 10
    assert statuses[-1] == 429


def test_citizen_reads_reply_and_rates_it_once(client, make_submission, create_staff, app, db):
    sub_id, tracking, query = make_submission()
    staff = create_staff("moderator")
    with app.test_request_context():
        from portal.db import get_session, utcnow
        from portal.submissions import services

        session = get_session()
        sub = session.get(Submission, sub_id)
        services.post_reply(
            session,
            sub,
            "已受理，三个月内答复。",
            session.merge(staff),
            utcnow(),
            track_url="http://x/submissions/track",
            new_status="accepted",
        )
        session.commit()
    page = _open(client, tracking, query).text
    assert "已受理，三个月内答复。" in page
    assert 'data-testid="status">Accepted<' in page
    reply_id = db.scalars(select(Submission)).one().replies[0].id
    token_page = client.get("/submissions/track/view").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', token_page).group(1)
    response = client.post(
        f"/submissions/track/replies/{reply_id}/rate",
        data={
            "csrf_token": token,
            f"r{reply_id}-rating": "unsatisfied",
            f"r{reply_id}-comment": "太慢",
        },
        follow_redirects=True,
    )
    assert "Thank you for rating the reply." in response.text
    assert "Your rating: Not satisfied" in response.text
    again = client.post(
        f"/submissions/track/replies/{reply_id}/rate",
        data={"csrf_token": token, f"r{reply_id}-rating": "satisfied"},
        follow_redirects=True,
    )
    assert "You have already rated this reply." in again.text
    db.rollback()
    rating = db.scalars(select(ReplyRating)).one()
    assert rating.rating == "unsatisfied" and rating.comment == "太慢"


def test_rating_must_be_chosen(client, make_submission, create_staff, app):
    sub_id, tracking, query = make_submission()
    staff = create_staff("moderator")
    with app.test_request_context():
        from portal.db import get_session, utcnow
        from portal.submissions import services

        session = get_session()
        services.post_reply(
            session,
            session.get(Submission, sub_id),
            "答复",
            session.merge(staff),
            utcnow(),
            track_url="http://x/",
        )
        session.commit()
        reply_id = session.get(Submission, sub_id).replies[0].id
    page = _open(client, tracking, query).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post(
        f"/submissions/track/replies/{reply_id}/rate", data={"csrf_token": token}
    )
    assert response.status_code == 200
    assert "Choose how satisfied you are with the reply." in response.text


def test_add_information_marks_the_submission_unread(client, make_submission, db):
    _id, tracking, query = make_submission()
    _open(client, tracking, query)
    page = client.get("/submissions/track/view").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post(
        "/submissions/track/add",
        data={"csrf_token": token, "text": "补充：报警回执编号 123。"},
        follow_redirects=True,
    )
    assert "Your information was added." in response.text
    assert "补充：报警回执编号 123。" in response.text
    addition = db.scalars(select(SubmissionAddition)).one()
    assert addition.body == "补充：报警回执编号 123。"


def test_tracking_page_needs_the_codes_first(client):
    response = client.get("/submissions/track/view")
    assert response.headers["Location"].endswith("/submissions/track")


def test_real_name_submitter_can_reset_the_query_code(client, make_submission):
    _id, tracking, old_query = make_submission()
    response = submit(
        client,
        "/submissions/track/reset",
        {"tracking_code": tracking, "id_number": VALID_ID.lower(), "phone": PERSON["phone"]},
    )
    new_query = re.search(r'data-testid="query-code">([A-Z0-9-]+)<', response.text).group(1)
    assert new_query != old_query
    assert GENERIC in _open(client, tracking, old_query).text
    assert "Progress of your submission" in _open(client, tracking, new_query).text


def test_anonymous_submitter_cannot_reset(client, make_submission):
    _id, tracking, _query = make_submission("report", anonymous=True)
    response = submit(
        client,
        "/submissions/track/reset",
        {"tracking_code": tracking, "id_number": VALID_ID, "phone": PERSON["phone"]},
    )
    assert "Anonymous submissions cannot be reset" in response.text
    assert 'data-testid="query-code"' not in response.text
