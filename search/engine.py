"""Matching and ranking over a `Snapshot`, with set operations and C-level `map` instead of
Whoosh's per-posting matchers (which made a common two-character term cost about 1 s at 100k).

Matching, per clause (any alternative, i.e. synonym, may match):

* substring term S of length 2: the posting list of the bigram S; exact.
* substring term of length 3 or more: W = documents having, in the title or
  the body, a *word* that contains S (found by scanning the word list, a
  string of all distinct words); then the documents that contain every
  bigram of a cover of S and are not in W are verified with the bigram
  positions. Nearly all occurrences of common strings lie inside a word, so
  the position check touches few documents. Exact.
* substring term of length 1: W alone (every character of a document belongs
  to some word). Exact.
* word term (Latin): the stem in the title or body postings.
* phrase term: the word keys at consecutive token positions in one field.

Ranking is BM25 with impacts computed at indexing time (see `search.schema`):
score = sum over query words of idf x (2.5 x title impact + body impact);
words of the vocabulary that contain a query substring add half weight, and
the bigram frequency stands in for two-character terms that are never a
word on their own (检察 inside 人民检察院). Ties go to the newer document.
"""

from __future__ import annotations

import heapq
import math
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from operator import itemgetter

from .analysis import IMPACT_SCALE
from .parse import PHRASE, SUB, WORD, Clause, ParsedQuery, Term
from .schema import decode_positions
from .snapshot import Postings, Snapshot

TITLE_BOOST = 2.5
EXPANSION_WEIGHT = 0.5
GRAM_WEIGHT = 0.4
NUMBER_BOOST = 1000.0
MAX_SCORED_EXPANSIONS = 6
WORD_FIELDS = ("title", "body")

_first_byte = itemgetter(0)
_LEN_CAP = 4095
# Bigram value length -> saturated frequency (value: width byte + 2 bytes per position).
_GRAM_TF = [0.0] + [
    (tf * 2.2 / (tf + 1.2)) for tf in ((length - 1) // 2 for length in range(1, _LEN_CAP + 1))
]


@dataclass
class _Source:
    """Per-document score contributions of one posting list, computed lazily."""

    postings: Postings
    table: Sequence[float]  # index: impact byte, or value length for bigrams
    by_length: bool = False

    def weights(self) -> Iterable[float]:
        values = self.postings.values
        if self.by_length:
            lengths = map(min, map(len, values), repeat(_LEN_CAP))
            return map(self.table.__getitem__, lengths)
        return map(self.table.__getitem__, map(_first_byte, values))

    def weight_of(self, index: int) -> float:
        value = self.postings.values[index]
        if self.by_length:
            return self.table[min(len(value), _LEN_CAP)]
        return self.table[value[0]]


@dataclass
class Match:
    """Documents matching a query (before filters) and how to score them."""

    docs: set[int]
    sources: list[_Source]
    numbers: set[int]


class Engine:
    """Evaluates parsed queries against one snapshot."""

    def __init__(self, snap: Snapshot) -> None:
        self.snap = snap
        self.n = max(1, len(snap.live))
        self._idf: dict[tuple[str, str], float] = {}

    # Statistics

    def idf(self, field: str, key: str) -> float:
        cache_key = (field, key)
        found = self._idf.get(cache_key)
        if found is None:
            df = self.snap.doc_frequency(field, key)
            found = math.log(1.0 + (self.n - df + 0.5) / (df + 0.5))
            self._idf[cache_key] = found
        return found

    def word_idf(self, key: str) -> float:
        df = max(self.snap.doc_frequency("body", key), self.snap.doc_frequency("title", key))
        return math.log(1.0 + (self.n - df + 0.5) / (df + 0.5))

    def _impact_table(self, factor: float) -> list[float]:
        return [factor * level / IMPACT_SCALE for level in range(256)]

    # Matching

    def match(self, query: ParsedQuery) -> Match:
        """All live documents matching every clause (or a document number)."""
        snap = self.snap
        sources: list[_Source] = []
        docs: set[int] | None = None
        clauses = sorted(query.clauses, key=self._estimate)
        for clause in clauses:
            found = self._match_clause(clause, docs, sources)
            docs = found if docs is None else docs & found
            if not docs:
                docs = set()
                break
        if docs is None:
            docs = set()
        docs &= snap.live
        numbers: set[int] = set()
        for number in query.numbers:
            numbers.update(self._ids("number", number))
        numbers &= snap.live
        if numbers:
            docs |= numbers
        return Match(docs, sources, numbers)

    def _estimate(self, clause: Clause) -> int:
        total = 0
        for term in clause.alternatives:
            if term.kind == SUB and len(term.text) >= 2:
                grams = [term.text[i : i + 2] for i in _cover(len(term.text))]
                total += min(self.snap.doc_frequency("grams", g) for g in grams)
            else:
                total += sum(
                    self.snap.doc_frequency(f, k) for f in WORD_FIELDS for k in term.keys[:1]
                )
        return total

    def _match_clause(
        self, clause: Clause, within: set[int] | None, sources: list[_Source]
    ) -> set[int]:
        found: set[int] = set()
        for term in clause.alternatives:
            if term.kind == SUB:
                found |= self._match_substring(term, within, sources)
            elif term.kind == WORD:
                found |= self._match_word(term, sources)
            elif term.kind == PHRASE:
                found |= self._match_phrase(term, within, sources)
        return found

    def _ids(self, field: str, term: str) -> array[int]:
        return self.snap.postings(field, term).ids

    def _word_sources(self, key: str, weight: float, sources: list[_Source]) -> None:
        idf = self.word_idf(key)
        for field, boost in (("title", TITLE_BOOST), ("body", 1.0)):
            postings = self.snap.postings(field, key)
            if postings.ids:
                sources.append(_Source(postings, self._impact_table(idf * boost * weight)))

    def _match_word(self, term: Term, sources: list[_Source]) -> set[int]:
        self._word_sources(term.text, 1.0, sources)
        found: set[int] = set()
        for field in WORD_FIELDS:
            found.update(self._ids(field, term.text))
        return found

    def _containing_words(self, text: str) -> list[str]:
        """Distinct title/body words that contain `text`."""
        vocab = self.snap.vocabulary(*WORD_FIELDS)
        words: list[str] = []
        start = vocab.find(text)
        while start >= 0:
            left = vocab.rfind("\n", 0, start) + 1
            right = vocab.find("\n", start)
            words.append(vocab[left:right])
            start = vocab.find(text, right)
        return words

    def _match_substring(
        self, term: Term, within: set[int] | None, sources: list[_Source]
    ) -> set[int]:
        text = term.text
        snap = self.snap
        keys = [k for k in term.keys if k]
        for key in keys:
            self._word_sources(key, 1.0, sources)
        if len(text) == 2:
            grams = snap.postings("grams", text)
            if text not in keys:
                idf = self.idf("grams", text)
                table = [idf * GRAM_WEIGHT * tf for tf in _GRAM_TF]
                sources.append(_Source(grams, table, by_length=True))
            return set(grams.ids)
        words = self._containing_words(text)
        scored = sorted(
            (w for w in words if w not in keys),
            key=lambda w: -snap.doc_frequency("body", w),
        )[:MAX_SCORED_EXPANSIONS]
        for word in scored:
            self._word_sources(word, EXPANSION_WEIGHT, sources)
        found: set[int] = set()
        for word in words:
            for field in WORD_FIELDS:
                found.update(snap.postings(field, word).ids)
        if len(text) == 1:
            return found
        return found | self._verify_crossing(text, found, within)

    def _verify_crossing(self, text: str, inside: set[int], within: set[int] | None) -> set[int]:
        """Documents containing `text` across word boundaries, checked by bigram positions."""
        offsets = _cover(len(text))
        lists = [(o, self.snap.postings("grams", text[o : o + 2])) for o in offsets]
        lists.sort(key=lambda item: len(item[1]))
        if not lists[0][1].ids:
            return set()
        candidates = set(lists[0][1].ids)
        if within is not None:
            candidates &= within
        candidates -= inside
        for _offset, postings in lists[1:]:
            if not candidates:
                return candidates
            candidates = _intersect(candidates, postings.ids)
        if not candidates:
            return candidates
        verified: set[int] = set()
        for doc in candidates:
            starts: set[int] | None = None
            for offset, postings in lists:
                i = bisect_left(postings.ids, doc)
                positions = decode_positions(postings.values[i])
                shifted = set(map((-offset).__add__, positions))
                starts = shifted if starts is None else starts & shifted
                if not starts:
                    break
            if starts:
                verified.add(doc)
        return verified

    def _match_phrase(
        self, term: Term, within: set[int] | None, sources: list[_Source]
    ) -> set[int]:
        keys = term.keys
        for key in dict.fromkeys(keys):
            self._word_sources(key, 1.0, sources)
        found: set[int] = set()
        for field in WORD_FIELDS:
            lists = [self.snap.postings(field, key) for key in keys]
            if any(not p.ids for p in lists):
                continue
            candidates = min((p for p in lists), key=len).ids
            cand = set(candidates) if within is None else within.intersection(candidates)
            for postings in lists:
                cand = _intersect(cand, postings.ids)
                if not cand:
                    break
            for doc in cand:
                starts: set[int] | None = None
                for offset, postings in enumerate(lists):
                    i = bisect_left(postings.ids, doc)
                    positions = decode_positions(postings.values[i], 1)
                    shifted = set(map((-offset).__add__, positions))
                    starts = shifted if starts is None else starts & shifted
                    if not starts:
                        break
                if starts:
                    found.add(doc)
        return found

    # Ranking

    def top(
        self, match: Match, docs: set[int], count: int, by_date: bool
    ) -> list[tuple[int, float]]:
        """The best `count` documents of `docs` with their scores, best first."""
        if not docs or count <= 0:
            return []
        snap = self.snap
        order = list(docs)
        if by_date or not match.sources and not match.numbers:
            keys = list(map(snap.date_key.__getitem__, order))
            best = heapq.nlargest(count, zip(keys, order))
            return [(doc, 0.0) for _key, doc in best]
        scores = self.scores(match, order)
        scores = list(map(float.__add__, scores, map(snap.recency.__getitem__, order)))
        if len(order) > count:
            threshold = heapq.nlargest(count, scores)[-1]
            keep = list(compress(range(len(order)), map(threshold.__le__, scores)))
        else:
            keep = list(range(len(order)))
        keep.sort(key=scores.__getitem__, reverse=True)
        return [(order[i], round(scores[i], 4)) for i in keep[:count]]

    def scores(self, match: Match, order: list[int]) -> list[float]:
        """Score of each document of `order`."""
        columns: list[Iterable[float]] = []
        for source in match.sources:
            ids = source.postings.ids
            if len(order) * 16 < len(ids):
                columns.append(_sparse_weights(source, order))
            else:
                lookup = dict(zip(ids, source.weights()))
                columns.append(map(lookup.get, order, repeat(0.0)))
        if match.numbers:
            numbers = match.numbers
            columns.append([NUMBER_BOOST if d in numbers else 0.0 for d in order])
        if not columns:
            return [0.0] * len(order)
        if len(columns) == 1:
            return [float(x) for x in columns[0]]
        return list(map(math.fsum, zip(*columns)))

    def facets(self, docs: set[int]) -> dict[str, dict[str, int]]:
        """Counts by type and by year over `docs`."""
        snap = self.snap
        types = Counter(map(snap.type_code.__getitem__, docs))
        years = Counter(map(snap.years.__getitem__, docs))
        return {
            "type": {snap.type_names[code]: n for code, n in types.most_common()},
            "year": {str(year): n for year, n in sorted(years.items(), reverse=True)},
        }


def _sparse_weights(source: _Source, order: list[int]) -> list[float]:
    ids = source.postings.ids
    size = len(ids)
    out: list[float] = []
    for doc in order:
        i = bisect_left(ids, doc)
        out.append(source.weight_of(i) if i < size and ids[i] == doc else 0.0)
    return out


def _intersect(candidates: set[int], ids: array[int]) -> set[int]:
    """`candidates` & `ids`, by binary search when the candidates are few."""
    if len(candidates) * 16 < len(ids):
        size = len(ids)
        kept = set()
        for doc in candidates:
            i = bisect_left(ids, doc)
            if i < size and ids[i] == doc:
                kept.add(doc)
        return kept
    return candidates.intersection(ids)


def _cover(length: int) -> list[int]:
    """Start offsets of bigrams that together cover a string of `length` >= 2."""
    offsets = list(range(0, length - 1, 2))
    if offsets[-1] != length - 2:
        offsets.append(length - 2)
    return offsets
