"""Attachments: checked by content, encrypted, stored under random names outside the web root."""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from .. import uploads
from ..crypto import decrypt_bytes, write_encrypted
from ..downloads import clean_filename

ACCEPTED = (uploads.PDF, uploads.JPEG, uploads.PNG, uploads.DOCX, uploads.TEXT)
UNSUPPORTED = _l("Only PDF, JPEG, PNG, Word (DOCX) and text files can be sent.")


class Rejected(Exception):
    """An upload refused, with the file's name and the reason, for the person who sent it."""

    def __init__(self, filename: str, reason: LazyString) -> None:
        super().__init__(filename)
        self.filename = filename
        self.reason = reason


def clean_name(filename: str) -> str:
    """The original name without path, control or invisible characters, for showing only."""
    return clean_filename(filename)


def check_upload(filename: str, data: bytes, max_bytes: int) -> uploads.Inspected:
    """The media type and the bytes to store, or raise Rejected naming the file and the reason."""
    name = clean_name(filename)
    if not data:
        raise Rejected(name, _l("The file is empty."))
    if len(data) > max_bytes:
        raise Rejected(
            name, _l("The file is larger than %(mb)d MB.", mb=max_bytes // (1024 * 1024))
        )
    try:
        return uploads.inspect(name, data, ACCEPTED, UNSUPPORTED)
    except uploads.Refused as exc:
        raise Rejected(name, exc.reason) from None


def store(directory: Path, data: bytes) -> tuple[str, str]:
    """Encrypt and write `data`; return (stored name, SHA-256 of the clear content)."""
    directory.mkdir(parents=True, exist_ok=True)
    stored = secrets.token_hex(20)
    write_encrypted(directory / stored, data)
    return stored, hashlib.sha256(data).hexdigest()


def read(directory: Path, stored_name: str) -> bytes:
    return decrypt_bytes((directory / stored_name).read_bytes())
