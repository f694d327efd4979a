"""File downloads: one header builder for every attachment, export and calendar file.

A file name typed by a citizen (`起诉书.pdf`) cannot go into a header as it is:
gunicorn refuses header values outside Latin-1 and answers a bare 500, and a
quote, semicolon or line break would change the header's meaning. RFC 6266
with RFC 5987 encoding says how: an ASCII `filename="..."` for old clients and
`filename*=UTF-8''...` with the real name, percent-encoded.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath
from urllib.parse import quote

from flask import Response

# Characters that never belong in a stored or sent file name: C0/C1 controls
# and NUL (Cc), invisible format characters such as the right-to-left override
# that makes "fdp.exe" read as "exe.pdf" (Cf), and line or paragraph separators.
_INVISIBLE = {"Cc", "Cf", "Zl", "Zp"}
MAX_NAME = 200
_UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9._-]+")


def clean_filename(filename: str | None, default: str = "file") -> str:
    """A file name without any path, control or invisible characters, at most 200 long."""
    text = "".join(
        " " if ch in "\t\r\n" else ch
        for ch in (filename or "")
        if ch in "\t\r\n" or unicodedata.category(ch) not in _INVISIBLE
    )
    name = PurePosixPath(text.replace("\\", "/")).name.strip()
    if len(name) > MAX_NAME:
        # Cut the stem, not the extension the upload check compares with the contents.
        stem, dot, suffix = name.rpartition(".")
        keep = dot + suffix if dot and stem and len(suffix) <= 10 else ""
        name = name[: MAX_NAME - len(keep)] + keep
    return name or default


def _ascii_fallback(name: str) -> str:
    """The name as plain ASCII without quotes: accents dropped, other letters replaced."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    stem, dot, suffix = folded.rpartition(".") if "." in folded else (folded, "", "")
    stem = _UNSAFE_ASCII.sub("_", stem).strip("._")
    suffix = _UNSAFE_ASCII.sub("", suffix)
    if not any(ch.isalnum() for ch in stem):
        stem = "file"
    return stem + (dot + suffix if suffix else "")


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """`attachment; filename="..."; filename*=UTF-8''...`, safe for any name."""
    name = clean_filename(filename)
    fallback = _ascii_fallback(name)
    value = f'{"inline" if inline else "attachment"}; filename="{fallback}"'
    if fallback != name:
        value += f"; filename*=UTF-8''{quote(name, safe='')}"
    return value


def download_response(
    body: bytes | str, *, filename: str, mimetype: str, inline: bool = False
) -> Response:
    """A response that saves `body` as `filename` and that no cache keeps.

    Downloads here hold personal data (attachments, proofs, bookings, exports):
    `no-store` keeps them out of shared and browser caches.
    """
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = content_disposition(filename, inline=inline)
    response.headers["Cache-Control"] = "private, no-store"
    return response
