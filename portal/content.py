"""Reading Markdown files with YAML front matter from content/.

Problems are collected per file and field rather than raised, so that one bad
file is named and the rest still load.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class ContentFile:
    path: Path
    meta: dict[str, Any]
    body: str
    digest: str


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)

    def problem(self, path: Path, message: str) -> None:
        self.problems.append(f"{path}: {message}")


def read_content_file(path: Path) -> ContentFile:
    """Split front matter from body; raises ValueError naming what is wrong."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError("the file is not UTF-8 text") from exc
    text = text.replace("\r\n", "\n")
    if not text.startswith("---\n"):
        raise ValueError("front matter is missing: the file must start with a line '---'")
    end = text.find("\n---", 4)
    if end == -1:
        raise ValueError("front matter is not closed by a line '---'")
    try:
        meta = yaml.safe_load(text[4:end]) or {}
    except yaml.YAMLError as exc:
        raise ValueError(f"front matter is not valid YAML ({exc.__class__.__name__})") from exc
    if not isinstance(meta, dict):
        raise ValueError("front matter must be a set of 'key: value' lines")
    body = text[end + 4 :].lstrip("-").lstrip("\n")
    return ContentFile(path, meta, body, hashlib.sha256(raw).hexdigest())
