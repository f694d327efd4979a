""" "Did you mean": misspelt words corrected from the index's own vocabulary.

Latin words: the vocabulary is the `spell` field (unstemmed Latin
words of titles and bodies) with document frequencies; a word is corrected
when neither it nor its stem occurs, to the closest word within one edit (two
for words longer than seven letters), the more frequent on ties. Candidates
keep the first letter (or swap the first two): people rarely mistype it, and
without this rule "drunk" became "runs". The caller offers a correction only
when the corrected query finds something.

Chinese (`correct_hanzi`, below): a wrong character is usually a homophone
the input method offered, so index words that sound the same or similar, or
differ in one character, replace words the index lacks; only for a query
without good results (`search.index.good_results`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import lru_cache
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


# Chinese: a wrong character is usually a homophone picked from the input
# method's list (诈编 for 诈骗, 开设堵场 for 开设赌场), so candidates are index
# words with the same pinyin, or with a similar one (the initials and finals
# that dialect speakers and hurried typists confuse), and for words of three
# characters or more, one different character whatever its sound
# (危验驾驶 for 危险驾驶).

_HANZI = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# Index words of this length that occur in this many documents may be offered.
CANDIDATE_LENGTHS = range(2, 9)
MIN_CANDIDATE_FREQUENCY = 2
# A word the index has is still replaced when a look-alike is this much more common.
RARE_RATIO = 50
SAME_SOUND_WEIGHT = 4
# Spans of up to this many segmenter tokens are tried as one word: a typo
# often splits a word (聚众斗欧 is cut 聚众 | 斗欧).
MAX_SPAN = 3
_FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"))
_FUZZY_FIRST = str.maketrans({"p": "b", "t": "d", "k": "g", "l": "n", "f": "h"})


def is_hanzi(text: str) -> bool:
    """Whether `text` is made only of CJK ideographs."""
    return _HANZI.fullmatch(text) is not None


@lru_cache(maxsize=65536)
def syllable(char: str) -> str:
    """The toneless pinyin of one ideograph (its most common reading)."""
    # Imported on first use: loading its dictionaries takes a third of a second,
    # which a process that never suggests need not pay.
    from pypinyin import Style, lazy_pinyin

    return lazy_pinyin(char, style=Style.NORMAL)[0]


@lru_cache(maxsize=8192)
def fuzzy_syllable(sound: str) -> str:
    """A syllable with easily confused initials and finals merged (zh/z, b/p, ng/n…)."""
    for long, short in _FUZZY_INITIALS:
        if sound.startswith(long):
            sound = short + sound[len(long) :]
            break
    sound = sound[:1].translate(_FUZZY_FIRST) + sound[1:]
    return sound[:-1] if sound.endswith("ng") and len(sound) > 2 else sound


def pinyin_key(word: str) -> str:
    """Toneless pinyin of a word of ideographs, syllables joined by spaces."""
    return " ".join(map(syllable, word))


def fuzzy_key(word: str) -> str:
    return " ".join(fuzzy_syllable(syllable(c)) for c in word)


class HanziWords:
    """The ideograph words of one index segment with document frequencies, and
    three maps to find look-alikes of a query word without scanning the
    words: by pinyin, by fuzzy pinyin, and (three characters or more) by the
    word with one character blanked out. Built once per segment: segments
    never change, so a refresh after a write builds only the new one's."""

    def __init__(self, counts: Mapping[str, int]):
        self.frequency = dict(counts)
        self.by_pinyin: dict[str, tuple[str, int]] = {}
        self.by_fuzzy: dict[str, tuple[str, int]] = {}
        self.by_blank: dict[str, tuple[str, int]] = {}
        # A word is often found only inside longer index words (肇事 in 交通|肇事罪):
        # the two-character ends of three- and four-character words count too.
        candidates: Counter[str] = Counter()
        for word, frequency in counts.items():
            for piece in (word, word[:2], word[-2:]) if 3 <= len(word) <= 4 else (word,):
                candidates[piece] = max(candidates[piece], frequency)
        for word, frequency in candidates.items():
            if len(word) not in CANDIDATE_LENGTHS:
                continue
            entry = (word, frequency)
            _keep_best(self.by_pinyin, pinyin_key(word), entry)
            _keep_best(self.by_fuzzy, fuzzy_key(word), entry)
            if len(word) >= 3:
                for i in range(len(word)):
                    _keep_best(self.by_blank, word[:i] + "?" + word[i + 1 :], entry)


class HanziVocabulary:
    """The ideograph words of a whole index: its segments' `HanziWords`, with
    frequencies added up across segments when a word is looked up."""

    def __init__(self, parts: Sequence[HanziWords]):
        self.parts = list(parts)

    @classmethod
    def of(cls, counts: Mapping[str, int]) -> HanziVocabulary:
        """The vocabulary of one set of counts (an index of one segment)."""
        return cls([HanziWords(counts)])

    def known(self, word: str) -> int:
        """Documents in which the index has `word` as a word (0 if none)."""
        return sum(part.frequency.get(word, 0) for part in self.parts)

    def _best(self, table: str, key: str) -> tuple[str, int] | None:
        found: Counter[str] = Counter()
        for part in self.parts:
            entry = getattr(part, table).get(key)
            if entry is not None:
                found[entry[0]] += entry[1]
        # A word of one document (across all segments) is never offered.
        best = max(found.items(), key=lambda e: (e[1], e[0])) if found else None
        return best if best is not None and best[1] >= MIN_CANDIDATE_FREQUENCY else None

    def sounding(self, reading: str) -> str | None:
        """The most common index word read as `reading` (toneless pinyin syllables
        joined by spaces: "bin jiang"), or None."""
        best = self._best("by_pinyin", reading)
        return best[0] if best is not None else None

    def closest(self, word: str) -> str | None:
        """The most common index word that sounds like `word` or, for a word of
        three characters or more, differs from it in one character."""
        found = self._best("by_pinyin", pinyin_key(word))
        similar = self._best("by_fuzzy", fuzzy_key(word))
        # The same sound is likelier than a similar one, unless much rarer.
        if similar is not None and (found is None or similar[1] > found[1] * SAME_SOUND_WEIGHT):
            found = similar
        if (found is None or found[0] == word) and len(word) >= 3:
            blanks = (
                self._best("by_blank", word[:i] + "?" + word[i + 1 :]) for i in range(len(word))
            )
            options = [b for b in blanks if b is not None and b[0] != word]
            found = max(options, key=lambda e: (e[1], e[0])) if options else None
        if found is None or found[0] == word:
            return None
        if found[1] < self.known(word) * RARE_RATIO:
            return None  # the query's word is a real word, not a slip
        return found[0]


def _keep_best(table: dict[str, tuple[str, int]], key: str, entry: tuple[str, int]) -> None:
    old = table.get(key)
    if old is None or (entry[1], entry[0]) > (old[1], old[0]):
        table[key] = entry


def correct_hanzi(vocabulary: HanziVocabulary, cleaned: str) -> str | None:
    """`cleaned` with unknown or rare runs of ideographs replaced by look-alike
    index words, or None when nothing was replaced.

    Each run of ideographs is segmented like the documents; from left to
    right, the longest span of up to `MAX_SPAN` tokens that contains a token
    the index lacks (or has rarely) and has a look-alike is replaced. Tokens
    the index has as words are kept, so a query of real words is left alone.
    """
    if not any(part.frequency for part in vocabulary.parts):
        return None
    changed = False

    def fix(match: re.Match[str]) -> str:
        nonlocal changed
        tokens = analysis.segment(match.group())
        out: list[str] = []
        i = 0
        while i < len(tokens):
            for span in range(min(MAX_SPAN, len(tokens) - i), 0, -1):
                parts = tokens[i : i + span]
                word = "".join(parts)
                if vocabulary.known(word) >= MIN_CANDIDATE_FREQUENCY:
                    out.append(word)
                    i += span
                    break
                if len(word) < 2:
                    continue
                if all(vocabulary.known(p) >= MIN_CANDIDATE_FREQUENCY for p in parts):
                    continue  # real words side by side, e.g. 盗窃 手机
                replacement = vocabulary.closest(word)
                if replacement is not None:
                    out.append(replacement)
                    changed = True
                    i += span
                    break
            else:
                out.append(tokens[i])
                i += 1
        return "".join(out)

    suggestion = _HANZI.sub(fix, cleaned)
    return suggestion if changed else None
