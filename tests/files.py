"""Upload files built byte by byte: genuine ones, and the hostile ones attackers send."""

from __future__ import annotations

import io
import zipfile

from PIL import Image

DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)


def pdf(catalog: str = "", page: str = "", objects: tuple[str, ...] = ()) -> bytes:
    """A one-page PDF with a correct cross-reference table.

    Objects: 1 catalog (+ `catalog`), 2 page tree, 3 the page (+ `page`), then
    `objects` numbered from 4.
    """
    bodies = [
        f"<< /Type /Catalog /Pages 2 0 R {catalog}>>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] {page}>>",
        *objects,
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(bodies) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(bodies) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)


PDF = pdf()


def image(fmt: str = "PNG", size: tuple[int, int] = (40, 30)) -> bytes:
    """A small picture with a gradient, so that re-encoding has something to keep."""
    picture = Image.new("RGB", size)
    picture.putdata(
        [(x * 6 % 256, y * 8 % 256, 128) for y in range(size[1]) for x in range(size[0])]
    )
    out = io.BytesIO()
    picture.save(out, fmt)
    return out.getvalue()


PNG = image("PNG")
JPEG = image("JPEG")


def docx(extra: dict[str, bytes | str] | None = None, types: str = DOCX_TYPES) -> bytes:
    """A minimal Word document; `extra` adds parts (a macro project, a huge entry...)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("word/document.xml", "<w:document/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


DOCX = docx()
