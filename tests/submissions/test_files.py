"""Attachments: checked by content, encrypted on disk, served to staff as downloads."""

from __future__ import annotations

import io
from pathlib import Path

from sqlalchemy import select

from portal.submissions.models import Submission, SubmissionFile

from ..files import DOCX, PDF, PNG
from ..helpers import csrf_token
from .conftest import post_check


def _upload(client, name: str, data: bytes, action: str = "upload"):
    token = csrf_token(client, "/submissions/complaint/files")
    return client.post(
        "/submissions/complaint/files",
        data={"csrf_token": token, "action": action, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def test_accepted_types_are_kept_encrypted_under_random_names(client, fill_in, app, db):
    fill_in("complaint")
    for name, data in (
        ("受案回执.pdf", PDF),
        ("photo.png", PNG),
        ("材料.docx", DOCX),
        ("说明.txt", "文字说明".encode()),
    ):
        response = _upload(client, name, data)
        assert "The file was added." in response.text, response.text
    items = db.scalars(select(SubmissionFile)).all()
    assert {i.content_type for i in items} == {
        "application/pdf",
        "image/png",
        "text/plain",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
    directory = Path(app.config["SUBMISSIONS_FILES_DIR"])
    for item in items:
        on_disk = (directory / item.stored_name).read_bytes()
        assert b"%PDF" not in on_disk and "受案回执" not in item.stored_name
    assert not str(directory).startswith(str(Path(app.static_folder)))


def test_a_rejected_upload_names_the_file_and_the_reason(client, fill_in):
    fill_in("complaint")
    response = _upload(client, "病毒.exe", b"MZ\x90\x00" + b"\x00" * 100)
    assert "病毒.exe: Only PDF, JPEG, PNG, Word (DOCX) and text files can be sent." in response.text
    response = _upload(client, "fake.pdf", "只是文字".encode())
    assert "fake.pdf: The file&#39;s name does not match its content." in response.text


def test_a_file_over_the_limit_is_refused(client, fill_in, app):
    app.config["SUBMISSIONS_MAX_FILE_MB"] = 1
    fill_in("complaint")
    token = csrf_token(client, "/submissions/complaint/files")
    # The body is built here: the test client would spool one this large to a
    # temporary file that it never closes.
    boundary = "----limit-test"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n',
        f'--{boundary}\r\nContent-Disposition: form-data; name="action"\r\n\r\nupload\r\n',
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n",
    ]
    body = "".join(parts).encode() + PDF + b"0" * (1024 * 1024) + f"\r\n--{boundary}--\r\n".encode()
    response = client.post(
        "/submissions/complaint/files",
        input_stream=io.BytesIO(body),
        content_type=f"multipart/form-data; boundary={boundary}",
        content_length=len(body),
    )
    assert "big.pdf: The file is larger than 1 MB." in response.text


def test_at_most_the_configured_number_of_files(client, fill_in, app):
    app.config["SUBMISSIONS_MAX_FILES"] = 2
    fill_in("complaint")
    _upload(client, "a.pdf", PDF)
    _upload(client, "b.pdf", PDF)
    token = csrf_token(client, "/submissions/complaint/check")
    response = client.post(
        "/submissions/complaint/files",
        data={"csrf_token": token, "action": "upload", "file": (io.BytesIO(PDF), "c.pdf")},
        content_type="multipart/form-data",
    )
    assert "c.pdf: You can attach up to 2 files." in response.text


def test_files_travel_with_the_submission_and_staff_download_them(client, fill_in, login_as, db):
    fill_in("complaint")
    _upload(client, "../../etc/受案回执.pdf", PDF)
    assert "受案回执.pdf" in client.get("/submissions/complaint/check").text
    post_check(client, "complaint")
    sub = db.scalars(select(Submission)).one()
    item = db.scalars(select(SubmissionFile)).one()
    assert item.submission_id == sub.id and item.draft_id is None
    assert item.filename == "受案回执.pdf"
    login_as("moderator")
    response = client.get(f"/staff/submissions/{sub.id}/files/{item.id}")
    assert response.status_code == 200
    assert response.data == PDF
    assert response.headers["Content-Disposition"].startswith("attachment")


def test_public_cannot_download_files(client, fill_in, db):
    fill_in("complaint")
    _upload(client, "a.pdf", PDF)
    post_check(client, "complaint")
    item = db.scalars(select(SubmissionFile)).one()
    response = client.get(f"/staff/submissions/{item.submission_id}/files/{item.id}")
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]


def test_a_rejected_file_with_added_information_keeps_the_text(client, make_submission):
    _id, tracking, query = make_submission()
    token = csrf_token(client, "/submissions/track")
    client.post(
        "/submissions/track",
        data={"csrf_token": token, "tracking_code": tracking, "query_code": query},
    )
    token = csrf_token(client, "/submissions/track/view")
    response = client.post(
        "/submissions/track/add",
        data={
            "csrf_token": token,
            "text": "补充说明文字",
            "file": (io.BytesIO(b"MZ\x00"), "x.exe"),
        },
        content_type="multipart/form-data",
    )
    assert "x.exe: Only PDF" in response.text
    assert "补充说明文字" in response.text
