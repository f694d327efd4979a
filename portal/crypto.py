"""Personal data at rest: encryption keys kept outside the database.

Two kinds of key, both read from the environment or the instance folder:

- data keys (Fernet, PORTAL_DATA_KEYS, comma-separated, newest first; or
  instance/data_keys, one per line): `EncryptedText` and `EncryptedBytes`
  columns, and stored attachments. Every key in the list can decrypt, the
  first one encrypts, so rotation is: put a new key first, run
  `flask keys reencrypt` (portal/keys.py), then drop the old key. A running
  app follows changes to instance/data_keys (`flask keys rotate` in another
  process) within a second, without a restart.
- the lookup key (PORTAL_LOOKUP_KEY or instance/lookup_key): `keyed_hash`, an
  HMAC for values that must be matched but never stored in clear (identity
  numbers, phone numbers). It cannot rotate without the clear values, so it is
  never rotated by the portal.

Outside production a missing key is generated into the instance folder, unless
the database already holds encrypted values (a new key could not read them:
the key file was lost or the instance folder is another one); in production
the app refuses to start without one.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import time
import unicodedata
from collections.abc import Iterator, Mapping
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import LargeBinary, Table, create_engine, exc, select, type_coerce
from sqlalchemy.engine import make_url
from sqlalchemy.types import TypeDecorator

from .config import ConfigError

__all__ = [
    "EncryptedBytes",
    "EncryptedText",
    "InvalidToken",
    "configure",
    "configured_keys",
    "encrypted_columns",
    "encrypted_values_present",
    "decrypt_bytes",
    "encrypt_bytes",
    "keyed_hash",
    "replace_file",
    "write_encrypted",
]


class _Keys:
    fernet: MultiFernet | None = None
    primary: Fernet | None = None
    lookup_key: bytes | None = None
    data_texts: tuple[str, ...] = ()  # as configured, for `flask backup create --with-keys`
    # The instance key file, followed while the app runs (None for PORTAL_DATA_KEYS).
    source: Path | None = None
    stamp: tuple[int, int, int] | None = None
    checked: float = 0.0


_keys = _Keys()


def configure(config: Mapping[str, object]) -> None:
    """Load the keys named by the config (called by create_app)."""
    instance = Path(str(config["INSTANCE_PATH"]))
    production = config.get("ENV") == "production"
    data_path = instance / "data_keys"
    if not config.get("DATA_KEYS") and not data_path.exists() and not production:
        _refuse_new_key_beside_encrypted_data(str(config.get("DATABASE_URL") or ""), data_path)
    data = _read_keys(config.get("DATA_KEYS"), data_path, production, _new_fernet)
    lookup = _read_keys(config.get("LOOKUP_KEY"), instance / "lookup_key", production, _new_lookup)
    _use_data_keys(data)
    _keys.source = None if config.get("DATA_KEYS") else instance / "data_keys"
    _keys.stamp, _keys.checked = _stamp(_keys.source), time.monotonic()
    _keys.lookup_key = lookup[0].encode("utf-8")


def _use_data_keys(keys: list[str]) -> None:
    try:
        fernets = [Fernet(k.encode("ascii")) for k in keys]
        _keys.fernet, _keys.primary = MultiFernet(fernets), fernets[0]
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"A data key is not a valid Fernet key: {exc}") from None
    _keys.data_texts = tuple(keys)


def configured_keys() -> tuple[list[str], str]:
    """The data keys (newest first) and the lookup key in use, for a key export."""
    if _keys.lookup_key is None:
        raise RuntimeError("keys are not configured; create_app() loads them")
    return list(_keys.data_texts), _keys.lookup_key.decode("utf-8")


def _refuse_new_key_beside_encrypted_data(url: str, path: Path) -> None:
    """A generated key cannot read values encrypted before: say so instead of failing later."""
    if url and encrypted_values_present(url):
        raise ConfigError(
            f"No data key in {path} nor in PORTAL_DATA_KEYS, but the database {_safe(url)} "
            "already holds encrypted values: a new key could not decrypt them, so none is "
            "generated. Put back the key file (or PORTAL_DATA_KEYS) these values were "
            "encrypted with, or point PORTAL_INSTANCE_PATH at the instance folder that has it."
        )


def _safe(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def encrypted_values_present(url: str) -> bool:
    """Whether any encrypted column of the database at `url` holds a value."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and (
        not parsed.database or not Path(parsed.database).exists()
    ):
        return False
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            for table, names in encrypted_columns():
                for name in names:
                    try:
                        found = conn.execute(
                            select(type_coerce(table.c[name], LargeBinary))
                            .where(table.c[name].is_not(None))
                            .limit(1)
                        ).first()
                    except exc.DBAPIError:
                        conn.rollback()  # a table not created yet
                        continue
                    if found is not None:
                        return True
    except exc.DBAPIError:
        return False  # no database yet: nothing to protect
    finally:
        engine.dispose()
    return False


def _stamp(path: Path | None) -> tuple[int, int, int] | None:
    try:
        info = path.stat() if path is not None else None
    except OSError:
        return None
    return None if info is None else (info.st_ino, info.st_mtime_ns, info.st_size)


RELOAD_EVERY = 1.0  # seconds between looks at the key file


def _follow_key_file(force: bool = False) -> bool:
    """Take up a key file changed by `flask keys rotate` in another process; True if it was.

    Without this, running workers would keep writing with the old key after a
    rotation, and could not read what the rotation re-encrypted.
    """
    if _keys.source is None:
        return False
    now = time.monotonic()
    if not force and now - _keys.checked < RELOAD_EVERY:
        return False
    _keys.checked = now
    stamp = _stamp(_keys.source)
    if stamp is None or stamp == _keys.stamp:
        return False
    try:
        keys = [k.strip() for k in _keys.source.read_text("ascii").splitlines() if k.strip()]
        if not keys:
            return False
        _use_data_keys(keys)
    except (OSError, UnicodeDecodeError, ConfigError):
        return False  # keep the keys in use rather than fail on a half-edited file
    _keys.stamp = stamp
    return True


def _new_fernet() -> str:
    return Fernet.generate_key().decode("ascii")


def _new_lookup() -> str:
    return secrets.token_urlsafe(48)


def _read_keys(value: object, path: Path, production: bool, make) -> list[str]:
    if value:
        keys = [k.strip() for k in str(value).split(",") if k.strip()]
    elif path.exists():
        keys = [k.strip() for k in path.read_text("ascii").splitlines() if k.strip()]
    elif production:
        raise ConfigError(
            f"No key in PORTAL_{path.name.upper()} nor in {path}: in production the "
            "keys are set by the operator (see README, Production deployment)."
        )
    else:
        keys = [make()]
        _write_private(path, keys[0] + "\n")
    if not keys:
        raise ConfigError(f"The key list for {path.name} is empty.")
    return keys


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(text)


def new_data_key_file(path: Path) -> str:
    """Put a fresh data key first in the instance key file; return it."""
    old = path.read_text("ascii") if path.exists() else ""
    key = _new_fernet()
    tmp = path.with_suffix(".new")
    if tmp.exists():
        tmp.unlink()
    _write_private(tmp, key + "\n" + old)
    tmp.replace(path)
    return key


def _fernet() -> MultiFernet:
    if _keys.fernet is None:
        raise RuntimeError("encryption keys are not configured; create_app() loads them")
    _follow_key_file()
    return _keys.fernet


def encrypt_bytes(data: bytes) -> bytes:
    return _fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return _fernet().decrypt(token)
    except InvalidToken:
        if _follow_key_file(force=True):  # written under a key added since we last looked
            return _fernet().decrypt(token)
        raise


TEMP_SUFFIX = ".partial"


def replace_file(path: Path, content: bytes) -> None:
    """Write `content` to `path` atomically: readers see the old file or the new, never half."""
    temp = path.with_name(path.name + TEMP_SUFFIX)
    with open(temp, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)


def write_encrypted(path: Path, data: bytes) -> None:
    """Encrypt `data` with the newest key into the file `path`, atomically."""
    replace_file(path, encrypt_bytes(data))


def primary_fernet() -> Fernet:
    """The newest key alone: what must decrypt everything once older keys are removed."""
    _fernet()
    assert _keys.primary is not None
    return _keys.primary


def rotate_token(token: bytes) -> bytes:
    """The same value encrypted with the newest key (any configured key may have written it)."""
    return _fernet().rotate(token)


def keyed_hash(value: str, purpose: str) -> str:
    """HMAC-SHA256 of a normalised value; `purpose` keeps uses apart.

    Normalisation (NFKC, trimmed, upper-case) makes 'x' and 'X' or full-width
    digits hash alike, so a match does not depend on how it was typed.
    """
    if _keys.lookup_key is None:
        raise RuntimeError("lookup key is not configured; create_app() loads it")
    norm = unicodedata.normalize("NFKC", value).strip().upper()
    message = f"{purpose}\x00{norm}".encode()
    return hmac.new(_keys.lookup_key, message, hashlib.sha256).hexdigest()


class EncryptedBytes(TypeDecorator):
    """Bytes stored as a Fernet token."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else encrypt_bytes(bytes(value))

    def process_result_value(self, value, dialect):
        return None if value is None else decrypt_bytes(bytes(value))


class EncryptedText(TypeDecorator):
    """A string stored as a Fernet token; queries cannot filter on it."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else encrypt_bytes(str(value).encode("utf-8"))

    def process_result_value(self, value, dialect):
        return None if value is None else decrypt_bytes(bytes(value)).decode("utf-8")


def encrypted_columns() -> Iterator[tuple[Table, list[str]]]:
    """Every table with encrypted columns, and their names."""
    from .models import Base

    for table in Base.metadata.sorted_tables:
        names = [
            c.name for c in table.columns if isinstance(c.type, EncryptedText | EncryptedBytes)
        ]
        if names:
            yield table, names
