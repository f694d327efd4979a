"""Matching and ranking over a `Snapshot` with numpy arrays, because Whoosh's matchers step
one posting at a time in Python (a common two-character term cost about 1 s at 100k
documents that way, and the naive setup's p95 was 905 ms). A set of documents is a boolean
array over all document numbers; posting lists are arrays of ascending document numbers.

Which clauses must match (`minimum_should_match`): all of a query of one or
two; all but one of three or four; 70 % (rounded up) of longer ones; always
every required clause (quoted, +word, or all of them when AND was typed).
An English word without a Chinese synonym, in a query whose other words have
Chinese, is not counted (`untranslated`): no Chinese document can have it, so
"fraud case" finds the 诈骗 documents too, below those with "case".
Documents that have every clause rank above those that have only enough of
them; among the latter, a document ranks by the share of the query's weight
it has, each clause weighing its idf (a rare word missing costs more than a
common one), then by BM25. Documents with a word excluded (NOT, -word) are
left out before anything else. A clause no document can have (its bigram,
trigrams, word or synonyms are in no document) is left out of the count and
reported missing, unless it was required: an unknown year, district or
qualifier does not block the rest. When the words find nothing at all,
`closest` offers the documents sharing half the query's character bigrams.

Matching, per clause (any alternative, i.e. synonym, may match):

* substring term S of two characters: the posting list of the bigram S; of
  three, the posting list of the trigram S. Exact.
* substring term of four or more: the union of
  - documents with a title/body *word* containing S (检察院 in 人民检察院),
    found by scanning each segment's word list (one string, `str.find`);
  - if S spans several words, documents with a frequent *shingle* (a run of
    2-4 words, see `analysis.word_shingles`) that is S, or contains it when
    few shingles do (reading hundreds of lists costs more than it saves);
  - the remaining documents that contain every trigram of S, checked by the
    positions of a cover of bigrams. Exact; the first two parts only save the
    position check for the documents they already prove.
* substring term of one character: documents with a word containing it
  (every character belongs to some word). Exact.
* substring term that must not be followed by something (an article
  第一百三十三条, not 第一百三十三条之一): the documents above, less those
  where every occurrence is followed by it, compared by bigram positions.
* word term (Latin): the stem in the title or body postings.
* phrase term: the word keys at consecutive token positions in one field.

Position checks never loop per document in Python: the positions of all
candidates are gathered from the packed values into one array per bigram (or
word) and turned into sorted keys `doc * 2**33 + position - offset`; a binary
search of one key array in the next finds the documents where they line up.

Ranking is BM25 with impacts computed at indexing time (`search.schema`):
score = sum over the query's words of idf x (2.5 x title impact + body
impact), plus 2.5 x idf for a document whose charge a clause names (half
for a charge it is part of); words of the vocabulary that contain a query
substring add half weight (in titles only for two-character terms), and for a two-character
term that is never a word on its own (检察 inside 人民检察院) the bigram's
frequency stands in, as its rarest bigram's does for a longer string that no
word contains and no synonym explains (a masked name, 华某某, cut into 华 and
某某). A clause typed
in one script whose synonyms are in the other (fraud => 诈骗) weighs the
documents with the words as typed up, so that the best of them outweighs the
best found through the translation (`Engine._as_typed`). Every match is
scored: one gather of impact bytes per posting list and a table lookup (about
1 ms for 100,000 matches), so the top k are exact. Ties go to the newer
document, then the higher number.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import partial

import numpy as np

from .analysis import IMPACT_SCALE, is_gram_token, segment
from .parse import PHRASE, SUB, WORD, Clause, ParsedQuery, Term
from .schema import decode_positions
from .snapshot import DOC_MASK, Postings, Snapshot

TITLE_BOOST = 2.5
CHARGE_BOOST = 2.5
EXPANSION_WEIGHT = 0.5
GRAM_WEIGHT = 0.4
# Ranking tiers, far apart so that no BM25 score crosses them: a document found by its
# number, then documents with every clause, then the others by their share of the query.
NUMBER_BOOST = 1_000_000.0
COMPLETE_BOOST = 10_000.0
COVERAGE_WEIGHT = 200.0
MAX_SCORED_EXPANSIONS = 3
QUESTION_SHARE = 0.5  # of a long question's clauses a document must have
# The last tier (`Engine.closest`): a document must share this share of the query's
# character bigrams and Latin words; units in more than `COMMON_UNIT` of the
# documents are too common to count on either side.
CLOSEST_SHARE = 0.5
COMMON_UNIT = 0.5
WORD_FIELDS = ("title", "body")
SHINGLE_FIELDS = ("shingles",)
MAX_SHINGLES = 32
_SHIFT = 33  # key = doc * 2**33 + 2**32 + position - offset: no two documents collide
_BASE = 1 << 32


@dataclass
class Source:
    """Per-document score contributions of one posting list: table[level]."""

    postings: Postings
    table: np.ndarray  # 256 float64 entries, non-decreasing
    by_length: bool = False
    present: float = 0.0  # if set: this much for each document of a presence-only list


@dataclass
class Match:
    """Documents matching a query (before filters) and how to score them.

    When the query allowed documents without some of its clauses, `complete`
    holds those with all of them and `clauses` each optional clause with its
    weight and documents (exact for every document of `docs`).
    """

    docs: np.ndarray  # boolean, one entry per document number
    sources: list[Source]
    numbers: np.ndarray | None  # documents found by their document number
    complete: np.ndarray | None = None
    clauses: list[tuple[Clause, float, np.ndarray]] = dataclass_field(default_factory=list)
    # Clauses no document contains at all: left out of the count, said to be missing.
    dropped: tuple[Clause, ...] = ()
    # Found by the character-bigram tier (`Engine.closest`), not by the words.
    closest: bool = False

    @property
    def partial(self) -> bool:
        """Whether some documents found lack some of the query's clauses."""
        return self.complete is not None or bool(self.dropped) or self.closest

    def complete_docs(self) -> np.ndarray:
        """The documents found that have every clause (or their number)."""
        if self.dropped or self.closest:
            return self.numbers if self.numbers is not None else np.zeros_like(self.docs)
        docs = self.docs if self.complete is None else self.complete
        return docs if self.numbers is None else docs | self.numbers

    def missing(self, doc: int) -> tuple[str, ...]:
        """The clauses (as typed) a document found lacks."""
        if self.closest or (self.numbers is not None and self.numbers[doc]):
            return ()
        dropped = tuple(clause.typed for clause in self.dropped)
        if self.complete is None or self.complete[doc]:
            return dropped
        return dropped + tuple(
            clause.typed for clause, _weight, docs in self.clauses if not docs[doc]
        )

    def absent(self) -> tuple[str, ...]:
        """The clauses (as typed) that no document found has."""
        return tuple(clause.typed for clause in self.dropped) + tuple(
            clause.typed for clause, _weight, docs in self.clauses if not (docs & self.docs).any()
        )


def minimum_should_match(count: int, question: bool = False) -> int:
    """How many of `count` clauses a document must have: all of one or two, all but one
    of three or four, 70 % of more (rounded up); half of five or more in a question,
    whose everyday words (门口, 小孩, 经常) documents write otherwise."""
    if count <= 2:
        return count
    if count <= 4:
        return count - 1
    return math.ceil(count * (QUESTION_SHARE if question else 0.7))


class Engine:
    """Evaluates parsed queries against one snapshot."""

    def __init__(self, snap: Snapshot) -> None:
        self.snap = snap
        self.size = snap.doc_count_all
        self.n = max(1, snap.live_count)

    # Statistics

    def _idf(self, df: int) -> float:
        return math.log(1.0 + (self.n - df + 0.5) / (df + 0.5))

    def word_idf(self, key: str) -> float:
        snap = self.snap
        return self._idf(max(snap.doc_frequency("body", key), snap.doc_frequency("title", key)))

    def _none(self) -> np.ndarray:
        return np.zeros(self.size, dtype=bool)

    # Matching

    def match(self, query: ParsedQuery, within: np.ndarray | None = None) -> Match:
        """Live documents (of `within`, if given) with enough of the clauses
        (`minimum_should_match`) or a document number, none with an excluded clause.

        Clauses run rarest first, each restricted to the documents still in
        the running, so position checks only ever see possible matches.
        """
        snap = self.snap
        allowed = self.allowed(query, within)
        sources: list[Source] = []
        estimates = {clause: self._estimate(clause) for clause in query.clauses}
        clauses = sorted(query.clauses, key=estimates.__getitem__)
        dropped: tuple[Clause, ...] = ()
        if not query.all_required:
            # A word no document has cannot be matched: it must not block the others.
            dropped = tuple(c for c in clauses if not c.required and self._nowhere(c, estimates))
            if len(dropped) < len(clauses):
                clauses = [c for c in clauses if c not in dropped]
            else:
                dropped = ()
        # A Latin word without a translation cannot be in a Chinese document: it
        # ranks the documents that have it, but does not count towards `need`.
        loose = [] if query.all_required else untranslated(clauses)
        clauses = [c for c in clauses if c not in loose]
        need = (
            len(clauses)
            if query.all_required
            else minimum_should_match(len(clauses), query.question)
        )
        optional = [c for c in clauses if not c.required]
        required = [c for c in clauses if c.required]
        if need == len(clauses):
            required, optional = clauses, []
        docs = allowed
        for clause in required:
            docs = docs & self._match_clause(clause, docs, sources)
            if not docs.any():
                break
        complete = None
        matched: list[tuple[Clause, float, np.ndarray]] = []
        if optional and docs.any():
            docs, complete, matched = self._match_most(
                optional, need - len(required), docs, sources
            )
        if loose and docs.any():
            complete = docs.copy() if complete is None else complete
            for clause in loose:
                found = self._match_clause(clause, docs, sources) & docs
                matched.append((clause, self._idf(min(self.n, estimates[clause])), found))
                complete &= found
        if not query.clauses:
            docs = self._none()
        if query.numbers:
            numbers = self._union(snap.postings("number", n) for n in query.numbers) & allowed
            if numbers.any():
                return Match(docs | numbers, sources, numbers, complete, matched, dropped)
        return Match(docs, sources, None, complete, matched, dropped)

    @staticmethod
    def widen(whole: Match, query: ParsedQuery, relaxed: ParsedQuery, found: Match) -> Match:
        """The documents of `whole` (the query's runs found whole) first, then those of
        `found` (the `relaxed` query: the runs split into their words), which lack
        the runs as typed and, if `found` is partial, some of their words."""
        complete = whole.complete_docs()
        split = [c for c in query.clauses if c not in relaxed.clauses]
        runs = [(clause, 1.0, complete) for clause in split]
        return Match(
            docs=whole.docs | found.docs,
            sources=found.sources,
            numbers=None,
            complete=complete,
            clauses=runs + found.clauses,
        )

    def closest(self, query: ParsedQuery, within: np.ndarray | None = None) -> Match:
        """Documents sharing a meaningful part of the query, for when the words found none.

        The query's strings are taken apart into character bigrams (as a
        bigram ranker would) and its Latin words into their stems; a document
        needs `CLOSEST_SHARE` of the units of the words as typed (synonyms'
        units count when found, not when missing), and ranks by their BM25.
        The cost is the posting lists of the units, one count over them. A
        query that asked for exactness (quotes, +word, AND) gets nothing here.
        """
        if query.all_required or any(clause.required for clause in query.clauses):
            return Match(self._none(), [], None, closest=True)
        allowed = self.allowed(query, within)
        typed, alternatives = closest_units(query)
        common = self.n * COMMON_UNIT
        frequency = {unit: self._unit_frequency(unit) for unit in (*typed, *alternatives)}
        counted = [u for u in typed if frequency[u] <= common] or list(typed)
        need = max(1, math.ceil(len(counted) * CLOSEST_SHARE))
        units = [u for u in dict.fromkeys((*counted, *alternatives)) if frequency[u]]
        if not units:
            return Match(self._none(), [], None, closest=True)
        counts = np.zeros(self.size, dtype=np.int16)
        sources: list[Source] = []
        for unit in units:
            term = unit.text
            if unit.kind == SUB:
                grams = self.snap.postings("grams", term)
                counts[grams.ids] += 1
                factor = self._idf(len(grams))
                sources.append(Source(grams, _GRAM_TF * factor, by_length=True))
            else:
                counts += self._union(self.snap.postings(f, term) for f in WORD_FIELDS)
                self._word_sources(term, 1.0, sources)
        return Match(allowed & (counts >= need), sources, None, closest=True)

    def _unit_frequency(self, unit: Term) -> int:
        if unit.kind == SUB:
            return self.snap.doc_frequency("grams", unit.text)
        return max(self.snap.doc_frequency(f, unit.text) for f in WORD_FIELDS)

    @staticmethod
    def _nowhere(clause: Clause, estimates: dict[Clause, int]) -> bool:
        """Whether no document can have the clause: none has its bigram, every trigram
        of its string, its word or its phrase's first word (after folding and synonyms).
        A single character is never judged so (its count is a word's, not the character's)."""
        if estimates[clause]:
            return False
        return all(t.kind != SUB or len(t.text) > 1 for t in clause.alternatives)

    def allowed(self, query: ParsedQuery, within: np.ndarray | None = None) -> np.ndarray:
        """Live documents of `within` without any of the query's excluded clauses."""
        allowed = self.snap.live if within is None else self.snap.live & within
        for clause in query.exclusions:
            allowed = allowed & ~self._match_clause(clause, allowed, [])
        return allowed

    def _match_most(
        self, clauses: list[Clause], need: int, docs: np.ndarray, sources: list[Source]
    ) -> tuple[np.ndarray, np.ndarray, list[tuple[Clause, float, np.ndarray]]]:
        """Documents of `docs` with at least `need` of `clauses` (rarest first), those
        with all of them, and each clause with its idf and documents.

        A clause is only matched among the documents that can still reach `need`,
        so the position checks of the later clauses see few candidates.
        """
        counts = np.zeros(self.size, dtype=np.int16)
        matched: list[tuple[Clause, float, np.ndarray]] = []
        for left, clause in zip(range(len(clauses), 0, -1), clauses, strict=True):
            possible = docs & (counts + left >= need)
            found = self._match_clause(clause, possible, sources) & possible
            counts += found
            weight = self._idf(min(self.n, self._estimate(clause)))
            matched.append((clause, weight, found))
        return docs & (counts >= need), docs & (counts == len(clauses)), matched

    def _estimate(self, clause: Clause) -> int:
        total = 0
        for term in clause.alternatives:
            if term.kind == SUB and len(term.text) == 2:
                total += self.snap.doc_frequency("grams", term.text)
            elif term.kind == SUB and len(term.text) > 2:
                total += min(self.snap.doc_frequency("trigrams", g) for g in _trigrams(term.text))
            else:
                total += sum(self.snap.doc_frequency(f, term.keys[0]) for f in WORD_FIELDS)
        return total

    def _match_clause(
        self, clause: Clause, within: np.ndarray, sources: list[Source]
    ) -> np.ndarray:
        """Documents with any term of the clause; their score sources go to `sources`.

        A clause typed in one script whose synonyms are in the other (fraud =>
        诈骗) is scored per script, and the documents matching the words as
        typed are weighed up (`_as_typed`).
        """
        typed_script = _script(clause.alternatives[0])
        # Only a string without synonyms can be a masked name (`_rarest_gram_source`).
        alone = len(clause.alternatives) == 1
        found = {True: self._none(), False: self._none()}
        scored: dict[bool, list[Source]] = {True: [], False: []}
        for term in clause.alternatives:
            as_typed = _script(term) == typed_script
            into = scored[as_typed]
            if term.kind == SUB:
                found[as_typed] |= self._match_substring(term, within, into, alone)
            elif term.kind == WORD:
                found[as_typed] |= self._match_word(term, into)
            elif term.kind == PHRASE:
                found[as_typed] |= self._match_phrase(term, within, into)
        self._charge_sources(clause, scored[typed_script == SUB])
        if scored[False]:
            self._as_typed(scored[True], found[True] & within, scored[False], found[False] & within)
        sources.extend(scored[True])
        sources.extend(scored[False])
        return found[True] | found[False]

    def _as_typed(
        self,
        typed: list[Source],
        typed_docs: np.ndarray,
        translated: list[Source],
        translated_docs: np.ndarray,
    ) -> None:
        """Scale the sources of the words as typed up by the ratio of the best score found
        through a translation into the other script to their own best: the best
        document with the words as typed then weighs its own score plus that best,
        one with them in passing proportionally less (nothing changes where the
        words as typed already weigh more).

        Without it, "fraud" in an English document (one stem, in the body) weighed a
        third of 诈骗 in a Chinese one (title, body, several words, the charge), and
        the English documents a reader of English wants came after every Chinese one.
        """
        if not typed or not typed_docs.any() or not translated_docs.any():
            return
        best_typed = self._sum(typed, np.flatnonzero(typed_docs)).max()
        best_translated = self._sum(translated, np.flatnonzero(translated_docs)).max()
        if best_typed <= 0 or best_translated <= best_typed:
            return
        factor = 1.0 + best_translated / best_typed
        for source in typed:
            source.table = source.table * factor
            source.present *= factor

    def _charge_sources(self, clause: Clause, sources: list[Source]) -> None:
        """Documents whose charge the clause names rank higher: fully where it is the
        charge (诈骗 or 诈骗罪 for 诈骗罪), half where it is part of one (信用卡诈骗罪)."""
        exact: set[str] = set()
        within: set[str] = set()
        for term in clause.alternatives:
            if term.kind == SUB and len(term.text) > 1:
                for name in self._containing(term.text, ("charge",)):
                    (exact if name in (term.text, term.text + "罪") else within).add(name)
        for names, weight in ((exact, 1.0), (within - exact, EXPANSION_WEIGHT)):
            if names:
                docs = np.flatnonzero(self._union(self.snap.postings("charge", n) for n in names))
                boost = CHARGE_BOOST * weight * self._idf(len(docs))
                sources.append(Source(Postings(docs.astype(np.uint32)), _LEVELS, present=boost))

    def _word_sources(
        self, key: str, weight: float, sources: list[Source], fields: Sequence[str] = WORD_FIELDS
    ) -> None:
        factor = self.word_idf(key) * weight / IMPACT_SCALE
        for field in fields:
            boost = TITLE_BOOST if field == "title" else 1.0
            postings = self.snap.postings(field, key)
            if len(postings):
                sources.append(Source(postings, _LEVELS * (factor * boost)))

    def _union(self, lists: Iterable[Postings]) -> np.ndarray:
        found = self._none()
        for postings in lists:
            found[postings.ids] = True
        return found

    def _match_word(self, term: Term, sources: list[Source]) -> np.ndarray:
        self._word_sources(term.text, 1.0, sources)
        return self._union(self.snap.postings(field, term.text) for field in WORD_FIELDS)

    def _containing(
        self, text: str, fields: tuple[str, ...], limit: int | None = None
    ) -> list[str]:
        """Distinct terms of `fields` that contain `text` (from each segment's word index, or
        by scanning its term list); with a `limit`, it stops once more than `limit` are found."""
        words: dict[str, None] = {}
        indexes = self.snap.word_indexes(*fields) if len(text) > 1 else None
        for number, vocab in enumerate(self.snap.vocabularies(*fields)):
            index = indexes[number] if indexes is not None else None
            if index is not None:
                for word in index.containing(text):
                    words[word] = None
                    if limit is not None and len(words) > limit:
                        return list(words)
                continue
            start = vocab.find(text)
            while start >= 0:
                left = vocab.rfind("\n", 0, start) + 1
                right = vocab.find("\n", start)
                words[vocab[left:right]] = None
                if limit is not None and len(words) > limit:
                    return list(words)
                start = vocab.find(text, right)
        return list(words)

    def _match_substring(
        self, term: Term, within: np.ndarray, sources: list[Source], alone: bool = True
    ) -> np.ndarray:
        found = self._match_string(term, within, sources, alone)
        if term.unless_followed and found.any():
            found = self._not_followed(term.text, term.unless_followed, found)
        return found

    def _not_followed(self, text: str, after: str, found: np.ndarray) -> np.ndarray:
        """`found` less the documents where every occurrence of `text` is followed by `after`.

        Only documents containing every trigram of `text + after` can lose; for
        them the start positions of both strings are compared (bigram positions).
        """
        longer = text + after
        candidates = found.copy()
        for gram in _trigrams(longer):
            candidates = _intersect(candidates, self.snap.postings("trigrams", gram).ids)
            if not candidates.any():
                return found
        starts = self._starts(text, candidates)
        followed = self._starts(longer, candidates)
        kept = np.setdiff1d(starts, followed, assume_unique=True)
        still = np.zeros(self.size, dtype=bool)
        still[kept >> _SHIFT] = True
        return (found & ~candidates) | still

    def _starts(self, text: str, docs: np.ndarray) -> np.ndarray:
        """Keys (see `_position_keys`) of the start of every occurrence of `text` in `docs`."""
        cover = [(o, self.snap.postings("grams", text[o : o + 2])) for o in _cover(len(text))]
        return _aligned_keys(docs, cover, skip=0)

    def _match_string(
        self, term: Term, within: np.ndarray, sources: list[Source], alone: bool = True
    ) -> np.ndarray:
        """Documents containing the string; `alone` when the clause has no synonyms."""
        text = term.text
        snap = self.snap
        keys = [k for k in dict.fromkeys(term.keys) if len(k) > 1] or list(term.keys)
        for key in keys:
            self._word_sources(key, 1.0, sources)
        words = self._containing(text, WORD_FIELDS)
        expansions = sorted(
            (w for w in words if w not in keys), key=lambda w: -snap.doc_frequency("body", w)
        )[:MAX_SCORED_EXPANSIONS]
        if len(text) == 2:
            # Title words containing the pair (盗窃 in 盗窃案) count; in bodies,
            # the bigram's own frequency stands in (cheaper than more lists).
            for word in expansions:
                self._word_sources(word, EXPANSION_WEIGHT, sources, fields=("title",))
            grams = snap.postings("grams", text)
            if text not in keys and len(grams):
                factor = self._idf(len(grams)) * GRAM_WEIGHT
                sources.append(Source(grams, _GRAM_TF * factor, by_length=True))
            return grams.mask(self.size)
        for word in expansions:
            self._word_sources(word, EXPANSION_WEIGHT, sources)
        if alone and text not in keys and not words:
            self._rarest_gram_source(text, sources)
        if len(text) == 3:
            return snap.postings("trigrams", text).mask(self.size)
        inside = self._union(snap.postings(f, w) for w in words for f in WORD_FIELDS)
        if len(text) == 1:
            return inside
        if len(segment(text)) > 1:
            # A string across words: the frequent runs of words that are it, or
            # contain it when there are few enough of them to be worth reading.
            shingles = [text]
            found = self._containing(text, SHINGLE_FIELDS, limit=MAX_SHINGLES)
            if len(found) <= MAX_SHINGLES:
                shingles.extend(found)
            inside |= self._union(snap.postings("shingles", s) for s in shingles)
        return inside | self._verify_crossing(text, inside, within)

    def _rarest_gram_source(self, text: str, sources: list[Source]) -> None:
        """Score a string that is no word of the index by the frequency of its rarest
        bigram, which stands in for its own.

        The segmenter cuts a masked name 华某某 into 华 and 某某, which every masked
        name has: its words alone ranked documents by how often they name anyone,
        and the one where 华某某 is the party after those that mention him once.

        Not for a clause with synonyms: a colloquial word (刷单返利 => 诈骗) or a
        charge name that no word contains (帮助信息网络犯罪活动) is a known term, not
        a name, and its bigram's frequency put a notice repeating the everyday word
        above the cases of the charge it names."""
        # Chosen by document frequency (the length of each list) so that only one is read.
        frequency = partial(self.snap.doc_frequency, "grams")
        rarest = self.snap.postings("grams", min(_pairs(text), key=frequency))
        if len(rarest):
            factor = self._idf(len(rarest)) * GRAM_WEIGHT
            sources.append(Source(rarest, _GRAM_TF * factor, by_length=True))

    def _verify_crossing(self, text: str, inside: np.ndarray, within: np.ndarray) -> np.ndarray:
        """Documents containing `text` outside the words and shingles seen, checked by positions.

        Candidates must contain every trigram of `text`, which rules out
        nearly every document that merely contains its parts (for 犯罪行为:
        犯罪, 罪行 and 行为 are everywhere, 犯罪行 and 罪行为 much less so);
        only then are the positions of a cover of bigrams compared.
        """
        # Shortest list first, each read only when the candidates are not gone yet.
        grams = sorted(_trigrams(text), key=partial(self.snap.doc_frequency, "trigrams"))
        if not self.snap.doc_frequency("trigrams", grams[0]):
            return self._none()
        candidates = within & ~inside
        for gram in grams:
            candidates = _intersect(candidates, self.snap.postings("trigrams", gram).ids)
            if not candidates.any():
                return candidates
        cover = [(o, self.snap.postings("grams", text[o : o + 2])) for o in _cover(len(text))]
        return _aligned(candidates, cover, skip=0)

    def _match_phrase(self, term: Term, within: np.ndarray, sources: list[Source]) -> np.ndarray:
        keys = term.keys
        for key in dict.fromkeys(keys):
            self._word_sources(key, 1.0, sources)
        found = self._none()
        for field in WORD_FIELDS:
            lists = [(i, self.snap.postings(field, key)) for i, key in enumerate(keys)]
            if any(not len(p) for _i, p in lists):
                continue
            candidates = within
            for _offset, postings in sorted(lists, key=lambda item: len(item[1])):
                candidates = _intersect(candidates, postings.ids)
                if not candidates.any():
                    break
            else:
                found |= _aligned(candidates, lists, skip=1)
        return found

    # Ranking

    def top(
        self, match: Match, docs: np.ndarray, count: int, by_date: bool
    ) -> list[tuple[int, float]]:
        """The best `count` documents of `docs` with their scores, best first.

        Every match is scored (a gather per source over the matches' levels);
        ties go to the newer document, then the higher document number.
        """
        order = np.flatnonzero(docs)
        if not len(order) or count <= 0:
            return []
        if by_date or (not match.sources and match.numbers is None):
            return [(doc, 0.0) for doc in self._newest(order, count)]
        scores = self.scores(match, order)
        keyed = scores + self.snap.recency[order]
        best = _largest(keyed, order, count)
        return [(int(order[i]), round(float(scores[i]), 4)) for i in best]

    def _newest(self, order: np.ndarray, count: int) -> list[int]:
        """The `count` most recently published of `order` (the later number on ties)."""
        keys = self.snap.date_key[order]
        if len(keys) > count:
            keys = keys[np.argpartition(keys, len(keys) - count)[len(keys) - count :]]
        keys = np.sort(keys)[::-1]
        return (keys & DOC_MASK).tolist()

    def scores(self, match: Match, order: np.ndarray) -> np.ndarray:
        """Score of each document of `order` (ascending document numbers)."""
        total = self._sum(match.sources, order)
        if match.complete is not None:
            weights = sum(weight for _clause, weight, _docs in match.clauses) or 1.0
            share = sum(weight * docs[order] for _clause, weight, docs in match.clauses)
            coverage = share / weights * COVERAGE_WEIGHT
            total += np.where(match.complete[order], COMPLETE_BOOST, coverage)
        if match.numbers is not None:
            total += match.numbers[order] * NUMBER_BOOST
        return total

    def _sum(self, sources: Iterable[Source], order: np.ndarray) -> np.ndarray:
        """The sum of `sources` for each document of `order` (ascending document numbers)."""
        size = self.size
        total = np.zeros(len(order))
        for source in sources:
            postings = source.postings
            if not len(postings):
                continue
            if source.present:
                index = np.minimum(np.searchsorted(postings.ids, order), len(postings) - 1)
                total += (postings.ids[index] == order) * source.present
                continue
            if len(postings) * 16 > size or len(order) * 4 > len(postings):
                levels = postings.dense(source.by_length, size)[order]
            else:
                levels = _sparse_levels(postings.ids, postings.levels(source.by_length), order)
            total += source.table[levels]
        return total

    def facets(self, docs: np.ndarray) -> dict[str, dict[str, int]]:
        """Counts by type and by year over `docs`."""
        snap = self.snap
        shape = (len(snap.type_names), len(snap.year_list))
        # Gathering by positions is several times faster than by a mask of many documents.
        codes = snap.facet_code[np.flatnonzero(docs)]
        counts = np.bincount(codes, minlength=shape[0] * shape[1]).reshape(shape)
        types = counts.sum(axis=1).tolist()
        years = counts.sum(axis=0).tolist()
        return {
            "type": {
                snap.type_names[code]: n
                for code, n in sorted(enumerate(types), key=lambda item: -item[1])
                if n > 0
            },
            "year": {
                str(year): n
                for year, n in reversed(list(zip(snap.year_list.tolist(), years, strict=True)))
                if n > 0
            },
        }


def untranslated(clauses: Sequence[Clause]) -> list[Clause]:
    """The optional clauses of Latin words only (no synonym in Chinese), when others have
    Chinese: no Chinese document can have them, so they must not block those that have
    the rest ("fraud case": 诈骗 documents lack "case"; "juvenile crime": "crime")."""
    loose = [c for c in clauses if not c.required and all(t.kind != SUB for t in c.alternatives)]
    return loose if len(loose) < len(clauses) else []


def _script(term: Term) -> str:
    """SUB for a string of ideographs and digits, WORD for Latin words and phrases."""
    return SUB if term.kind == SUB else WORD


def closest_units(query: ParsedQuery) -> tuple[tuple[Term, ...], tuple[Term, ...]]:
    """The bigrams (substring terms) and Latin stems (word terms) of a query's clauses:
    those of the words as typed, and the others their synonyms add."""
    typed: dict[Term, None] = {}
    others: dict[Term, None] = {}
    for clause in query.clauses:
        for position, term in enumerate(clause.alternatives):
            into = typed if position == 0 else others
            if term.kind == SUB:
                for start in range(len(term.text) - 1):
                    into[Term(SUB, term.text[start : start + 2], ())] = None
            else:
                for key in term.keys:
                    if not is_gram_token(key):
                        into[Term(WORD, key, (key,))] = None
    return tuple(typed), tuple(u for u in others if u not in typed)


_LEVELS = np.arange(256, dtype=np.float64)
# Bigram frequency (from a posting value's length: width byte + 2 bytes per position)
# to a saturated weight, indexed by the length byte.
_GRAM_TF = np.array(
    [0.0] + [(tf * 2.2 / (tf + 1.2)) for tf in ((length - 1) // 2 for length in range(1, 256))]
)


def _largest(keyed: np.ndarray, order: np.ndarray, count: int) -> np.ndarray:
    """Indexes of the `count` largest `keyed`, largest first; ties to the higher document.

    Everything tied with the `count`-th value is sorted too, so the result
    never depends on how the partition broke ties (pages never overlap).
    """
    if len(keyed) > count:
        chosen = np.arange(len(keyed))
        if len(keyed) > count * _SAMPLE_STRIDE * 4:
            # The count-th largest of a subset is at most that of the whole, so
            # everything at or above it holds the top `count`: partition those only.
            sample = keyed[::_SAMPLE_STRIDE]
            floor = np.partition(sample, len(sample) - count)[len(sample) - count]
            chosen = np.flatnonzero(keyed >= floor)
        values = keyed[chosen]
        threshold = np.partition(values, len(values) - count)[len(values) - count]
        chosen = chosen[values >= threshold]
    else:
        chosen = np.arange(len(keyed))
    ranked = chosen[np.lexsort((-order[chosen].astype(np.int64), -keyed[chosen]))]
    return ranked[:count]


def _sparse_levels(ids: np.ndarray, levels: np.ndarray, order: np.ndarray) -> np.ndarray:
    """The level of each document of `order` in a long posting list (0 if absent)."""
    index = np.minimum(np.searchsorted(ids, order), len(ids) - 1)
    return np.where(ids[index] == order, levels[index], 0)


def _intersect(candidates: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """`candidates` & the documents of `ids`, by binary search when the candidates are few."""
    found = np.zeros(len(candidates), dtype=bool)
    if not len(ids):
        return found
    order = np.flatnonzero(candidates)
    if len(order) * 8 < len(ids):
        index = np.minimum(np.searchsorted(ids, order), len(ids) - 1)
        found[order[ids[index] == order]] = True
    else:
        found[ids] = candidates[ids]
    return found


def _position_keys(postings: Postings, docs: np.ndarray, offset: int, skip: int) -> np.ndarray:
    """Sorted keys doc * 2**33 + 2**32 + position - offset for the postings of `docs`.

    `skip` is the number of bytes before the width byte (1 for word values,
    which start with the impact byte). Positions are gathered from the value
    bytes with index arithmetic, never one document at a time.
    """
    ids = postings.ids
    chosen = np.flatnonzero(docs[ids])
    if not len(chosen):
        return _NO_KEYS
    owners = ids[chosen].astype(np.int64)
    ends = postings.ends()[chosen]
    heads = ends - postings.lengths[chosen] + skip
    blob = postings.blob_covering(chosen)
    base = _BASE - offset
    wide = blob[heads] == ord("I")
    extra: list[np.ndarray] = []
    if wide.any():
        for doc, head, end in zip(owners[wide], heads[wide], ends[wide], strict=True):
            positions = decode_positions(blob[head:end].tobytes()).tolist()
            extra.append((int(doc) << _SHIFT) + base + np.array(positions, dtype=np.int64))
        narrow = ~wide
        owners, heads, ends = owners[narrow], heads[narrow], ends[narrow]
    counts = (ends - heads - 1) >> 1
    total = int(counts.sum())
    starts = np.cumsum(counts) - counts
    index = np.repeat(heads + 1 - 2 * starts, counts) + 2 * np.arange(total, dtype=np.int64)
    low = blob[index].astype(np.int64)
    high = blob[index + 1].astype(np.int64)
    positions = low | (high << 8) if _LITTLE else (low << 8) | high
    keys = (np.repeat(owners, counts) << _SHIFT) + (positions + base)
    if extra:
        keys = np.sort(np.concatenate([keys, *extra]))
    return keys


def _common(small: np.ndarray, large: np.ndarray) -> np.ndarray:
    """Values of sorted `small` also in sorted `large`."""
    if len(small) > len(large):
        small, large = large, small
    if not len(small):
        return small
    index = np.minimum(np.searchsorted(large, small), len(large) - 1)
    return small[large[index] == small]


def _aligned(
    candidates: np.ndarray, lists: Sequence[tuple[int, Postings]], skip: int
) -> np.ndarray:
    """Candidates where every posting list has a position at start + its offset."""
    docs = np.zeros(len(candidates), dtype=bool)
    docs[_aligned_keys(candidates, lists, skip) >> _SHIFT] = True
    return docs


def _aligned_keys(
    candidates: np.ndarray, lists: Sequence[tuple[int, Postings]], skip: int
) -> np.ndarray:
    """Sorted keys (doc, start) of the candidates' starts where every posting list has a
    position at start + its offset."""
    keys: np.ndarray | None = None
    docs = candidates
    for offset, postings in sorted(lists, key=lambda item: len(item[1])):
        found = _position_keys(postings, docs, offset, skip)
        keys = found if keys is None else _common(keys, found)
        if not len(keys):
            return _NO_KEYS
        docs = np.zeros(len(candidates), dtype=bool)
        docs[keys >> _SHIFT] = True
    return _NO_KEYS if keys is None else keys


def _pairs(text: str) -> list[str]:
    return [text[i : i + 2] for i in range(len(text) - 1)]


def _trigrams(text: str) -> set[str]:
    return {text[i : i + 3] for i in range(len(text) - 2)}


def _cover(length: int) -> list[int]:
    """Start offsets of bigrams that together cover a string of `length` >= 2."""
    offsets = list(range(0, length - 1, 2))
    if offsets[-1] != length - 2:
        offsets.append(length - 2)
    return offsets


_NO_KEYS = np.zeros(0, dtype=np.int64)
_SAMPLE_STRIDE = 16  # `_largest` first bounds the threshold from every 16th score
_LITTLE = sys.byteorder == "little"
