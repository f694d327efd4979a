"""Judicial aid: the amount and account checks, masking, role isolation, audited
opening and reveal, the stages, the decision letter, statistics without personal data."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from portal.audit import AuditEntry
from portal.judicial_aid import services as aid
from portal.judicial_aid.fields import (
    FieldProblem,
    clean_amount,
    clean_bank_account,
    mask_account,
)
from portal.judicial_aid.models import AidDecision
from portal.submissions import services
from portal.submissions.deadlines import limits_from_config
from portal.submissions.models import Submission

from ..conftest import TEST_PASSWORD
from ..files import PDF
from ..helpers import csrf_token, sign_in, submit
from ..submissions.conftest import PERSON, codes_on, post_check

ACCOUNT = "6222 0202 0011 2233 445"
ANSWERS = {
    "case": "示公刑立〔2025〕88号",
    "harm": "被抢劫致腿部骨折，住院三周。",
    "hardship": "无固定收入，需抚养两名子女，未获赔偿。",
    "amount": "２０，０００",
    "bank_account": ACCOUNT,
}


# --- the checks ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("20000", "20000"), ("２００００", "20000"), ("20,000.50元", "20000.50"), ("￥ 300", "300")],
)
def test_amounts_are_read_as_people_type_them(typed, stored):
    assert clean_amount(typed) == stored


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("0", "greater than zero"),
        ("-5", "as a number"),
        ("二万", "as a number"),
        ("1000000.01", "at most 1,000,000 yuan"),
        ("12.345", "as a number"),
    ],
)
def test_unusable_amounts_say_what_to_type(app, typed, says):
    with app.test_request_context(), force_locale("en"), pytest.raises(FieldProblem) as problem:
        clean_amount(typed)
    assert says in str(problem.value.message)


def test_bank_accounts_are_digits_after_spaces_are_removed(app):
    assert clean_bank_account(ACCOUNT) == "6222020200112233445"
    assert clean_bank_account("６２２２０２０２００１１２２３３４４５") == "6222020200112233445"
    with app.test_request_context(), force_locale("en"):
        for typed, says in (
            ("6222 0202 abc", "digits only"),
            ("12345678901", "12 to 30 digits; you typed 11"),
            ("1" * 31, "you typed 31"),
        ):
            with pytest.raises(FieldProblem) as problem:
                clean_bank_account(typed)
            assert says in str(problem.value.message)


def test_the_messages_are_in_chinese_too(app):
    with app.test_request_context(), force_locale("zh_Hans"):
        with pytest.raises(FieldProblem) as problem:
            clean_bank_account("12345")
        assert str(problem.value.message) == (
            "银行账号应为12至30位数字，您填写了5位。请对照银行卡或存折填写。"
        )


def test_only_the_last_four_digits_are_shown():
    assert mask_account("6222020200112233445") == "**** 3445"
    assert mask_account("") == ""


# --- applying -----------------------------------------------------------------------------


def _upload(client, name: str = "身份证.pdf", data: bytes = PDF):
    token = csrf_token(client, "/submissions/judicial_aid/files")
    return client.post(
        "/submissions/judicial_aid/files",
        data={"csrf_token": token, "action": "upload", "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def _fill(client, answers=None):
    assert submit(client, "/submissions/judicial_aid/", {}).status_code == 302
    assert submit(client, "/submissions/judicial_aid/about-you", PERSON).status_code == 302
    return submit(client, "/submissions/judicial_aid/details", answers or ANSWERS)


def _apply(client):
    assert _fill(client).status_code == 302
    assert "The file was added." in _upload(client).text
    return codes_on(post_check(client, "judicial_aid", follow_redirects=True).text)


def test_the_details_page_says_what_is_wrong_with_amount_and_account(client):
    page = _fill(client, {**ANSWERS, "amount": "0", "bank_account": "62220202"}).text
    assert "Enter an amount greater than zero." in page
    assert "A bank account number has 12 to 30 digits; you typed 8." in page


def test_an_application_needs_its_proofs(client):
    assert _fill(client).status_code == 302
    page = post_check(client, "judicial_aid").text
    assert "Attach your proofs before sending" in page


def test_the_account_is_stored_encrypted_and_masked_on_every_screen(client, db, app):
    assert _fill(client).status_code == 302
    _upload(client)
    check = client.get("/submissions/judicial_aid/check").text
    assert "**** 3445" in check and "6222020200112233445" not in check
    receipt = codes_on(post_check(client, "judicial_aid", follow_redirects=True).text)
    sub = db.scalars(select(Submission).where(Submission.kind == "judicial_aid")).one()
    assert services.answers_of(sub)["bank_account"] == "6222020200112233445"
    assert services.answers_of(sub)["amount"] == "20000"
    raw = db.connection().exec_driver_sql("SELECT original FROM submissions").scalar()
    stored = raw.encode() if isinstance(raw, str) else bytes(raw)
    assert b"6222020200112233445" not in stored and b"3445" not in stored
    tracked = submit(
        client,
        "/submissions/track",
        {"tracking_code": receipt.tracking_code, "query_code": receipt.query_code},
        follow_redirects=True,
    ).text
    assert "**** 3445" in tracked and "6222020200112233445" not in tracked


# --- staff --------------------------------------------------------------------------------


def _make(app, db, now: datetime | None = None) -> Submission:
    created = services.create_submission(
        db,
        kind="judicial_aid",
        anonymous=False,
        identity=PERSON,
        answers=ANSWERS,
        language="en",
        limits=limits_from_config(app.config),
        now=now or datetime.now(UTC),
    )
    db.commit()
    return created.submission


def test_only_the_judicial_aid_role_sees_applications(client, db, app, login_as):
    sub = _make(app, db)
    login_as("moderator", "reports", "supervisor")
    assert sub.tracking_code not in client.get("/staff/submissions/").text
    assert client.get(f"/staff/submissions/{sub.id}").status_code == 404
    assert client.get("/staff/judicial-aid/").status_code == 403
    assert client.get(f"/staff/judicial-aid/{sub.id}").status_code == 403
    assert client.get("/staff/judicial-aid/statistics").status_code == 403


def test_opening_is_audited_and_the_account_revealed_only_on_request(client, db, app, login_as):
    sub = _make(app, db)
    login_as("judicial_aid")
    assert sub.tracking_code in client.get("/staff/judicial-aid/").text
    page = client.get(f"/staff/judicial-aid/{sub.id}").text
    assert "**** 3445" in page and "6222020200112233445" not in page
    token = csrf_token(client, f"/staff/judicial-aid/{sub.id}")
    shown = client.post(f"/staff/judicial-aid/{sub.id}/account", data={"csrf_token": token}).text
    assert "6222020200112233445" in shown
    actions = db.scalars(
        select(AuditEntry.action).where(AuditEntry.action.like("judicial_aid.%"))
    ).all()
    assert actions.count("judicial_aid.opened") == 2
    assert actions.count("judicial_aid.account_revealed") == 1


def _move(client, sub_id: int, status: str, reason: str = ""):
    token = csrf_token(client, f"/staff/judicial-aid/{sub_id}")
    return client.post(
        f"/staff/judicial-aid/{sub_id}/move",
        data={"csrf_token": token, "status": status, "reason": reason},
        follow_redirects=True,
    )


def _decide(client, sub_id: int, outcome: str, amount: str = "", letter: str = "决定书"):
    token = csrf_token(client, f"/staff/judicial-aid/{sub_id}")
    return client.post(
        f"/staff/judicial-aid/{sub_id}/decide",
        data={"csrf_token": token, "outcome": outcome, "amount": amount, "letter": letter},
        follow_redirects=True,
    )


def test_the_stages_in_order_with_the_decision_letter_as_a_reply(client, db, app, login_as):
    sub = _make(app, db)
    login_as("judicial_aid")
    assert "That status cannot follow" in _move(client, sub.id, "paid").text
    assert "Give the reason" in _move(client, sub.id, "accepted").text
    _move(client, sub.id, "accepted", "依法受理。")
    _move(client, sub.id, "reviewing")
    assert "Record the decision with its letter" in _move(client, sub.id, "aid_granted").text
    assert "Enter an amount greater than zero." in _decide(client, sub.id, "granted", "0").text
    page = _decide(client, sub.id, "granted", "15000", "决定给予司法救助金15000元。").text
    assert "The decision letter was sent." in page
    _move(client, sub.id, "paid", "已发放。")
    db.expire_all()
    sub = db.get(Submission, sub.id)
    assert sub.status == "paid"
    assert [r.body for r in sub.replies] == ["决定给予司法救助金15000元。"]
    assert [label for label, state in aid.stages(sub) if state == "done"] == [
        "Accepted (受理)",
        "Review (审查)",
        "Decision (决定)",
    ]
    assert [str(label) for label, state in aid.stages(sub) if state == "current"] == [
        "Payment (发放)"
    ]


def _rated(app, db, create_staff, rating: str) -> Submission:
    sub = _make(app, db)
    staff = create_staff("judicial_aid")
    now = datetime.now(UTC)
    services.change_status(db, sub, "accepted", "受理", staff, now)
    services.change_status(db, sub, "reviewing", "", staff, now)
    aid.decide(
        db,
        sub,
        outcome="refused",
        amount="",
        letter="不予救助。",
        staff=staff,
        now=now,
        track_url="/",
    )
    services.rate_reply(db, sub, sub.replies[0].id, rating, "", now)
    db.commit()
    return sub


def test_an_unsatisfied_rating_of_the_decision_opens_a_follow_up(db, app, create_staff):
    sub = _rated(app, db, create_staff, "unsatisfied")
    from portal.submissions.queries import open_follow_ups

    assert [r.reply.submission_id for r in open_follow_ups(db)] == [sub.id]


def test_statistics_by_month_and_outcome_without_personal_data(client, db, app, login_as):
    staff = login_as("judicial_aid")
    for when, outcome, amount in (
        (datetime(2026, 11, 3, tzinfo=UTC), "granted", "10000"),
        (datetime(2026, 11, 20, tzinfo=UTC), "granted", "2500.50"),
        (datetime(2026, 11, 21, tzinfo=UTC), "refused", ""),
        (datetime(2026, 12, 1, tzinfo=UTC), "refused", ""),
    ):
        sub = _make(app, db, when)
        services.change_status(db, sub, "accepted", "受理", staff, when)
        services.change_status(db, sub, "reviewing", "", staff, when)
        aid.decide(
            db,
            sub,
            outcome=outcome,
            amount=amount,
            letter="决定",
            staff=staff,
            now=when,
            track_url="/",
        )
    db.commit()
    assert [(r.month, r.granted, r.refused, str(r.amount)) for r in aid.statistics(db)] == [
        ("2026-12", 0, 1, "0"),
        ("2026-11", 2, 1, "12500.5"),
    ]
    assert db.scalar(select(AidDecision.amount_fen).where(AidDecision.outcome == "refused")) == 0
    page = client.get("/staff/judicial-aid/statistics").text
    assert "12,500.50" in page
    for personal in (PERSON["name"], PERSON["id_number"], "3445", "骨折"):
        assert personal not in page


def test_a_kiosk_says_how_to_apply_online_or_at_the_counter(kiosk_client):
    page = kiosk_client.get("/submissions/judicial_aid/").text
    assert 'data-testid="apply-elsewhere"' in page
    assert "/submissions/judicial_aid/" in page and "counter" in page
    assert 'name="csrf_token"' not in page  # no form to start an application here


def test_the_handlers_dashboard_does_not_count_applications(db, app):
    from datetime import timedelta

    old = datetime.now(UTC) - timedelta(days=200)
    _make(app, db, old)
    report = services.due_report(db, datetime.now(UTC), limits_from_config(app.config))
    assert report.overdue == [] and report.due_soon == []


def test_overdue_applications_are_on_the_judicial_aid_dashboard_only(
    client, db, app, login_as, create_staff
):
    from datetime import timedelta

    late = _make(app, db, datetime.now(UTC) - timedelta(days=200))
    on_time = _make(app, db)
    login_as("judicial_aid")
    page = client.get("/staff/").text
    assert "Overdue: 1" in page
    listed = page[page.index('data-testid="aid-overdue-list"') :]
    listed = listed[: listed.index("</ul>")]
    assert f"/staff/judicial-aid/{late.id}" in listed and late.tracking_code in listed
    assert on_time.tracking_code not in listed
    assert PERSON["name"] not in page
    handler = app.test_client()
    sign_in(handler, create_staff("moderator", "reports"), TEST_PASSWORD)
    handlers = handler.get("/staff/").text
    assert 'data-testid="aid-overdue-list"' not in handlers and late.tracking_code not in handlers


def test_a_supervisor_reads_an_application_rated_unsatisfied_and_changes_nothing(
    client, db, app, login_as, create_staff
):
    sub = _rated(app, db, create_staff, "unsatisfied")
    other = _make(app, db)
    supervisor = login_as("supervisor")
    follow_ups = client.get("/staff/submissions/follow-ups").text
    assert f'href="/staff/judicial-aid/{sub.id}"' in follow_ups
    page = client.get(f"/staff/judicial-aid/{sub.id}").text
    assert 'data-testid="read-only"' in page and "不予救助。" in page
    assert PERSON["name"] in page and "**** 3445" in page
    assert "6222020200112233445" not in page
    assert f"/staff/judicial-aid/{sub.id}/account" not in page
    assert f"/staff/judicial-aid/{sub.id}/files/" not in page
    assert f"/staff/judicial-aid/{sub.id}/move" not in page
    opened = db.scalars(
        select(AuditEntry).where(
            AuditEntry.action == "judicial_aid.opened", AuditEntry.target_id == str(sub.id)
        )
    ).all()
    assert [entry.actor_id for entry in opened] == [supervisor.id]
    db.expire_all()
    assert db.get(Submission, sub.id).unread  # still new to the judicial aid staff
    token = csrf_token(client, "/staff/submissions/follow-ups")
    for action in ("account", "move", "decide"):
        response = client.post(f"/staff/judicial-aid/{sub.id}/{action}", data={"csrf_token": token})
        assert response.status_code == 403
    assert client.get(f"/staff/judicial-aid/{sub.id}/files/1").status_code == 403
    # Only the applications rated 不满意: not the list, not any other.
    assert client.get("/staff/judicial-aid/").status_code == 403
    assert client.get(f"/staff/judicial-aid/{other.id}").status_code == 403


def test_a_satisfied_rating_gives_a_supervisor_nothing_to_read(
    client, db, app, login_as, create_staff
):
    sub = _rated(app, db, create_staff, "satisfied")
    login_as("supervisor")
    assert client.get(f"/staff/judicial-aid/{sub.id}").status_code == 403
