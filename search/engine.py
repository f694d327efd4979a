"""Matching and ranking over a `Snapshot` with set operations and C-level `map`/`compress`,
because Whoosh's matchers step one posting at a time in Python (a common two-character term
cost about 1 s at 100k documents that way, and the naive setup's p95 was 905 ms).

Matching, per clause (any alternative, i.e. synonym, may match):

* substring term S of two characters: the posting list of the bigram S. Exact.
* substring term of three or more: the union of
  - documents with a title/body *word* containing S (检察院 in 人民检察院),
    found by scanning each segment's word list (one string, `str.find`);
  - if S spans several words, documents with a frequent *shingle* (a run of
    2-4 words, see `analysis.word_shingles`) containing S, found the same way;
  - the remaining documents that contain every bigram of S, checked by the
    positions of a cover of bigrams. Exact; the first two parts only save the
    position check for the documents they already prove.
* substring term of one character: documents with a word containing it
  (every character belongs to some word). Exact.
* word term (Latin): the stem in the title or body postings.
* phrase term: the word keys at consecutive token positions in one field.

Position checks never loop per document in Python: the positions of all
candidates are joined into one array per bigram and turned into keys
`doc * 2**33 + position - offset`; a set intersection of those keys finds the
documents where the bigrams line up.

Ranking is BM25 with impacts computed at indexing time (`search.schema`):
score = sum over the query's words of idf x (2.5 x title impact + body
impact); words of the vocabulary that contain a query substring add half
weight (in titles only for two-character terms), and for a two-character
term that is never a word on its own (检察 inside 人民检察院) the bigram's
frequency stands in. Ties go to the newer document. The top k are exact
without scoring every match (a threshold algorithm): a first guess of the
k-th score comes from each source's highest impact bytes; then each source
gets a threshold such that a document below all of them cannot reach that
score, and only documents above some threshold are scored.
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
from operator import add, eq, lshift, mul, rshift, sub

from .analysis import IMPACT_SCALE, segment
from .parse import PHRASE, SUB, WORD, Clause, ParsedQuery, Term
from .schema import decode_positions
from .snapshot import DOC_MASK, Histogram, Postings, Snapshot

TITLE_BOOST = 2.5
EXPANSION_WEIGHT = 0.5
GRAM_WEIGHT = 0.4
NUMBER_BOOST = 1000.0
MAX_SCORED_EXPANSIONS = 3
WORD_FIELDS = ("title", "body")
SHINGLE_FIELDS = ("shingles",)
MAX_SHINGLES = 500
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

    @property
    def histogram(self) -> Histogram:
        return self.postings.histogram(self.by_length)


@dataclass
class Match:
    """Documents matching a query (before filters) and how to score them."""

    docs: AbstractSet[int]
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
        return Match(docs | numbers if numbers else docs, sources, numbers)

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
        """Distinct title/body words that contain `text`."""
        return self._containing(text, WORD_FIELDS)

    def _containing(self, text: str, fields: tuple[str, ...]) -> list[str]:
        """Distinct terms of `fields` that contain `text` (scanning each segment's term list)."""
        words: dict[str, None] = {}
        for vocab in self.snap.vocabularies(*fields):
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
        if len(segment(text)) > 1:
            # A string across words: the frequent runs of words that are it, or
            # contain it when there are few enough of them to be worth reading.
            inside.update(snap.postings("shingles", text).ids)
            shingles = self._containing(text, SHINGLE_FIELDS)
            if len(shingles) <= MAX_SHINGLES:
                for shingle in shingles:
                    inside.update(snap.postings("shingles", shingle).ids)
        return inside | self._verify_crossing(text, inside, within)

    def _verify_crossing(self, text: str, inside: set[int], within: AbstractSet[int]) -> set[int]:
        """Documents containing `text` outside the words and shingles seen, checked by positions.

        Candidates must contain every bigram of `text` (overlapping ones too,
        which rules out most documents that merely contain its parts), and
        only then are the positions of a cover of bigrams compared.
        """
        grams = {text[i : i + 2] for i in range(len(text) - 1)}
        lists = sorted((self.snap.postings("grams", g) for g in grams), key=len)
        if not lists[0].ids:
            return set()
        candidates = set(lists[0].ids)
        candidates &= within
        candidates -= inside
        for postings in lists[1:]:
            if not candidates:
                return candidates
            candidates = _intersect(candidates, postings.ids)
        if not candidates:
            return candidates
        cover = [(o, self.snap.postings("grams", text[o : o + 2])) for o in _cover(len(text))]
        return _aligned(candidates, cover, skip=0)

    def _match_phrase(
        self, term: Term, within: AbstractSet[int], sources: list[Source]
    ) -> set[int]:
        keys = term.keys
        for key in dict.fromkeys(keys):
            self._word_sources(key, 1.0, sources)
        found: set[int] = set()
        for field in WORD_FIELDS:
            lists = [(i, self.snap.postings(field, key)) for i, key in enumerate(keys)]
            if any(not p.ids for _i, p in lists):
                continue
            lists.sort(key=lambda item: len(item[1]))
            candidates = set(lists[0][1].ids)
            candidates &= within
            for _offset, postings in lists[1:]:
                candidates = _intersect(candidates, postings.ids)
                if not candidates:
                    break
            if candidates:
                found |= _aligned(candidates, lists, skip=1)
        return found

    # Ranking

    def top(
        self, match: Match, docs: AbstractSet[int], count: int, by_date: bool
    ) -> list[tuple[int, float]]:
        """The best `count` documents of `docs` with their scores, best first.

        Exact, without scoring every match (see the module docstring): a first
        guess of the k-th score comes from each source's highest impacts; then
        each source's threshold is set so that a document below all of them
        cannot reach that score, and only documents above some threshold are
        scored.
        """
        if not docs or count <= 0:
            return []
        if by_date or (not match.sources and not match.numbers):
            return [(doc, 0.0) for doc in self._newest(docs, count)]
        if len(docs) <= max(EXACT_SCORING, count):
            return self._best(list(docs), match, count)
        sources = [s for s in match.sources if s.postings.ids]
        guess = set(match.numbers)
        for source in sources:
            guess.update(_above(source, _threshold(source.histogram, 4 * count)))
        guess &= docs
        if len(guess) < count:
            return self._best(list(docs), match, count)
        theta = self._best(list(guess), match, count, exact=True)[-1][1]
        thresholds = _thresholds(sources, theta - 2 * _EPSILON)
        candidates = set(guess)
        for source, threshold in zip(sources, thresholds, strict=True):
            candidates.update(_above(source, threshold))
        candidates &= docs
        return self._best(list(candidates), match, count)

    def _best(
        self, order: list[int], match: Match, count: int, exact: bool = False
    ) -> list[tuple[int, float]]:
        """Exactly scored top `count` of `order` (ties to the newer document).

        Scores are rounded for display unless `exact`.
        """
        scores = self.scores(match, order)
        recency = self.snap.recency
        keyed = list(map(add, scores, map(recency.__getitem__, order)))
        if len(order) > count:
            threshold = heapq.nlargest(count, keyed)[-1]
            keep = list(compress(range(len(order)), map(threshold.__le__, keyed)))
        else:
            keep = list(range(len(order)))
        keep.sort(key=keyed.__getitem__, reverse=True)
        if exact:
            return [(order[i], scores[i]) for i in keep[:count]]
        return [(order[i], round(scores[i], 4)) for i in keep[:count]]

    def _newest(self, docs: Iterable[int], count: int) -> list[int]:
        """The `count` most recently published of `docs` (the later number on ties)."""
        keys = heapq.nlargest(count, map(self.snap.date_key.__getitem__, docs))
        return [key & DOC_MASK for key in keys]

    def scores(self, match: Match, order: list[int]) -> list[float]:
        """Score of each document of `order`."""
        size = self.snap.doc_count_all
        total: list[float] | None = None
        for source in match.sources:
            postings = source.postings
            if not postings.ids:
                continue
            if postings.has_dense or len(order) * 32 > len(postings.ids):
                found: Iterable[int] = map(
                    postings.dense(source.by_length, size).__getitem__, order
                )
            else:
                found = _sparse_levels(postings.ids, source.levels, order)
            column = map(source.table.__getitem__, found)
            total = list(column) if total is None else list(map(add, total, column))
        if total is None:
            total = [0.0] * len(order)
        if match.numbers:
            numbers = match.numbers
            total = [
                s + NUMBER_BOOST if d in numbers else s for s, d in zip(total, order, strict=True)
            ]
        return total

    def facets(self, docs: AbstractSet[int]) -> dict[str, dict[str, int]]:
        """Counts by type and by year over `docs`."""
        snap = self.snap
        if len(docs) * 2 > len(snap.live):
            # Most documents match: count the few that do not and subtract.
            counts = Counter(snap.live_facets())
            counts.subtract(Counter(map(snap.type_year.__getitem__, snap.live - docs)))
        else:
            counts = Counter(map(snap.type_year.__getitem__, docs))
        types: Counter[str] = Counter()
        years: Counter[int] = Counter()
        for code, n in counts.items():
            if n > 0:
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


# _AT_LEAST[t] maps a level byte to 1 if it is at least t, else 0 (for bytes.translate).
_AT_LEAST = [bytes(int(level >= t) for level in range(256)) for t in range(257)]


def _above(source: Source, threshold: int) -> Iterable[int]:
    """Documents whose level in `source` is at least `threshold` (all for 1 or less)."""
    if threshold <= 1:
        return source.postings.ids
    return compress(source.postings.ids, source.levels.translate(_AT_LEAST[min(threshold, 256)]))


def _top_level(source: Source) -> int:
    histogram = source.histogram
    return next((level for level in range(255, 0, -1) if histogram[level]), 0)


def _thresholds(sources: list[Source], budget: float) -> list[int]:
    """Per source, a threshold such that a document below all of them scores at most `budget`,
    with as few postings at or above the thresholds as the histograms allow.

    All thresholds start above the best level (no candidates; the bound is the
    sum of the best contributions) and are lowered one level at a time, each
    time where the bound drops most per posting let in, until the bound fits.
    """
    tops = [_top_level(source) for source in sources]
    bound = sum(source.table[top] for source, top in zip(sources, tops, strict=True))
    thresholds = [top + 1 for top in tops]
    heap: list[tuple[float, int]] = []

    def push(i: int) -> None:
        level = thresholds[i] - 1  # the level a step down would let in
        if level >= 1:
            table = sources[i].table
            saved = table[level] - table[level - 1]
            cost = sources[i].histogram[level]
            heapq.heappush(heap, (-(saved / cost) if cost else -math.inf, i))

    for i in range(len(sources)):
        push(i)
    while bound > budget and heap:
        _ratio, i = heapq.heappop(heap)
        table = sources[i].table
        level = thresholds[i] - 1
        bound -= table[level] - table[level - 1]
        thresholds[i] = level
        push(i)
    if bound > budget:
        return [0] * len(sources)
    return thresholds


def _affordable(source: Source, budget: float) -> int:
    """The highest threshold such that everything below it scores at most `budget`.

    0 means no posting of the source may be left out.
    """
    top = _top_level(source)
    table = source.table
    if top == 0 or table[1] > budget:
        return 0 if top else 1
    level = top
    while table[level] > budget:
        level -= 1
    return level + 1


def _threshold(histogram: Histogram, target: int) -> int:
    """The lowest level such that at most about `target` postings are at or above it."""
    total = 0
    for level in range(255, 0, -1):
        total += histogram[level]
        if total >= target:
            return level
    return 0


def _sparse_levels(ids: array[int], levels: bytes, order: list[int]) -> Iterable[int]:
    """The level of each document of `order` in a long posting list (0 if absent), in C."""
    last = len(ids) - 1
    index = list(map(min, map(bisect_left, repeat(ids), order), repeat(last)))
    present = map(eq, map(ids.__getitem__, index), order)
    return map(mul, present, map(levels.__getitem__, index))


def _intersect(candidates: AbstractSet[int], ids: array[int]) -> set[int]:
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


def _position_keys(postings: Postings, docs: set[int], offset: int, skip: int) -> set[int]:
    """{doc * 2**33 + 2**32 + position - offset} for the postings of `docs`.

    `skip` is the number of bytes before the width byte (1 for word values,
    which start with the impact byte).
    """
    ids = postings.ids
    if len(docs) * 16 < len(ids):
        order = sorted(docs)
        index = list(map(bisect_left, repeat(ids), order))
    else:
        mask = list(map(docs.__contains__, ids))
        order = list(compress(ids, mask))
        index = list(compress(range(len(ids)), mask))
    blob = postings.blob
    ends_all = postings.ends()
    ends = list(map(ends_all.__getitem__, index))
    starts = list(map(sub, ends, map(postings.lengths.__getitem__, index)))
    widths = bytes(map(blob.__getitem__, map(add, starts, repeat(skip))))
    keys: set[int] = set()
    base = _BASE - offset
    if widths.count(b"I"):
        narrow = list(compress(range(len(order)), map(ord("H").__eq__, widths)))
        for i in compress(range(len(order)), map(ord("I").__eq__, widths)):
            value = blob[starts[i] : ends[i]]
            keys.update((order[i] << _SHIFT) + base + p for p in decode_positions(value, skip))
        order = list(map(order.__getitem__, narrow))
        starts = list(map(starts.__getitem__, narrow))
        ends = list(map(ends.__getitem__, narrow))
    first = list(map(add, starts, repeat(skip + 1)))
    positions = array("H", b"".join(map(blob.__getitem__, map(slice, first, ends))))
    counts = map(rshift, map(sub, ends, first), repeat(1))
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
