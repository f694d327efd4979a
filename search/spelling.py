""" "Did you mean": misspelt Latin words corrected from the index's own vocabulary.

Only Latin words are corrected: a Chinese query has no misspellings in this
sense (a wrong character is a different word), and the bigram index already
finds any substring. The vocabulary is the `spell` field (unstemmed Latin
words of titles and bodies) with document frequencies; a word is corrected
when neither it nor its stem occurs, to the closest word within one edit (two
for words longer than seven letters), the more frequent on ties. Candidates
keep the first letter (or swap the first two): people rarely mistype it, and
without this rule "drunk" became "runs". The caller offers a correction only
when the corrected query finds something.
"""

from __future__ import annotations

import re
from typing import Any

from . import analysis


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance, or `limit + 1` once it exceeds `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def closest(word: str, vocabulary: dict[int, list[tuple[str, int]]]) -> str | None:
    """The best correction of `word`, or None."""
    limit = 1 if len(word) <= 7 else 2
    best: tuple[int, int, str] | None = None
    for length in range(len(word) - limit, len(word) + limit + 1):
        for candidate, frequency in vocabulary.get(length, ()):
            if candidate[0] != word[0] and candidate[:2] != word[1::-1]:
                continue
            distance = edit_distance(word, candidate, limit)
            if distance <= limit:
                key = (distance, -frequency, candidate)
                if best is None or key < best:
                    best = key
    return best[2] if best else None


def correct(snap: Any, cleaned: str, words: list[str]) -> str | None:
    """`cleaned` with unknown Latin `words` replaced by corrections, or None."""
    vocabulary = snap.spelling_vocabulary()
    if not vocabulary:
        return None
    known = snap.spelling_words()
    suggestion = cleaned
    changed = False
    for word in words:
        lower = analysis.normalize(word)
        stemmed = analysis.stem(lower)
        if lower in known or any(snap.doc_frequency(field, stemmed) for field in ("title", "body")):
            continue
        fixed = closest(lower, vocabulary)
        if fixed is None or fixed == lower:
            continue
        pattern = re.compile(rf"(?<![^\W\d_]){re.escape(word)}(?![^\W\d_])", re.IGNORECASE)
        suggestion, replaced = pattern.subn(fixed, suggestion)
        changed = changed or replaced > 0
    return suggestion if changed else None
