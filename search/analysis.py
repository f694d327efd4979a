"""Text analysis: words for ranking, character bigrams for exact substring recall.

Why two representations. Ranking must be word-based (a document about 危险驾驶
should outrank one that merely contains 危 and 险 near each other), so titles
and bodies are segmented with rjieba (jieba-rs, precise mode; 20x faster than
jieba, same dictionary) and each word gets its *token index* as position. But
segmentation alone cannot promise that a query for any substring finds every
document containing it: 欧阳娜娜 is cut 欧阳 | 娜娜, 他人财物 is cut 他 | 人财物,
and 检察院 sits inside the single token 人民检察院 (the shared notes measured
about 98 % recall for word-only engines). So every run of "gram characters"
(CJK ideographs, kana, hangul and digits) is also indexed as overlapping
character bigrams with character offsets as positions, title and body in one
field, and as trigrams without positions. A query string of gram characters
then matches exactly the documents containing it (`search.engine`): a two-
or three-character string is one bigram or trigram; a longer one is found
inside words (a scan of the word list), inside frequent runs of 2-4 words
("shingles", indexed without positions, so that common phrases such as
认罪认罚 or 本院受理后 need no position check), and otherwise among the
documents having all its trigrams, by the positions of its bigrams. N-grams
cost index size (the notes measured 2.7x for bigrams alone); positions are
stored as raw arrays (`search.schema`).

Latin text is lower-cased and stemmed (English Snowball stemmer) in the word
fields; it takes no part in the bigrams, because a query for "rosecut" should
not find "prosecutor". Queries are analysed by the same functions.

Normalisation keeps the length of the text (one character in, one out), so
offsets found in normalised text mark the original text exactly when
highlighting: full-width letters and digits become ASCII, traditional
characters simplified ones (檢察院 is indexed and searched as 检察院, by
OpenCC's character table), the ideographic space a space, control characters
a space, Latin letters lower case.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from itertools import chain, compress

import opencc
import rjieba
from whoosh.lang.porter2 import stem as _porter2_stem

# Characters that form bigrams: CJK ideographs (with 〇 々 〆), kana, hangul, digits.
GRAM_CLASS = (
    "0-9"
    "\u3005-\u3007"
    "\u3040-\u30ff"
    "\u3400-\u4dbf"
    "\u4e00-\u9fff"
    "\uac00-\ud7af"
    "\uf900-\ufaff"
    "\U00020000-\U0003134f"
)
LATIN_CLASS = "a-z\u00c0-\u024f"
GRAM_RUN = re.compile(f"[{GRAM_CLASS}]+")
# Inside one segmenter token: Latin letters, digits, other letters (CJK...).
_SUBTOKEN = re.compile(f"[{LATIN_CLASS}]+|[0-9]+|[^\\W\\d_{LATIN_CLASS}]+")
LATIN_WORD = re.compile(f"[{LATIN_CLASS}]+")

# Word fields: BM25 term-frequency saturation is computed when indexing and
# stored as one byte per posting ("impact"), so queries need no length tables.
BM25_K1 = 1.2
BM25_B = 0.75
AVERAGE_LENGTH = {"title": 14.0, "body": 520.0}
IMPACT_SCALE = 100.0


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for start, end in ((0xFF10, 0xFF1A), (0xFF21, 0xFF3B), (0xFF41, 0xFF5B)):
        for code in range(start, end):  # full-width digits and letters
            table[code] = chr(code - 0xFEE0)
    table[0x3000] = " "
    for code in list(range(0x00, 0x20)) + list(range(0x7F, 0xA0)):
        if chr(code) not in "\t\n\r":
            table[code] = " "
    for code in (0x200B, 0x200C, 0x200D, 0x2028, 0x2029, 0xFEFF, 0x00AD):
        table[code] = " "
    table.update(_traditional_to_simplified())
    return table


def _traditional_to_simplified() -> dict[int, str]:
    """Traditional (and variant) characters to simplified ones, one character to one.

    OpenCC's t2s converter is asked about every ideograph once, each on its own
    line, so that its phrase tables cannot make a character's folding depend on
    its neighbours: a substring of a document then folds to a substring of the
    folded document, and exact substring recall holds. Characters that are
    themselves standard simplified characters (in GB 2312, such as 乾 in 乾隆
    or 于 and 後's pair 后) are never folded.
    """
    ranges = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))
    chars = [chr(code) for start, end in ranges for code in range(start, end)]
    converted = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    table: dict[int, str] = {}
    for char, simple in zip(chars, converted, strict=True):
        if simple != char and len(simple) == 1 and not _is_gb2312(char):
            table[ord(char)] = simple
    return table


def _is_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


_TABLE = _build_table()
_NEEDS_TABLE = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_TABLE)) + "]")


def normalize(text: str) -> str:
    """Full-width letters and digits to ASCII, traditional characters to simplified ones,
    control characters to spaces, lower case.

    The result has the same length as `text`. Full-width punctuation stays.
    """
    folded = text.translate(_TABLE) if _NEEDS_TABLE.search(text) else text
    lowered = folded.lower()
    if len(lowered) != len(folded):  # e.g. "İ" lowers to two characters
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in folded)
    return lowered


def clean_input(text: str) -> str:
    """Drop what can never be searched: surrogates, control and format characters."""
    return "".join(
        " " if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp") else c
        for c in text
    )


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """English stem of a lower-case Latin word."""
    return _porter2_stem(word) if word.isascii() else word


@lru_cache(maxsize=262144)
def token_keys(token: str) -> tuple[str, ...]:
    """The index keys of one segmenter token: split scripts apart, stem Latin."""
    if GRAM_RUN.fullmatch(token):
        return (token,)
    keys = []
    for sub in _SUBTOKEN.findall(token):
        keys.append(stem(sub) if LATIN_WORD.fullmatch(sub) else sub)
    return tuple(keys)


@lru_cache(maxsize=8)
def segment(normalized: str) -> tuple[str, ...]:
    """rjieba's precise-mode tokens; the last few texts are remembered, because a
    document's title and body are segmented for the word fields and again for
    the shingles."""
    return tuple(rjieba.cut(normalized))


def word_keys(normalized: str) -> list[str]:
    """Index keys of normalised text in order: segmented, stemmed, no punctuation."""
    keys: list[str] = []
    extend = keys.extend
    for token in segment(normalized):
        extend(token_keys(token))
    return keys


@lru_cache(maxsize=262144)
def is_gram_token(token: str) -> bool:
    """Whether a segmenter token is made only of gram characters (CJK, digits)."""
    return GRAM_RUN.fullmatch(token) is not None


def word_shingles(*texts: str) -> set[str]:
    """Two to four adjacent segmenter tokens of CJK/digit text, concatenated.

    "本院" "受理" "后" gives 本院受理, 受理后 and 本院受理后. A query string
    that crosses word boundaries is usually such a run of whole words, and
    looking it up here finds the documents that contain it as those words
    without checking positions.
    """
    shingles: set[str] = set()
    run: list[str] = []
    tokens = chain.from_iterable(chain(segment(normalize(t)), ("",)) for t in texts)
    for token in tokens:
        if token and is_gram_token(token):
            run.append(token)
            continue
        if len(run) > 1:
            pairs = list(map(str.__add__, run, run[1:]))
            shingles.update(pairs)
            triples = list(map(str.__add__, pairs, run[2:]))
            shingles.update(triples)
            shingles.update(map(str.__add__, triples, run[3:]))
        run = []
    return shingles


def group_positions(
    items: list[str], positions: Sequence[int]
) -> tuple[dict[str, int], dict[str, list[int]]]:
    """First position of each item, and all positions of the items that repeat.

    Most words and bigrams occur once in a document, so counting and first
    positions are done in C and only repeated items are collected in Python.
    """
    counts = Counter(items)
    first = dict(zip(reversed(items), reversed(positions), strict=True))
    repeated = {key: [] for key, n in counts.items() if n > 1}
    if repeated:
        for key, pos in compress(
            zip(items, positions, strict=True), map(repeated.__contains__, items)
        ):
            repeated[key].append(pos)
    return first, repeated


def word_positions(text: str) -> tuple[dict[str, int], dict[str, list[int]], int]:
    """Word keys of `text` grouped by position (see `group_positions`), and the token count."""
    keys = word_keys(normalize(text))
    first, repeated = group_positions(keys, range(len(keys)))
    return first, repeated, len(keys)


def gram_positions(text: str) -> tuple[dict[str, int], dict[str, list[int]]]:
    """Character offsets of each bigram of every gram-character run of `text`."""
    grams: list[str] = []
    positions: list[int] = []
    for match in GRAM_RUN.finditer(normalize(text)):
        run = match.group()
        if len(run) > 1:
            grams.extend(map(str.__add__, run, run[1:]))
            start = match.start()
            positions.extend(range(start, start + len(run) - 1))
    return group_positions(grams, positions)


def trigrams(*texts: str) -> set[str]:
    """Distinct three-character substrings of the gram-character runs of the texts."""
    found: set[str] = set()
    for text in texts:
        for match in GRAM_RUN.finditer(normalize(text)):
            run = match.group()
            if len(run) > 2:
                found.update(map(str.__add__, map(str.__add__, run, run[1:]), run[2:]))
    return found


def charge_key(text: str) -> str:
    """A charge as one searchable string: normalised, punctuation dropped
    (掩饰、隐瞒犯罪所得罪 becomes 掩饰隐瞒犯罪所得罪, as people type it)."""
    return "".join(GRAM_RUN.findall(normalize(text)))


def latin_words(text: str) -> set[str]:
    """Unstemmed Latin words of three letters or more: the did-you-mean vocabulary."""
    return {w for w in LATIN_WORD.findall(normalize(text)) if 3 <= len(w) <= 30}


def bm25_impacts(length: int, average: float) -> list[int]:
    """BM25 term-frequency part as one byte (1..255) for frequencies 0..63 in a field."""
    norm = BM25_K1 * (1.0 - BM25_B + BM25_B * length / average)
    return [
        max(1, min(255, round(f * (BM25_K1 + 1.0) / (f + norm) * IMPACT_SCALE))) for f in range(64)
    ]


_NUMBER_BRACKETS = str.maketrans(
    {
        "[": "〔",
        "]": "〕",
        "【": "〔",
        "】": "〕",
        "(": "〔",
        ")": "〕",
        "〖": "〔",
        "〗": "〕",
        "﹝": "〔",
        "﹞": "〕",
        "［": "〔",
        "］": "〕",
        "（": "〔",
        "）": "〕",
    }
)
_NUMBER_SHAPE = re.compile(r"〔[0-9]{4}〕")


def normalize_number(number: str) -> str:
    """Canonical document number: one bracket style, ASCII digits, no spaces."""
    folded = normalize(number).translate(_NUMBER_BRACKETS)
    return "".join(folded.split())


def looks_like_number(text: str) -> bool:
    """Whether normalised query text has the shape of a document number."""
    return bool(_NUMBER_SHAPE.search(text)) and len(text) <= 60


_BARE_NUMBER = re.compile(
    r"([\u4e00-\u9fff]{2,12}?)\s*((?:19|20)[0-9]{2})(?:\s+([0-9]{1,6})号?|([0-9]{1,6})号)"
)


def bare_numbers(text: str) -> list[str]:
    """Document numbers typed without brackets (示检刑诉2025 2064号), with brackets added."""
    found = []
    for match in _BARE_NUMBER.finditer(normalize(text)):
        prefix, year, spaced, joined = match.groups()
        found.append(f"{prefix}〔{year}〕{spaced or joined}号")
    return found
