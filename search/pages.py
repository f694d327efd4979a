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
is a unit
weighed by BM25's idf over the pages: a unit on every page, such as "to",
weighs almost nothing, and a unit on no page weighs most, because a query
about what no page covers (迎宾大道, 盗窃 不起诉) is one for documents; only a
run that has been split into its words weighs nothing when no page has it
whole. A page scores the weight of the units it has, over the query's weight,
a unit in its title (which names what the page answers) counting four times
and in its summary twice; it is a result at half the query's weight or more,
when it has a unit that not every page has. Pages far below the best are left
out. All language versions of a page are searched; the result is the version
in the visitor's language, else Chinese.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from . import analysis
from .highlight import Needles, fragment, highlight_title, mark, needles_for, spans
from .parse import PHRASE, SUB, WORD, Clause, Term, compile_synonyms, parse, run_words

MAX_PAGE_HITS = 3
MIN_SCORE = 0.5
TITLE_FACTOR = 4.0
SUMMARY_FACTOR = 2.0
KEEP_FROM_BEST = 0.3


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


def _units(clauses: Sequence[Clause]) -> list[tuple[tuple[Term, ...], bool]]:
    """What is weighed, and whether it may be left out: each clause (a term and its
    synonyms), and the words of an unquoted CJK run holding a word of two characters
    or more, single characters included (抢 of 抢手机 counts as much as 手机). Such a
    run stands for its words, so it only adds weight where some page has it whole."""
    units: list[tuple[tuple[Term, ...], bool]] = []
    for clause in clauses:
        term = clause.alternatives[0]
        split = not clause.quoted and bool(run_words(term))
        units.append((clause.alternatives, split))
        if split:
            for word in dict.fromkeys(term.keys):
                unit = ((Term(SUB, word, (word,)),), False)
                if unit not in units:
                    units.append(unit)
    return units


def _has(unit: tuple[Term, ...], version: _Version) -> float:
    """How much it counts that a page version has any term of the unit: most in its
    title (which names what the page answers), less in its summary, least in its body;
    0 when it has none."""
    for field, factor in (
        (version.title, TITLE_FACTOR),
        (version.summary, SUMMARY_FACTOR),
        (version.body, 1.0),
    ):
        if any(field.has(term) for term in unit):
            return factor
    return 0.0


class PageIndex:
    """Guide pages held in memory; immutable, so safe to share between threads."""

    def __init__(
        self,
        pages: Iterable[PageText],
        synonyms: Mapping[str, Sequence[str]] | None = None,
        distinctive_only: bool = True,
    ) -> None:
        """`distinctive_only=False` lets a page match by words every page has: for a
        collection that may hold one item (published answers), not for the guides."""
        self._synonyms = compile_synonyms(synonyms)
        self._distinctive_only = distinctive_only
        self._versions: dict[str, list[_Version]] = {}
        for page in pages:
            version = _Version(
                page, _Field.of(page.title), _Field.of(page.summary), _Field.of(page.body)
            )
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
            slug: [max(_has(unit, v) for v in versions) for unit, _optional in units]
            for slug, versions in self._versions.items()
        }
        n = len(self._versions)
        counts = [sum(1 for per in found.values() if per[i]) for i in range(len(units))]
        # BM25's idf: a unit on every page weighs almost nothing, one on no page most
        # (the query is about something the pages do not cover), unless it may be left out.
        weights = [
            0.0 if optional and not df else math.log((n - df + 0.5) / (df + 0.5) + 1.0)
            for df, (_unit, optional) in zip(counts, units, strict=True)
        ]
        total = sum(weights)
        if total <= 0:
            return []
        ranked: list[tuple[float, str]] = []
        for slug, per in found.items():
            score = sum(w * factor for w, factor in zip(weights, per, strict=True)) / total
            # A word on every page (检察院, "the") tells no page apart.
            distinctive = not self._distinctive_only or any(
                factor and df < n for df, factor in zip(counts, per, strict=True)
            )
            if distinctive and score >= MIN_SCORE:
                ranked.append((score, slug))
        ranked.sort(key=lambda item: (-item[0], item[1]))
        if ranked:
            ranked = [item for item in ranked if item[0] >= KEEP_FROM_BEST * ranked[0][0]]
        needles = needles_for(term for unit, _optional in units for term in unit)
        return [
            self._hit(self._choose(slug, locale, fallback), score, needles)
            for score, slug in ranked[:limit]
        ]

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
