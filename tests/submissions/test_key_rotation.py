"""`flask keys rotate` moves attachments and proofs to the new key too, and can be resumed."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from flask import Flask
from sqlalchemy import LargeBinary, type_coerce, update
from sqlalchemy.orm import Session

from portal import crypto
from portal.db import get_session, utcnow
from portal.submissions import files
from portal.submissions.models import SubmissionFile

PDF = b"%PDF-1.7\n" + bytes(range(256))


def _attach(app: Flask, submission_id: int, name: str, data: bytes) -> int:
    with app.app_context():
        db = get_session()
        stored, digest = files.store(Path(app.config["SUBMISSIONS_FILES_DIR"]), data)
        item = SubmissionFile(
            submission_id=submission_id,
            filename=name,
            stored_name=stored,
            content_type="application/pdf",
            size=len(data),
            sha256=digest,
            created_at=utcnow(),
        )
        db.add(item)
        db.commit()
        return item.id


def _keep_only_newest_key(app: Flask) -> None:
    key_file = Path(app.instance_path) / "data_keys"
    key_file.write_text(key_file.read_text().split()[0] + "\n")
    crypto.configure(app.config)


def _proof(app: Flask, data: bytes) -> Path:
    folder = Path(app.instance_path) / "case-proofs"
    folder.mkdir(parents=True, exist_ok=True)
    with app.app_context():
        crypto.write_encrypted(folder / "a1b2c3", data)
    return folder / "a1b2c3"


def test_after_rotation_the_old_key_can_go_and_staff_still_download_attachments(
    app: Flask, client, make_submission, login_as
) -> None:
    submission_id, _tracking, _query = make_submission()
    file_id = _attach(app, submission_id, "起诉书.pdf", PDF)
    proof = _proof(app, b"proof written under the old key")

    result = app.test_cli_runner().invoke(args=["keys", "rotate"])
    assert result.exit_code == 0, result.output
    assert "2 files re-encrypted" in result.output
    assert "older keys may now be removed" in result.output

    _keep_only_newest_key(app)
    login_as("moderator")
    response = client.get(f"/staff/submissions/{submission_id}/files/{file_id}")
    assert response.status_code == 200
    assert response.data == PDF
    assert crypto.decrypt_bytes(proof.read_bytes()) == b"proof written under the old key"


def test_an_interrupted_rotation_finishes_when_run_again(
    app: Flask, db: Session, make_submission, monkeypatch: pytest.MonkeyPatch
) -> None:
    submission_id, _tracking, _query = make_submission()
    contents = [PDF + str(n).encode() for n in range(5)]
    ids = [_attach(app, submission_id, f"{n}.pdf", data) for n, data in enumerate(contents)]
    key_file = Path(app.instance_path) / "data_keys"

    real_replace = crypto.replace_file
    written: list[Path] = []

    def dies_on_the_third_file(path: Path, content: bytes) -> None:
        if len(written) == 2:
            # Killed while writing: half a temporary file is left behind.
            path.with_name(path.name + crypto.TEMP_SUFFIX).write_bytes(content[:10])
            raise KeyboardInterrupt
        real_replace(path, content)
        written.append(path)

    monkeypatch.setattr(crypto, "replace_file", dies_on_the_third_file)
    first = app.test_cli_runner().invoke(args=["keys", "rotate"])
    assert first.exit_code != 0
    assert "may now be removed" not in first.output
    assert len(key_file.read_text().split()) == 2

    monkeypatch.setattr(crypto, "replace_file", real_replace)
    again = app.test_cli_runner().invoke(args=["keys", "rotate"])
    assert again.exit_code == 0, again.output
    assert "Resuming" in again.output
    assert "3 files re-encrypted" in again.output  # the two done first are left alone
    assert len(key_file.read_text().split()) == 2  # no third key
    directory = Path(app.config["SUBMISSIONS_FILES_DIR"])
    assert not list(directory.glob("*" + crypto.TEMP_SUFFIX))

    _keep_only_newest_key(app)
    for file_id, data in zip(ids, contents, strict=True):
        item = db.get(SubmissionFile, file_id)
        assert files.read(directory, item.stored_name) == data
        assert item.filename.endswith(".pdf")


def test_rotation_refuses_to_say_old_keys_may_go_when_something_stays_unreadable(
    app: Flask, db: Session, make_submission
) -> None:
    submission_id, _tracking, _query = make_submission()
    file_id = _attach(app, submission_id, "a.pdf", PDF)
    directory = Path(app.config["SUBMISSIONS_FILES_DIR"])
    # A file and a value written under a key that is not (or no longer) configured.
    foreign = Fernet(Fernet.generate_key())
    (directory / "f00d").write_bytes(foreign.encrypt(b"lost"))
    db.execute(
        update(SubmissionFile.__table__)
        .where(SubmissionFile.id == file_id)
        .values(filename=type_coerce(foreign.encrypt(b"lost.pdf"), LargeBinary))
    )
    db.commit()

    result = app.test_cli_runner().invoke(args=["keys", "rotate"])
    assert result.exit_code != 0
    assert "f00d" in result.output
    assert f"submission_files.filename #{file_id}" in result.output
    assert "keep every older key" in result.output
    assert "may now be removed" not in result.output
    assert (Path(app.instance_path) / "data_keys.rotating").exists()
