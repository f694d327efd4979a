"""Return visits from the portal's own lists: each person invited once per questionnaire."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update

from portal.audit import AuditEntry
from portal.booking.models import Booking, OpenDay, OpenDaySession
from portal.surveys.models import Invitation, ReturnVisit

from ..cases.conftest import OTHER_ID, PARTY_ID, id_number
from ..helpers import submit


def _invite(client, q, source, **fields):
    data = {"source": source, "open_day": "0", "valid_days": "30", **fields}
    return submit(client, f"/staff/questionnaires/{q.id}/return-visits", data)


def _count(db, model) -> int:
    db.rollback()
    return db.scalar(select(func.count()).select_from(model))


def test_open_day_attendees_get_a_code_each_once(
    app, client, db, login_as, sample_questionnaire, attended_open_day, mailbox, deliver_mail
):
    q = sample_questionnaire(audience="invitation")
    day = attended_open_day("came@example.com", "also@example.com")
    login_as("surveys")
    page = client.get(f"/staff/questionnaires/{q.id}/return-visits").text
    assert "检察开放日：走进公诉厅" in page
    done = _invite(client, q, "open_day", open_day=str(day))
    assert done.status_code == 200
    assert "2 invitations were queued for e-mail." in done.text
    deliver_mail()
    assert sorted(m["To"] for m in mailbox.messages) == ["also@example.com", "came@example.com"]
    body = mailbox.to("came@example.com")[0].get_content()
    link = re.search(r"/questionnaires/invitation/([A-Z0-9]{12})", body)
    assert link, body
    assert "王小明" not in body and "开放日" not in mailbox.messages[0]["Subject"]
    # the code works once
    citizen = app.test_client()
    assert citizen.get(link.group(0)).status_code == 302
    assert _count(db, Invitation) == 2 and _count(db, ReturnVisit) == 2
    # `flask booking send-invitations` will not mail them the bare link afterwards
    attended = db.scalars(select(Booking).where(Booking.status == "attended")).all()
    assert len(attended) == 2 and all(b.invited_at for b in attended)

    mailbox.messages.clear()
    again = _invite(client, q, "open_day", open_day=str(day))
    assert again.status_code == 400
    assert "Nobody on this list is left to invite to this questionnaire." in again.text
    deliver_mail()
    assert mailbox.messages == [] and _count(db, Invitation) == 2


def test_the_open_day_must_be_chosen(client, login_as, sample_questionnaire, attended_open_day):
    q = sample_questionnaire(audience="invitation")
    attended_open_day("came@example.com")
    login_as("surveys")
    missing = _invite(client, q, "open_day")
    assert missing.status_code == 400
    assert "Choose the open day whose attendees to invite." in missing.text
    assert 'href="#open_day"' in missing.text


def test_answered_submitters_with_an_address_are_mailed_without_case_content(
    client, db, login_as, sample_questionnaire, answered_submission, mailbox, deliver_mail
):
    q = sample_questionnaire(audience="invitation")
    answered_submission("complaint", email="wang@example.com")
    answered_submission("consultation", email="Wang@Example.com")  # the same person
    answered_submission("complaint")  # no address: nobody to mail
    answered_submission("complaint", email="waiting@example.com", answer=False)
    login_as("surveys")
    deliver_mail()  # the replies' notices
    mailbox.messages.clear()
    done = _invite(client, q, "answered")
    assert "1 invitations were queued for e-mail." in done.text
    deliver_mail()
    assert [m["To"] for m in mailbox.messages] == ["wang@example.com"]
    body = mailbox.messages[0].get_content()
    assert "派出所" not in body and "控告" not in body and "王小明" not in body
    assert re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", body)

    answered_submission("report", email="li@example.com")
    deliver_mail()
    mailbox.messages.clear()
    later = _invite(client, q, "answered")
    assert "1 invitations were queued for e-mail." in later.text
    assert "1 people on the list were already invited to this questionnaire" in later.text
    deliver_mail()
    assert [m["To"] for m in mailbox.messages] == ["li@example.com"]
    entries = db.scalars(
        select(AuditEntry).where(AuditEntry.action == "survey.return_visits")
    ).all()
    assert [e.details["mailed"] for e in entries] == [1, 1]
    assert all("example.com" not in str(e.details) for e in entries)


def test_parties_of_closed_cases_get_printed_codes_by_case_number_only(
    app, client, db, login_as, sample_questionnaire, closed_case
):
    q = sample_questionnaire(audience="invitation")
    closed_case("示检刑不诉〔2026〕5号", ("陈晓峰", PARTY_ID), ("李四", OTHER_ID))
    closed_case("示检刑诉〔2026〕8号", ("赵六", id_number(seq=51)), closed=False)
    closed_case("示检刑诉〔2026〕9号", ("钱七", id_number(seq=63)), sealed=True)
    login_as("surveys")
    done = _invite(client, q, "closed_case")
    assert done.status_code == 200
    sheet = done.text.split('data-testid="codes"', 1)[1].split("</ol>", 1)[0]
    assert sheet.count("Case number: 示检刑不诉〔2026〕5号") == 2
    assert "8号" not in sheet and "9号" not in sheet
    assert "陈晓峰" not in done.text and "李四" not in done.text
    codes = re.findall(r'<p class="code">([A-Z0-9-]+)</p>', sheet)
    assert len(set(codes)) == 2
    # a printed code opens the questionnaire, once
    citizen = app.test_client()
    citizen.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert submit(citizen, "/questionnaires/invitation", {"code": codes[0]}).status_code == 302

    again = _invite(client, q, "closed_case")
    assert "Nobody on this list is left to invite to this questionnaire." in again.text
    assert _count(db, Invitation) == 2


def test_other_staff_may_not_invite(client, login_as, sample_questionnaire):
    q = sample_questionnaire(audience="invitation")
    login_as("case_officer")
    assert client.get(f"/staff/questionnaires/{q.id}/return-visits").status_code == 403


def test_only_questionnaires_by_invitation_take_return_visits(
    client, login_as, sample_questionnaire, closed_case
):
    public = sample_questionnaire()
    closed_case("示检刑不诉〔2026〕5号", ("陈晓峰", PARTY_ID))
    login_as("surveys")
    refused = _invite(client, public, "closed_case")
    assert refused.status_code == 400
    assert "Invitations are only for questionnaires by invitation." in refused.text


def _finish(db, open_day_id: int, questionnaire_url: str) -> None:
    """Move the open day's sessions into the past and set its questionnaire address."""
    past = datetime.now(UTC) - timedelta(hours=3)
    db.execute(
        update(OpenDaySession)
        .where(OpenDaySession.open_day_id == open_day_id)
        .values(starts_at=past, ends_at=past + timedelta(hours=2))
    )
    db.execute(
        update(OpenDay).where(OpenDay.id == open_day_id).values(questionnaire_url=questionnaire_url)
    )
    db.commit()


def _mail_invitations(app) -> str:
    runner = app.test_cli_runner()
    output = runner.invoke(args=["booking", "send-invitations"]).output
    runner.invoke(args=["mail", "send-pending"])
    return output


def test_the_open_day_mailing_sends_single_use_codes_for_a_portal_questionnaire(
    app, db, sample_questionnaire, attended_open_day, mailbox
):
    q = sample_questionnaire(audience="invitation")
    day = attended_open_day("came@example.com", "also@example.com")
    _finish(db, day, f"http://localhost:5000/questionnaires/{q.family_id}")
    mailbox.messages.clear()
    assert "2 invitations queued." in _mail_invitations(app)
    assert "0 invitations queued." in _mail_invitations(app)
    assert sorted(m["To"] for m in mailbox.messages) == ["also@example.com", "came@example.com"]
    body = mailbox.to("came@example.com")[0].get_content()
    link = re.search(r"http://localhost:5000(/questionnaires/invitation/[A-Z0-9]{12})", body)
    assert link, body
    assert f"/questionnaires/{q.family_id}\n" not in body
    assert _count(db, Invitation) == 2 and _count(db, ReturnVisit) == 2
    # one response with the code, and the code is refused after that
    citizen = app.test_client()
    citizen.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert citizen.get(link.group(1)).status_code == 302
    assert q.title in citizen.get("/questionnaires/invited").text


def test_the_open_day_mailing_skips_people_already_invited_to_that_questionnaire(
    app, client, db, login_as, sample_questionnaire, attended_open_day, answered_submission, mailbox
):
    q = sample_questionnaire(audience="invitation")
    answered_submission("complaint", email="came@example.com")
    login_as("surveys")
    _invite(client, q, "answered")
    day = attended_open_day("came@example.com")
    _finish(db, day, f"http://localhost:5000/questionnaires/{q.family_id}")
    app.test_cli_runner().invoke(args=["mail", "send-pending"])  # the reply's notice
    mailbox.messages.clear()
    assert "0 invitations queued." in _mail_invitations(app)
    assert mailbox.messages == []


def test_only_the_portals_own_questionnaires_by_invitation_get_codes(app, sample_questionnaire):
    from portal.db import get_session
    from portal.surveys.returns import portal_questionnaire

    invited = sample_questionnaire(audience="invitation")
    public = sample_questionnaire()
    with app.app_context():
        db = get_session()
        own = portal_questionnaire(db, f"http://localhost:5000/questionnaires/{invited.family_id}")
        assert own is not None and own.id == invited.id
        assert portal_questionnaire(db, f"/questionnaires/{invited.family_id}") is not None
        for url in (
            f"https://elsewhere.example/questionnaires/{invited.family_id}",
            f"http://localhost:5000/questionnaires/{public.family_id}",
            "http://localhost:5000/questionnaires/99999",
            "http://localhost:5000/open-days/",
            "",
        ):
            assert portal_questionnaire(db, url) is None, url
