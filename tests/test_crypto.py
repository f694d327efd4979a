"""Personal data at rest: encrypted with keys outside the database, and rotatable."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from flask import Flask
from sqlalchemy import text
from sqlalchemy.orm import Session

from portal import create_app, crypto
from portal.config import ConfigError
from portal.db import get_session
from portal.mail import OutboxMail, queue_mail


def test_keyed_hash_matches_however_the_value_was_typed(app: Flask) -> None:
    a = crypto.keyed_hash("11010519491231002x", "id")
    assert a == crypto.keyed_hash(" １１０１０５１９４９１２３１００２X ", "id")
    assert a != crypto.keyed_hash("11010519491231002X", "phone")
    assert "11010519491231002" not in a


def test_rotation_keeps_old_values_readable_and_reencrypts_them(app: Flask, db: Session) -> None:
    with app.app_context():
        session = get_session()
        queue_mail(session, to="old@example.org", subject="S", body="written with the old key")
        session.commit()
    old_token = bytes(db.execute(text("SELECT body FROM mail_outbox")).scalar_one())
    key_file = Path(app.instance_path) / "data_keys"
    old_key = key_file.read_text().split()[0]

    result = app.test_cli_runner().invoke(args=["keys", "rotate"])
    assert result.exit_code == 0, result.output
    assert "1 rows and 0 files re-encrypted" in result.output
    keys = key_file.read_text().split()
    assert len(keys) == 2 and keys[1] == old_key

    db.rollback()
    new_token = bytes(db.execute(text("SELECT body FROM mail_outbox")).scalar_one())
    assert new_token != old_token
    # The old key alone can no longer read it; the new key alone can.
    key_file.write_text(keys[0] + "\n")
    crypto.configure(app.config)
    db.rollback()
    assert db.query(OutboxMail).one().body == "written with the old key"


def test_production_refuses_to_start_without_keys(tmp_path: Path, database_url: str) -> None:
    with pytest.raises(ConfigError, match="data_keys"):
        create_app(
            {
                "ENV": "production",
                "DATABASE_URL": "postgresql://u@localhost/none",
                "SECRET_KEY": "x" * 32,
                "PUBLIC_URL": "https://portal.example.gov.cn",
                "INSTANCE_PATH": str(tmp_path),
            }
        )


def test_a_running_app_follows_a_key_rotated_by_another_process(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers take up the new key file: they read what the rotation wrote, and write with it."""
    with app.app_context():
        old = crypto.encrypt_bytes(b"written before the rotation")
    key_file = Path(app.instance_path) / "data_keys"
    new_key = crypto.new_data_key_file(key_file)  # what `flask keys rotate` does, elsewhere
    rotated = Fernet(new_key).encrypt(b"re-encrypted by the rotation")

    assert crypto.decrypt_bytes(rotated) == b"re-encrypted by the rotation"
    assert Fernet(new_key).decrypt(crypto.encrypt_bytes(b"new")) == b"new"
    assert crypto.decrypt_bytes(old) == b"written before the rotation"

    # Without anything to decrypt first, new values follow within RELOAD_EVERY.
    monkeypatch.setattr(crypto, "RELOAD_EVERY", 0)
    newer_key = crypto.new_data_key_file(key_file)
    assert Fernet(newer_key).decrypt(crypto.encrypt_bytes(b"newer")) == b"newer"
