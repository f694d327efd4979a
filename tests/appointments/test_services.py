"""Lawyers' appointments: the licence and case checks, routing to a department, the
answer due date, seats under capacity, double answers, cancelling, refusing, overdue,
who may act, and the case inquiry offered after acceptance."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from portal.appointments import services, slots
from portal.appointments.fields import clean_case_number, clean_licence
from portal.appointments.models import Appointment, AppointmentSlot
from portal.audit import AuditEntry
from portal.cases.models import AccessRequest
from portal.judicial_aid.fields import FieldProblem
from portal.mail import OutboxMail
from portal.staff import services as staff_services
from portal.submissions.services import SubmissionError

from .conftest import (
    DEPARTMENT,
    NOW,
    OTHER_DEPARTMENT,
    add_case,
    add_slot,
    make_request,
)

URL = "http://localhost/appointments/lookup"


def _staff(db, *roles, department=DEPARTMENT, name=None):
    user = staff_services.create_staff(
        db,
        username=name or f"s{db.scalar(select(func.count(AuditEntry.seq)))}",
        password="a long enough password",
        roles=list(roles or ("case_officer",)),
        department=department,
        actor="test",
    )
    return user


def _taken(db, slot):
    db.expire(slot)
    return db.get(AppointmentSlot, slot.id).taken


# --- the checks ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("13101201910123456", "13101201910123456"),
        ("１３１０１２０１９１０１２３４５６", "13101201910123456"),
        ("1310 1201 9101 23456", "13101201910123456"),
    ],
)
def test_licence_numbers_are_read_as_people_type_them(typed, stored):
    assert clean_licence(typed) == stored


@pytest.mark.parametrize("typed", ["1310120191012345", "131012019101234567", "1310120191012345X"])
def test_a_wrong_licence_number_says_what_to_type(ctx, typed):
    with force_locale("en"):
        with pytest.raises(FieldProblem) as problem:
            clean_licence(typed)
        assert "has 17 digits" in str(problem.value.message)


def test_case_numbers_are_checked_and_folded(ctx):
    assert clean_case_number("示检刑诉〔２０２６〕１５号") == "示检刑诉〔2026〕15号"
    with force_locale("en"):
        with pytest.raises(FieldProblem) as problem:
            clean_case_number("my case")
        assert "as on the case documents" in str(problem.value.message)


# --- the request ------------------------------------------------------------------------


def test_a_known_case_sends_the_request_to_its_department(app, ctx):
    add_case(ctx)
    appointment, _tracking, _query = make_request(app, ctx, department=OTHER_DEPARTMENT)
    assert appointment.department == DEPARTMENT
    assert appointment.status == "requested"


def test_an_unknown_case_goes_to_the_publishing_department_picked(app, ctx):
    add_slot(ctx, department=OTHER_DEPARTMENT)
    appointment, *_ = make_request(app, ctx, department=OTHER_DEPARTMENT)
    assert appointment.department == OTHER_DEPARTMENT


def test_an_unknown_case_without_a_department_is_refused(app, ctx):
    with pytest.raises(SubmissionError) as refused:
        make_request(app, ctx)
    assert refused.value.field == "department"
    with pytest.raises(SubmissionError):  # a department that publishes no slot
        make_request(app, ctx, department="不存在的部门")


def test_the_answer_is_due_within_three_working_days(app, ctx):
    add_case(ctx)
    appointment, *_ = make_request(app, ctx, now=NOW)  # Tuesday
    # Friday 23:59:59 in Beijing; a request on Friday would be due on Wednesday.
    assert appointment.answer_due == datetime(2026, 12, 4, 15, 59, 59, tzinfo=UTC)
    friday, *_ = make_request(app, ctx, now=NOW + timedelta(days=3))
    assert friday.answer_due == datetime(2026, 12, 9, 15, 59, 59, tzinfo=UTC)


# --- answering ------------------------------------------------------------------------------


def test_accepting_takes_a_seat_and_never_more_than_the_capacity(app, ctx):
    add_case(ctx)
    officer = _staff(ctx)
    slot = add_slot(ctx, capacity=2)
    requests = [make_request(app, ctx)[0] for _ in range(3)]
    ctx.commit()
    now = datetime.now(UTC)
    for appointment in requests[:2]:
        services.accept(ctx, officer, appointment, slot.id, now, lookup_url=URL)
        ctx.commit()
    assert _taken(ctx, slot) == 2
    with pytest.raises(services.AppointmentError) as full:
        services.accept(ctx, officer, requests[2], slot.id, now, lookup_url=URL)
    ctx.rollback()
    assert full.value.field == "slot_id"
    assert _taken(ctx, slot) == 2
    assert ctx.get(Appointment, requests[2].id).status == "requested"


def test_a_request_is_answered_once(app, ctx):
    add_case(ctx)
    officer = _staff(ctx)
    slot = add_slot(ctx, capacity=5)
    appointment, *_ = make_request(app, ctx)
    ctx.commit()
    services.accept(ctx, officer, appointment, slot.id, datetime.now(UTC), lookup_url=URL)
    ctx.commit()
    with pytest.raises(services.AppointmentError):
        services.accept(ctx, officer, appointment, slot.id, datetime.now(UTC), lookup_url=URL)
    ctx.rollback()
    assert _taken(ctx, slot) == 1


def test_a_past_slot_or_another_departments_slot_cannot_be_given(app, ctx):
    add_case(ctx)
    officer = _staff(ctx)
    past = add_slot(ctx, starts_at=datetime.now(UTC) - timedelta(hours=1))
    theirs = add_slot(ctx, department=OTHER_DEPARTMENT)
    appointment, *_ = make_request(app, ctx)
    ctx.commit()
    for slot in (past, theirs):
        with pytest.raises(services.AppointmentError):
            services.accept(ctx, officer, appointment, slot.id, datetime.now(UTC), lookup_url=URL)
        ctx.rollback()


def test_cancelling_frees_the_seat_for_another_lawyer(app, ctx):
    add_case(ctx)
    officer = _staff(ctx)
    slot = add_slot(ctx, capacity=1)
    first, *_ = make_request(app, ctx)
    second, *_ = make_request(app, ctx)
    ctx.commit()
    now = datetime.now(UTC)
    services.accept(ctx, officer, first, slot.id, now, lookup_url=URL)
    ctx.commit()
    services.cancel(ctx, first, now)
    ctx.commit()
    assert _taken(ctx, slot) == 0
    services.accept(ctx, officer, second, slot.id, now, lookup_url=URL)
    ctx.commit()
    assert _taken(ctx, slot) == 1
    with pytest.raises(services.AppointmentError):  # cancelled once is cancelled
        services.cancel(ctx, first, now)


def test_a_proposed_time_that_has_passed_can_no_longer_be_accepted(app, ctx):
    add_case(ctx)
    officer = _staff(ctx)
    slot = add_slot(ctx, capacity=1)
    appointment, *_ = make_request(app, ctx)
    ctx.commit()
    now = datetime.now(UTC)
    services.propose(ctx, officer, appointment, slot.id, "周四下午可以吗？", now, lookup_url=URL)
    ctx.commit()
    assert services.proposal_open(appointment, now)
    later = slot.starts_at + timedelta(minutes=1)
    assert not services.proposal_open(appointment, later)
    with pytest.raises(services.AppointmentError) as problem:
        services.accept_proposal(ctx, appointment, later)
    assert "建议的时间已过" in str(problem.value.message)
    ctx.rollback()
    assert ctx.get(Appointment, appointment.id).status == "proposed"
    # Cancelling is still possible and gives the seat back.
    services.cancel(ctx, appointment, later)
    ctx.commit()
    assert _taken(ctx, slot) == 0


def test_a_proposed_time_holds_its_seat_until_accepted_or_refused(app, ctx):
    add_case(ctx)
    officer = _staff(ctx)
    slot = add_slot(ctx, capacity=1)
    appointment, *_ = make_request(app, ctx)
    other, *_ = make_request(app, ctx)
    ctx.commit()
    now = datetime.now(UTC)
    services.propose(ctx, officer, appointment, slot.id, "周四下午可以吗？", now, lookup_url=URL)
    ctx.commit()
    assert _taken(ctx, slot) == 1
    services.accept_proposal(ctx, appointment, now)
    ctx.commit()
    assert ctx.get(Appointment, appointment.id).status == "accepted"
    services.cancel(ctx, appointment, now)
    ctx.commit()
    services.propose(ctx, officer, other, slot.id, "改期", now, lookup_url=URL)
    ctx.commit()
    services.refuse(ctx, officer, other, "案件已移送法院。", now, lookup_url=URL)
    ctx.commit()
    assert _taken(ctx, slot) == 0
    assert ctx.get(Appointment, other.id).reason == "案件已移送法院。"


def test_refusing_needs_a_reason_and_the_lawyer_is_mailed_at_each_answer(app, ctx):
    add_case(ctx)
    officer = _staff(ctx)
    slot = add_slot(ctx)
    appointment, tracking, _query = make_request(app, ctx)
    refused, *_ = make_request(app, ctx)
    ctx.commit()
    now = datetime.now(UTC)
    with pytest.raises(services.AppointmentError) as no_reason:
        services.refuse(ctx, officer, refused, "  ", now, lookup_url=URL)
    assert no_reason.value.field == "reason"
    services.refuse(ctx, officer, refused, "不属于本院管辖。", now, lookup_url=URL)
    services.accept(ctx, officer, appointment, slot.id, now, lookup_url=URL)
    ctx.commit()
    mails = ctx.scalars(select(OutboxMail).order_by(OutboxMail.id)).all()
    assert [m.recipient for m in mails] == ["lawyer@example.com"] * 2
    assert tracking in mails[1].body and URL in mails[1].body
    assert "不属于本院管辖" not in mails[0].body  # the reason is read with the codes
    actions = set(ctx.scalars(select(AuditEntry.action)))
    assert {"appointments.refused", "appointments.accepted"} <= actions


# --- who may act ------------------------------------------------------------------------------


def test_only_case_officers_of_the_department_may_handle_it(app, ctx):
    add_case(ctx)
    slot = add_slot(ctx)
    appointment, *_ = make_request(app, ctx)
    moderator = _staff(ctx, "moderator", name="mod")
    stranger = _staff(ctx, department=OTHER_DEPARTMENT, name="other")
    nowhere = _staff(ctx, department="", name="nowhere")
    ctx.commit()
    for staff in (moderator, stranger, nowhere):
        assert services.load(ctx, appointment.id, staff) is None
        with pytest.raises(services.AppointmentError):
            services.accept(ctx, staff, appointment, slot.id, datetime.now(UTC), lookup_url=URL)
        ctx.rollback()
    assert services.load(ctx, appointment.id, _staff(ctx, name="mine")) is not None


def test_overdue_requests_are_those_of_the_department_past_their_due_date(app, ctx):
    add_case(ctx)
    add_case(ctx, number="示检刑诉〔2026〕16号", department=OTHER_DEPARTMENT)
    old, *_ = make_request(app, ctx, now=NOW - timedelta(days=10))
    make_request(app, ctx, now=NOW - timedelta(days=10), case_number="示检刑诉〔2026〕16号")
    fresh, *_ = make_request(app, ctx, now=NOW)
    ctx.commit()
    late = services.overdue(ctx, DEPARTMENT, NOW + timedelta(hours=1))
    assert [row.appointment.id for row in late] == [old.id]
    services.cancel(ctx, old, NOW)
    ctx.commit()
    assert services.overdue(ctx, DEPARTMENT, NOW + timedelta(hours=1)) == []
    assert fresh.status == "requested"


def test_slots_are_published_for_the_officers_department_and_deleted_only_when_empty(app, ctx):
    add_case(ctx)
    officer = _staff(ctx)
    now = datetime.now(UTC)
    with pytest.raises(services.AppointmentError):
        slots.publish_slot(
            ctx,
            officer,
            starts_at=now - timedelta(hours=1),
            ends_at=now,
            room="1",
            capacity=1,
            now=now,
        )
    slot = slots.publish_slot(
        ctx,
        officer,
        starts_at=now + timedelta(days=1),
        ends_at=now + timedelta(days=1, hours=1),
        room="阅卷室 1",
        capacity=3,
        now=now,
    )
    assert slot.department == DEPARTMENT
    appointment, *_ = make_request(app, ctx)
    ctx.commit()
    services.accept(ctx, officer, appointment, slot.id, now, lookup_url=URL)
    ctx.commit()
    with pytest.raises(services.AppointmentError):
        slots.delete_slot(ctx, officer, ctx.get(AppointmentSlot, slot.id))
    ctx.rollback()
    empty = slots.publish_slot(
        ctx,
        officer,
        starts_at=now + timedelta(days=2),
        ends_at=now + timedelta(days=2, hours=1),
        room="阅卷室 1",
        capacity=3,
        now=now,
    )
    slots.delete_slot(ctx, officer, empty)
    ctx.commit()
    assert ctx.get(AppointmentSlot, empty.id) is None
    services.cancel(ctx, ctx.get(Appointment, appointment.id), now)
    ctx.commit()
    slots.delete_slot(ctx, officer, ctx.get(AppointmentSlot, slot.id))  # only a cancelled one
    ctx.commit()
    assert ctx.get(Appointment, appointment.id).slot_id is None


# --- the case inquiry ---------------------------------------------------------------------------


def test_an_accepted_lawyer_may_ask_once_for_the_case_inquiry(app, ctx):
    add_case(ctx)
    officer = _staff(ctx)
    slot = add_slot(ctx)
    appointment, *_ = make_request(app, ctx)
    ctx.commit()
    submission = services.submission_of(ctx, appointment)
    with pytest.raises(services.AppointmentError):
        services.request_case_inquiry(ctx, appointment, submission)
    services.accept(ctx, officer, appointment, slot.id, datetime.now(UTC), lookup_url=URL)
    ctx.commit()
    appointment = ctx.get(Appointment, appointment.id)
    request = services.request_case_inquiry(ctx, appointment, submission)
    ctx.commit()
    stored = ctx.get(AccessRequest, request.id)
    assert (stored.role, stored.relation, stored.requester_name, stored.status) == (
        "defender",
        "李某",
        "张律师",
        "pending",
    )
    assert stored.case_number == "示检刑诉〔2026〕15号"
    with pytest.raises(services.AppointmentError):
        services.request_case_inquiry(ctx, appointment, submission)


# --- races: each side acts on what it read before the other wrote -----------------------------


def _seats_match(db, slot):
    """The slot's count is the number of requests holding one of its seats."""
    db.expire_all()
    holding = db.scalar(
        select(func.count(Appointment.id)).where(
            Appointment.slot_id == slot.id, Appointment.status.in_(("accepted", "proposed"))
        )
    )
    assert db.get(AppointmentSlot, slot.id).taken == holding


@pytest.fixture
def other_session(ctx):
    """A second person's session: it read the request before the first one wrote."""
    second = Session(bind=ctx.get_bind())
    yield second
    second.close()


def test_a_lawyer_cancelling_while_an_officer_accepts_leaves_no_seat_taken(app, ctx, other_session):
    add_case(ctx)
    officer = _staff(ctx)
    slot = add_slot(ctx, capacity=2)
    appointment, *_ = make_request(app, ctx)
    ctx.commit()
    seen_by_lawyer = other_session.get(Appointment, appointment.id)
    assert seen_by_lawyer.status == "requested"
    other_session.commit()  # the lawyer's page was rendered; the state stays in memory
    seen_by_lawyer.status  # noqa: B018 - still "requested" for the lawyer
    services.accept(ctx, officer, appointment, slot.id, datetime.now(UTC), lookup_url=URL)
    ctx.commit()
    try:
        services.cancel(other_session, seen_by_lawyer, datetime.now(UTC))
        other_session.commit()
    except services.AppointmentError:
        other_session.rollback()
    _seats_match(ctx, slot)


def test_two_officers_answering_at_once_leave_one_answer_and_a_right_count(app, ctx, other_session):
    add_case(ctx)
    first, second = _staff(ctx), _staff(ctx)
    slot = add_slot(ctx, capacity=2)
    appointment, *_ = make_request(app, ctx)
    ctx.commit()
    seen_by_second = other_session.get(Appointment, appointment.id)
    other_session.commit()
    second = other_session.get(type(second), second.id)
    assert seen_by_second.status == "requested"  # the second officer's page
    services.propose(ctx, first, appointment, slot.id, "周四", datetime.now(UTC), lookup_url=URL)
    ctx.commit()
    with pytest.raises(services.AppointmentError):
        services.refuse(
            other_session, second, seen_by_second, "不予安排", datetime.now(UTC), lookup_url=URL
        )
    other_session.rollback()
    ctx.expire_all()
    assert ctx.get(Appointment, appointment.id).status == "proposed"
    _seats_match(ctx, slot)


def test_accepting_a_proposed_time_while_the_slot_is_deleted_keeps_the_slot(
    app, ctx, other_session
):
    add_case(ctx)
    officer = _staff(ctx)
    slot = add_slot(ctx, capacity=1)
    appointment, *_ = make_request(app, ctx)
    ctx.commit()
    services.propose(ctx, officer, appointment, slot.id, "", datetime.now(UTC), lookup_url=URL)
    ctx.commit()
    seen_slot = other_session.get(AppointmentSlot, slot.id)
    other_officer = other_session.get(type(officer), officer.id)
    other_session.commit()
    services.accept_proposal(ctx, appointment, datetime.now(UTC))
    ctx.commit()
    with pytest.raises(services.AppointmentError):
        slots.delete_slot(other_session, other_officer, seen_slot)
    other_session.rollback()
    assert ctx.get(Appointment, appointment.id).status == "accepted"
    _seats_match(ctx, slot)


def test_accepting_into_a_slot_while_it_is_deleted_never_deadlocks(app, ctx, database_url):
    """On PostgreSQL, an officer's acceptance pointing the request at the slot and then
    taking its seat, while another officer deletes the slot in between, locked the slot
    row in opposite orders: one of them failed with a deadlock (a server error)."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite lets one writer at a time: no interleaving")
    add_case(ctx)
    accepting, deleting = _staff(ctx), _staff(ctx)
    slot = add_slot(ctx, capacity=1)
    slot_id = slot.id
    appointment, *_ = make_request(app, ctx)
    ctx.commit()
    other = Session(bind=ctx.get_bind())
    failures: list[BaseException] = []

    def delete_meanwhile() -> None:
        try:
            slots.delete_slot(
                other, other.get(type(deleting), deleting.id), other.get(AppointmentSlot, slot.id)
            )
            other.commit()
        except services.AppointmentError:
            other.rollback()
        except BaseException as exc:  # noqa: BLE001 - reported below
            other.rollback()
            failures.append(exc)

    deleter = threading.Thread(target=delete_meanwhile)
    connection = ctx.connection()

    @event.listens_for(connection, "before_cursor_execute")
    def _pause_before_the_seat(_conn, _cursor, statement, *_args):  # noqa: ANN001
        if statement.lstrip().startswith("UPDATE appointment_slots") and deleter.ident is None:
            deleter.start()
            deleter.join(timeout=3)  # it finishes, or it waits for our lock

    try:
        services.accept(ctx, accepting, appointment, slot.id, datetime.now(UTC), lookup_url=URL)
        ctx.commit()
    except services.AppointmentError:
        ctx.rollback()
    except BaseException as exc:  # noqa: BLE001 - reported below
        ctx.rollback()
        failures.append(exc)
    finally:
        event.remove(connection, "before_cursor_execute", _pause_before_the_seat)
        deleter.join(timeout=30)
        other.close()
    assert not failures, failures
    taken = ctx.scalar(select(AppointmentSlot.taken).where(AppointmentSlot.id == slot_id))
    status = ctx.scalar(select(Appointment.status).where(Appointment.id == appointment.id))
    assert (taken, status) in ((None, "requested"), (1, "accepted"))
