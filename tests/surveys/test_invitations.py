"""Invitations for return visits: mailed or printed single-use codes, one response each."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from portal.audit import AuditEntry
from portal.db import utcnow
from portal.surveys.models import Invitation, Questionnaire, SurveyResponse

from ..helpers import csrf_token, submit
from .conftest import answer_fields

GOOD = {"rating": "fairly", "contact": "来访"}


def _invite(client, q, **data):
    return submit(
        client,
        f"/staff/questionnaires/{q.id}/invitations",
        {"emails": "", "printed": "0", "valid_days": "30", **data},
    )


def _printed_codes(page: str) -> list[str]:
    return re.findall(r'<p class="code">([A-Z0-9-]+)</p>', page)


def _answer(client, q, token=None):
    path = "/questionnaires/invited"
    token = token or csrf_token(client, path)
    return client.post(path, data={**answer_fields(q, **GOOD), "csrf_token": token})


def _responses(db) -> int:
    db.rollback()
    return db.scalar(select(func.count()).select_from(SurveyResponse))


def test_invitations_are_mailed_without_personal_data_in_the_subject(
    client, db, login_as, sample_questionnaire, mailbox, deliver_mail
):
    q = sample_questionnaire(audience="invitation")
    login_as("surveys")
    response = _invite(client, q, emails="wang@example.com\nli@example.com, wang@example.com")
    assert response.status_code == 200
    assert "2 invitations were queued for e-mail." in response.text
    assert _printed_codes(response.text) == []
    deliver_mail()
    assert len(mailbox.messages) == 2
    mail = mailbox.to("wang@example.com")[0]
    assert "wang" not in mail["Subject"] and "example" not in mail["Subject"]
    assert re.search(r"/questionnaires/invitation/[A-Z0-9]{12}", mail.get_content())
    db.rollback()
    assert db.scalar(select(func.count()).select_from(Invitation)) == 2
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "survey.invite"))
    assert entry.details == {"mailed": 2, "printed": 0, "valid_days": 30}
    assert "example.com" not in str(entry.details)


def test_an_invitation_used_twice_is_refused(
    client, db, app, login_as, sample_questionnaire, mailbox, deliver_mail
):
    q = sample_questionnaire(audience="invitation")
    login_as("surveys")
    _invite(client, q, emails="zhao@example.com")
    deliver_mail()
    link = re.search(r"(/questionnaires/invitation/[A-Z0-9]+)", mailbox.messages[0].get_content())
    citizen = app.test_client()
    citizen.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    opened = citizen.get(link.group(1))
    assert opened.status_code == 302 and opened.headers["Location"] == "/questionnaires/invited"
    assert q.title in citizen.get("/questionnaires/invited").text
    assert _answer(citizen, q).status_code == 302
    assert _responses(db) == 1

    again = citizen.get(link.group(1))
    assert again.status_code == 410
    assert "This invitation has already been used to answer." in again.text
    someone_else = app.test_client()
    someone_else.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    code = link.group(1).rsplit("/", 1)[1]
    typed = submit(someone_else, "/questionnaires/invitation", {"code": code.lower()})
    assert "This invitation has already been used to answer." in typed.text
    assert _responses(db) == 1


def test_a_second_browser_with_the_form_already_open_is_refused(
    client, db, app, login_as, sample_questionnaire
):
    q = sample_questionnaire(audience="invitation")
    login_as("surveys")
    code = _printed_codes(_invite(client, q, printed="1").text)[0]
    first, second = app.test_client(), app.test_client()
    tokens = []
    for browser in (first, second):
        browser.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
        entered = submit(browser, "/questionnaires/invitation", {"code": code.replace("-", " ")})
        assert entered.status_code == 302
        tokens.append(csrf_token(browser, "/questionnaires/invited"))  # both have the form open
    assert _answer(first, q, tokens[0]).status_code == 302
    late = _answer(second, q, tokens[1])
    assert late.status_code == 410
    assert "This invitation has already been used to answer." in late.text
    assert _responses(db) == 1


def test_printed_codes_are_shown_once_and_an_expired_code_is_refused(
    client, db, app, login_as, sample_questionnaire
):
    q = sample_questionnaire(audience="invitation")
    login_as("surveys")
    page = _invite(client, q, printed="3", valid_days="7")
    codes = _printed_codes(page.text)
    assert len(codes) == 3 and all(
        re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", c) for c in codes
    )
    assert not any(c in client.get(f"/staff/questionnaires/{q.id}/invitations").text for c in codes)
    db.rollback()
    for invitation in db.scalars(select(Invitation)):
        invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.commit()
    citizen = app.test_client()
    citizen.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    refused = submit(citizen, "/questionnaires/invitation", {"code": codes[0]})
    assert refused.status_code == 400
    assert "This invitation has expired." in refused.text
    unknown = submit(citizen, "/questionnaires/invitation", {"code": "AAAA-BBBB-CCCC"})
    assert "We could not find that code." in unknown.text
    assert citizen.get("/questionnaires/invited").status_code == 302
    assert _responses(db) == 0


def test_invitation_only_questionnaires_are_not_public(client, login_as, sample_questionnaire):
    q = sample_questionnaire(audience="invitation")
    assert client.get(f"/questionnaires/{q.family_id}").status_code == 404
    assert client.get(f"/questionnaires/kiosk/{q.family_id}").status_code == 404
    public = sample_questionnaire()
    login_as("surveys")
    refused = _invite(client, public, printed="2")
    assert "Invitations are only for questionnaires by invitation." in refused.text
    bad = _invite(client, q, emails="not-an-address")
    assert "Check the e-mail addresses: 1 could not be read as an address." in bad.text


def test_a_draft_cannot_be_sent_and_a_new_version_keeps_the_invitations(
    client, db, app, login_as, sample_questionnaire
):
    draft = sample_questionnaire(audience="invitation", publish=False)
    login_as("surveys")
    refused = _invite(client, draft, printed="1")
    assert "once it is open for answers" in refused.text
    q = sample_questionnaire(audience="invitation", title="案件回访")
    codes = _printed_codes(_invite(client, q, printed="2").text)
    first = app.test_client()
    submit(first, "/questionnaires/invitation", {"code": codes[0]})
    assert _answer(first, q).status_code == 302
    # The questionnaire changes after answers came in: the second code answers version 2.
    response = submit(
        client,
        f"/staff/questionnaires/{q.id}",
        {
            "kind": "yesno",
            "text": "是否需要再次联系您？",
            "section": "",
            "options": "",
            "condition": "",
        },
    )
    new_id = int(response.headers["Location"].split("/")[3].split("#")[0])
    assert "2 issued, 1 used" in client.get(f"/staff/questionnaires/{new_id}").text
    second = app.test_client()
    submit(second, "/questionnaires/invitation", {"code": codes[1]})
    assert "是否需要再次联系您？" in second.get("/questionnaires/invited").text
    db.rollback()
    assert _answer(second, db.get(Questionnaire, new_id)).status_code == 302
    db.rollback()
    assert sorted(db.scalars(select(SurveyResponse.questionnaire_id))) == [q.id, new_id]
