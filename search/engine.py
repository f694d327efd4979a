"""Matching and ranking over a `Snapshot` with set operations and C-level `map`/`compress`,
because Whoosh's matchers step one posting at a time in Python (a common two-character term
cost about 1 s at 100k documents that way).

Matching, per clause (any alternative, i.e. synonym, may match):

* substring term S of two characters: the posting list of the bigram S. Exact.
* substring term of three or more: W = documents having, in the title or the
  body, a *word* that contains S (found by scanning the word list, one string
  of all distinct words); the documents that contain every bigram of a cover
  of S but are not in W are then checked with the bigram positions. Exact.
* substring term of one character: W alone (every character of a document
  belongs to some word). Exact.
* word term (Latin): the stem in the title or body postings.
* phrase term: the word keys at consecutive token positions in one field.

Position checks never loop per document in Python: the positions of all
candidates are joined into one array per bigram and turned into keys
`doc * 2**33 + position - offset`; a set intersection of those keys finds the
documents where the bigrams line up.

Ranking is BM25 with impacts computed at indexing time (`search.schema`):
score = sum over the query's words of idf x (2.5 x title impact + body
impact); words of the vocabulary that contain a query substring add half
weight, and for a two-character term that is never a word on its own (检察
inside 人民检察院) the bigram's frequency stands in. Ties go to the newer
document. The top k are found without scoring every match: each score
source keeps a histogram of its impact bytes, candidates are the postings at
or above a per-source threshold, and a document below every threshold cannot
score more than the sum of the thresholds' weights; thresholds are lowered
until the k-th candidate beats that bound (a threshold algorithm, exact).
"""

from __future__ import annotations

import heapq
import math
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from itertools import chain, compress, repeat
from operator import add, itemgetter, lshift, rshift, sub

from .analysis import IMPACT_SCALE
from .parse import PHRASE, SUB, WORD, Clause, ParsedQuery, Term
from .schema import decode_positions
from .snapshot import Postings, Snapshot

TITLE_BOOST = 2.5
EXPANSION_WEIGHT = 0.5
GRAM_WEIGHT = 0.4
NUMBER_BOOST = 1000.0
MAX_SCORED_EXPANSIONS = 3
WORD_FIELDS = ("title", "body")
# Below this many matches every match is scored; above, the threshold algorithm runs.
EXACT_SCORING = 3000
_SHIFT = 33  # key = doc * 2**33 + 2**32 + position - offset: no two documents collide
_BASE = 1 << 32
_EPSILON = 1e-6


@dataclass
class Source:
    """Per-document score contributions of one posting list: table[level]."""

    postings: Postings
    table: list[float]  # 256 entries, non-decreasing
    by_length: bool = False

    @property
    def levels(self) -> bytes:
        return self.postings.levels(self.by_length)


@dataclass
class Match:
    """Documents matching a query (before filters) and how to score them."""

    docs: set[int]
    sources: list[Source]
    numbers: set[int]


class Engine:
    """Evaluates parsed queries against one snapshot."""

    def __init__(self, snap: Snapshot) -> None:
        self.snap = snap
        self.n = max(1, len(snap.live))

    # Statistics

    def _idf(self, df: int) -> float:
        return math.log(1.0 + (self.n - df + 0.5) / (df + 0.5))

    def word_idf(self, key: str) -> float:
        snap = self.snap
        return self._idf(max(snap.doc_frequency("body", key), snap.doc_frequency("title", key)))

    # Matching

    def match(self, query: ParsedQuery, within: frozenset[int] | None = None) -> Match:
        """Live documents (of `within`, if given) matching every clause or a document number.

        Clauses run rarest first, each restricted to the documents still in
        the running, so position checks only ever see possible matches.
        """
        snap = self.snap
        allowed = snap.live if within is None else snap.live & within
        sources: list[Source] = []
        docs: set[int] | frozenset[int] = allowed
        for clause in sorted(query.clauses, key=self._estimate):
            docs = docs & self._match_clause(clause, docs, sources)
            if not docs:
                break
        if not query.clauses:
            docs = frozenset()
        numbers: set[int] = set()
        for number in query.numbers:
            numbers.update(snap.postings("number", number).ids)
        numbers &= allowed
        return Match(set(docs) | numbers, sources, numbers)

    def _estimate(self, clause: Clause) -> int:
        total = 0
        for term in clause.alternatives:
            if term.kind == SUB and len(term.text) >= 2:
                grams = [term.text[i : i + 2] for i in _cover(len(term.text))]
                total += min(self.snap.doc_frequency("grams", g) for g in grams)
            else:
                total += sum(self.snap.doc_frequency(f, term.keys[0]) for f in WORD_FIELDS)
        return total

    def _match_clause(
        self, clause: Clause, within: AbstractSet[int], sources: list[Source]
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

    def _word_sources(
        self, key: str, weight: float, sources: list[Source], fields: Sequence[str] = WORD_FIELDS
    ) -> None:
        factor = self.word_idf(key) * weight / IMPACT_SCALE
        for field in fields:
            boost = TITLE_BOOST if field == "title" else 1.0
            postings = self.snap.postings(field, key)
            if postings.ids:
                scale = factor * boost
                sources.append(Source(postings, [scale * level for level in range(256)]))

    def _match_word(self, term: Term, sources: list[Source]) -> set[int]:
        self._word_sources(term.text, 1.0, sources)
        found: set[int] = set()
        for field in WORD_FIELDS:
            found.update(self.snap.postings(field, term.text).ids)
        return found

    def _containing_words(self, text: str) -> list[str]:
        """Distinct title/body words that contain `text` (scanning each segment's word list)."""
        words: dict[str, None] = {}
        for vocab in self.snap.vocabularies(*WORD_FIELDS):
            start = vocab.find(text)
            while start >= 0:
                left = vocab.rfind("\n", 0, start) + 1
                right = vocab.find("\n", start)
                words[vocab[left:right]] = None
                start = vocab.find(text, right)
        return list(words)

    def _match_substring(
        self, term: Term, within: AbstractSet[int], sources: list[Source]
    ) -> set[int]:
        text = term.text
        snap = self.snap
        keys = [k for k in dict.fromkeys(term.keys) if len(k) > 1] or list(term.keys)
        for key in keys:
            self._word_sources(key, 1.0, sources)
        words = self._containing_words(text)
        expansions = sorted(
            (w for w in words if w not in keys), key=lambda w: -snap.doc_frequency("body", w)
        )[:MAX_SCORED_EXPANSIONS]
        if len(text) == 2:
            # Title words containing the pair (盗窃 in 盗窃案) count; in bodies,
            # the bigram's own frequency stands in (cheaper than more lists).
            for word in expansions:
                self._word_sources(word, EXPANSION_WEIGHT, sources, fields=("title",))
            grams = snap.postings("grams", text)
            if text not in keys and grams.ids:
                factor = self._idf(len(grams)) * GRAM_WEIGHT
                sources.append(Source(grams, [factor * tf for tf in _GRAM_TF], by_length=True))
            return set(grams.ids)
        for word in expansions:
            self._word_sources(word, EXPANSION_WEIGHT, sources)
        inside: set[int] = set()
        for word in words:
            for field in WORD_FIELDS:
                inside.update(snap.postings(field, word).ids)
        if len(text) == 1:
            return inside
        inside.update(snap.postings("shingles", text).ids)
        return inside | self._verify_crossing(text, inside, within)

    def _verify_crossing(self, text: str, inside: set[int], within: AbstractSet[int]) -> set[int]:
        """Documents containing `text` across word boundaries, checked by bigram positions."""
        lists = [(o, self.snap.postings("grams", text[o : o + 2])) for o in _cover(len(text))]
        lists.sort(key=lambda item: len(item[1]))
        if not lists[0][1].ids:
            return set()
        candidates = _intersect(set(within), lists[0][1].ids) - inside
        for _offset, postings in lists[1:]:
            if not candidates:
                return candidates
            candidates = _intersect(candidates, postings.ids)
        if not candidates:
            return candidates
        return _aligned(candidates, lists, skip=0)

    def _match_phrase(self, term: Term, within: set[int] | None, sources: list[Source]) -> set[int]:
        keys = term.keys
        for key in dict.fromkeys(keys):
            self._word_sources(key, 1.0, sources)
        found: set[int] = set()
        for field in WORD_FIELDS:
            lists = [(i, self.snap.postings(field, key)) for i, key in enumerate(keys)]
            if any(not p.ids for _i, p in lists):
                continue
            lists.sort(key=lambda item: len(item[1]))
            candidates = _intersect(set(within), lists[0][1].ids)
            for _offset, postings in lists[1:]:
                candidates = _intersect(candidates, postings.ids)
                if not candidates:
                    break
            if candidates:
                found |= _aligned(candidates, lists, skip=1)
        return found

    # Ranking

    def top(
        self, match: Match, docs: set[int], count: int, by_date: bool
    ) -> list[tuple[int, float]]:
        """The best `count` documents of `docs` with their scores, best first."""
        if not docs or count <= 0:
            return []
        if by_date or (not match.sources and not match.numbers):
            return [(doc, 0.0) for doc in self._newest(docs, count)]
        if len(docs) <= max(EXACT_SCORING, count):
            return self._best(list(docs), match, count)
        sources = [s for s in match.sources if s.postings.ids]
        target = max(256, 8 * count)
        while True:
            thresholds = [_threshold(s.postings.histogram(s.by_length), target) for s in sources]
            candidates = set(match.numbers)
            bound = 0.0
            for source, threshold in zip(sources, thresholds, strict=True):
                ids = source.postings.ids
                if threshold <= 1:
                    candidates.update(ids)
                else:
                    candidates.update(compress(ids, map(threshold.__le__, source.levels)))
                    bound += source.table[threshold - 1]
            candidates &= docs
            exhaustive = bound == 0.0
            if len(candidates) > max(len(docs) // 2, EXACT_SCORING) and not exhaustive:
                return self._best(list(docs), match, count)
            best = self._best(list(candidates), match, count)
            if exhaustive:
                if len(best) < count:
                    rest = self._newest(docs - candidates, count - len(best))
                    best.extend((doc, 0.0) for doc in rest)
                return best
            if len(best) >= count and best[-1][1] > bound + _EPSILON:
                return best
            target *= 8

    def _best(self, order: list[int], match: Match, count: int) -> list[tuple[int, float]]:
        """Exactly scored top `count` of `order` (ties to the newer document)."""
        scores = self.scores(match, order)
        recency = self.snap.recency
        keyed = list(map(add, scores, map(recency.__getitem__, order)))
        if len(order) > count:
            threshold = heapq.nlargest(count, keyed)[-1]
            keep = list(compress(range(len(order)), map(threshold.__le__, keyed)))
        else:
            keep = list(range(len(order)))
        keep.sort(key=keyed.__getitem__, reverse=True)
        return [(order[i], round(scores[i], 4)) for i in keep[:count]]

    def _newest(self, docs: Iterable[int], count: int) -> list[int]:
        date_key = self.snap.date_key
        return [doc for _key, doc in heapq.nlargest(count, ((date_key[d], d) for d in docs))]

    def scores(self, match: Match, order: list[int]) -> list[float]:
        """Score of each document of `order`."""
        columns: list[Iterable[float]] = []
        for source in match.sources:
            ids = source.postings.ids
            if not ids:
                continue
            levels = source.levels
            if len(order) * 16 < len(ids):
                found = _sparse_levels(ids, levels, order)
            else:
                lookup = dict(zip(ids, levels, strict=True))
                found = map(lookup.get, order, repeat(0))
            columns.append(map(source.table.__getitem__, found))
        if match.numbers:
            numbers = match.numbers
            columns.append([NUMBER_BOOST if d in numbers else 0.0 for d in order])
        if not columns:
            return [0.0] * len(order)
        if len(columns) == 1:
            return [float(x) for x in columns[0]]
        return list(map(math.fsum, zip(*columns, strict=True)))

    def facets(self, docs: set[int]) -> dict[str, dict[str, int]]:
        """Counts by type and by year over `docs`, in one pass."""
        snap = self.snap
        counts = Counter(map(snap.type_year.__getitem__, docs))
        types: Counter[str] = Counter()
        years: Counter[int] = Counter()
        for code, n in counts.items():
            types[snap.type_names[code >> 12]] += n
            years[code & 0xFFF] += n
        return {
            "type": dict(types.most_common()),
            "year": {str(year): n for year, n in sorted(years.items(), reverse=True)},
        }


# Bigram frequency (from a posting value's length: width byte + 2 bytes per position)
# to a saturated weight, indexed by the length byte.
_GRAM_TF = [0.0] + [
    (tf * 2.2 / (tf + 1.2)) for tf in ((length - 1) // 2 for length in range(1, 256))
]


def _threshold(histogram: list[int], target: int) -> int:
    """The lowest level such that at most about `target` postings are at or above it."""
    total = 0
    for level in range(255, 0, -1):
        total += histogram[level]
        if total >= target:
            return level
    return 0


def _sparse_levels(ids: array[int], levels: bytes, order: list[int]) -> list[int]:
    size = len(ids)
    out = []
    for doc in order:
        i = bisect_left(ids, doc)
        out.append(levels[i] if i < size and ids[i] == doc else 0)
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


_tail_h = itemgetter(slice(1, None))
_tail_word = itemgetter(slice(2, None))


def _position_keys(postings: Postings, docs: set[int], offset: int, skip: int) -> set[int]:
    """{doc * 2**33 + 2**32 + position - offset} for the postings of `docs`."""
    ids = postings.ids
    values = postings.values
    if len(docs) * 16 < len(ids):
        order = sorted(docs)
        index = list(map(bisect_left, repeat(ids), order))
        chosen = list(map(values.__getitem__, index))
    else:
        mask = list(map(docs.__contains__, ids))
        order = list(compress(ids, mask))
        chosen = list(compress(values, mask))
    wide = bytes(map(itemgetter(skip), chosen)).count(b"I")
    keys: set[int] = set()
    base = _BASE - offset
    if wide:
        narrow_docs, narrow_values = [], []
        for doc, value in zip(order, chosen, strict=True):
            if value[skip] == ord("I"):
                keys.update((doc << _SHIFT) + base + p for p in decode_positions(value, skip))
            else:
                narrow_docs.append(doc)
                narrow_values.append(value)
        order, chosen = narrow_docs, narrow_values
    joined = b"".join(map(_tail_word if skip else _tail_h, chosen))
    positions = array("H", joined)
    counts = map(rshift, map(sub, map(len, chosen), repeat(skip + 1)), repeat(1))
    owners = chain.from_iterable(map(repeat, order, counts))
    keys.update(map(add, map(lshift, owners, repeat(_SHIFT)), map(base.__add__, positions)))
    return keys


def _aligned(candidates: set[int], lists: Sequence[tuple[int, Postings]], skip: int) -> set[int]:
    """Candidates where every posting list has a position at start + its offset."""
    keys: set[int] | None = None
    for offset, postings in lists:
        found = _position_keys(postings, candidates, offset, skip)
        keys = found if keys is None else keys & found
        if not keys:
            return set()
    return set(map(rshift, keys or (), repeat(_SHIFT)))


def _cover(length: int) -> list[int]:
    """Start offsets of bigrams that together cover a string of `length` >= 2."""
    offsets = list(range(0, length - 1, 2))
    if offsets[-1] != length - 2:
        offsets.append(length - 2)
    return offsets
