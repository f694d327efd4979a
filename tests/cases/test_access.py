"""Access requests: proofs, the officer's decision, the access code, and its expiry."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from portal.audit import AuditEntry
from portal.cases import services
from portal.cases.models import AccessProof, AccessRequest
from portal.db import get_session, utcnow

from ..files import PDF, PNG, pdf
from ..helpers import csrf_token, submit
from .conftest import case_record, id_number

NUMBER = "示检刑诉〔2026〕1247号"
LAWYER_ID = id_number(birth="19800101", seq=51, area="440304")


def request_access(client, *, files=None, **overrides):
    data = {
        "case_number": NUMBER,
        "role": "defender",
        "relation": "陈晓峰的辩护人，示例律师事务所",
        "requester_name": "周律师",
        "id_number": LAWYER_ID,
        "phone": "0755-12345678",
        "email": "lawyer@example.com",
        **overrides,
    }
    if files is None:
        files = [(io.BytesIO(PDF), "licence.pdf"), (io.BytesIO(PNG), "power.png")]
    data["proofs"] = files
    data["csrf_token"] = csrf_token(client, "/cases/access")
    return client.post("/cases/access", data=data, content_type="multipart/form-data")


def decide(client, request_id, decision, reason="材料齐全"):
    path = f"/staff/cases/requests/{request_id}"
    return submit(client, path, {"decision": decision, "reason": reason})


def ask_with_code(client, code, case_number=NUMBER):
    return submit(client, "/cases/code", {"case_number": case_number, "code": code})


def test_a_request_keeps_proofs_encrypted_outside_the_web_root(app, client, db):
    response = request_access(client)
    assert response.status_code == 200
    reference = re.search(r'data-testid="reference">([A-Z0-9]+)<', response.text).group(1)
    item = db.scalar(select(AccessRequest))
    assert item.reference == reference and item.status == "pending"
    proofs = db.scalars(select(AccessProof)).all()
    assert [p.media_type for p in proofs] == ["application/pdf", "image/png"]
    folder = Path(app.instance_path) / "case-proofs"
    for proof in proofs:
        stored = (folder / proof.stored_name).read_bytes()
        assert not stored.startswith(b"%PDF") and b"PNG" not in stored
        assert "licence" not in proof.stored_name and "." not in proof.stored_name
    assert not str(folder).startswith(str(Path(app.static_folder)))


def test_a_request_says_nothing_about_whether_the_case_exists(client, import_records):
    import_records(case_record())
    known = request_access(client)
    unknown = request_access(client, case_number="示检刑诉〔2026〕4444号")
    strip = lambda html: re.sub(r'data-testid="reference">[A-Z0-9]+<', "", html)  # noqa: E731
    assert known.status_code == unknown.status_code == 200
    assert strip(known.text) == strip(unknown.text)


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([(io.BytesIO(b"MZ\x90\x00 not a pdf"), "licence.pdf")], "must be a PDF, JPEG or PNG"),
        ([(io.BytesIO(PDF), "licence.png")], "name does not match its content"),
        (
            [(io.BytesIO(pdf(catalog="/OpenAction << /S /Launch /F (cmd.exe) >>")), "a.pdf")],
            "a.pdf: The PDF contains scripts, automatic actions or attached files.",
        ),
        ([], "Attach at least one proof"),
    ],
)
def test_proofs_are_checked_by_their_content(client, db, files, message):
    response = request_access(client, files=files)
    assert message in response.text
    assert 'id="proofs-error"' in response.text
    assert "周律师" in response.text  # what was typed is kept
    assert db.scalar(select(AccessRequest)) is None


def test_an_invalid_identity_number_is_refused(client):
    response = request_access(client, id_number=LAWYER_ID[:17] + "0")
    assert "The identity number is not valid: check the last character." in response.text


def test_an_officer_approves_and_the_lawyer_queries_with_the_code(
    app, client, db, import_records, login_as, mailbox, deliver_mail
):
    import_records(case_record())
    request_access(client)
    item = db.scalar(select(AccessRequest))
    login_as("case_officer")
    page = client.get(f"/staff/cases/requests/{item.id}")
    assert "周律师" in page.text and "陈某峰盗窃案" in page.text
    approved = decide(client, item.id, "approve")
    assert approved.status_code == 200
    code = re.search(r'data-testid="access-code">([A-Z0-9-]+)<', approved.text).group(1)
    db.rollback()
    item = db.get(AccessRequest, item.id)
    assert item.status == "approved" and item.code_hash.startswith("$argon2")
    assert code not in item.code_hash
    assert item.expires_at - item.decided_at == timedelta(days=app.config["CASE_ACCESS_DAYS"])
    deliver_mail()
    (mail,) = mailbox.to("lawyer@example.com")
    body = mail.get_content()
    assert code in body and "/cases/code" in body
    assert "1247" not in mail["Subject"] + body and "陈某峰" not in body
    assert db.execute(audit_rows("cases.access.approve")).first() is not None

    client.post("/staff/logout", data={"csrf_token": csrf_token(client, "/staff/")})
    found = ask_with_code(client, code.lower().replace("-", " "))
    assert "陈某峰盗窃案" in found.text and "Review for prosecution" in found.text
    # The code is shown once: the request page does not show it again.
    login_as("case_officer")
    assert code not in client.get(f"/staff/cases/requests/{item.id}").text


def audit_rows(action):
    return AuditEntry.__table__.select().where(AuditEntry.action == action)


@pytest.fixture
def approved_code(app, client, import_records, create_staff) -> str:
    """A case, a lawyer's request for it, approved by an officer: the code."""
    import_records(case_record())
    request_access(client)
    officer = create_staff("case_officer")
    with app.app_context():
        session = get_session()
        item = session.scalar(select(AccessRequest))
        code = services.approve_access_request(
            session, item, reason="ok", officer=officer, access_days=90, query_url="x"
        )
        session.commit()
        return code


def test_a_wrong_or_expired_code_answers_like_an_unknown_case(
    app, client, import_records, approved_code
):
    code = approved_code
    unknown = ask_with_code(client, code, case_number="示检刑诉〔2026〕1248号")
    wrong = ask_with_code(client, "ABCD-EFGH-JKMN")
    token = re.compile(r'name="csrf_token"[^>]*value="[^"]+"')
    # Alike but for the case number typed, which each page shows again.
    typed = token.sub("", unknown.text).replace("示检刑诉〔2026〕1248号", NUMBER)
    assert typed == token.sub("", wrong.text)
    assert "We could not find a case" in wrong.text
    with app.app_context():
        session = get_session()
        view = services.find_case_with_code(
            session, case_number=NUMBER, code=code, now=utcnow() + timedelta(days=91)
        )
        assert view is None
        assert services.find_case_with_code(session, case_number=NUMBER, code=code) is not None


def test_access_ends_when_the_case_closes(client, import_records, approved_code):
    code = approved_code
    assert "陈某峰盗窃案" in ask_with_code(client, code).text
    closed = case_record(events=[*case_record()["events"], {"stage": "结案", "date": "2026-11-20"}])
    import_records(closed)
    assert "We could not find a case" in ask_with_code(client, code).text


def test_flagged_cases_are_not_found_with_a_code_either(client, import_records, approved_code):
    code = approved_code
    import_records(case_record(sealed=True))
    flagged = ask_with_code(client, code)
    unknown = ask_with_code(client, code, case_number="示检刑诉〔2026〕1248号")
    token = re.compile(r'name="csrf_token"[^>]*value="[^"]+"')
    typed = token.sub("", unknown.text).replace("示检刑诉〔2026〕1248号", NUMBER)
    assert token.sub("", flagged.text) == typed


def test_refusing_needs_a_reason_and_tells_the_requester(
    client, db, import_records, login_as, mailbox, deliver_mail
):
    import_records(case_record())
    request_access(client)
    item = db.scalar(select(AccessRequest))
    login_as("case_officer")
    empty = decide(client, item.id, "refuse", reason="")
    assert "Give the reason for your decision." in empty.text
    refused = decide(client, item.id, "refuse", reason="未提交授权委托书")
    assert refused.status_code == 302
    db.rollback()
    assert db.get(AccessRequest, item.id).status == "refused"
    deliver_mail()
    (mail,) = mailbox.to("lawyer@example.com")
    assert "未提交授权委托书" in mail.get_content()
    assert db.execute(audit_rows("cases.access.refuse")).first() is not None
    again = decide(client, item.id, "approve")
    assert "This request has already been decided." in again.text


def test_proofs_can_be_read_by_officers_only(client, db, login_as):
    request_access(client)
    item = db.scalar(select(AccessRequest))
    proof = item.proofs[0]
    url = f"/staff/cases/requests/{item.id}/proofs/{proof.id}"
    login_as("editor")
    assert client.get(url).status_code == 403
    client.post("/staff/logout", data={"csrf_token": csrf_token(client, "/staff/")})
    login_as("case_officer")
    response = client.get(url)
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Disposition"] == f'attachment; filename="proof-{proof.id}.pdf"'
    db.rollback()
    assert db.execute(audit_rows("cases.access.proof")).first() is not None


def test_access_to_a_flagged_case_cannot_be_approved(client, db, import_records, login_as):
    import_records(case_record(minor=True))
    request_access(client)
    item = db.scalar(select(AccessRequest))
    login_as("case_officer")
    response = decide(client, item.id, "approve")
    assert "cannot be followed online" in response.text
    db.rollback()
    assert db.get(AccessRequest, item.id).status == "pending"
