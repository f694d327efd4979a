"""Turn what the public typed into terms, never raising: no query syntax can be got wrong.

The text is cleaned (control, format and surrogate characters dropped), cut
to `MAX_QUERY_CHARS` ("query_truncated") and normalised like documents.
The operators people know from web search are honoured (`_operators`):
`A OR B` (either), `A NOT B` and `-B` (without B), `+A` and `"a phrase"`
(must be there), `A AND B` (every word must be there). Other Whoosh/Lucene
syntax (`field:value`, TO, `^`, `~`, `*`, ranges, `!`), an operator with
nothing to apply to and an unbalanced quote are not: they become separators,
"syntax_ignored" tells the UI and `ParsedQuery.ignored` says what was left
out. A query typed with nothing left to look for (only symbols, such as `*:*`
or `(((((`) matches no document, and "nothing_to_search" tells the UI why;
only an empty query lists every document (of the chosen filters).
Balanced double quotes (" “” 「」 『』) make phrases. Anything shaped like a
document number (…〔2019〕…号, in any bracket style) is also looked up in the
number field.

Before the pieces are cut, `search.understand` reads what the text means:
statute articles in any notation (刑法264条, 第二百六十四条, 第133条之一)
become a clause of the forms documents write, plus the law's name; synonym
entries inside a run of characters are cut out as pieces of their own
(醉驾案件: 醉驾 | 案件), so that they expand; and the question words of a
question (怎么, 多久, 吗...) are dropped. Document numbers typed without
brackets (示检刑诉2025 2064号) are looked up with them.

Each remaining piece becomes one clause (`search.engine` decides how many
must match: all of them for short queries, most of them for long ones):

* a run of CJK ideographs and digits is a *substring term*: it matches exactly
  the documents containing that string (bigrams plus the word list, see
  `search.engine`), and its rjieba words give the ranking;
* a Latin word is a *word term*, matched by its English stem;
* a quoted phrase mixing Latin and CJK is a *phrase term*: its word keys at
  consecutive positions in the title or the body. A quoted phrase of CJK only
  is a substring term with the spaces removed.

A clause also matches the synonyms of its term (`search.synonyms`). When an
unquoted run of at least four characters holding a word of two or more
(开放日带) matches nothing as written, `relax` splits it into those words,
each still a substring term, and the UI is told "query_relaxed".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from . import analysis, understand
from .model import MAX_QUERY_CHARS, NOTICE_NOTHING, NOTICE_SYNTAX, NOTICE_TRUNCATED

MAX_CLAUSES = 12
MAX_PHRASE_WORDS = 6  # the longest synonym entry of Latin words matched without quotes

SUB = "sub"
WORD = "word"
PHRASE = "phrase"

_QUOTED = re.compile(r'"([^"]*)"|“([^”]*)”|「([^」]*)」|『([^』]*)』')
_GRAM_PIECE = re.compile(f"[{analysis.GRAM_CLASS}]+")
_QUOTES = re.compile(r'["“”「」『』]')
_PIECE = re.compile(f"(?P<gram>[{analysis.GRAM_CLASS}]+)|(?P<latin>[{analysis.LATIN_CLASS}]+)")
# One operand or operator of the query: an optionally signed quoted phrase, a run
# without spaces or quotes, or a lone (unbalanced) quote.
_TOKEN = re.compile(
    r'[+\-]?(?:"[^"]*"|“[^”]*”|「[^」]*」|『[^』]*』)|[^\s"“”「」『』]+|["“”「」『』]'
)
_FIELD = re.compile(r"^[A-Za-z_]\w*:(?=\S)")
_IGNORED_SIGNS = re.compile(r"[*^~{}\\!]")
_SEARCHABLE = re.compile(r"[^\W_]")
_QUOTES_OPEN = '"“「『'
# What may stand between the words of a synonym phrase typed without quotes.
_WORD_JOINERS = " \t-‐‑–"
_QUOTE_CHARS = '"“”「」『』'
_AND, _OR, _NOT = "AND", "OR", "NOT"
_BINARY = (_AND, _OR, _NOT)
_KEYWORDS = (*_BINARY, "TO")


@dataclass(frozen=True)
class Term:
    """One thing to match: a substring, a stemmed word, or a phrase of word keys.

    A substring term with `unless_followed` matches only where at least one
    occurrence is not followed by it: article 第一百三十三条 is not cited by a
    document that only cites 第一百三十三条之一.
    """

    kind: str
    text: str
    keys: tuple[str, ...]
    unless_followed: str = ""

    @property
    def signature(self) -> tuple[str, str]:
        return (self.kind, self.text)


@dataclass(frozen=True)
class Clause:
    """One AND operand: a term and its synonyms (any of them matches)."""

    alternatives: tuple[Term, ...]
    typed: str  # as the user typed it (normalised), for "did you mean"
    quoted: bool = False
    required: bool = False  # quoted, +word, or joined by AND: never left out


@dataclass(frozen=True)
class ParsedQuery:
    """The clauses of a query, the document numbers it may be, and notices.

    `exclusions` are clauses whose documents are left out (NOT, -word);
    `ignored` the operators and signs typed but not honoured, as typed;
    `all_required` is set when AND asked for every word.
    """

    clauses: tuple[Clause, ...]
    numbers: tuple[str, ...]
    notices: tuple[str, ...]
    cleaned: str
    relaxable: bool = False
    exclusions: tuple[Clause, ...] = ()
    ignored: tuple[str, ...] = ()
    all_required: bool = False
    question: bool = False  # worded as a question (`understand.is_question`)

    @property
    def empty(self) -> bool:
        return not self.clauses and not self.numbers

    @property
    def matches_nothing(self) -> bool:
        """Text was typed but none of it can be looked for (only symbols)."""
        return NOTICE_NOTHING in self.notices


def fragment_term(text: str) -> Term | None:
    """The term of a quoted phrase or a synonym entry (normalised text)."""
    pieces = [(m.lastgroup, m.group()) for m in _PIECE.finditer(text)]
    if not pieces:
        return None
    if all(kind == "gram" for kind, _ in pieces):
        joined = "".join(piece for _, piece in pieces)
        return Term(SUB, joined, tuple(analysis.word_keys(joined)))
    keys = tuple(analysis.word_keys(text))
    if not keys:
        return None
    if len(keys) == 1:
        return Term(WORD, keys[0], keys)
    return Term(PHRASE, " ".join(keys), keys)


def _piece_term(kind: str | None, piece: str) -> Term | None:
    if kind == "gram":
        return Term(SUB, piece, tuple(analysis.word_keys(piece)))
    keys = tuple(analysis.word_keys(piece))
    if not keys:
        return None
    if len(keys) == 1:
        return Term(WORD, keys[0], keys)
    return Term(PHRASE, " ".join(keys), keys)


# Compiled synonym lists by their content: the document index, the guide pages and
# the published answers load the same file, and sharing one compiled object lets
# `parse` reuse one parse of a query for all three (see `_PARSED`).
_Compiled = dict[tuple[str, str], tuple[Term, ...]]
_COMPILED: dict[tuple[tuple[str, tuple[str, ...]], ...], _Compiled] = {}
MAX_COMPILED = 8


def compile_synonyms(
    synonyms: Mapping[str, Sequence[str]] | None,
) -> dict[tuple[str, str], tuple[Term, ...]]:
    """Synonym strings to terms, keyed by the signature of the term they expand.

    The result is shared by every caller with the same synonyms: do not change it."""
    content = tuple((key, tuple(values)) for key, values in (synonyms or {}).items())
    found = _COMPILED.get(content)
    if found is None:
        if len(_COMPILED) >= MAX_COMPILED:
            _COMPILED.clear()
        found = _COMPILED[content] = _compile_synonyms(synonyms)
    return found


def _compile_synonyms(
    synonyms: Mapping[str, Sequence[str]] | None,
) -> dict[tuple[str, str], tuple[Term, ...]]:
    compiled: dict[tuple[str, str], list[Term]] = {}
    for key, values in (synonyms or {}).items():
        source = fragment_term(analysis.normalize(key))
        if source is None:
            continue
        targets = compiled.setdefault(source.signature, [])
        for value in values:
            target = fragment_term(analysis.normalize(value))
            if target is not None and target != source and target not in targets:
                targets.append(target)
    return {k: tuple(v) for k, v in compiled.items() if v}


@dataclass
class _Operands:
    """The query cut at its operators (`_operators`): what each part is for."""

    plain: list[str]  # searched as one text, as before operators existed
    required: list[str]  # +word and quoted phrases
    either: list[list[str]]  # A OR B OR C
    excluded: list[str]  # NOT B, -B
    ignored: list[str]
    all_required: bool


def _operators(text: str) -> _Operands:
    """Cut cleaned query text into operands by the operators people know from web search.

    Operators are upper case (OR, AND, NOT: "not" is an English word) and
    stand between spaces; `-` and `+` count only at the start of a word, so
    "drunk-driving" and "2019-2020" are text. What cannot be honoured (NOT at
    the end, OR with nothing on one side, a field prefix, `*`, an unbalanced
    quote) is listed in `ignored`, as typed.
    """
    ops = _Operands([], [], [], [], [], False)
    tokens = [m.group() for m in _TOKEN.finditer(text)]
    groups: list[list[str]] = []  # operands in order, OR joins neighbours
    kinds: list[str] = []
    pending_or = pending_not = False

    def ignore(sign: str) -> None:
        if sign not in ops.ignored:
            ops.ignored.append(sign)

    def operand(value: str, kind: str) -> None:
        nonlocal pending_or, pending_not
        field = _FIELD.match(value)
        if field:
            ignore(field.group())
            value = value[field.end() :]
        for sign in _IGNORED_SIGNS.findall(value):
            ignore(sign)
        if not _SEARCHABLE.search(value):
            return
        if pending_not:
            kind, pending_not = "excluded", False
        if pending_or and groups and kinds[-1] != "excluded" and kind != "excluded":
            groups[-1].append(value)
            kinds[-1] = "either"
        else:
            groups.append([value])
            kinds.append(kind)
        pending_or = False

    for position, token in enumerate(tokens):
        if token in _BINARY:
            following = tokens[position + 1] if position + 1 < len(tokens) else ""
            has_next = bool(following) and following not in _KEYWORDS
            if token == _NOT and has_next:
                pending_not = True
            elif token == _OR and has_next and groups and not pending_not:
                pending_or = True
            elif token == _AND and has_next and groups:
                ops.all_required = True
            else:
                ignore(token)
        elif token in _KEYWORDS or token in _QUOTE_CHARS:
            ignore(token)
        elif token[0] == "-" and len(token) > 1:
            operand(token[1:], "excluded")
        elif token[0] == "+" and len(token) > 1:
            operand(token[1:], "required")
        elif token[0] in _QUOTES_OPEN:
            operand(token, "required")
        else:
            operand(token, "plain")
    if pending_not:
        ignore("NOT")
    for group, kind in zip(groups, kinds, strict=True):
        if kind == "either":
            ops.either.append(group)
        elif kind == "excluded":
            ops.excluded.append(group[0])
        elif kind == "required":
            ops.required.append(group[0])
        else:
            ops.plain.append(group[0])
    return ops


# Recent parses by query text and synonyms: a search page parses its query for
# the documents, the guide pages and the published answers, and a parse (cutting
# words, expanding synonyms) costs as much as matching a rare word. Kept only
# when no `places` is given (its answers change as the vocabulary loads).
_PARSED: dict[tuple[str, int], tuple[object, ParsedQuery]] = {}
MAX_PARSED = 512


def parse(
    text: str,
    synonyms: Mapping[tuple[str, str], tuple[Term, ...]] | None = None,
    places: Callable[[str], str | None] | None = None,
) -> ParsedQuery:
    """Parse user input into clauses; any input at all is accepted.

    `places` gives the index word that sounds like a pinyin reading ("bin jiang":
    滨江), for place names typed in pinyin (`_place_clauses`)."""
    if places is not None or not isinstance(text, str):
        return _parse(text, synonyms, places)
    key = (text, id(synonyms))
    found = _PARSED.get(key)
    if found is not None and found[0] is synonyms:
        return found[1]
    parsed = _parse(text, synonyms, None)
    if len(_PARSED) >= MAX_PARSED:
        _PARSED.clear()
    _PARSED[key] = (synonyms, parsed)
    return parsed


def _parse(
    text: str,
    synonyms: Mapping[tuple[str, str], tuple[Term, ...]] | None,
    places: Callable[[str], str | None] | None,
) -> ParsedQuery:
    notices: list[str] = []
    text = text or ""
    typed = bool(text.strip())
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        notices.append(NOTICE_TRUNCATED)
    text = analysis.clean_input(text)
    ops = _operators(text)
    if ops.ignored:
        notices.append(NOTICE_SYNTAX)
    synonyms = synonyms or {}

    clauses: list[Clause] = []

    def add(clause: Clause) -> None:
        if clause not in clauses:
            clauses.append(clause)

    for clause in _clauses(" ".join(ops.plain), synonyms, places=places):
        add(clause)
    for value in ops.required:
        for clause in _clauses(value, synonyms, places=places):
            add(Clause(clause.alternatives, clause.typed, clause.quoted, True))
    for group in ops.either:
        alternatives: list[Term] = []
        for value in group:
            for term in _operand_clause(value, synonyms).alternatives:
                if term not in alternatives:
                    alternatives.append(term)
        add(Clause(tuple(alternatives), " OR ".join(g.strip() for g in group)))
    exclusions = tuple(_operand_clause(value, {}) for value in ops.excluded)
    exclusions = tuple(c for c in exclusions if c.alternatives)

    if len(clauses) > MAX_CLAUSES:
        clauses = clauses[:MAX_CLAUSES]
        if NOTICE_TRUNCATED not in notices:
            notices.append(NOTICE_TRUNCATED)

    kept = " ".join([*ops.plain, *ops.required])
    numbers: list[str] = []
    for candidate in [kept, *kept.split(), *analysis.bare_numbers(kept)]:
        number = analysis.normalize_number(candidate)
        if not analysis.looks_like_number(number):
            continue
        for variant in (number, *_numbered(number)):
            if variant not in numbers:
                numbers.append(variant)

    if typed and not clauses and not numbers and not exclusions:
        notices.append(NOTICE_NOTHING)
    relaxable = any(not clause.quoted and _splittable(clause.alternatives[0]) for clause in clauses)
    return ParsedQuery(
        tuple(clauses),
        tuple(numbers),
        tuple(notices),
        text.strip(),
        relaxable,
        exclusions,
        tuple(ops.ignored),
        ops.all_required,
        understand.is_question(" ".join(ops.plain)),
    )


def _numbered(number: str) -> tuple[str, ...]:
    """A document number typed without its closing 号 (示检刑诉〔2022〕709), completed."""
    return (number + "号",) if number[-1:].isdigit() else ()


def _operand_clause(value: str, synonyms: Mapping[tuple[str, str], tuple[Term, ...]]) -> Clause:
    """One operand of OR or NOT as one clause: its only clause, or else the whole
    operand as one term (a run as one substring, Latin words as a phrase)."""
    found = _clauses(value, synonyms, skip_function_words=False)
    if len(found) == 1:
        return found[0]
    normalized = analysis.normalize(_QUOTES.sub(" ", value))
    term = fragment_term(normalized)
    if term is None:
        return Clause((), value)
    return Clause((term, *synonyms.get(term.signature, ())), normalized.strip())


def _clauses(
    text: str,
    synonyms: Mapping[tuple[str, str], tuple[Term, ...]],
    skip_function_words: bool = True,
    places: Callable[[str], str | None] | None = None,
) -> list[Clause]:
    """The clauses of query text without operators, in the order typed (the operand
    of OR or NOT keeps its English function words: it is one thing)."""
    normalized = analysis.normalize(text)
    clauses: list[Clause] = []

    def add(term: Term | None, typed: str, quoted: bool) -> None:
        if term is None:
            return
        alternatives = (term, *synonyms.get(term.signature, ()))
        clause = Clause(alternatives, typed, quoted, quoted)
        if clause not in clauses:
            clauses.append(clause)

    rest: list[str] = []
    last = 0
    for match in _QUOTED.finditer(normalized):
        rest.append(normalized[last : match.start()])
        last = match.end()
        inner = next(g for g in match.groups() if g is not None)
        add(fragment_term(inner), inner.strip(), True)
    rest.append(normalized[last:])
    unquoted = _QUOTES.sub(" ", " ".join(rest))
    statutes, unquoted = understand.statute_references(unquoted)
    for statute in statutes:
        law = (
            Term(SUB, statute.law, tuple(analysis.word_keys(statute.law))) if statute.law else None
        )
        english_law = fragment_term(statute.english_law) if statute.english_law else None
        if english_law is not None and law is not None:
            # Typed in English: English documents name the law so, Chinese ones as 刑法.
            clause = Clause((english_law, law), statute.english_law)
            if clause not in clauses:
                clauses.append(clause)
        elif law is not None:
            add(law, law.text, False)
        # An article without 之X is not the article with one (第133条 is not 第133条之一).
        after = "" if statute.sub else understand.SUB_ARTICLE
        forms = tuple(
            Term(SUB, f, tuple(analysis.word_keys(f)), unless_followed=after) for f in statute.forms
        )
        typed = fragment_term(statute.english) if statute.english else None
        if typed is not None:
            clause = Clause((typed, *forms), statute.english)
        else:
            clause = Clause(forms, statute.forms[0])
        if clause not in clauses:
            clauses.append(clause)
    if places is not None:
        for clause, (start, end) in _place_clauses(unquoted, places):
            if clause not in clauses:
                clauses.append(clause)
            unquoted = unquoted[:start] + " " * (end - start) + unquoted[end:]
    # Synonym entries are cut out first, so that the segmenter sees the question
    # words around them (醉驾能不能不起诉 is otherwise cut 醉|驾能|不能不|起诉).
    # The entries are kept whole when question words go (the 了 of 私了 is no particle).
    entries: set[str] = set()

    def split(match: re.Match[str]) -> str:
        parts = _synonym_split(match.group(), synonyms)
        entries.update(part for part in parts if (SUB, part) in synonyms)
        return " ".join(parts)

    unquoted = _GRAM_PIECE.sub(split, unquoted)
    unquoted = understand.strip_question_words(unquoted, entries)
    pieces = list(_PIECE.finditer(unquoted))
    function_words = understand.ENGLISH_FUNCTION_WORDS if skip_function_words else frozenset()
    has_content = any(m.lastgroup != "latin" or m.group() not in function_words for m in pieces)
    # Something besides function words and light verbs is typed: those can go.
    topical = bool(function_words) and any(
        m.lastgroup != "latin" or m.group() not in function_words | understand.LIGHT_VERBS
        for m in pieces
    )
    i = 0
    while i < len(pieces):
        phrase = _synonym_phrase(unquoted, pieces, i, synonyms)
        if phrase is not None:
            term, typed, used = phrase
            add(term, typed, False)
            i += used
            continue
        kind, piece = pieces[i].lastgroup, pieces[i].group()
        if kind == "latin" and has_content and piece in function_words:
            i += 1  # "how to file a complaint": file, complaint (then the light verb goes)
            continue
        if kind == "latin" and topical and _light_verb(pieces, i):
            i += 1  # "how to file a complaint": complaint
            continue
        for part in _synonym_split(piece, synonyms) if kind == "gram" else [piece]:
            add(_piece_term(kind, part), part, False)
        i += 1
    return clauses


def _place_clauses(
    text: str, places: Callable[[str], str | None]
) -> list[tuple[Clause, tuple[int, int]]]:
    """Place names typed in pinyin (Binjiang Road) as clauses that also match the
    Chinese the documents write (滨江路), with where they are in `text`; the first
    reading of a name that `places` knows wins, for each place word."""
    found: list[tuple[Clause, tuple[int, int]]] = []
    done: set[int] = set()
    for place in understand.place_names(text):
        if place.end in done:
            continue
        for reading in understand.pinyin_readings(place.name):
            word = places(reading)
            if word is None:
                continue
            typed = fragment_term(place.typed)
            chinese = word + place.ending
            term = Term(SUB, chinese, tuple(analysis.word_keys(chinese)))
            alternatives = (typed, term) if typed is not None else (term,)
            found.append((Clause(alternatives, place.typed.strip()), (place.start, place.end)))
            done.add(place.end)
            break
    return found


def _light_verb(pieces: list[re.Match[str]], i: int) -> bool:
    """Whether the Latin word at `i` is a light verb between its Latin neighbours."""

    def latin(j: int) -> str | None:
        if 0 <= j < len(pieces) and pieces[j].lastgroup == "latin":
            return pieces[j].group()
        return None

    return understand.is_light_verb(pieces[i].group(), latin(i - 1), latin(i + 1))


def _synonym_phrase(
    text: str,
    pieces: list[re.Match[str]],
    start: int,
    synonyms: Mapping[tuple[str, str], tuple[Term, ...]],
) -> tuple[Term, str, int] | None:
    """Consecutive Latin words typed without quotes that form a synonym entry.

    "drunk driving => 危险驾驶" would otherwise never fire: unquoted, the two
    words are two clauses, and the entry is keyed by the phrase. Words joined by a
    hyphen (non-prosecution, drunk-driving) are consecutive too.
    """
    for count in range(min(MAX_PHRASE_WORDS, len(pieces) - start), 1, -1):
        window = pieces[start : start + count]
        if any(m.lastgroup != "latin" for m in window):
            continue
        gaps = (text[a.end() : b.start()] for a, b in zip(window, window[1:], strict=False))
        if any(gap.strip(_WORD_JOINERS) for gap in gaps):
            continue
        typed = " ".join(m.group() for m in window)
        term = fragment_term(typed)
        if term is not None and term.signature in synonyms:
            return term, typed, count
    return None


def _synonym_split(run: str, synonyms: Mapping[tuple[str, str], tuple[Term, ...]]) -> list[str]:
    """A run of Chinese characters cut around the synonym entries inside it.

    醉驾被抓 becomes 醉驾 (which also matches 危险驾驶) and 被抓; the longest
    entry wins where entries overlap. A run that is an entry itself stays
    whole, and so does an entry inside a term that entries expand to (赌场 in
    开设赌场罪 is part of the charge's name, not a colloquial word); an entry
    that holds such a term whole is cut out all the same (拖欠工资 in
    被拖欠工资怎么办, though 工资 is a term entries expand to).
    """
    if not synonyms or (SUB, run) in synonyms or len(run) < 3:
        return [run]
    keys, targets = _gram_keys(synonyms)
    if keys is None:
        return [run]
    spans: list[tuple[int, int]] = []
    for target in targets:
        found = run.find(target)
        while found >= 0:
            spans.append((found, found + len(target)))
            found = run.find(target, found + 1)

    def cuts_a_term(start: int, end: int) -> bool:
        return any(a < end and start < b and not (start <= a and b <= end) for a, b in spans)

    parts: list[str] = []
    start = rest = 0
    while start < len(run):
        found = keys.match(run, start)
        key = found.group() if found else None
        if key is None or cuts_a_term(start, start + len(key)):
            start += 1
            continue
        if start > rest:
            parts.append(run[rest:start])
        parts.append(key)
        start = rest = start + len(key)
    if rest < len(run):
        parts.append(run[rest:])
    return parts


_GramKeys = tuple[
    Mapping[tuple[str, str], tuple[Term, ...]], re.Pattern[str] | None, tuple[str, ...]
]
_GRAM_KEYS: dict[int, _GramKeys] = {}


def _gram_keys(
    synonyms: Mapping[tuple[str, str], tuple[Term, ...]],
) -> tuple[re.Pattern[str] | None, tuple[str, ...]]:
    """A pattern of the substring-term entries of a synonym map (the longest first, so
    that it matches the longest), and the substring terms they expand to (remembered
    per map)."""
    cached = _GRAM_KEYS.get(id(synonyms))
    if cached is None or cached[0] is not synonyms:
        keys = sorted((t for k, t in synonyms if k == SUB and len(t) > 1), key=len, reverse=True)
        targets = {t.text for terms in synonyms.values() for t in terms if t.kind == SUB}
        pattern = re.compile("|".join(map(re.escape, keys))) if keys else None
        cached = (synonyms, pattern, tuple(sorted(targets - set(keys))))
        _GRAM_KEYS[id(synonyms)] = cached
    return cached[1], cached[2]


def run_words(term: Term) -> list[str]:
    """The words of two or more characters of an unquoted run, when the run is more
    than one of them (开放日带: 开放日; 嫌疑人驾驶机动车醉酒: 嫌疑人, 驾驶, 机动车, 醉酒)."""
    if term.kind != SUB:
        return []
    words = [k for k in dict.fromkeys(term.keys) if len(k) > 1 and k != term.text]
    return words


def _splittable(term: Term) -> bool:
    """A substring term long enough, and holding a word, to relax into its words."""
    return term.kind == SUB and len(term.text) >= 4 and bool(run_words(term))


def relax(query: ParsedQuery) -> ParsedQuery:
    """Split long unquoted substring terms into their words (each still a substring term)."""
    clauses: list[Clause] = []
    for clause in query.clauses:
        term = clause.alternatives[0]
        if not clause.quoted and len(clause.alternatives) == 1 and _splittable(term):
            for word in run_words(term):
                part = Clause((Term(SUB, word, (word,)),), word, required=clause.required)
                if part not in clauses:
                    clauses.append(part)
        elif clause not in clauses:
            clauses.append(clause)
    return replace(query, clauses=tuple(clauses), relaxable=False)
