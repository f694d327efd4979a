"""Reading Markdown files with YAML front matter from content/.

Problems are collected per file and field rather than raised, so that one bad
file is named and the rest still load.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

_KEY = re.compile(r"(?P<key>[A-Za-z_][A-Za-z0-9_-]*)\s*:")


@dataclass(frozen=True)
class ContentFile:
    path: Path
    meta: dict[str, Any]
    body: str
    digest: str
    body_line: int = 1  # the line of the file on which the body starts
    key_lines: dict[str, int] = field(default_factory=dict)  # front-matter key -> line
    lines: tuple[str, ...] = ()  # the file's lines, to place a value on its line

    def position(self, text_field: str, value: str, offset: int) -> tuple[int, int]:
        """(line, column), both from 1, of character `offset` of a field's text in the file."""
        if text_field == "body":
            before = value[:offset]
            line = self.body_line + before.count("\n")
            return line, offset - (before.rfind("\n") + 1) + 1
        line = self.key_lines.get(text_field, 1)
        source = self.lines[line - 1] if line <= len(self.lines) else ""
        start = source.find(value.strip()) if value.strip() else -1
        return line, (start if start >= 0 else 0) + offset + 1


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    refused: set[Path] = field(default_factory=set)

    def problem(
        self, path: Path, message: str, line: int | None = None, column: int | None = None
    ) -> None:
        """Record why a file was refused; `line` and `column` point into it, from 1."""
        where = f"{path}:{line}:{column}" if line and column else str(path)
        self.problems.append(f"{where}: {message}")
        self.refused.add(path)

    def warning(self, path: Path, message: str) -> None:
        self.warnings.append(f"{path}: {message}")


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
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}, column {mark.column + 1}" if mark else ""
        raise ValueError(
            f"front matter is not valid YAML{where} ({exc.__class__.__name__})"
        ) from exc
    if not isinstance(meta, dict):
        raise ValueError("front matter must be a set of 'key: value' lines")
    body = text[end + 4 :].lstrip("-").lstrip("\n")
    body_line = text[: len(text) - len(body)].count("\n") + 1
    key_lines = {
        match["key"]: number
        for number, line in enumerate(text[4:end].split("\n"), start=2)
        if (match := _KEY.match(line))
    }
    digest = hashlib.sha256(raw).hexdigest()
    return ContentFile(path, meta, body, digest, body_line, key_lines, tuple(text.split("\n")))


def unknown_keys(meta: dict[str, Any], known: tuple[str, ...]) -> str | None:
    """The problem with front-matter keys a loader does not know (a typo drops a rule silently)."""
    unknown = sorted(str(key) for key in meta if key not in known)
    if not unknown:
        return None
    return (
        f"unknown field(s) {', '.join(repr(k) for k in unknown)}; "
        f"known fields: {', '.join(sorted(known))}"
    )
