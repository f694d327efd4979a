"""Staff download attachments with Chinese names through gunicorn, as in production.

The Flask test client accepts any header value; gunicorn refuses one that is
not Latin-1 and answers a bare 500. So this test starts gunicorn (two
workers, a free loopback port, the same database and instance folder as the
test) and signs in through the real forms, password then code.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask

from portal.db import get_session, utcnow
from portal.staff.models import StaffUser
from portal.submissions import files
from portal.submissions.models import SubmissionFile

from . import live_gunicorn
from .conftest import TEST_PASSWORD
from .helpers import totp_now
from .submissions.conftest import create_complaint

# Stored as they are (the upload checks are tested elsewhere): only the download is tested here.
PDF = b"%PDF-1.7\n" + bytes(range(256))
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


@pytest.fixture
def gunicorn(app: Flask, tmp_path: Path) -> Iterator[str]:
    """The portal served by gunicorn on loopback, configured only by PORTAL_* variables."""
    env = live_gunicorn.portal_env(app, MAIL_ENABLED="0")
    with live_gunicorn.gunicorn(env, tmp_path / "gunicorn.log", workers=2) as base:
        yield base


def _submission_with_files(app: Flask, attachments: dict[str, tuple[bytes, str]]) -> dict:
    with app.app_context():
        db = get_session()
        created = create_complaint(db, app.config, language="zh_Hans")
        submission = created.submission
        ids = {}
        for name, (data, media_type) in attachments.items():
            stored, digest = files.store(Path(app.config["SUBMISSIONS_FILES_DIR"]), data)
            item = SubmissionFile(
                submission_id=submission.id,
                filename=name,
                stored_name=stored,
                content_type=media_type,
                size=len(data),
                sha256=digest,
                created_at=utcnow(),
            )
            db.add(item)
            db.flush()
            ids[name] = item.id
        db.commit()
        return {"submission": submission.id, "files": ids}


def test_staff_download_attachments_with_chinese_names_through_gunicorn(
    app: Flask, gunicorn: str, create_staff: Callable[..., StaffUser]
) -> None:
    names = {
        "起诉书.pdf": (PDF, "application/pdf"),
        "现场照片.png": (PNG, "image/png"),
        'a "quoted";\r\nname.pdf': (PDF, "application/pdf"),
    }
    seeded = _submission_with_files(app, names)
    officer = create_staff("moderator")
    browser = live_gunicorn.Browser(gunicorn, {"Accept-Language": "en"})
    credentials = {"username": officer.username, "password": TEST_PASSWORD}
    assert browser.post("/staff/login", credentials) == 302
    assert browser.post("/staff/login/code", {"code": totp_now(officer.totp_secret)}) == 302

    for name, (data, media_type) in names.items():
        file_id = seeded["files"][name]
        status, body, headers = browser.raw(
            f"/staff/submissions/{seeded['submission']}/files/{file_id}"
        )
        assert status == 200, body[:500]
        assert body == data
        assert headers["Content-Type"] == media_type
        disposition = headers["Content-Disposition"]
        assert headers["Cache-Control"] == "private, no-store"
        assert disposition.startswith("attachment; filename=")
        encoded = re.search(r"filename\*=UTF-8''([^;\s]+)", disposition)
        assert encoded, disposition
        # What a browser saves: the real name, without the line break.
        assert urllib.parse.unquote(encoded.group(1)) == name.replace("\r\n", "  ")
        fallback = re.search(r'filename="([^"]*)"', disposition)
        assert fallback and fallback.group(1).isascii()

    status, _body, headers = browser.raw("/staff/submissions/export.csv")
    assert status == 200
    assert headers["Cache-Control"] == "private, no-store"
    assert 'filename="submissions.csv"' in headers["Content-Disposition"]
