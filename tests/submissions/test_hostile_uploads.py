"""Hostile attachments: active PDFs, macro and zip-bomb Word files, disguised and polyglot pictures.

Each file is built here, byte by byte, the way an attacker would send it.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from PIL import Image, PngImagePlugin
from sqlalchemy import select

from portal.submissions.models import Submission, SubmissionFile

from ..files import DOCX_TYPES, JPEG, PDF, PNG, docx, image, pdf
from ..helpers import csrf_token
from .conftest import post_check

ACTIVE = "The PDF contains scripts, automatic actions or attached files."
MACROS = "The Word file contains macros."
TOO_BIG = "The Word file unpacks to far more than its size"


def _upload(client, name: str, data: bytes):
    """POST the file as a browser does. The body is built here: the test client would
    spool a large one to a temporary file that it never closes."""
    token = csrf_token(client, "/submissions/complaint/files")
    boundary = "----hostile-upload"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="action"\r\n\r\nupload\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    )
    body = head.encode() + data + f"\r\n--{boundary}--\r\n".encode()
    response = client.post(
        "/submissions/complaint/files",
        input_stream=io.BytesIO(body),
        content_type=f"multipart/form-data; boundary={boundary}",
        content_length=len(body),
    )
    if response.status_code == 302:
        return client.get(response.headers["Location"])
    return response


def _nothing_stored(db, app) -> bool:
    directory = Path(app.config["SUBMISSIONS_FILES_DIR"])
    stored = list(directory.iterdir()) if directory.exists() else []
    return db.scalar(select(SubmissionFile)) is None and not stored


HOSTILE_PDFS = {
    "open action script": pdf(catalog="/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"),
    "document-level script": pdf(
        catalog="/Names << /JavaScript 4 0 R >>",
        objects=("<< /Names [(a) 5 0 R] >>", "<< /S /JavaScript /JS (app.alert(1)) >>"),
    ),
    "script behind an escaped name": pdf(
        catalog="/OpenAction 4 0 R", objects=("<< /S /J#61vaScript /J#53 (app.alert(1)) >>",)
    ),
    "page open action": pdf(page="/AA << /O << /S /JavaScript /JS (this.print()) >> >>"),
    "launch": pdf(catalog="/OpenAction << /S /Launch /F (cmd.exe) >>"),
    "embedded file": pdf(
        catalog="/Names << /EmbeddedFiles << /Names [(x.exe) 4 0 R] >> >>",
        objects=("<< /Type /Filespec /F (x.exe) /EF << /F 5 0 R >> >>", "<< /Length 2 >>"),
    ),
    "rich media": pdf(page="/Annots [4 0 R]", objects=("<< /Subtype /RichMedia >>",)),
}


@pytest.mark.parametrize("name", HOSTILE_PDFS)
def test_a_pdf_with_active_content_is_refused(client, fill_in, db, app, name):
    fill_in("complaint")
    response = _upload(client, "起诉书.pdf", HOSTILE_PDFS[name])
    assert f"起诉书.pdf: {ACTIVE}" in response.text
    assert _nothing_stored(db, app)


def test_a_plain_pdf_that_opens_at_its_first_page_is_accepted(client, fill_in):
    fill_in("complaint")
    response = _upload(client, "a.pdf", pdf(catalog="/OpenAction [3 0 R /Fit]"))
    assert "The file was added." in response.text


def test_an_unreadable_pdf_is_refused(client, fill_in):
    fill_in("complaint")
    response = _upload(client, "a.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    assert "a.pdf: The PDF cannot be read" in response.text


def test_a_macro_enabled_word_file_is_refused(client, fill_in, db, app):
    fill_in("complaint")
    docm = docx(
        {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\x00" * 512},
        types=DOCX_TYPES.replace(
            "</Types>",
            '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
        ),
    )
    response = _upload(client, "材料.docx", docm)
    assert f"材料.docx: {MACROS}" in response.text
    # Declared macro-enabled without the project part is refused too.
    declared = docx(types=DOCX_TYPES.replace("document.main+xml", "document.macroEnabled.main+xml"))
    assert MACROS in _upload(client, "b.docx", declared).text
    assert _nothing_stored(db, app)


def _zip_bomb(size: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", DOCX_TYPES)
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(b"<w:document>")
            block = b" " * (1024 * 1024)
            for _ in range(size // len(block)):
                part.write(block)
    return out.getvalue()


def test_a_zip_bomb_word_file_is_refused_without_unpacking_it(client, fill_in, db, app):
    bomb = _zip_bomb(1024 * 1024 * 1024)  # 1 GiB of text in under 5 MB
    assert len(bomb) < 5 * 1024 * 1024  # well within the upload limit
    fill_in("complaint")
    response = _upload(client, "合同.docx", bomb)
    assert f"合同.docx: {TOO_BIG}" in response.text
    # Under the total limit, but packed a thousand times tighter than any real document.
    response = _upload(client, "b.docx", _zip_bomb(50 * 1024 * 1024))
    assert f"b.docx: {TOO_BIG}" in response.text
    assert _nothing_stored(db, app)


def test_a_word_file_with_too_many_parts_is_refused(client, fill_in):
    fill_in("complaint")
    many = docx({f"word/media/{n}.xml": "" for n in range(1200)})
    assert TOO_BIG in _upload(client, "a.docx", many).text


def test_a_pdf_named_as_a_picture_is_refused(client, fill_in, db, app):
    fill_in("complaint")
    response = _upload(client, "现场照片.png", PDF)
    assert "现场照片.png: The file&#39;s name does not match its content." in response.text
    assert _nothing_stored(db, app)


def test_a_picture_loses_what_follows_it_and_its_metadata(client, fill_in, login_as, db):
    payload = b"PK\x03\x04<script>alert(1)</script>"
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<?php system($_GET[c]); ?>")
    tagged = io.BytesIO()
    Image.open(io.BytesIO(PNG)).save(tagged, "PNG", pnginfo=info)
    exif = Image.Exif()
    exif[0x010E] = "secret description"  # ImageDescription
    photo = io.BytesIO()
    Image.open(io.BytesIO(JPEG)).save(photo, "JPEG", exif=exif)

    fill_in("complaint")
    assert (
        "The file was added." in _upload(client, "现场照片.png", tagged.getvalue() + payload).text
    )
    assert "The file was added." in _upload(client, "photo.jpg", photo.getvalue() + payload).text
    post_check(client, "complaint")
    sub = db.scalars(select(Submission)).one()
    login_as("moderator")
    for item in db.scalars(select(SubmissionFile).order_by(SubmissionFile.id)):
        data = client.get(f"/staff/submissions/{sub.id}/files/{item.id}").data
        assert b"<script>" not in data and b"php" not in data and b"secret" not in data
        assert item.size == len(data)
        picture = Image.open(io.BytesIO(data))
        picture.load()
        assert picture.size == (40, 30)
        assert not picture.getexif()
        assert "Comment" not in picture.info
    png = db.scalars(select(SubmissionFile).where(SubmissionFile.content_type == "image/png"))
    item = png.one()
    data = client.get(f"/staff/submissions/{sub.id}/files/{item.id}").data
    original = Image.open(io.BytesIO(PNG)).convert("RGB")
    assert Image.open(io.BytesIO(data)).convert("RGB").tobytes() == original.tobytes()


def _png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims a huge picture: decoding it would take gigabytes."""
    data = bytearray(image("PNG", (1, 1)))
    ihdr = 8 + 8  # signature, then length and type of the first chunk
    data[ihdr : ihdr + 8] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[12 : ihdr + 13]))
    data[ihdr + 13 : ihdr + 17] = struct.pack(">I", crc)
    return bytes(data)


def test_a_picture_of_too_many_pixels_is_refused_unread(client, fill_in):
    fill_in("complaint")
    response = _upload(client, "huge.png", _png_claiming(30_000, 30_000))
    assert "huge.png: The picture is too large." in response.text
    response = _upload(client, "broken.png", PNG[:60])
    assert "broken.png: The picture cannot be read" in response.text


def test_a_refused_file_keeps_the_added_text_and_says_why_in_chinese(app, make_submission):
    _id, tracking, query = make_submission()
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "zh-CN"
    token = csrf_token(client, "/submissions/track")
    client.post(
        "/submissions/track",
        data={"csrf_token": token, "tracking_code": tracking, "query_code": query},
    )
    token = csrf_token(client, "/submissions/track/view")
    response = client.post(
        "/submissions/track/add",
        data={
            "csrf_token": token,
            "text": "补充说明文字",
            "file": (io.BytesIO(HOSTILE_PDFS["open action script"]), "补充.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert "补充说明文字" in response.text
    assert "补充.pdf：PDF 文件含有脚本、自动操作或附带文件" in response.text
