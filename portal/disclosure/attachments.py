"""PDF attachments of published documents, stored outside the web root."""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from .. import uploads
from ..downloads import clean_filename
from .models import Document, DocumentAttachment
from .services import DisclosureError

MAX_ATTACHMENT = 20 * 1024 * 1024


def attachments_dir() -> Path:
    path = Path(current_app.instance_path) / "attachments"
    path.mkdir(parents=True, exist_ok=True)
    return path


def add_attachment(db: Session, doc: Document, filename: str, data: bytes) -> DocumentAttachment:
    """Keep a PDF, checked by its content rather than its name."""
    if not data.startswith(b"%PDF-"):
        raise DisclosureError(
            _l("The file is not a PDF. Attach the document as a PDF file."), "file"
        )
    if len(data) > MAX_ATTACHMENT:
        raise DisclosureError(_l("The file is larger than 20 MB."), "file")
    try:
        uploads.check_pdf(data)  # published to everyone: no scripts, actions or attached files
    except uploads.Refused as exc:
        raise DisclosureError(exc.reason, "file") from None
    stored = secrets.token_hex(16) + ".pdf"
    (attachments_dir() / stored).write_bytes(data)
    clean = clean_filename(filename, "document.pdf")
    item = DocumentAttachment(
        document_id=doc.id,
        filename=clean,
        stored_name=stored,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    db.add(item)
    db.flush()
    return item
