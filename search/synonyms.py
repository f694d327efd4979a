"""Synonym groups from a plain text file, so that editors can maintain them without code.

Format, one group per line (UTF-8; `#` starts a comment; commas may be ASCII
or full-width, and the Chinese enumeration comma 、 works too):

    酒驾, 饮酒驾驶              every term matches the others
    醉驾 => 危险驾驶             one way: 醉驾 also matches 危险驾驶
    醉驾, 醉酒驾驶 => 危险驾驶   each term on the left also matches the right

A term may be a Chinese string (matched as a substring), a Latin word
(matched by stem) or several Latin words (matched as a phrase).
"""

from __future__ import annotations

import re

_SPLIT = re.compile(r"[,，、;；]")


def parse_synonyms(text: str) -> dict[str, list[str]]:
    """Synonym lines to a map from each term to the terms it also matches."""
    groups: dict[str, list[str]] = {}

    def link(source: str, targets: list[str]) -> None:
        found = groups.setdefault(source, [])
        for target in targets:
            if target != source and target not in found:
                found.append(target)

    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if "=>" in line:
            left, right = line.split("=>", 1)
            sources = _terms(left)
            targets = _terms(right)
            for source in sources:
                link(source, targets)
        else:
            terms = _terms(line)
            if len(terms) > 1:
                for term in terms:
                    link(term, terms)
    return {k: v for k, v in groups.items() if v}


def _terms(part: str) -> list[str]:
    return [t.strip() for t in _SPLIT.split(part) if t.strip()]


def load_synonyms(path: str) -> dict[str, list[str]]:
    """Read a synonyms file (see the module docstring for the format)."""
    with open(path, encoding="utf-8") as handle:
        return parse_synonyms(handle.read())
