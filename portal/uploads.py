"""What an uploaded file really is, and that nothing active hides inside it.

Every upload (submission attachments, proofs of access requests, published
PDFs) goes through `inspect`. The first bytes say what a file claims to be;
this module then checks the rest, because staff open these files on office
computers:

- the name's extension must agree with the content (no PDF named `.png`);
- a PDF's object tree must hold no JavaScript, automatic actions, launch
  actions, embedded files or rich media (read with pypdf, never rendered);
- a DOCX is opened as a zip within limits on parts, unpacked size and
  compression ratio (no zip bombs), and refused if it carries macros;
- a JPEG or PNG is decoded and encoded again with Pillow, so that whatever
  follows the picture (a zip or script appended to it) and its metadata
  (EXIF with GPS position, text chunks) are not stored.
"""

from __future__ import annotations

import io
import warnings
import zipfile
import zlib
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import PurePosixPath

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT = "text/plain"

SUFFIXES = {
    PDF: {".pdf"},
    JPEG: {".jpg", ".jpeg"},
    PNG: {".png"},
    DOCX: {".docx"},
    TEXT: {".txt"},
}

# A 40-megapixel photo decodes to 160 MB; larger pictures are refused unread.
MAX_PIXELS = 40_000_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

# A real Word document has tens of parts and unpacks to a few times its size.
DOCX_MAX_PARTS = 1000
DOCX_MAX_UNPACKED = 100 * 1024 * 1024
DOCX_MAX_RATIO = 100  # for parts over 1 MiB unpacked; small parts may pack tighter
_RATIO_FROM = 1024 * 1024
_MACRO_MARKERS = (b"vbaproject", b"macroenabled", b"activex", b"vbadata")

# PDF names that run or carry something beyond the page: scripts, actions run
# on opening or on events, launching programs, attached files, Flash/3D media.
_PDF_ACTIVE_KEYS = frozenset(
    {"/JavaScript", "/JS", "/AA", "/Launch", "/EmbeddedFile", "/EmbeddedFiles"}
    | {"/EF", "/RichMedia", "/RichMediaContent", "/XFA"}
)
_PDF_ACTIVE_ACTIONS = frozenset({"/JavaScript", "/Launch", "/RichMediaExecute", "/ImportData"})
_PDF_ACTIVE_SUBTYPES = frozenset({"/RichMedia", "/Movie", "/Sound", "/Screen", "/3D"})
_PDF_MAX_OBJECTS = 200_000


class Refused(Exception):
    """The file is not accepted; `reason` says why, in the reader's language."""

    def __init__(self, reason: LazyString) -> None:
        super().__init__(str(reason))
        self.reason = reason


@dataclass(frozen=True)
class Inspected:
    media_type: str
    data: bytes  # what to store: pictures re-encoded, other files as sent


def sniff(data: bytes) -> str | None:
    """The media type the content claims by its first bytes (PDF, JPEG, PNG, DOCX, TXT)."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "word/document.xml" in archive.namelist():
                    return DOCX
        except (zipfile.BadZipFile, ValueError):
            return None
        return None
    if b"\x00" in data[:8192]:
        return None
    for encoding in ("utf-8", "gb18030"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return TEXT
    return None


def inspect(
    filename: str, data: bytes, allowed: Collection[str], unsupported: LazyString
) -> Inspected:
    """Check `data` as a file named `filename`; raise Refused, or say what to store."""
    media_type = sniff(data)
    if media_type is None or media_type not in allowed:
        raise Refused(unsupported)
    if PurePosixPath(filename).suffix.lower() not in SUFFIXES[media_type]:
        raise Refused(_l("The file's name does not match its content. Check it is the right file."))
    if media_type == PDF:
        check_pdf(data)
    elif media_type == DOCX:
        check_docx(data)
    elif media_type in (JPEG, PNG):
        data = reencode_image(data, media_type)
    return Inspected(media_type, data)


def check_pdf(data: bytes) -> None:
    """Refuse a PDF that cannot be read or whose objects hold active content."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise Refused(_l("The PDF is protected by a password. Send it without the password."))
        found = _pdf_active_content(reader.trailer)
    except Refused:
        raise
    except Exception:  # noqa: BLE001 - a hostile file may break the parser in any way
        raise Refused(
            _l("The PDF cannot be read: it may be damaged. Save or scan it again as a PDF.")
        ) from None
    if found:
        raise Refused(
            _l(
                "The PDF contains scripts, automatic actions or attached files. "
                "Print it to a new PDF or scan it, then send it again."
            )
        )


def _pdf_active_content(root: DictionaryObject) -> bool:
    """Walk every object reachable from the trailer, without recursion, looking for active names."""
    stack: list[object] = [root]
    seen: set[tuple[int, int]] = set()
    visited = 0
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            ref = (node.idnum, node.generation)
            if ref in seen:
                continue
            seen.add(ref)
            node = node.get_object()
        visited += 1
        if visited > _PDF_MAX_OBJECTS:
            raise ValueError("too many objects to check")
        if isinstance(node, DictionaryObject):
            if _PDF_ACTIVE_KEYS.intersection(node.keys()):
                return True
            if node.get("/S") in _PDF_ACTIVE_ACTIONS:
                return True
            if node.get("/Subtype") in _PDF_ACTIVE_SUBTYPES:
                return True
            stack.extend(value for key, value in node.items() if key != "/Parent")
        elif isinstance(node, ArrayObject):
            stack.extend(node)
    return False


def check_docx(data: bytes) -> None:
    """Refuse a Word file that carries macros or that unpacks beyond the limits."""
    too_big = _l(
        "The Word file unpacks to far more than its size, or has too many parts. "
        "Save it again as a Word document (DOCX)."
    )
    macros = _l(
        "The Word file contains macros. Save it as a Word document without macros (DOCX) "
        "and send it again."
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
            if len(parts) > DOCX_MAX_PARTS:
                raise Refused(too_big)
            if sum(p.file_size for p in parts) > DOCX_MAX_UNPACKED or any(
                p.file_size > _RATIO_FROM and p.file_size > p.compress_size * DOCX_MAX_RATIO
                for p in parts
            ):
                raise Refused(too_big)
            names = " ".join(p.filename for p in parts).lower().encode()
            types = archive.read("[Content_Types].xml").lower()
            if any(marker in names or marker in types for marker in _MACRO_MARKERS):
                raise Refused(macros)
            # Unpack every part once, in chunks: the sizes written in the
            # archive are the sender's word, the bytes are not.
            unpacked = 0
            for part in parts:
                with archive.open(part) as stream:
                    while chunk := stream.read(64 * 1024):
                        unpacked += len(chunk)
                        if unpacked > DOCX_MAX_UNPACKED:
                            raise Refused(too_big)
    except Refused:
        raise
    except (zipfile.BadZipFile, zlib.error, KeyError, EOFError, RuntimeError, NotImplementedError):
        raise Refused(
            _l("The Word file cannot be read: it may be damaged. Save it again as DOCX.")
        ) from None


def reencode_image(data: bytes, media_type: str) -> bytes:
    """The picture decoded and encoded again: pixels kept, anything else dropped."""
    fmt = "JPEG" if media_type == JPEG else "PNG"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[fmt]) as opened:
                opened.load()
                # EXIF goes, so turn the picture the way it is meant to be seen first.
                picture = ImageOps.exif_transpose(opened)
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise Refused(
            _l("The picture is too large. Send a smaller photo or scan (at most 40 megapixels).")
        ) from None
    except Exception:  # noqa: BLE001 - a hostile file may break the decoder in any way
        raise Refused(
            _l("The picture cannot be read: it may be damaged. Take or save it again.")
        ) from None
    # Only transparency is kept: text chunks, EXIF, ICC profiles and comments go.
    picture.info = {k: v for k, v in picture.info.items() if k == "transparency"}
    out = io.BytesIO()
    if fmt == "JPEG":
        picture.save(out, "JPEG", quality=92)
    else:
        picture.save(out, "PNG")
    return out.getvalue()
