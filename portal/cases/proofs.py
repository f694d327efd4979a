"""Proof uploads of access requests: checked by content, encrypted, outside the web root."""

from __future__ import annotations

import secrets
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from ..crypto import decrypt_bytes, encrypt_bytes
from ..downloads import clean_filename
from .models import AccessProof, AccessRequest
from .services import CaseError

MAX_PROOF = 10 * 1024 * 1024
MAX_PROOFS = 5
# What a file starts with decides what it is, never its name.
_MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


def proofs_dir(instance_path: str) -> Path:
    path = Path(instance_path) / "case-proofs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def media_type_of(data: bytes) -> str | None:
    return next((media for magic, media in _MAGIC if data.startswith(magic)), None)


def check_proofs(files: list[tuple[str, bytes]]) -> None:
    """Raise CaseError unless there are 1 to 5 PDF, JPEG or PNG files of 10 MB or less."""
    if not files:
        raise CaseError(
            _l("Attach at least one proof, for example a lawyer's licence or a power of attorney."),
            "proofs",
        )
    if len(files) > MAX_PROOFS:
        raise CaseError(_l("Attach 5 files or fewer."), "proofs")
    for _name, data in files:
        if media_type_of(data) is None:
            raise CaseError(
                _l("Each proof must be a PDF, JPEG or PNG file. Scan or photograph it again."),
                "proofs",
            )
        if len(data) > MAX_PROOF:
            raise CaseError(_l("Each proof must be 10 MB or smaller."), "proofs")


def store_proofs(
    db: Session, request: AccessRequest, files: list[tuple[str, bytes]], instance_path: str
) -> None:
    """Encrypt each file under a random name; the original name is kept encrypted in the row."""
    check_proofs(files)
    folder = proofs_dir(instance_path)
    for filename, data in files:
        stored = secrets.token_hex(16)
        (folder / stored).write_bytes(encrypt_bytes(data))
        db.add(
            AccessProof(
                request_id=request.id,
                filename=clean_filename(filename, "proof"),
                stored_name=stored,
                media_type=media_type_of(data) or "application/octet-stream",
                size=len(data),
            )
        )
    db.flush()


def read_proof(proof: AccessProof, instance_path: str) -> bytes:
    return decrypt_bytes((proofs_dir(instance_path) / proof.stored_name).read_bytes())
