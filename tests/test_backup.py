"""`flask backup create` / `flask backup restore`, and keys that do not fit."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from flask import Flask
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from portal import create_app
from portal.config import ConfigError
from portal.crypto import configured_keys
from portal.db import get_db, get_session, utcnow
from portal.submissions import files
from portal.submissions.models import Submission, SubmissionFile

from .submissions.conftest import PERSON, create_complaint

PHOTO = b"\x89PNG\r\n\x1a\n" + b"scene photo " * 500


def _submission_with_attachment(app: Flask) -> tuple[int, int]:
    with app.app_context():
        db = get_session()
        created = create_complaint(db, app.config)
        submission = created.submission
        stored, digest = files.store(Path(app.config["SUBMISSIONS_FILES_DIR"]), PHOTO)
        item = SubmissionFile(
            submission_id=submission.id,
            filename="现场照片.png",
            stored_name=stored,
            content_type="image/png",
            size=len(PHOTO),
            sha256=digest,
            created_at=utcnow(),
        )
        db.add(item)
        db.commit()
        return submission.id, item.id


def _wipe(app: Flask) -> None:
    """Lose the database and the stored files, as a dead disk would."""
    url = make_url(str(app.config["DATABASE_URL"]))
    get_db(app).dispose()
    if url.get_backend_name() == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{url.database}{suffix}").unlink(missing_ok=True)
    else:
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    shutil.rmtree(app.config["SUBMISSIONS_FILES_DIR"])


def _count_submissions(app: Flask) -> int:
    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(Submission)) or 0


def test_a_backup_restores_data_and_attachments_after_both_are_lost(
    app, client, login_as, tmp_path
):
    submission_id, file_id = _submission_with_attachment(app)
    backup = tmp_path / "backup"
    runner = app.test_cli_runner()
    made = runner.invoke(args=["backup", "create", str(backup)])
    assert made.exit_code == 0, made.output
    assert "Keys are not in the backup" in made.output

    _wipe(app)
    restored = runner.invoke(args=["backup", "restore", str(backup), "--yes"])
    assert restored.exit_code == 0, restored.output

    assert _count_submissions(app) == 1
    login_as("moderator")
    page = client.get(f"/staff/submissions/{submission_id}")
    assert page.status_code == 200 and PERSON["name"] in page.text  # identity decrypts
    download = client.get(f"/staff/submissions/{submission_id}/files/{file_id}")
    assert download.status_code == 200 and download.data == PHOTO


def test_restore_refuses_keys_that_do_not_decrypt_the_backup(app, tmp_path):
    submission_id, _file_id = _submission_with_attachment(app)
    backup = tmp_path / "backup"
    assert app.test_cli_runner().invoke(args=["backup", "create", str(backup)]).exit_code == 0

    other = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": app.config["DATABASE_URL"],
            "INSTANCE_PATH": str(tmp_path / "other-instance"),
            "INDEX_DIR": str(tmp_path / "other-index"),
            "SECRET_KEY": "another-test-secret",
            "DATA_KEYS": Fernet.generate_key().decode(),
            "LOOKUP_KEY": "another lookup key",
        }
    )
    try:
        refused = other.test_cli_runner().invoke(args=["backup", "restore", str(backup), "--yes"])
    finally:
        get_db(other).dispose()
    assert refused.exit_code != 0
    assert "cannot decrypt" in refused.output and "nothing was restored" in refused.output
    assert _count_submissions(app) == 1  # untouched


def test_keys_leave_only_on_request_and_to_a_separate_file(app, tmp_path):
    _submission_with_attachment(app)
    runner = app.test_cli_runner()
    backup = tmp_path / "backup"
    assert runner.invoke(args=["backup", "create", str(backup)]).exit_code == 0
    with app.app_context():
        data_keys, lookup_key = configured_keys()
    everything = b"".join(p.read_bytes() for p in backup.rglob("*") if p.is_file())
    for key in [*data_keys, lookup_key]:
        assert key.encode() not in everything

    inside = runner.invoke(
        args=["backup", "create", str(tmp_path / "b2"), "--with-keys", str(tmp_path / "b2" / "k")]
    )
    assert inside.exit_code != 0 and "outside the backup folder" in inside.output

    keys_file = tmp_path / "keys" / "portal-keys.env"
    made = runner.invoke(
        args=["backup", "create", str(tmp_path / "b3"), "--with-keys", str(keys_file)]
    )
    assert made.exit_code == 0, made.output
    assert stat.S_IMODE(os.stat(keys_file).st_mode) == 0o600
    exported = keys_file.read_text()
    assert f"PORTAL_DATA_KEYS={','.join(data_keys)}" in exported
    assert f"PORTAL_LOOKUP_KEY={lookup_key}" in exported


def test_a_backup_is_refused_into_a_folder_that_is_not_empty(app, tmp_path):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "something").write_text("x")
    result = app.test_cli_runner().invoke(args=["backup", "create", str(tmp_path / "used")])
    assert result.exit_code != 0 and "not empty" in result.output


def test_development_refuses_to_invent_a_key_beside_encrypted_data(app, tmp_path):
    _submission_with_attachment(app)
    instance = tmp_path / "instance-without-keys"
    with pytest.raises(ConfigError, match="already holds encrypted values"):
        create_app(
            {
                "TESTING": True,
                "DATABASE_URL": app.config["DATABASE_URL"],
                "INSTANCE_PATH": str(instance),
                "SECRET_KEY": "another-test-secret",
            }
        )
    assert not (instance / "data_keys").exists()


def test_restore_refuses_a_damaged_backup_or_one_from_a_newer_version(app, tmp_path):
    _submission_with_attachment(app)
    backup = tmp_path / "backup"
    runner = app.test_cli_runner()
    assert runner.invoke(args=["backup", "create", str(backup)]).exit_code == 0
    manifest = json.loads((backup / "manifest.json").read_text())

    newer = {**manifest, "database": {**manifest["database"], "revision": "9999"}}
    (backup / "manifest.json").write_text(json.dumps(newer))
    refused = runner.invoke(args=["backup", "restore", str(backup), "--yes"])
    assert refused.exit_code != 0 and "unknown to this version" in refused.output

    (backup / "manifest.json").write_text(json.dumps(manifest))
    stored = next((backup / "files" / "submission_files").iterdir())
    stored.write_bytes(stored.read_bytes()[:-1])
    refused = runner.invoke(args=["backup", "restore", str(backup), "--yes"])
    assert refused.exit_code != 0 and "damaged" in refused.output
    assert _count_submissions(app) == 1
