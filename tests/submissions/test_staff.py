"""Staff: queue and filters, workflow, replies with mail, notes, spam, identity by role, audit."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from portal.audit import AuditEntry
from portal.submissions.models import Submission, SubmissionNote

from ..helpers import csrf_token, submit
from .conftest import VALID_ID


def test_queue_needs_a_handling_role(client, login_as):
    login_as("editor")
    assert client.get("/staff/submissions/").status_code == 403


def test_queue_filters_by_kind_and_status(client, login_as, make_submission):
    make_submission("complaint")
    _id, report_code, _q = make_submission("report", anonymous=True)
    login_as("moderator")
    page = client.get("/staff/submissions/?kind=report").text
    assert report_code in page
    assert page.count('href="/staff/submissions/') - page.count("export") >= 1
    assert "Complaint (控告)</td>" not in page
    assert report_code not in client.get("/staff/submissions/?status=accepted").text


def test_accept_then_reply_sends_a_mail_without_content(
    client, login_as, make_submission, mailbox, deliver_mail, db
):
    sub_id, tracking, _q = make_submission(email="citizen@example.com")
    login_as("moderator")
    token = csrf_token(client, f"/staff/submissions/{sub_id}")
    response = client.post(
        f"/staff/submissions/{sub_id}/reply",
        data={"csrf_token": token, "status": "accepted", "body": "本院已依法受理。"},
        follow_redirects=True,
    )
    assert "The reply was sent." in response.text
    assert 'data-testid="status">Accepted<' in response.text
    db.rollback()
    sub = db.get(Submission, sub_id)
    assert sub.status == "accepted" and sub.procedural_done_at is not None
    deliver_mail()
    [mail] = mailbox.to("citizen@example.com")
    assert "本院已依法受理" not in mail.get_content() and tracking not in mail.get_content()
    assert "/submissions/track" in mail.get_content()
    assert "update" in mail["Subject"]
    actions = db.scalars(select(AuditEntry.action)).all()
    assert {"submission.viewed", "submission.status", "submission.reply"} <= set(actions)


def test_a_procedural_status_needs_a_reason_and_the_workflow_is_enforced(
    client, login_as, make_submission
):
    sub_id, _t, _q = make_submission()
    login_as("moderator")
    token = csrf_token(client, f"/staff/submissions/{sub_id}")
    response = client.post(
        f"/staff/submissions/{sub_id}/reply",
        data={"csrf_token": token, "status": "closed", "body": "结束"},
    )
    assert "That status cannot follow the current one." in response.text
    response = client.post(
        f"/staff/submissions/{sub_id}/reply",
        data={"csrf_token": token, "status": "accepted", "body": ""},
    )
    assert "Write the reply." in response.text


def test_reply_templates_in_both_languages(client, login_as, make_submission):
    sub_id, _t, _q = make_submission("criminal_appeal")
    login_as("moderator")
    zh = client.get(f"/staff/submissions/{sub_id}?template=accepted&lang=zh").text
    en = client.get(f"/staff/submissions/{sub_id}?template=accepted&lang=en").text
    assert "您提交的刑事申诉已收悉" in zh
    assert "We have received your criminal appeal" in en


def test_internal_notes_are_never_shown_to_the_citizen(client, login_as, make_submission, app):
    sub_id, tracking, query = make_submission()
    login_as("moderator")
    token = csrf_token(client, f"/staff/submissions/{sub_id}")
    client.post(
        f"/staff/submissions/{sub_id}/note",
        data={"csrf_token": token, "kind": "correction", "note": "内部意见：需调卷"},
    )
    assert "内部意见：需调卷" in client.get(f"/staff/submissions/{sub_id}").text
    citizen = app.test_client()
    submit(citizen, "/submissions/track", {"tracking_code": tracking, "query_code": query})
    assert "内部意见" not in citizen.get("/submissions/track/view").text


def test_spam_is_hidden_from_the_queue_but_kept(client, login_as, make_submission, db):
    sub_id, tracking, _q = make_submission()
    login_as("moderator")
    token = csrf_token(client, f"/staff/submissions/{sub_id}")
    client.post(f"/staff/submissions/{sub_id}/spam", data={"csrf_token": token, "reason": "广告"})
    assert tracking not in client.get("/staff/submissions/").text
    assert tracking in client.get("/staff/submissions/?spam=1").text
    db.rollback()
    assert db.get(Submission, sub_id).spam
    assert db.scalars(select(SubmissionNote.kind)).all() == ["spam"]


def test_report_identity_only_for_the_reports_role_and_each_view_audited(
    client, login_as, make_submission, app, create_staff, db
):
    sub_id, _t, _q = make_submission("report")
    login_as("moderator")
    page = client.get(f"/staff/submissions/{sub_id}").text
    assert VALID_ID not in page and "王小明" not in page
    assert "visible only to staff with the reports role" in page
    reports = app.test_client()
    from ..conftest import TEST_PASSWORD
    from ..helpers import sign_in

    sign_in(reports, create_staff("reports"), TEST_PASSWORD)
    page = reports.get(f"/staff/submissions/{sub_id}").text
    assert VALID_ID in page and "王小明" in page
    reports.get(f"/staff/submissions/{sub_id}")
    db.rollback()
    views = db.scalars(
        select(AuditEntry).where(AuditEntry.action == "submission.identity_viewed")
    ).all()
    assert len(views) == 2
    assert all(VALID_ID not in str(v.details) for v in views)


def test_complaint_identity_is_visible_to_moderators(client, login_as, make_submission):
    sub_id, _t, _q = make_submission("complaint")
    login_as("moderator")
    assert VALID_ID in client.get(f"/staff/submissions/{sub_id}").text


def test_assignment_and_the_assigned_to_me_filter(client, login_as, make_submission):
    sub_id, tracking, _q = make_submission()
    me = login_as("moderator")
    token = csrf_token(client, f"/staff/submissions/{sub_id}")
    client.post(
        f"/staff/submissions/{sub_id}/assign", data={"csrf_token": token, "assignee": str(me.id)}
    )
    assert tracking in client.get("/staff/submissions/?assigned=me").text
    assert tracking not in client.get("/staff/submissions/?assigned=none").text


def test_bulk_mark_read_and_unread_filter(client, login_as, make_submission):
    sub_id, tracking, _q = make_submission()
    login_as("moderator")
    assert tracking in client.get("/staff/submissions/?unread=1").text
    token = csrf_token(client, "/staff/submissions/")
    client.post(
        "/staff/submissions/bulk",
        data={"csrf_token": token, "ids": [str(sub_id)], "action": "mark_read"},
    )
    assert tracking not in client.get("/staff/submissions/?unread=1").text


def test_csv_export_has_no_identity(client, login_as, make_submission):
    make_submission()
    login_as("moderator")
    response = client.get("/staff/submissions/export.csv")
    assert response.headers["Cache-Control"] == "private, no-store"
    text = response.data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "tracking_code" and len(rows) == 2
    assert VALID_ID not in text and "王小明" not in text and "13912345678" not in text


def test_unsatisfied_rating_becomes_a_supervisor_follow_up(
    client, login_as, make_submission, app, create_staff
):
    from portal.db import get_session, utcnow
    from portal.submissions import services

    sub_id, tracking, _q = make_submission()
    staff = create_staff("moderator")
    with app.test_request_context():
        db = get_session()
        sub = db.get(Submission, sub_id)
        reply = services.post_reply(db, sub, "答复", db.merge(staff), utcnow(), track_url="x")
        services.rate_reply(db, sub, reply.id, "unsatisfied", "不满意", utcnow())
        db.commit()
    login_as("supervisor")
    page = client.get("/staff/submissions/follow-ups").text
    assert tracking in page and "不满意" in page
    assert client.get("/staff/submissions/").status_code == 403


def test_record_an_in_person_petition_with_the_15_day_clock(client, login_as, db):
    login_as("moderator")
    assert "Complaint (控告)" in client.get("/staff/submissions/record").text
    response = submit(
        client,
        "/staff/submissions/record?kind=consultation",
        {
            "name": "陈静",
            "id_number": VALID_ID,
            "phone": "13800138000",
            "subject": "国家赔偿",
            "question": "应向哪个机关申请？",
        },
    )
    assert "Petition recorded" in response.text
    assert 'data-testid="query-code"' in response.text
    db.rollback()
    sub = db.scalars(select(Submission)).one()
    assert sub.channel == "in_person"
    assert (sub.procedural_due - sub.received_at).days in (14, 15)


def test_record_keeps_what_was_typed_when_something_is_wrong(client, login_as):
    login_as("moderator")
    response = submit(
        client,
        "/staff/submissions/record?kind=consultation",
        {"name": "陈静", "id_number": "123", "phone": "13800138000", "subject": "国家赔偿"},
    )
    assert "check each digit" in response.text
    assert "Answer this question: Your question" in response.text
    assert 'value="陈静"' in response.text


def test_notes_and_corrections_leave_the_original_unchanged(client, login_as, make_submission, db):
    import hashlib

    sub_id, _t, _q = make_submission()
    db_sub = db.get(Submission, sub_id)
    original, digest = db_sub.original, db_sub.original_sha256
    login_as("moderator")
    token = csrf_token(client, f"/staff/submissions/{sub_id}")
    client.post(
        f"/staff/submissions/{sub_id}/note",
        data={"csrf_token": token, "kind": "correction", "note": "被控告单位应为某交警大队"},
    )
    db.rollback()
    db_sub = db.get(Submission, sub_id)
    assert db_sub.original == original and db_sub.original_sha256 == digest
    assert hashlib.sha256(original.encode()).hexdigest() == digest
    assert [n.kind for n in db_sub.notes] == ["correction"]


def test_staff_read_the_kind_of_each_note_in_their_language(client, login_as, make_submission):
    sub_id, _t, _q = make_submission()
    login_as("moderator")
    token = csrf_token(client, f"/staff/submissions/{sub_id}")
    client.post(
        f"/staff/submissions/{sub_id}/note",
        data={"csrf_token": token, "kind": "correction", "note": "被控告单位应为某交警大队"},
    )
    page = f"/staff/submissions/{sub_id}"
    zh = client.get(page, headers={"Accept-Language": "zh-CN"}).text
    en = client.get(page, headers={"Accept-Language": "en"}).text
    assert "· 更正</p>" in zh and "correction</p>" not in zh
    assert "· Correction</p>" in en
