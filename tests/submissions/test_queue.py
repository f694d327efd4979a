"""The staff queue: columns, sorting, real paging, saved filters per staff member."""

from __future__ import annotations

import html
import re
from datetime import timedelta

from sqlalchemy import select

from portal.audit import AuditEntry
from portal.db import get_session, utcnow
from portal.submissions.models import SavedQueueFilter
from portal.submissions.queries import PER_PAGE, QueueFilter, list_queue

from ..conftest import TEST_PASSWORD
from ..helpers import csrf_token, sign_in
from .conftest import create_complaint

ROW = re.compile(r'<input class="checkbox" type="checkbox" name="ids" value="(\d+)"')


def _many(app, count, kind="complaint"):
    with app.app_context():
        db = get_session()
        start = utcnow() - timedelta(days=count)
        ids = [
            create_complaint(db, app.config, kind, now=start + timedelta(days=i)).submission.id
            for i in range(count)
        ]
        db.commit()
        return ids


def test_the_queue_pages_instead_of_stopping(client, login_as, app):
    ids = _many(app, PER_PAGE + 3)
    login_as("moderator")
    first = client.get("/staff/submissions/").text
    second = client.get("/staff/submissions/?page=2").text
    shown = ROW.findall(first) + ROW.findall(second)
    assert len(ROW.findall(first)) == PER_PAGE
    assert sorted(map(int, shown)) == sorted(ids)
    assert f"{PER_PAGE + 3} submissions" in first
    assert 'aria-label="Page 2"' in first and 'aria-label="Page 3"' not in first
    assert 'rel="next"' in first


def test_sorting_by_received_either_way(client, login_as, app):
    ids = _many(app, 3)
    login_as("moderator")
    newest_first = client.get("/staff/submissions/?sort=received&dir=desc").text
    assert [int(i) for i in ROW.findall(newest_first)] == ids[::-1]
    oldest_first = client.get("/staff/submissions/?sort=received").text
    assert [int(i) for i in ROW.findall(oldest_first)] == ids
    assert 'aria-sort="ascending"' in oldest_first
    # The header link of the sorted column reverses the order.
    assert "sort=received&amp;dir=desc" in oldest_first


def test_the_queue_shows_subject_kind_received_due_assignee_and_status(
    client, login_as, make_submission
):
    make_submission("complaint")
    make_submission("report")
    login_as("moderator")
    page = html.unescape(client.get("/staff/submissions/").text)
    for header in ("Subject", "Type", "Received", "Due", "Assigned to", "Status"):
        assert f">{header}<" in page
    assert "对派出所不立案的控告" in page
    # A report's content, subject included, is for the reports role only.
    assert "举报书记员收礼" not in page and "Content for the reports role only" in page


def test_sorting_by_subject_and_kind(app, create_staff):
    _many(app, 1, "report")
    _many(app, 1, "complaint")
    staff = create_staff("moderator")
    with app.test_request_context():
        db = get_session()

        def order(f):
            page = list_queue(
                db,
                f,
                staff_id=staff.id,
                now=utcnow(),
                soon_days=2,
                subject_of=lambda s: s.kind,
            )
            return [s.kind for s in page.items]

        assert order(QueueFilter(sort="subject")) == ["complaint", "report"]
        assert order(QueueFilter(sort="subject", descending=True)) == ["report", "complaint"]
        by_kind = order(QueueFilter(sort="kind"))
        assert order(QueueFilter(sort="kind", descending=True)) == by_kind[::-1]


def test_a_saved_filter_is_kept_per_staff_member(client, login_as, create_staff, app, db):
    login_as("moderator")
    token = csrf_token(client, "/staff/submissions/")
    response = client.post(
        "/staff/submissions/filters",
        data={"csrf_token": token, "name": "我的逾期举报", "query": "kind=report&due=overdue&x=1"},
        follow_redirects=True,
    )
    page = html.unescape(response.text)
    assert "The filter “我的逾期举报” was saved." in page
    assert 'href="/staff/submissions/?kind=report&due=overdue" aria-current="true"' in page
    saved = db.scalars(select(SavedQueueFilter)).one()
    assert saved.query == "kind=report&due=overdue"  # unknown arguments are dropped
    assert "submission.filter_saved" in db.scalars(select(AuditEntry.action)).all()

    other = app.test_client()
    sign_in(other, create_staff("moderator"), TEST_PASSWORD)
    assert "我的逾期举报" not in other.get("/staff/submissions/").text
    token = csrf_token(other, "/staff/submissions/")
    other.post(f"/staff/submissions/filters/{saved.id}/delete", data={"csrf_token": token})
    db.rollback()
    assert db.scalars(select(SavedQueueFilter)).one()

    token = csrf_token(client, "/staff/submissions/")
    client.post(f"/staff/submissions/filters/{saved.id}/delete", data={"csrf_token": token})
    db.rollback()
    assert not db.scalars(select(SavedQueueFilter)).all()


def test_a_saved_filter_needs_a_name(client, login_as):
    login_as("moderator")
    token = csrf_token(client, "/staff/submissions/")
    response = client.post(
        "/staff/submissions/filters", data={"csrf_token": token, "name": "  ", "query": ""}
    )
    assert "Give the filter a name." in response.text
    assert 'href="#name"' in response.text


def test_too_many_to_sort_by_subject_falls_back_to_due_date_and_says_so(
    client, login_as, app, monkeypatch
):
    from portal.submissions import queries

    _many(app, 3)
    monkeypatch.setattr(queries, "SUBJECT_SORT_LIMIT", 2)
    login_as("moderator")
    page = client.get("/staff/submissions/?sort=subject").text
    assert "Too many submissions to sort by subject" in page
    assert len(ROW.findall(page)) == 3
