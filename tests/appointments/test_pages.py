"""The lawyer's pages and the case officers' pages, through the real forms: booking with
a proof, the licence check, looking up and cancelling, answering, who sees what, the
dashboard's overdue requests, the kiosk, and hostile inputs (full-width digits, NUL
bytes, ids past 2^31) answered without a server error."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from portal.appointments import services
from portal.appointments.models import Appointment, AppointmentSlot
from portal.audit import AuditEntry
from portal.cases.models import AccessRequest
from portal.staff.models import StaffUser
from portal.submissions.services import SubmissionError, validate_identity

from ..conftest import TEST_PASSWORD
from ..files import PDF
from ..helpers import csrf_token, sign_in, submit
from ..submissions.conftest import Receipt, codes_on, post_check
from .conftest import (
    ANSWERS,
    CASE_NUMBER,
    LAWYER,
    OTHER_DEPARTMENT,
    add_case,
    add_slot,
    make_request,
)

START = "/submissions/lawyer_appointment/"


def _book(client, answers=None, upload=True):
    assert submit(client, START, {}).status_code == 302
    assert submit(client, f"{START}about-you", LAWYER).status_code == 302
    response = submit(client, f"{START}details", answers or ANSWERS)
    if response.status_code != 302:
        return response
    if upload:
        token = csrf_token(client, f"{START}files")
        page = client.post(
            f"{START}files",
            data={"csrf_token": token, "action": "upload", "file": (io.BytesIO(PDF), "执业证.pdf")},
            content_type="multipart/form-data",
            follow_redirects=True,
        )
        assert "The file was added." in page.text
    return post_check(client, "lawyer_appointment", follow_redirects=True)


def _lookup(client, receipt):
    return submit(
        client,
        "/appointments/lookup",
        {"tracking_code": receipt.tracking_code, "query_code": receipt.query_code},
        follow_redirects=True,
    )


def test_a_lawyer_books_with_a_proof_and_looks_the_request_up(client, db):
    add_case(db)
    db.commit()
    confirmation = _book(client).text
    assert "answers within 3 working days" in confirmation
    assert 'href="/appointments/lookup"' in confirmation
    receipt = codes_on(confirmation)
    page = _lookup(client, receipt).text
    assert 'data-testid="appointment-status">Waiting for an answer<' in page
    assert "Reading and copying the case file" in page
    appointment = db.scalars(select(Appointment)).one()
    assert appointment.department == "第一检察部"


def test_the_licence_number_is_checked_and_full_width_digits_are_fine(client, db):
    add_case(db)
    db.commit()
    wrong = _book(client, {**ANSWERS, "licence": "1310120191"})
    assert wrong.status_code == 200
    assert "A practising-licence number has 17 digits" in wrong.text
    wide = submit(
        client, f"{START}details", {**ANSWERS, "licence": "１３１０１２０１９１０１２３４５６"}
    )
    assert wide.status_code == 302


def test_a_lawyer_must_give_the_address_the_answer_is_mailed_to(client, app, db):
    assert submit(client, START, {}).status_code == 302
    page = submit(client, f"{START}about-you", {**LAWYER, "email": ""})
    assert page.status_code == 200
    assert "Enter your e-mail address: the answer to your request is sent there." in page.text
    assert "E-mail address (optional)" not in page.text
    with app.test_request_context():
        with pytest.raises(SubmissionError) as problem:
            validate_identity({**LAWYER, "email": ""}, needs_email=True)
        assert problem.value.field == "email"
        # Other kinds leave it optional.
        assert validate_identity({**LAWYER, "email": ""})["email"] == ""


def test_without_proofs_the_request_is_not_sent(client, db):
    add_case(db)
    db.commit()
    page = _book(client, upload=False).text
    assert "your practising certificate, the client" in page
    assert db.scalar(select(Appointment.id)) is None


def test_an_unknown_case_asks_for_a_department_that_publishes_slots(client, db):
    add_slot(db, department=OTHER_DEPARTMENT)
    db.commit()
    page = _book(client).text
    assert "choose the department handling the case" in page
    submit(client, f"{START}details", {**ANSWERS, "department": OTHER_DEPARTMENT})
    receipt = codes_on(post_check(client, "lawyer_appointment", follow_redirects=True).text)
    assert receipt.tracking_code
    assert db.scalar(select(Appointment.department)) == OTHER_DEPARTMENT


def test_wrong_codes_find_nothing(client, db):
    page = submit(
        client,
        "/appointments/lookup",
        {"tracking_code": "ACDE-FGHJ-KMNP", "query_code": "ACDE-FGHJ-KMNP-QRST"},
    ).text
    assert "We could not find a submission with these codes" in page
    nul = submit(
        client, "/appointments/lookup", {"tracking_code": "AB\x00CD", "query_code": "\x00"}
    )
    assert nul.status_code == 200
    assert client.get("/appointments/request").status_code == 302


def test_an_officer_accepts_and_the_lawyer_sees_date_time_room_then_cancels(
    client, app, db, officer
):
    add_case(db)
    slot = add_slot(db, capacity=1)
    db.commit()
    lawyer = app.test_client()
    lawyer.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    receipt = codes_on(_book(lawyer).text)
    appointment_id = db.scalar(select(Appointment.id))

    handling = officer()
    officer_name = handling.display_name or handling.username
    sign_in(client, handling, TEST_PASSWORD)
    listing = client.get("/staff/appointments/").text
    assert receipt.tracking_code in listing
    assert "Reading and copying the case file" in listing
    shown = client.get(f"/staff/appointments/{appointment_id}").text
    assert "执业证.pdf" in shown and "13101201910123456" in shown
    token = csrf_token(client, f"/staff/appointments/{appointment_id}")
    response = client.post(
        f"/staff/appointments/{appointment_id}/answer",
        data={"csrf_token": token, "slot_id": str(slot.id), "action": "accept"},
    )
    assert response.status_code == 302
    db.rollback()  # a fresh read: this session's snapshot predates the answer
    assert "appointments.accepted" in set(db.scalars(select(AuditEntry.action)))

    page = _lookup(lawyer, receipt).text
    assert 'data-testid="appointment-status">Appointment confirmed<' in page
    assert 'data-testid="appointment-room">阅卷室 2<' in page
    assert "Ask for the case inquiry of this case" in page
    token = csrf_token(lawyer, "/appointments/request")
    lawyer.post("/appointments/request/case-inquiry", data={"csrf_token": token})
    db.rollback()
    assert db.scalar(select(AccessRequest.case_number)) == CASE_NUMBER
    token = csrf_token(lawyer, "/appointments/request")
    page = lawyer.post(
        "/appointments/request/cancel", data={"csrf_token": token}, follow_redirects=True
    ).text
    assert 'data-testid="appointment-status">Cancelled<' in page
    db.rollback()
    assert db.get(AppointmentSlot, slot.id).taken == 0

    # The officer sees what the lawyer did, and when, in the request's history.
    shown = client.get(f"/staff/appointments/{appointment_id}").text
    assert "<dt>Slot given back</dt>" in shown  # no longer the lawyer's
    history = shown.split('data-testid="appointment-history">', 1)[1].split("</ol>", 1)[0]
    steps = re.findall(r"<strong>([^<]+)</strong> · ([^·<]+) · \d{4}-\d\d-\d\d \d\d:\d\d", history)
    assert [(what, who.strip()) for what, who in steps] == [
        ("Request received", "the lawyer"),
        ("Appointment confirmed", officer_name),
        ("Case inquiry requested", "the lawyer"),
        ("Cancelled", "the lawyer"),
    ]


def test_the_lawyer_reads_by_when_an_answer_comes_the_weekday_and_when_it_was_cancelled(
    client, app, db, officer
):
    add_case(db)
    slot = add_slot(db, starts_at=datetime(2031, 3, 3, 1, 30, tzinfo=UTC))  # a Monday
    db.commit()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    with app.test_request_context():
        appointment, tracking, query = make_request(
            app, db, now=datetime(2031, 2, 27, 2, tzinfo=UTC)
        )
        db.commit()
    receipt = Receipt(tracking, query, "")
    page = _lookup(client, receipt).text
    # Three working days after Thursday 27 February: Friday, Monday, Tuesday 4 March.
    assert 'data-testid="appointment-due">2031-03-04 Tuesday<' in page
    with app.test_request_context():
        staff = db.get(StaffUser, officer().id)
        services.accept(
            db, staff, appointment, slot.id, datetime(2031, 2, 28, tzinfo=UTC), lookup_url="x"
        )
        db.commit()
    page = client.get("/appointments/request").text
    assert 'data-testid="appointment-date">2031-03-03 Monday<' in page
    assert "appointment-due" not in page
    token = csrf_token(client, "/appointments/request")
    page = client.post(
        "/appointments/request/cancel", data={"csrf_token": token}, follow_redirects=True
    ).text
    assert re.search(r'data-testid="appointment-cancelled">\d{4}-\d\d-\d\d \d\d:\d\d<', page)
    # Closing the page stands apart from cancelling.
    assert 'class="page-end"' in page


def test_refusing_needs_a_reason_and_the_lawyer_reads_it(client, app, db, officer):
    add_case(db)
    db.commit()
    lawyer = app.test_client()
    lawyer.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    receipt = codes_on(_book(lawyer).text)
    appointment_id = db.scalar(select(Appointment.id))
    sign_in(client, officer(), TEST_PASSWORD)
    path = f"/staff/appointments/{appointment_id}"
    token = csrf_token(client, path)
    empty = client.post(f"{path}/refuse", data={"csrf_token": token, "reason": ""})
    assert "Give the reason: the lawyer reads it." in empty.text
    client.post(f"{path}/refuse", data={"csrf_token": token, "reason": "案件已移送法院。"})
    page = _lookup(lawyer, receipt).text
    assert 'data-testid="appointment-reason">案件已移送法院。<' in page


def test_other_roles_and_other_departments_get_not_found(client, app, db, officer, login_as):
    add_case(db)
    slot = add_slot(db)
    db.commit()
    lawyer = app.test_client()
    lawyer.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    codes_on(_book(lawyer).text)
    appointment_id = db.scalar(select(Appointment.id))
    moderator = app.test_client()
    sign_in(moderator, officer("第一检察部", "moderator"), TEST_PASSWORD)
    assert moderator.get("/staff/appointments/").status_code == 403
    assert moderator.get(f"/staff/appointments/{appointment_id}").status_code == 403
    sign_in(client, officer(OTHER_DEPARTMENT), TEST_PASSWORD)
    assert client.get(f"/staff/appointments/{appointment_id}").status_code == 404
    assert f'/staff/appointments/{appointment_id}"' not in client.get("/staff/appointments/").text
    token = csrf_token(client, "/staff/appointments/slots")
    answer = client.post(
        f"/staff/appointments/{appointment_id}/answer",
        data={"csrf_token": token, "slot_id": str(slot.id), "action": "accept"},
    )
    assert answer.status_code == 404
    delete = client.post(f"/staff/appointments/slots/{slot.id}/delete", data={"csrf_token": token})
    assert delete.status_code == 404
    for path in (
        f"/staff/appointments/{2**31}",
        f"/staff/appointments/{2**63}",
        f"/staff/appointments/{appointment_id}/files/{2**40}",
        "/staff/appointments/%EF%BC%91",  # a full-width 1
        "/staff/appointments/1%00",
    ):
        assert client.get(path).status_code == 404, path
    assert (
        client.post(
            f"/staff/appointments/{appointment_id}/answer",
            data={"csrf_token": token, "slot_id": "1\x00", "action": "accept"},
        ).status_code
        == 404
    )


def test_an_officer_publishes_a_slot_and_a_bad_one_is_explained(client, db, officer):
    sign_in(client, officer(), TEST_PASSWORD)
    start = datetime.now(UTC) + timedelta(days=2)
    fields = {
        "starts_at": start.strftime("%Y-%m-%dT09:00"),
        "ends_at": start.strftime("%Y-%m-%dT10:00"),
        "room": "阅卷室 3",
        "capacity": "４",
    }
    assert submit(client, "/staff/appointments/slots", fields).status_code == 302
    slot = db.scalars(select(AppointmentSlot)).one()
    assert (slot.department, slot.capacity, slot.room) == ("第一检察部", 4, "阅卷室 3")
    bad = submit(client, "/staff/appointments/slots", {**fields, "capacity": "0", "room": ""})
    assert "Enter a number from 1 to 50." in bad.text
    assert "Say in which room the lawyers are received." in bad.text
    page = client.get("/staff/appointments/slots").text
    assert "阅卷室 3" in page and "0 / 4" in page


def test_the_dashboard_shows_the_officers_overdue_requests(client, app, db, officer):
    from portal.submissions import services as submissions
    from portal.submissions.deadlines import limits_from_config

    add_case(db)
    with app.test_request_context():
        submissions.create_submission(
            db,
            kind="lawyer_appointment",
            anonymous=False,
            identity=LAWYER,
            answers=ANSWERS,
            language="zh_Hans",
            limits=limits_from_config(app.config),
            now=datetime.now(UTC) - timedelta(days=14),
        )
    db.commit()
    tracking = db.scalar(select(Appointment.submission_id))
    sign_in(client, officer(), TEST_PASSWORD)
    page = client.get("/staff/").text
    assert "Appointment requests (overdue: 1)" in page
    assert 'data-testid="appointments-overdue"' in page
    assert 'data-testid="overdue"' in client.get("/staff/appointments/").text
    other = app.test_client()
    other.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in(other, officer(OTHER_DEPARTMENT), TEST_PASSWORD)
    assert "Appointment requests (overdue: 0)" in other.get("/staff/").text
    assert tracking


def test_a_kiosk_says_how_to_book_instead_of_taking_uploads(kiosk_client):
    page = kiosk_client.get(START).text
    assert 'data-testid="apply-elsewhere"' in page
    assert "Book at the counter" in page
    assert 'type="file"' not in page


def test_the_home_page_and_the_guide_lead_to_the_booking(client):
    home = client.get("/").text
    assert "/appointments/" in home
    guide = client.get("/appointments/").text
    assert re.search(r'href="/submissions/lawyer_appointment/"', guide)
    assert "3 working days" in guide
    assert 'href="/guide/lawyer-guide"' in guide
    assert 'href="/guide/lawyer-guide"' in client.get(START).text


def test_wrong_codes_are_rate_limited_like_tracking(client):
    token = csrf_token(client, "/appointments/lookup")
    statuses = [
        client.post(
            "/appointments/lookup",
            data={
                "csrf_token": token,
                "tracking_code": "ACDE-FGHJ-KMNP",
                "query_code": "ACDE-ACDE-ACDE-ACDE",
            },
        ).status_code
        for _ in range(12)
    ]
    assert statuses[:10] == [200] * 10
    assert statuses[-1] == 429


def test_the_submissions_queue_does_not_open_a_lawyers_request(client, app, db, officer):
    add_case(db)
    db.commit()
    lawyer = app.test_client()
    lawyer.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    receipt = codes_on(_book(lawyer).text)
    submission_id = db.scalar(select(Appointment.submission_id))
    sign_in(client, officer("第一检察部", "moderator", "reports"), TEST_PASSWORD)
    assert client.get(f"/staff/submissions/{submission_id}").status_code == 404
    assert receipt.tracking_code not in client.get("/staff/submissions/").text
