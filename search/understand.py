"""What a citizen's query means, before it is matched: question words and statute references.

People type questions without spaces ("怎么申请国家赔偿", "取保候审要多久").
The question words and particles in them (`QUESTION_WORDS`) are in no
document that answers them, and every remaining word must match, so they are
removed where the segmenter sees them as words of their own (token
boundaries, so that 什么 is not cut out of a longer word). A query that is
nothing but question words is left as typed.

Statute articles are written many ways: 刑法第二百六十四条, 第264条,
刑法264条, 《中华人民共和国刑法》第二百六十四条, 第133条之一. Documents write
《中华人民共和国刑法》第二百六十四条, which `parse` finds as a substring term
第二百六十四条 (with 第264条 as its alternative, for documents that use
Arabic numerals) and, when a law was named, the law's short name as a second
term. `statute_references` returns them and the query with them cut out. An
article with a sub-number (第一百三十三条之一, inserted later) is a different
article from the one it follows: `parse` asks for 第一百三十三条 not followed
by 之.

Visitors who read street signs write a place in pinyin: "Binjiang Road" for
滨江路. `place_names` finds such names (one or two words before a place word
such as Road, Street or Avenue) and `pinyin_readings` the ways to read the name
as syllables; the index's own words say which characters they are.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache

from .analysis import segment

# Question words, particles and politeness formulas that carry no content, by
# their part in Chinese grammar. Removed only from a query worded as a question
# (`is_question`), and only where they are whole segmenter words or runs of
# them; the longest entry at each place wins.
INTERROGATIVES: tuple[str, ...] = (
    "怎么", "怎么办", "怎么样", "怎么弄", "怎么回事", "怎样", "咋", "咋办", "咋样",
    "如何", "为什么", "为何", "什么", "什么样", "什么时候", "是什么", "什么意思", "啥",
    "何时", "几时", "几点", "几天", "几号", "几年", "多久", "多长", "多长时间",
    "多少钱", "多少", "哪里", "哪儿", "在哪", "在哪里", "去哪", "去哪里", "到哪",
    "到哪里", "找谁", "哪个", "哪些", "有哪些", "哪", "谁",
    "是否", "是不是", "有没有", "有无", "能不能", "能否", "可不可以", "可以吗",
    "会不会", "要不要", "需不需要", "行不行",
    "算不算", "属不属于", "管不管", "谁管", "归谁管", "有用吗", "有没有用", "管用吗",
    "怎么处理", "如何处理", "怎么解决", "如何解决", "多少年", "几个月",
)  # fmt: skip
MODALS: tuple[str, ...] = (
    "可以", "可", "能", "能够", "会", "要", "想", "想要", "需要", "需", "应该", "应当",
    "该", "得", "必须", "打算", "还要", "还得", "还需要", "还能", "还会", "还可以",
)  # fmt: skip
POLITENESS: tuple[str, ...] = (
    "请问", "请教", "请", "想问", "想问一下", "问一下", "问问", "我想知道", "我想",
    "我要", "想知道", "知道", "了解", "了解一下", "一下", "麻烦", "帮忙", "帮我",
    "我", "我们", "你们", "您", "你好", "您好", "谢谢",
)  # fmt: skip
PARTICLES: tuple[str, ...] = (
    "吗", "呢", "吧", "啊", "呀", "么", "嘛", "呗", "哦", "了", "的", "在", "是", "去",
)  # fmt: skip
QUESTION_WORDS: tuple[str, ...] = (*INTERROGATIVES, *MODALS, *POLITENESS, *PARTICLES)

# Words that make a query a question (as substrings, so none may be part of a
# common content word); only then are particles such as 的, 要, 会 removed.
QUESTION_MARKERS: tuple[str, ...] = (
    "请问", "请教", "想问", "我想", "想知道", "了解一下", "麻烦", "怎么", "怎样", "咋",
    "如何", "为什么", "为何", "什么", "啥", "何时", "几点", "是否", "是不是", "有没有",
    "能不能", "能否", "可不可以", "会不会", "要不要", "需不需要", "多久", "多长时间",
    "多少", "哪里", "哪儿", "在哪", "哪个", "哪些", "找谁", "应该", "一下",
    "算不算", "属不属于", "管不管", "谁管",
)  # fmt: skip
# English function words and question words: in no document in a way that answers a
# query ("how to file a complaint"), so left out of a query that has other words.
# Synonym phrases (hit and run, read the file) are matched before they are.
ENGLISH_FUNCTION_WORDS: frozenset[str] = frozenset((
    "a", "an", "the", "to", "of", "for", "in", "on", "at", "by", "with", "from", "into",
    "about", "as", "and", "how", "what", "where", "when", "who", "whom", "which", "why",
    "whether", "can", "could", "do", "does", "did", "should", "would", "will", "shall",
    "may", "might", "must", "i", "me", "my", "we", "our", "us", "you", "your", "he", "she",
    "they", "it", "its", "is", "are", "was", "were", "be", "been", "being", "there",
    "this", "that", "these", "those", "if", "please", "get", "got", "want", "need", "know",
))  # fmt: skip

# Verbs that carry no topic of their own in "how to file a complaint", "can I
# lodge an appeal": left out where they stand as the verb of such a phrase, kept
# where they are a noun or the topic ("lawyer file review", "case file").
LIGHT_VERBS: frozenset[str] = frozenset(("file", "lodge", "make", "submit", "put", "send"))
_BEFORE_LIGHT_VERB = frozenset(("to", "i", "we", "can", "could", "should", "do", "how", "you"))
_AFTER_LIGHT_VERB = frozenset(("a", "an", "the", "my", "our", "this", "that", "your"))


def is_light_verb(word: str, before: str | None, after: str | None) -> bool:
    """Whether `word`, between the words `before` and `after`, is a verb with no topic."""
    return word in LIGHT_VERBS and (before in _BEFORE_LIGHT_VERB or after in _AFTER_LIGHT_VERB)


_FINAL_PARTICLE = re.compile(r"[吗呢吧么?？]\W*$")
_GRAM_RUN = re.compile("[0-9\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def is_question(text: str) -> bool:
    """Whether a query is worded as a question (a question word, or a final 吗 or 呢)."""
    return bool(_FINAL_PARTICLE.search(text)) or any(w in text for w in QUESTION_MARKERS)


def strip_question_words(text: str, keep: Collection[str] = ()) -> str:
    """A question with its question words replaced by spaces, unless nothing else is left.

    Text that is not worded as a question is returned as it is. A question
    word is removed only where it starts and ends on a boundary of the
    segmenter's words in its run of Chinese characters. A run in `keep` (a
    synonym entry cut out of the query, such as 私了 or 判了缓刑) is left whole:
    its 了 is part of the entry.
    """
    if not is_question(text):
        return text
    out = list(text)
    for run in _GRAM_RUN.finditer(text):
        value = run.group()
        if value in keep:
            continue
        bounds = [0]
        for token in segment(value):
            bounds.append(bounds[-1] + len(token))
        ends = set(bounds)
        covered_to = 0
        for start in bounds[:-1]:
            if start < covered_to:
                continue
            end = _longest_at(value, start, ends)
            if end:
                out[run.start() + start : run.start() + end] = " " * (end - start)
                covered_to = end
    stripped = "".join(out)
    if not re.search(r"[^\W_]", stripped):
        return text  # only question words: leave the query alone
    return stripped


def _longest_at(value: str, start: int, ends: set[int]) -> int:
    """End of the longest question word at `start` that ends on a word boundary (0 if none)."""
    best = 0
    for word in QUESTION_WORDS:
        end = start + len(word)
        if end > best and end in ends and value.startswith(word, start):
            best = end
    return best


# Statute references

_DIGITS = "零一二三四五六七八九"
_CN_NUMBER = "[零〇一二两三四五六七八九十百千]+"
LAW_NAMES: dict[str, str] = {
    # what people type: the short name documents contain inside 《中华人民共和国…》
    "刑法": "刑法",
    "刑事诉讼法": "刑事诉讼法",
    "刑诉法": "刑事诉讼法",
    "民法典": "民法典",
    "治安管理处罚法": "治安管理处罚法",
}
_LAW = "|".join(re.escape(n) for n in sorted(LAW_NAMES, key=len, reverse=True))
_STATUTE = re.compile(
    rf"(?:《?(?:中华人民共和国)?(?P<law>{_LAW})》?\s*)?"
    rf"(?P<di>第)?\s*(?P<num>[0-9]{{1,4}}|{_CN_NUMBER})\s*条"
    rf"(?:\s*之\s*(?P<sub>[0-9]{{1,2}}|[一二三四五六七八九十]+))?"
)


# What follows an article's number when a later article was inserted after it
# (第一百三十三条之一 is an article of its own, not part of 第一百三十三条).
SUB_ARTICLE = "之"


# Laws as English text names them ("Article 266 of the Criminal Law").
ENGLISH_LAW_NAMES: dict[str, str] = {
    "criminal law": "刑法",
    "criminal code": "刑法",
    "penal code": "刑法",
    "criminal procedure law": "刑事诉讼法",
    "code of criminal procedure": "刑事诉讼法",
    "civil code": "民法典",
}
_EN_LAW = "|".join(re.escape(n) for n in sorted(ENGLISH_LAW_NAMES, key=len, reverse=True))
_EN_STATUTE = re.compile(
    rf"(?:\b(?:the\s+)?(?:prc\s+)?(?P<before>{_EN_LAW})\s*,?\s*)?"
    r"\b(?:article|art\.?)\s*(?P<num>[0-9]{1,4})(?:\s*-\s*(?P<sub>[0-9]{1,2}))?(?![0-9])"
    rf"(?:\s+of\s+(?:the\s+)?(?:prc\s+)?(?P<after>{_EN_LAW})\b)?"
)


@dataclass(frozen=True)
class StatuteReference:
    law: str | None  # the short name documents contain (刑法), if one was named
    forms: tuple[str, ...]  # the article as documents may write it: 第二百六十四条, 第264条
    sub: bool = False  # an inserted article (之一, 之二...)
    # Typed in English: the article and the law as English documents write them
    # ("article 287-2", "criminal law"), which they match besides the Chinese forms.
    english: str | None = None
    english_law: str | None = None


def chinese_number(value: int) -> str:
    """264 -> 二百六十四, 10 -> 十, 110 -> 一百一十, 303 -> 三百零三 (0 < value < 10000)."""
    if value < 10:
        return _DIGITS[value]
    if value < 20:
        return "十" + (_DIGITS[value - 10] if value > 10 else "")
    parts: list[str] = []
    pending_zero = False
    for unit_value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = value // unit_value % 10
        if digit == 0:
            pending_zero = bool(parts)
            continue
        if pending_zero:
            parts.append("零")
            pending_zero = False
        parts.append(_DIGITS[digit] + unit)
    return "".join(parts)


def parse_chinese_number(text: str) -> int | None:
    """二百六十四 -> 264, 十二 -> 12, 三百零三 -> 303; None when it is not a number."""
    units = {"十": 10, "百": 100, "千": 1000}
    total = 0
    digit: int | None = None
    for char in text.replace("〇", "零").replace("两", "二"):
        if char in _DIGITS:
            digit = _DIGITS.index(char)
        elif char in units:
            total += (1 if digit is None else digit) * units[char]
            digit = None
        else:
            return None
    total += digit or 0
    return total or None


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() else parse_chinese_number(text)


def statute_references(text: str) -> tuple[list[StatuteReference], str]:
    """Statute articles in a (normalised) query, and the query with them cut out.

    A bare number with 条 counts only with 第 or a law's name before it, so
    that "3条" in other text is left alone.
    """
    found: list[StatuteReference] = []
    out = text
    for match in reversed(list(_STATUTE.finditer(text))):
        if not (match.group("law") or match.group("di")):
            continue
        number = _number(match.group("num"))
        if number is None or number > 2000:
            continue
        sub = _number(match.group("sub")) if match.group("sub") else 0
        if sub is None:
            continue
        law = match.group("law")
        found.insert(
            0, StatuteReference(LAW_NAMES[law] if law else None, _forms(number, sub), bool(sub))
        )
        out = out[: match.start()] + " " * (match.end() - match.start()) + out[match.end() :]
    english: list[StatuteReference] = []
    for match in reversed(list(_EN_STATUTE.finditer(out))):
        number = int(match.group("num"))
        sub = int(match.group("sub")) if match.group("sub") else 0
        if not 0 < number <= 2000:
            continue
        law = match.group("before") or match.group("after")
        english.insert(
            0,
            StatuteReference(
                ENGLISH_LAW_NAMES[law] if law else None,
                _forms(number, sub),
                bool(sub),
                f"article {number}-{sub}" if sub else f"article {number}",
                law,
            ),
        )
        out = out[: match.start()] + " " * (match.end() - match.start()) + out[match.end() :]
    return found + english, out


def _forms(number: int, sub: int) -> tuple[str, str]:
    """An article as documents write it, in Chinese and in Arabic numerals (之 and the
    sub-number for an inserted article): 第二百八十七条之二, 第287条之二."""
    suffix = SUB_ARTICLE + chinese_number(sub) if sub else ""
    return f"第{chinese_number(number)}条{suffix}", f"第{number}条{suffix}"


# The place words of an English address and how Chinese writes them.
PLACE_WORDS: dict[str, str] = {
    "road": "路", "rd": "路", "street": "街", "st": "街", "avenue": "大道", "ave": "大道",
    "boulevard": "大道", "lane": "巷", "alley": "巷", "town": "镇", "village": "村",
    "square": "广场", "bridge": "桥",
}  # fmt: skip
PLACE_DIRECTIONS: dict[str, str] = {
    "north": "北", "south": "南", "east": "东", "west": "西", "middle": "中", "central": "中",
}  # fmt: skip
_LATIN_WORD = re.compile(r"[A-Za-z]+")
MAX_SYLLABLE = 6  # zhuang, shuang


@dataclass(frozen=True)
class PlaceName:
    """A place written in Latin letters: its text as typed, the name and the Chinese
    characters of its direction and place words (Hubin North Road: hubin, 北路)."""

    typed: str
    name: str
    ending: str
    start: int
    end: int


def place_names(text: str) -> list[PlaceName]:
    """The pinyin place names a query may have: one or two words that read as pinyin
    syllables only, before a place word (and maybe a direction); for a place word,
    the two-word reading first (Bin Jiang Road, a Binjiang Road)."""
    words = list(_LATIN_WORD.finditer(text))
    found: list[PlaceName] = []
    for i, word in enumerate(words):
        place = PLACE_WORDS.get(word.group().lower())
        if place is None:
            continue
        end = i
        direction = PLACE_DIRECTIONS.get(words[i - 1].group().lower(), "") if i else ""
        if direction:
            end -= 1
        for count in (2, 1):
            start = end - count
            if start < 0 or any(
                not _adjacent(text, a, b)
                for a, b in zip(words[start:i], words[start + 1 : i + 1], strict=True)
            ):
                continue
            name = "".join(w.group() for w in words[start:end]).lower()
            if name in PLACE_WORDS or name in PLACE_DIRECTIONS or not pinyin_readings(name):
                continue
            typed = text[words[start].start() : word.end()]
            found.append(
                PlaceName(typed, name, direction + place, words[start].start(), word.end())
            )
    return found


def _adjacent(text: str, first: re.Match[str], second: re.Match[str]) -> bool:
    """Whether only spaces or a hyphen come between two words."""
    return not text[first.end() : second.start()].strip(" -")


@lru_cache(maxsize=1)
def pinyin_syllables() -> frozenset[str]:
    """Every toneless pinyin syllable with a vowel (ü written v), from pypinyin's readings."""
    from pypinyin import Style, lazy_pinyin

    chars = "".join(chr(code) for code in range(0x4E00, 0x9FA6))
    return frozenset(
        s for s in lazy_pinyin(chars, style=Style.NORMAL) if s.isascii() and set(s) & set("aeiouv")
    )


@lru_cache(maxsize=1024)
def pinyin_readings(word: str, limit: int = 4) -> tuple[str, ...]:
    """Ways to read a lower-case Latin word as pinyin syllables (joined by spaces),
    fewest syllables first: "binjiang" is "bin jiang", "xian" "xian" then "xi an"."""
    syllables = pinyin_syllables()
    readings: list[list[str]] = []

    def walk(start: int, path: list[str]) -> None:
        if len(readings) >= limit * 4:
            return
        if start == len(word):
            readings.append(path)
            return
        for end in range(min(len(word), start + MAX_SYLLABLE), start, -1):
            if word[start:end] in syllables:
                walk(end, [*path, word[start:end]])

    if word.isascii() and word.isalpha():
        walk(0, [])
    readings.sort(key=len)
    return tuple(" ".join(r) for r in readings[:limit])
