"""Proof uploads of access requests: checked by content, encrypted, outside the web root."""

from __future__ import annotations

import secrets
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from .. import uploads
from ..crypto import decrypt_bytes, write_encrypted
from ..downloads import clean_filename
from .models import AccessProof, AccessRequest
from .services import CaseError

MAX_PROOF = 10 * 1024 * 1024
MAX_PROOFS = 5
ACCEPTED = (uploads.PDF, uploads.JPEG, uploads.PNG)
UNSUPPORTED = _l("Each proof must be a PDF, JPEG or PNG file. Scan or photograph it again.")


def proofs_dir(instance_path: str) -> Path:
    path = Path(instance_path) / "case-proofs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def check_proofs(files: list[tuple[str, bytes]]) -> list[tuple[str, uploads.Inspected]]:
    """1 to 5 PDF, JPEG or PNG files of 10 MB or less, checked by content: (name, what to store).

    Raises CaseError naming the file and the reason.
    """
    if not files:
        raise CaseError(
            _l("Attach at least one proof, for example a lawyer's licence or a power of attorney."),
            "proofs",
        )
    if len(files) > MAX_PROOFS:
        raise CaseError(_l("Attach 5 files or fewer."), "proofs")
    checked = []
    for filename, data in files:
        name = clean_filename(filename, "proof")
        if len(data) > MAX_PROOF:
            raise CaseError(_l("Each proof must be 10 MB or smaller."), "proofs")
        try:
            checked.append((name, uploads.inspect(name, data, ACCEPTED, UNSUPPORTED)))
        except uploads.Refused as exc:
            message = _l("%(name)s: %(reason)s", name=name, reason=exc.reason)
            raise CaseError(message, "proofs") from None
    return checked


def store_proofs(
    db: Session, request: AccessRequest, files: list[tuple[str, bytes]], instance_path: str
) -> None:
    """Encrypt each file under a random name; the original name is kept encrypted in the row."""
    folder = proofs_dir(instance_path)
    for name, item in check_proofs(files):
        stored = secrets.token_hex(16)
        write_encrypted(folder / stored, item.data)
        db.add(
            AccessProof(
                request_id=request.id,
                filename=name,
                stored_name=stored,
                media_type=item.media_type,
                size=len(item.data),
            )
        )
    db.flush()


def read_proof(proof: AccessProof, instance_path: str) -> bytes:
    return decrypt_bytes((proofs_dir(instance_path) / proof.stored_name).read_bytes())
