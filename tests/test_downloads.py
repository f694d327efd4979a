"""The one Content-Disposition builder: any stored name becomes a header every server accepts."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from portal.downloads import clean_filename, content_disposition

NAMES = [
    "起诉书.pdf",
    "现场照片.png",
    'a"b;c.csv',
    "x\x00y\r\nz.pdf",
    "\u202efdp.exe",
    "Résumé.docx",
]


@pytest.mark.parametrize("name", NAMES)
def test_the_header_is_plain_ascii_and_carries_the_real_name(name: str) -> None:
    header = content_disposition(name)
    assert header.isascii() and header.isprintable()
    assert header.startswith('attachment; filename="')
    if "filename*=" in header:
        assert unquote(header.split("filename*=UTF-8''", 1)[1]) == clean_filename(name)


def test_stored_names_lose_paths_control_and_invisible_characters() -> None:
    assert clean_filename("../../etc/起\x00诉\x1b书\u202e.pdf") == "起诉书.pdf"
    assert clean_filename("C:\\Users\\a\\b.txt") == "b.txt"
    assert clean_filename("\x00\x01") == "file"


def test_a_name_cut_to_length_keeps_its_extension() -> None:
    """The upload check compares the extension with the contents: cutting it off would
    refuse a proper PDF whose name is long."""
    long = "律师事务所关于指派律师担任辩护人的公函" * 12 + ".pdf"
    cut = clean_filename(long)
    assert cut == long[:196] + ".pdf" and len(cut) == 200
    assert clean_filename("a" * 300) == "a" * 200
    assert content_disposition("起诉书.pdf") == (
        "attachment; filename=\"file.pdf\"; filename*=UTF-8''%E8%B5%B7%E8%AF%89%E4%B9%A6.pdf"
    )
