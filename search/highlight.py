"""Highlighting that marks exactly what matched, because CJK has no spaces to stop at.

Whoosh's highlighter works on analysed tokens and, for Chinese, marks whole
segmenter tokens or, with a naive analyzer, whole sentences. Here matches are
found in the normalised text (same length as the original, see
`search.analysis.normalize`), so the offsets mark the original characters:
a substring term is marked where it occurs, character for character; a Latin
word is marked where a word with the same stem occurs. Everything outside
`<mark>` is HTML-escaped, and so is everything inside.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from . import analysis
from .parse import PHRASE, SUB, WORD, Term

FRAGMENT_CHARS = 150
_LEAD = 24


@dataclass(frozen=True)
class Needles:
    """What to mark: substrings (normalised) and Latin stems."""

    substrings: tuple[str, ...] = ()
    stems: frozenset[str] = field(default_factory=frozenset)

    @property
    def empty(self) -> bool:
        return not self.substrings and not self.stems


def needles_for(terms: Iterable[Term]) -> Needles:
    """The needles of the terms (and synonyms) of a query."""
    substrings: list[str] = []
    stems: set[str] = set()
    for term in terms:
        if term.kind == SUB:
            substrings.append(term.text)
        elif term.kind in (WORD, PHRASE):
            for key in term.keys:
                if analysis.GRAM_RUN.fullmatch(key):
                    substrings.append(key)
                else:
                    stems.add(key)
    # Longest first, so that overlapping needles keep the longer mark.
    unique = sorted(set(substrings), key=lambda s: (-len(s), s))
    return Needles(tuple(unique), frozenset(stems))


def spans(text: str, needles: Needles, norm: str | None = None) -> list[tuple[int, int, str]]:
    """Merged (start, end, needle) spans of matches in `text` (`norm`: its normalised
    form, when the caller has it)."""
    if needles.empty or not text:
        return []
    if norm is None:
        norm = analysis.normalize(text)
    found: list[tuple[int, int, str]] = []
    for needle in needles.substrings:
        start = norm.find(needle)
        while start >= 0:
            found.append((start, start + len(needle), needle))
            start = norm.find(needle, start + 1)
    if needles.stems:
        for match in analysis.LATIN_WORD.finditer(norm):
            stemmed = analysis.stem(match.group())
            if stemmed in needles.stems:
                found.append((match.start(), match.end(), stemmed))
    found.sort()
    merged: list[tuple[int, int, str]] = []
    for start, end, needle in found:
        if merged and start <= merged[-1][1]:
            last = merged[-1]
            if end > last[1]:
                merged[-1] = (last[0], end, last[2])
            continue
        merged.append((start, end, needle))
    return merged


def mark(
    text: str, marks: list[tuple[int, int, str]], start: int = 0, end: int | None = None
) -> str:
    """HTML-escaped `text[start:end]` with the spans inside it wrapped in <mark>."""
    end = len(text) if end is None else end
    out: list[str] = []
    pos = start
    for s, e, _needle in marks:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        out.append(html.escape(text[pos:s]))
        out.append("<mark>" + html.escape(text[s:e]) + "</mark>")
        pos = e
    out.append(html.escape(text[pos:end]))
    return "".join(out)


def highlight_title(title: str, needles: Needles, norm: str | None = None) -> str:
    """The whole title, escaped, with every match marked."""
    return mark(title, spans(title, needles, norm))


def fragment(
    body: str, needles: Needles, size: int = FRAGMENT_CHARS, norm: str | None = None
) -> str:
    """About `size` characters of the body around the best cluster of matches, marked."""
    if not body:
        return ""
    marks = spans(body, needles, norm)
    if not marks:
        end = min(len(body), size)
        return mark(body, [], 0, end) + ("…" if end < len(body) else "")
    best = (-1.0, 0)
    # Windows start a little before each match; the matches inside one are
    # counted with two pointers (marks are sorted and do not overlap).
    inside: Counter[str] = Counter()
    low = high = 0
    for s, _e, _needle in marks:
        window_start = max(0, s - _LEAD)
        window_end = window_start + size
        while high < len(marks) and marks[high][1] <= window_end:
            inside[marks[high][2]] += 1
            high += 1
        while low < len(marks) and marks[low][0] < window_start:
            if low < high:
                needle = marks[low][2]
                inside[needle] -= 1
                if not inside[needle]:
                    del inside[needle]
            low += 1
        high = max(high, low)
        score = len(inside) + 0.01 * (high - low)
        if score > best[0]:
            best = (score, window_start)
    start = best[1]
    end = min(len(body), start + size)
    # Do not cut a match in two at the end of the window.
    for s, e, _needle in marks:
        if s < end < e:
            end = s
    if end - start < size and end == len(body):
        start = max(0, end - size)
        for s, e, _needle in marks:
            if s < start < e:
                start = s
    text = mark(body, marks, start, end)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(body) else ""
    return f"{prefix}{text.strip()}{suffix}"
