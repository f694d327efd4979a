"""Searching the site's guide pages: a small in-memory index beside the document index.

There are a dozen or so guide pages (each in Chinese and English), so they are
held in memory, analysed by the same functions as documents (`search.analysis`,
`search.parse`: normalisation, segmentation, stems, synonyms), and a query
looks at every page: the work per query is bounded by the number of pages, not
by the document corpus. The caller rebuilds a `PageIndex` from the database
whenever the pages change; nothing about pages is kept on disk, so there is no
second copy that could drift from the database.

Matching is more forgiving than for documents, because a person asking
"开放日 带什么" or "how to file a complaint" wants the guide that answers
most of it, not one containing every word. Each query clause (a word, or a run
of CJK characters, with its synonyms) and each word of an unquoted CJK run
(so that 开放日带什么, found nowhere whole, still counts by 开放日 and 带)
is a unit weighed by BM25's idf over the pages: a unit on every page, such as
"to", weighs almost nothing, and a unit on no page weighs most, because a query
about what no page covers (迎宾大道, 盗窃 不起诉) is one for documents; only a
run that has been split into its words weighs nothing when no page has it
whole. A page scores the weight of the units it has, over the query's weight,
a unit in its title (which names what the page answers) counting four times and
in its summary twice; it is a result at half the query's weight or more, and
half of its clauses' (`_clause_share`, where a run counts once, not again by
its words), when it has a unit that at most half of the pages have as
prominently (`_distinctive`). In that share only a title makes up for a missing
word (a summary or body counts once), and a page with the query only in its body
needs all of it, its distinctive units in one passage (`_together`): English prose
names minors in one paragraph and crime in another, which answers no query for
juvenile crime. A collection searched without that condition
(published answers, `distinctive_only=False`) needs half of the clauses' weight
wherever they are: there a word in a title (不起诉) would otherwise carry a query
whose other half no answer has (盗窃 不起诉). A single character of a split run
counts only beside a longer word of it (`_supported`), and a masked name (申某某)
is never split.
Pages far below the best are left out. All language versions of a page are
searched; the result is the version in the visitor's language, else Chinese.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from . import analysis
from .highlight import Needles, fragment, highlight_title, mark, needles_for, spans
from .parse import PHRASE, SUB, WORD, Clause, Term, compile_synonyms, parse, run_words
from .understand import ENGLISH_FUNCTION_WORDS

MAX_PAGE_HITS = 3
MIN_SCORE = 0.5
TITLE_FACTOR = 4.0
SUMMARY_FACTOR = 2.0
BODY_FACTOR = 1.0
KEEP_FROM_BEST = 0.3
DISTINCTIVE_SHARE = 0.5  # a unit on more of the pages than this tells none apart
ALL_OF_IT = 0.999  # the share of the query a page found by its body alone must have
# Where a passage of a body ends: a sentence, a line, a table cell.
PASSAGE_END = re.compile(r"[.!?;|\n。！？；]+")
# A masked name as published documents write a party (申某某, 欧阳某, 诸葛某某).
MASKED_NAME = re.compile(r"[\u3400-\u9fff]{1,2}某{1,2}")


@dataclass(frozen=True)
class PageText:
    """One language version of a guide page, as plain text."""

    slug: str
    locale: str
    title: str
    summary: str
    body: str


@dataclass(frozen=True)
class PageHit:
    """One guide page found, in the language chosen, with escaped highlighted text."""

    slug: str
    locale: str
    title: str
    title_html: str
    fragment_html: str
    score: float


@dataclass(frozen=True)
class _Field:
    text: str  # normalised
    keys: frozenset[str]

    @classmethod
    def of(cls, text: str) -> _Field:
        normalized = analysis.normalize(text)
        return cls(normalized, frozenset(analysis.word_keys(normalized)))

    def has(self, term: Term) -> bool:
        if term.kind == SUB:
            return term.text in self.text
        if term.kind == WORD:
            return term.keys[0] in self.keys
        if term.kind == PHRASE:
            return all(key in self.keys for key in term.keys)
        return False


@dataclass(frozen=True)
class _Version:
    page: PageText
    title: _Field
    summary: _Field
    body: _Field
    passages: tuple[_Field, ...]

    @classmethod
    def of(cls, page: PageText) -> _Version:
        passages = (_Field.of(part) for part in PASSAGE_END.split(page.body) if part.strip())
        return cls(
            page,
            _Field.of(page.title),
            _Field.of(page.summary),
            _Field.of(page.body),
            tuple(passages),
        )


@dataclass(frozen=True)
class _Unit:
    """What is weighed: a clause (a term and its synonyms), or a word of a split run."""

    terms: tuple[Term, ...]
    split: bool = False  # an unquoted CJK run that stands for its words
    run: int | None = None  # for a word of a split run: the index of the run's unit


def _units(clauses: Sequence[Clause]) -> list[_Unit]:
    """Each clause, and the words of an unquoted CJK run holding a word of two
    characters or more, single characters included (抢 of 抢手机 counts as much as
    手机, on a page that has 手机: `_supported`). Such a run stands for its words: the
    run weighs where some page has it whole, its words where none does (`_weights`).
    A masked name is never split: its surname and 某 are no words a page answers by,
    so it stays one unit that no page has, and the query is one for documents."""
    units: list[_Unit] = []
    for clause in clauses:
        term = clause.alternatives[0]
        if term.kind == WORD and clause.typed in ENGLISH_FUNCTION_WORDS:
            continue  # kept in a query of nothing else ("the"), which asks no guide anything
        masked = term.kind == SUB and MASKED_NAME.fullmatch(term.text) is not None
        split = not clause.quoted and not masked and bool(run_words(term))
        units.append(_Unit(clause.alternatives, split))
        if split:
            run = len(units) - 1
            for word in dict.fromkeys(term.keys):
                terms = (Term(SUB, word, (word,)),)
                if all(unit.terms != terms for unit in units):
                    units.append(_Unit(terms, run=run))
    return units


def _supported(units: Sequence[_Unit], per: Sequence[float]) -> list[float]:
    """Where a page has each unit, a single character of a split run counting only
    on a page that also has the run or one of its longer words: a character alone
    is in too many unrelated words (申 of 申某某 is in 申请 and 申诉)."""
    backed: set[int] = set()
    for i, unit in enumerate(units):
        if unit.run is not None and per[i] and len(unit.terms[0].text) > 1:
            backed.add(unit.run)
    return [
        0.0
        if unit.run is not None
        and len(unit.terms[0].text) == 1
        and not (per[unit.run] or unit.run in backed)
        else factor
        for unit, factor in zip(units, per, strict=True)
    ]


def _weights(units: Sequence[_Unit], counts: Sequence[int], n: int) -> list[float]:
    """BM25's idf over the pages for each unit: a unit on every page weighs almost
    nothing, one on no page most (the query is about something the pages do not
    cover), except a split run, which weighs nothing where no page has it whole."""
    return [
        0.0 if unit.split and not df else math.log((n - df + 0.5) / (df + 0.5) + 1.0)
        for unit, df in zip(units, counts, strict=True)
    ]


def _clause_share(
    units: Sequence[_Unit], weights: Sequence[float], counts: Sequence[int], per: Sequence[float]
) -> float:
    """The share of the query's clauses a page has, each clause weighing its idf (a run
    that no page has whole by its words) and counting where the page has it (title,
    summary, body), a run by the larger of itself and the weighted mean of its words.

    Units count a run and its words again (不起诉, 不 and 起诉); clauses count it once,
    so a query whose other word no page has (诈骗 不起诉) stays one for documents."""
    words: dict[int, list[int]] = {}
    for i, unit in enumerate(units):
        if unit.run is not None:
            words.setdefault(unit.run, []).append(i)
    total = have = 0.0
    for i, unit in enumerate(units):
        if unit.run is not None:
            continue
        weight, factor = weights[i], per[i]
        parts = words.get(i, [])
        part_weight = sum(weights[w] for w in parts)
        if part_weight:
            factor = max(factor, sum(weights[w] * per[w] for w in parts) / part_weight)
            if not counts[i]:
                weight = part_weight
        total += weight
        have += weight * factor
    return have / total if total else 0.0


def _has(unit: _Unit, version: _Version) -> float:
    """How much it counts that a page version has any term of the unit: most in its
    title (which names what the page answers), less in its summary, least in its body;
    0 when it has none."""
    for field, factor in (
        (version.title, TITLE_FACTOR),
        (version.summary, SUMMARY_FACTOR),
        (version.body, BODY_FACTOR),
    ):
        if any(field.has(term) for term in unit.terms):
            return factor
    return 0.0


def _distinctive(unit: int, factor: float, found: Iterable[Sequence[float]]) -> bool:
    """Whether a page having a unit where `factor` says (title, summary or body) tells
    it apart: not when more than `DISTINCTIVE_SHARE` of the pages have it there or
    more prominently (起诉 is in most bodies; complaint is too, but in one title; 接待时间
    in one summary). A share, not "on every page", so that one page more or less does
    not change what is found."""
    if not factor:
        return False
    pages = list(found)
    having = sum(1 for per in pages if per[unit] >= factor)
    return having <= len(pages) * DISTINCTIVE_SHARE


class PageIndex:
    """Guide pages held in memory; immutable, so safe to share between threads."""

    def __init__(
        self,
        pages: Iterable[PageText],
        synonyms: Mapping[str, Sequence[str]] | None = None,
        distinctive_only: bool = True,
    ) -> None:
        """`distinctive_only=False` lets a page match by words every page has: for a
        collection that may hold one item (published answers), not for the guides.
        Such a page needs half of the query's clauses by weight, not by prominence."""
        self._synonyms = compile_synonyms(synonyms)
        self._distinctive_only = distinctive_only
        self._versions: dict[str, list[_Version]] = {}
        for page in pages:
            version = _Version.of(page)
            self._versions.setdefault(page.slug, []).append(version)

    def __len__(self) -> int:
        return sum(len(v) for v in self._versions.values())

    def keys(self) -> set[tuple[str, str]]:
        """(slug, locale) of every page held."""
        return {(v.page.slug, v.page.locale) for vs in self._versions.values() for v in vs}

    def search(
        self, text: str, locale: str, fallback: str = "zh_Hans", limit: int = MAX_PAGE_HITS
    ) -> list[PageHit]:
        """The pages best answering `text`, best first, each in `locale` where it exists."""
        parsed = parse(text if isinstance(text, str) else "", self._synonyms)
        units = _units(parsed.clauses)
        if not units or not self._versions:
            return []
        # For each page and unit: where the page has it (any language version), as a factor.
        found: dict[str, list[float]] = {
            slug: [max(_has(unit, v) for v in versions) for unit in units]
            for slug, versions in self._versions.items()
        }
        n = len(self._versions)
        counts = [sum(1 for per in found.values() if per[i]) for i in range(len(units))]
        # How common a character is stays its weight; only the pages it may count on change.
        found = {slug: _supported(units, per) for slug, per in found.items()}
        weights = _weights(units, counts, n)
        total = sum(weights)
        if total <= 0:
            return []
        ranked: list[tuple[float, str]] = []
        for slug, per in found.items():
            score = sum(w * factor for w, factor in zip(weights, per, strict=True)) / total
            distinctive = not self._distinctive_only or any(
                weight and _distinctive(i, factor, found.values())
                for i, (weight, factor) in enumerate(zip(weights, per, strict=True))
            )
            # Only a title names what a page answers well enough to make up for missing
            # words; without a distinctive unit, not even a title does.
            where = [
                f if self._distinctive_only and f >= TITLE_FACTOR else (1.0 if f else 0.0)
                for f in per
            ]
            need = MIN_SCORE
            if self._distinctive_only and not any(
                w and f > BODY_FACTOR for w, f in zip(weights, per, strict=True)
            ):
                need = ALL_OF_IT  # found by its body alone: all of the query, in one passage
            enough = (
                score >= MIN_SCORE
                and _clause_share(units, weights, counts, where) >= need
                and (need < ALL_OF_IT or self._together(slug, units, weights, found))
            )
            if distinctive and enough:
                ranked.append((score, slug))
        ranked.sort(key=lambda item: (-item[0], item[1]))
        if ranked:
            ranked = [item for item in ranked if item[0] >= KEEP_FROM_BEST * ranked[0][0]]
        needles = needles_for(term for unit in units for term in unit.terms)
        return [
            self._hit(self._choose(slug, locale, fallback), score, needles)
            for score, slug in ranked[:limit]
        ]

    def _together(
        self,
        slug: str,
        units: Sequence[_Unit],
        weights: Sequence[float],
        found: Mapping[str, Sequence[float]],
    ) -> bool:
        """Whether one passage of a version of the page (a sentence, a line) has every
        distinctive unit the page has: words far apart in a body (minors in one paragraph,
        crime in another) do not answer a query asking for them together. A unit on most
        pages (检察院) need not be beside the others."""
        per = found[slug]
        wanted = [
            unit
            for i, (unit, weight) in enumerate(zip(units, weights, strict=True))
            if weight and _distinctive(i, per[i], found.values())
        ]
        return any(
            all(any(passage.has(term) for term in unit.terms) for unit in wanted)
            for version in self._versions[slug]
            for passage in version.passages
        )

    def _choose(self, slug: str, locale: str, fallback: str) -> _Version:
        versions = self._versions[slug]
        for wanted in (locale, fallback):
            for version in versions:
                if version.page.locale == wanted:
                    return version
        return versions[0]

    @staticmethod
    def _hit(version: _Version, score: float, needles: Needles) -> PageHit:
        page = version.page
        if spans(page.body, needles) or not page.summary:
            excerpt = fragment(page.body, needles)
        else:
            excerpt = mark(page.summary, spans(page.summary, needles))
        return PageHit(
            slug=page.slug,
            locale=page.locale,
            title=page.title,
            title_html=highlight_title(page.title, needles),
            fragment_html=excerpt,
            score=score,
        )
