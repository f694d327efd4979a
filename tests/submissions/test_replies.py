"""Replies: named template fields, templates tied to their status, each reply once."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select

from portal.submissions.models import Submission, SubmissionReply
from portal.submissions.replies import (
    FIELDS,
    LEGACY_GAPS,
    MARKER,
    TEMPLATES,
    UnfilledField,
    fill_fields,
)

from ..helpers import csrf_token, submit


def test_named_fields_are_filled_and_a_missing_one_is_named():
    assert fill_fields("移送{authority}处理", {"authority": "示例区公安分局"}) == (
        "移送示例区公安分局处理"
    )
    with pytest.raises(UnfilledField) as missing:
        fill_fields("移送{authority}处理", {"authority": "  "})
    assert missing.value.field == "authority"
    with pytest.raises(UnfilledField) as unknown:
        fill_fields("请补充{itmes}", {"items": "身份证复印件"})
    assert unknown.value.field is None and unknown.value.marker == "{itmes}"


@pytest.mark.parametrize("gap", sorted(LEGACY_GAPS))
def test_the_old_bracketed_gaps_cannot_be_sent(gap):
    with pytest.raises(UnfilledField) as found:
        fill_fields(f"已依法移送{gap}处理", {})
    assert found.value.field == LEGACY_GAPS[gap]


def test_the_shipped_templates_use_named_fields_only():
    for template in TEMPLATES:
        for text in (template.zh, template.en):
            assert not [gap for gap in LEGACY_GAPS if gap in text], template.key
            assert set(MARKER.findall(text)) <= {"kind", *FIELDS}, template.key


def _reply(client, sub_id, **data):
    token = csrf_token(client, f"/staff/submissions/{sub_id}")
    return client.post(f"/staff/submissions/{sub_id}/reply", data={"csrf_token": token, **data})


def test_a_reply_with_an_unfilled_field_is_refused_with_the_field_named(
    client, login_as, make_submission, db
):
    sub_id, _t, _q = make_submission()
    login_as("moderator")
    body = "您提交的控告不属于本院管辖，已依法移送{authority}处理，请您与该单位联系。"
    response = _reply(client, sub_id, status="transferred", template="transferred", body=body)
    assert "Fill in “Name of the authority it was passed to”" in html.unescape(response.text)
    assert 'href="#field_authority"' in response.text
    assert not db.scalars(select(SubmissionReply)).all()
    response = _reply(
        client,
        sub_id,
        status="transferred",
        template="transferred",
        body=body,
        field_authority="示例市公安局",
    )
    assert response.status_code == 302
    db.rollback()
    [reply] = db.scalars(select(SubmissionReply)).all()
    assert (
        reply.body == "您提交的控告不属于本院管辖，已依法移送示例市公安局处理，请您与该单位联系。"
    )


def test_a_pasted_old_placeholder_is_refused(client, login_as, make_submission):
    sub_id, _t, _q = make_submission()
    login_as("moderator")
    response = _reply(client, sub_id, status="transferred", body="已依法移送（单位名称）处理。")
    assert "Fill in “Name of the authority it was passed to”" in html.unescape(response.text)


def test_a_template_goes_out_only_with_its_own_status(client, login_as, make_submission, db):
    sub_id, _t, _q = make_submission()
    login_as("moderator")
    response = _reply(
        client, sub_id, status="accepted", template="transferred", body="已依法移送某局处理。"
    )
    text = html.unescape(response.text)
    assert "The template “Transferred” is for the status “Transferred”" in text
    db.rollback()
    assert db.get(Submission, sub_id).status == "received"


def test_only_the_templates_for_the_next_statuses_are_offered(client, login_as, make_submission):
    sub_id, _t, _q = make_submission()
    login_as("moderator")
    _reply(client, sub_id, status="accepted", template="accepted", body="已受理。")
    page = client.get(f"/staff/submissions/{sub_id}").text
    assert 'value="answered:zh"' in page
    assert 'value="accepted:zh"' not in page and 'value="transferred:zh"' not in page


def test_picking_a_template_without_script_keeps_what_was_typed(client, login_as, make_submission):
    sub_id, _t, _q = make_submission("criminal_appeal")
    login_as("moderator")
    response = _reply(client, sub_id, pick="transferred:en", body="Thank you for writing.")
    text = html.unescape(response.text)
    assert "Thank you for writing.\n\nYour criminal appeal is not within our competence." in text
    assert '<option selected value="transferred">' in response.text
    assert 'name="template" type="hidden" value="transferred"' in response.text
    # The field the template asks for is shown, labelled.
    assert 'data-reply-field="authority">' in response.text
    assert 'data-reply-field="items" hidden' in response.text


def test_the_citizen_reads_each_reply_once(client, login_as, make_submission, app):
    sub_id, tracking, query = make_submission()
    login_as("moderator")
    _reply(client, sub_id, status="accepted", template="accepted", body="本院决定依法受理。")
    citizen = app.test_client()
    submit(citizen, "/submissions/track", {"tracking_code": tracking, "query_code": query})
    page = citizen.get("/submissions/track/view").text
    assert page.count("本院决定依法受理。") == 1
    assert page.count('data-testid="reply"') == 1
