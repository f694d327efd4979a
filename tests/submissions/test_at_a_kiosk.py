"""At a kiosk the submission flow takes no files: the files step is skipped, the pages
say where to send files instead, and a file sent anyway is refused."""

from __future__ import annotations

import io

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.submissions.models import Submission, SubmissionFile

from ..files import PDF
from ..helpers import csrf_token, submit
from .conftest import ANSWERS, PERSON, codes_on, post_check

SEND_FILES = "Documents and photos cannot be added at this screen."


def _post_with_file(client: FlaskClient, path: str, data: dict[str, str], name: str = "scan.pdf"):
    content = PDF if name else b""
    return client.post(
        path,
        data={**data, "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
        follow_redirects=not name,
    )


def test_the_files_step_is_skipped_and_the_pages_say_where_to_send_files(
    app: Flask, kiosk_client, db
) -> None:
    kiosk = kiosk_client
    start = kiosk.get("/submissions/complaint/")
    assert "up to 5 files" not in start.text and "Any documents or photos" not in start.text
    submit(kiosk, "/submissions/complaint/", {})
    submit(kiosk, "/submissions/complaint/about-you", PERSON)
    details = kiosk.get("/submissions/complaint/details").text
    assert SEND_FILES in details and "Put longer texts in an attached file" not in details
    response = submit(kiosk, "/submissions/complaint/details", ANSWERS["complaint"])
    assert response.status_code == 302
    assert response.headers["Location"] == "/submissions/complaint/check"
    check = kiosk.get("/submissions/complaint/check").text
    assert SEND_FILES in check and "http://localhost:5000/submissions/track" in check
    assert 'type="file"' not in check and "/submissions/complaint/files" not in check
    # Typing the files step's address leads on to the check page.
    files = kiosk.get("/submissions/complaint/files")
    assert files.status_code == 302 and files.headers["Location"].endswith("/check")
    # Sending goes through the same service as on the website.
    receipt = codes_on(post_check(kiosk, "complaint", follow_redirects=True).text)
    stored = db.scalar(select(Submission).where(Submission.tracking_code == receipt.tracking_code))
    assert stored is not None and stored.kind == "complaint"


def test_the_website_keeps_its_files_step(client: FlaskClient, fill_in) -> None:
    fill_in("complaint")
    check = client.get("/submissions/complaint/check").text
    assert "/submissions/complaint/files" in check and SEND_FILES not in check


def test_a_file_sent_from_a_kiosk_is_refused(app: Flask, kiosk_client, fill_in, db) -> None:
    kiosk = kiosk_client
    fill_in("complaint", who=kiosk)
    token = csrf_token(kiosk, "/submissions/complaint/check")
    response = _post_with_file(
        kiosk, "/submissions/complaint/files", {"csrf_token": token, "action": "upload"}
    )
    assert response.status_code == 403
    assert "Files cannot be sent from this screen" in response.text
    assert db.scalar(select(func.count()).select_from(SubmissionFile)) == 0


def test_added_information_from_a_kiosk_takes_no_file(
    app: Flask, kiosk_client, make_submission, db
) -> None:
    _id, tracking, query = make_submission()
    kiosk = kiosk_client
    submit(kiosk, "/submissions/track", {"tracking_code": tracking, "query_code": query})
    page = kiosk.get("/submissions/track/view").text
    assert SEND_FILES in page and 'type="file"' not in page
    token = csrf_token(kiosk, "/submissions/track/view")
    data = {"csrf_token": token, "text": "补充说明"}
    response = _post_with_file(kiosk, "/submissions/track/add", data)
    assert response.status_code == 403
    assert db.scalar(select(func.count()).select_from(SubmissionFile)) == 0
    # Without a file, information is still added from the kiosk.
    response = _post_with_file(kiosk, "/submissions/track/add", data, name="")
    assert "Your information was added." in response.text
