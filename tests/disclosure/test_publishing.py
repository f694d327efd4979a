"""Editors publish under the two-person rule, with the personal-data guard."""

from __future__ import annotations

import hashlib
import html
import io
import re
from datetime import date

import pytest
from sqlalchemy import select

from portal.audit import AuditEntry
from portal.disclosure.models import Document, DocumentRevision, GuardOverride, SearchOutbox

from ..conftest import TEST_PASSWORD
from ..files import PDF
from ..helpers import csrf_token, sign_in, submit

FORM = {
    "doc_type": "indictment",
    "title": "王某某盗窃案起诉书",
    "number": "示检刑诉[2022]88号",
    "case_name": "王某某盗窃案",
    "charge": "盗窃罪",
    "department": "第一检察部",
    "language": "zh_Hans",
    "signed_on": "2022-03-01",
    "judgment_effective_on": "2022-04-15",
    "body_markdown": "## 经审查查明\n\n被告人王某某于2022年1月在示例区建设路附近盗窃电动车一辆。",
    "sensitive_names": "",
}


@pytest.fixture
def editors(app, create_staff):
    """Two editors, each signed in on their own browser."""
    first, second = create_staff("editor"), create_staff("editor")
    a, b = app.test_client(), app.test_client()
    for client, user in ((a, first), (b, second)):
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
        sign_in(client, user, TEST_PASSWORD)
    return a, b


def _new_draft(client, **changes) -> int:
    response = submit(client, "/staff/documents/new", {**FORM, **changes})
    assert response.status_code == 302, response.text
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def _post(client, doc_id, action, **data):
    token = csrf_token(client, f"/staff/documents/{doc_id}")
    response = client.post(
        f"/staff/documents/{doc_id}/{action}", data={"csrf_token": token, **data}
    )
    assert response.status_code == 302
    return client.get(f"/staff/documents/{doc_id}").text


def test_two_editors_publish_and_the_public_finds_it(editors, client, db):
    writer, approver = editors
    doc_id = _new_draft(writer)
    page = _post(writer, doc_id, "submit")
    assert "Waiting for another editor to approve" in page
    refused = _post(writer, doc_id, "approve")
    assert "Another editor must approve" in refused
    page = _post(approver, doc_id, "approve")
    assert "Approved and published" in page
    # Any bracket style of the number reaches the one document.
    for ref in ("示检刑诉〔2022〕88号", "示检刑诉[2022]88号", "示检刑诉【2022】88号"):
        public = client.get(f"/documents/{ref}")
        assert public.status_code == 200
        assert "王某某盗窃案起诉书" in public.text
    results = client.get("/documents/search", query_string={"q": "电动车"}).text
    assert "王某某盗窃案起诉书" in results or "王某某盗窃案" in results
    actions = db.scalars(
        select(AuditEntry.action).where(AuditEntry.target_type == "document")
    ).all()
    assert actions == ["document.create", "document.submit", "document.approve"]


def test_the_writer_cannot_approve_even_after_someone_else_submits(editors, db):
    writer, other = editors
    doc_id = _new_draft(writer)
    _post(other, doc_id, "submit")
    page = _post(other, doc_id, "approve")
    assert "Another editor must approve" in page  # other submitted it
    assert db.get(Document, doc_id).status == "pending"


def test_personal_data_blocks_approval_until_masked(editors, db, client):
    writer, approver = editors
    body = (
        FORM["body_markdown"] + "\n\n被害人李四，联系电话13800138000，身份证号11010519491231002X。"
    )
    doc_id = _new_draft(writer, body_markdown=body, sensitive_names="李四")
    page = writer.get(f"/staff/documents/{doc_id}").text
    assert "Mobile number" in page and "Identity number" in page and "Protected name" in page
    _post(writer, doc_id, "submit")
    page = _post(approver, doc_id, "approve")
    assert "still contains personal data" in page
    assert db.get(Document, doc_id).status == "pending"

    page = _post(writer, doc_id, "mask")
    assert "No personal data found" in page
    db.rollback()  # end the read snapshot, then forget loaded state
    db.expire_all()
    masked = db.get(Document, doc_id)
    assert "13800138000" not in masked.body_markdown
    assert "11010519491231002X" not in masked.body_markdown
    assert "李四" not in masked.body_markdown and "李某某" in masked.body_markdown
    assert masked.status == "draft"  # masking made a new revision to approve again
    _post(writer, doc_id, "submit")
    _post(approver, doc_id, "approve")
    public = client.get("/documents/示检刑诉〔2022〕88号").text
    assert "13800138000" not in public and "李四" not in public


def test_an_override_needs_a_reason_and_keeps_no_copy_of_the_data(editors, db):
    writer, approver = editors
    body = FORM["body_markdown"] + "\n\n举报电话：13800138000。"
    doc_id = _new_draft(writer, body_markdown=body)
    page = writer.get(f"/staff/documents/{doc_id}").text
    key = page.split('name="key" value="')[1].split('"')[0]
    page = _post(writer, doc_id, "override", key=key, reason="too short")
    assert "at least 10 characters" in page
    page = _post(
        writer, doc_id, "override", key=key, reason="这是本院公开的举报电话，不是个人信息。"
    )
    assert "No personal data found" in page
    override = db.scalar(select(GuardOverride))
    assert override.text_sha256 == hashlib.sha256(b"13800138000").hexdigest()
    assert "13800138000" not in str(
        db.scalars(
            select(AuditEntry.details).where(AuditEntry.action == "document.guard_override")
        ).all()
    )
    _post(writer, doc_id, "submit")
    assert "Approved and published" in _post(approver, doc_id, "approve")


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"judgment_effective_on": ""}, "only after the judgment"),
        ({"involves_minor": "y"}, "never published"),
        ({"state_secret": "y"}, "never published"),
    ],
)
def test_documents_that_must_not_be_published(editors, db, changes, message):
    writer, approver = editors
    doc_id = _new_draft(writer, **changes)
    _post(writer, doc_id, "submit")
    assert message in _post(approver, doc_id, "approve")
    assert db.get(Document, doc_id).status == "pending"
    assert db.scalar(select(SearchOutbox)) is None


def test_withdrawn_document_shows_a_notice_not_a_404(editors, client, db):
    writer, approver = editors
    doc_id = _new_draft(writer)
    _post(writer, doc_id, "submit")
    _post(approver, doc_id, "approve")
    assert "Give the reason" in _post(approver, doc_id, "withdraw", reason="")
    _post(approver, doc_id, "withdraw", reason="文书内容需更正后重新公开")
    public = client.get("/documents/示检刑诉〔2022〕88号")
    assert public.status_code == 410
    assert "withdrawn" in public.text and "文书内容需更正后重新公开" in public.text
    assert "被告人王某某" not in public.text
    results = client.get("/documents/search", query_string={"q": "电动车"}).text
    assert "王某某盗窃案起诉书" not in results


def test_every_revision_is_kept(editors, db):
    writer, _approver = editors
    doc_id = _new_draft(writer)
    submit(
        writer, f"/staff/documents/{doc_id}/edit", {**FORM, "title": "王某某盗窃案起诉书（更正）"}
    )
    submit(
        writer, f"/staff/documents/{doc_id}/edit", {**FORM, "title": "王某某盗窃案起诉书（再更正）"}
    )
    titles = db.scalars(
        select(DocumentRevision.title)
        .where(DocumentRevision.document_id == doc_id)
        .order_by(DocumentRevision.revision)
    ).all()
    assert titles == [
        "王某某盗窃案起诉书",
        "王某某盗窃案起诉书（更正）",
        "王某某盗窃案起诉书（再更正）",
    ]


def test_form_errors_keep_what_was_typed(editors):
    writer, _approver = editors
    response = submit(writer, "/staff/documents/new", {**FORM, "number": "", "title": "保留的标题"})
    assert response.status_code == 200
    assert "Enter the document number" in response.text
    assert 'value="保留的标题"' in response.text
    duplicate_ok = _new_draft(writer)
    assert duplicate_ok
    again = submit(writer, "/staff/documents/new", {**FORM, "number": "示检刑诉（2022）88号"})
    assert "Another document already has this number" in again.text


def test_overdue_indictments_are_listed(editors, app):
    writer, _approver = editors
    _new_draft(
        writer, judgment_effective_on=date.today().replace(year=date.today().year - 1).isoformat()
    )
    page = writer.get("/staff/documents/").text
    assert "Overdue to publish" in page


def test_only_editors_reach_the_documents_area(client, login_as):
    login_as("moderator")
    assert client.get("/staff/documents/").status_code == 403


def test_pdf_attachments_are_checked_by_content_and_served(editors, client):
    writer, approver = editors
    doc_id = _new_draft(writer)
    token = csrf_token(writer, f"/staff/documents/{doc_id}")
    fake = writer.post(
        f"/staff/documents/{doc_id}/attachments",
        data={"csrf_token": token, "file": (io.BytesIO(b"MZ\x90\x00 not a pdf"), "scan.pdf")},
        content_type="multipart/form-data",
    )
    assert fake.status_code == 302
    assert "The file is not a PDF" in writer.get(f"/staff/documents/{doc_id}").text
    pdf = PDF
    token = csrf_token(writer, f"/staff/documents/{doc_id}")
    writer.post(
        f"/staff/documents/{doc_id}/attachments",
        data={"csrf_token": token, "file": (io.BytesIO(pdf), "../../etc/起诉书.pdf")},
        content_type="multipart/form-data",
    )
    _post(writer, doc_id, "submit")
    _post(approver, doc_id, "approve")
    page = client.get("/documents/示检刑诉〔2022〕88号").text
    link = re.search(r'href="(/documents/[^"]+/attachments/\d+)"', page)
    assert link and "起诉书.pdf" in page  # the original name, without its path
    with client.get(html.unescape(link.group(1))) as served:
        assert served.status_code == 200
        assert served.mimetype == "application/pdf"
        assert served.data == pdf
