"""Attachments: checked by content, encrypted, stored under random names outside the web root."""

from __future__ import annotations

import hashlib
import secrets
import zipfile
from io import BytesIO
from pathlib import Path

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from ..crypto import decrypt_bytes, encrypt_bytes
from ..downloads import clean_filename

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class Rejected(Exception):
    """An upload refused, with the file's name and the reason, for the person who sent it."""

    def __init__(self, filename: str, reason: LazyString) -> None:
        super().__init__(filename)
        self.filename = filename
        self.reason = reason


def sniff(data: bytes) -> str | None:
    """The media type the content really is (PDF, JPEG, PNG, DOCX, TXT), or None."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(BytesIO(data)) as archive:
                if "word/document.xml" in archive.namelist():
                    return DOCX
        except zipfile.BadZipFile:
            return None
        return None
    if b"\x00" in data[:8192]:
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            data.decode("gb18030")
        except UnicodeDecodeError:
            return None
    return "text/plain"


EXPECTED_SUFFIXES = {
    "application/pdf": {".pdf"},
    "image/jpeg": {".jpg", ".jpeg"},
    "image/png": {".png"},
    DOCX: {".docx"},
    "text/plain": {".txt"},
}


def clean_name(filename: str) -> str:
    """The original name without path, control or invisible characters, for showing only."""
    return clean_filename(filename)


def check_upload(filename: str, data: bytes, max_bytes: int) -> str:
    """Return the media type, or raise Rejected naming the file and the reason."""
    name = clean_name(filename)
    if not data:
        raise Rejected(name, _l("The file is empty."))
    if len(data) > max_bytes:
        raise Rejected(
            name, _l("The file is larger than %(mb)d MB.", mb=max_bytes // (1024 * 1024))
        )
    media_type = sniff(data)
    if media_type is None:
        raise Rejected(name, _l("Only PDF, JPEG, PNG, Word (DOCX) and text files can be sent."))
    suffix = Path(name).suffix.lower()
    if suffix not in EXPECTED_SUFFIXES[media_type]:
        raise Rejected(
            name, _l("The file's name does not match its content. Check it is the right file.")
        )
    return media_type


def store(directory: Path, data: bytes) -> tuple[str, str]:
    """Encrypt and write `data`; return (stored name, SHA-256 of the clear content)."""
    directory.mkdir(parents=True, exist_ok=True)
    stored = secrets.token_hex(20)
    (directory / stored).write_bytes(encrypt_bytes(data))
    return stored, hashlib.sha256(data).hexdigest()


def read(directory: Path, stored_name: str) -> bytes:
    return decrypt_bytes((directory / stored_name).read_bytes())
