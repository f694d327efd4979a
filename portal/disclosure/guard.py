"""Keeps citizens' personal data out of published legal documents.

A draft is scanned before it can be approved for publication: identity numbers,
mobile numbers, bank cards, e-mail addresses, detailed home addresses and the
names staff marked as sensitive are reported as `Finding`s, and `mask` replaces
them. Pure functions: no Flask, no database.

Decisions a reviewer should know:

* Numbers are matched on a copy of the text in which full-width ASCII forms
  (０-９, Ｘ, ＠, －, …) and the ideographic space are folded to ASCII, character
  for character, so offsets always refer to the text given.
* Long numbers are read as people write them: in one run, or in whole groups
  separated by spaces, a dash or a line break (4401 0619 6308 1665 45,
  440106-19630816-6545, a number wrapped across two lines). A group is never
  split, so a number inside a longer run of digits is not reported.
* An 18-character number with a real area code and birth date but a wrong
  GB 11643 check digit is reported as a "possible identity number": most
  likely a real number mistyped, for the editor to confirm. Without a real
  area code (year-prefixed serials, 20210304…) it is not an identity number,
  but may still be a bank card if it passes the card rules.
* `is_valid_id_number` accepts only 18-character numbers unless
  `allow_legacy=True`: first-generation 15-digit cards stopped being valid in
  2013, so forms should not accept them, but the guard still finds them.
* Bank cards must start like a real card (3, 4, 5, 6, 9 or Mastercard
  2221-2720) and pass the Luhn check, so that year-prefixed serials such as
  2021030412345678 are not reported.
* Eleven-digit amounts (人民币15000000000元, 150亿元) are not mobile numbers.
* Addresses are reported only down to a house number or room ("…路88号",
  "…小区5栋2单元301", "…村12号", 三号楼二单元五〇二室 in Chinese numerals); a
  lone building or floor ("…大厦12层") is not. An address runs on over the
  estate, building and room after its house number (…路88号示例花园3栋502室), so
  that none of them survives the mask.
* Addresses, phones and mailboxes of public bodies (procuratorates, courts,
  police stations, and those a `GuardPolicy` adds) are not personal data when
  they follow the body's name ("本院地址：…", "示例区人民法院（…）"), and neither are
  the procuratorate's own contact details.
* Identity numbers keep only the two-digit province code: an indictment states
  the birth date and household registration, so keeping the area code and last
  digits (110105********123X) would let a reader rebuild the whole number.

Masks: ID 11****************; mobile 138****8000 (a +86 prefix is kept); bank
card ************1111 (grouping spaces kept); e-mail z***@example.com; address
kept down to the last administrative area or road, then *** (建设路88号3单元1201室
-> 建设路***; an estate name is masked too); names 李某某 (`mask_name`). A text
masked with the findings of the guard has no findings left.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

__all__ = [
    "DEFAULT_INSTITUTIONS",
    "KINDS",
    "Finding",
    "GuardPolicy",
    "find_personal_data",
    "is_valid_id_number",
    "luhn_ok",
    "mask",
    "mask_name",
]

KINDS = (
    "id_number",
    "possible_id_number",
    "mobile",
    "bank_card",
    "email",
    "address",
    "sensitive_name",
)
CONTEXT_CHARS = 20

# On ties in length, the more specific kind wins.
_PRIORITY = {
    "id_number": 0,
    "possible_id_number": 1,
    "bank_card": 2,
    "mobile": 3,
    "email": 4,
    "address": 5,
    "sensitive_name": 6,
}


@dataclass(frozen=True)
class Finding:
    """One piece of personal data found in a text."""

    kind: str
    start: int
    end: int
    text: str
    context: str
    replacement: str


# --- normalisation ---------------------------------------------------------

# Full-width ASCII variants (U+FF01-U+FF5E) and the ideographic space fold to
# ASCII one character for one, so offsets in the folded text are offsets in the
# original.
_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def _fold(text: str) -> str:
    return text.translate(_FOLD)


# --- identity numbers ------------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID18 = re.compile(r"[1-9][0-9]{16}[0-9Xx]")
_ID15 = re.compile(r"[1-9][0-9]{14}")


def id_check_digit(body: str) -> str:
    """The GB 11643-1999 (ISO 7064 MOD 11-2) check character of 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(body, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def _plausible_birth(year: int, month: int, day: int) -> bool:
    try:
        born = date(year, month, day)
    except ValueError:
        return False
    return year >= 1900 and born <= date.today()


def is_valid_id_number(value: str, *, allow_legacy: bool = False) -> bool:
    """Whether `value` is exactly a citizen identity number (no spaces around it).

    18 characters: area code, birth date YYYYMMDD (1900 to today), sequence and
    check digit (X or x for ten). With `allow_legacy`, also the 15-digit numbers
    of first-generation cards (birth date YYMMDD in the 1900s).
    """
    if _ID18.fullmatch(value):
        if not _plausible_birth(int(value[6:10]), int(value[10:12]), int(value[12:14])):
            return False
        return id_check_digit(value[:17]) == value[17].upper()
    if allow_legacy and _ID15.fullmatch(value):
        return _plausible_birth(1900 + int(value[6:8]), int(value[8:10]), int(value[10:12]))
    return False


# Province-level codes of GB/T 2260, and 71/81/82/83 (Taiwan, Hong Kong, Macao,
# residence permits).
_PROVINCES = frozenset(
    ("11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36")
    + ("37", "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62")
    + ("63", "64", "65", "71", "81", "82", "83")
)


def plausible_region(code: str) -> bool:
    """Whether six digits look like an area code: a province, and a city within it."""
    return code[:2] in _PROVINCES and code[2:4] != "00"


def _id_kind(value: str) -> str | None:
    """id_number, possible_id_number (right area and birth date, wrong check digit) or None."""
    if not plausible_region(value[:6]):
        return None
    if is_valid_id_number(value, allow_legacy=True):
        return "id_number"
    if (
        len(value) == 18
        and _ID18.fullmatch(value)
        and _plausible_birth(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    ):
        return "possible_id_number"
    return None


def _mask_id(original: str, folded: str) -> str:
    """Keep the first two digits (the province); separators stay where they were."""
    out, kept = [], 0
    for char, plain in zip(original, folded, strict=True):
        if plain.isdigit() or plain in "Xx":
            out.append(char if kept < 2 else "*")
            kept += 1
        else:
            out.append(char)
    return "".join(out)


# --- bank cards ------------------------------------------------------------


def luhn_ok(digits: str) -> bool:
    """Whether a string of ASCII digits passes the Luhn (mod 10) check."""
    if not digits or not digits.isascii() or not digits.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _card_issuer_ok(digits: str) -> bool:
    if digits[0] in "34569":
        return True
    return digits[0] == "2" and 2221 <= int(digits[:4]) <= 2720


def _mask_card(original: str, folded: str) -> str:
    digit_positions = [i for i, ch in enumerate(folded) if ch.isdigit()]
    shown = set(digit_positions[-4:])
    return "".join(
        original[i] if i in shown or not ch.isdigit() else "*" for i, ch in enumerate(folded)
    )


# --- mobile numbers --------------------------------------------------------


def _mask_mobile(original: str, folded: str) -> str:
    digit_positions = [i for i, ch in enumerate(folded) if ch.isdigit()][-11:]
    first = digit_positions[0]
    head = "".join(original[i] for i in digit_positions[:3])
    tail = "".join(original[i] for i in digit_positions[-4:])
    return original[:first] + head + "****" + tail


# --- e-mail ----------------------------------------------------------------


def _mask_email(original: str, folded: str) -> str:
    at = folded.index("@")
    return original[0] + "***" + original[at:]


# --- names -----------------------------------------------------------------

# Two-character surnames, run together.
_COMPOUND_SURNAME_RUN = (
    "欧阳太史端木上官司马东方独孤南宫万俟闻人夏侯诸葛尉迟公羊赫连澹台皇甫宗政濮阳公冶"
    "太叔申屠公孙慕容仲孙钟离长孙宇文司徒鲜于司空闾丘子车亓官司寇巫马公西颛孙壤驷公良"
    "漆雕乐正宰父谷梁拓跋夹谷轩辕令狐段干百里呼延东郭南门羊舌微生梁丘左丘西门第五完颜"
)
_COMPOUND_SURNAMES = frozenset(
    _COMPOUND_SURNAME_RUN[i : i + 2] for i in range(0, len(_COMPOUND_SURNAME_RUN), 2)
)


def mask_name(name: str) -> str:
    """The pseudonym published instead of a name: surname + 某某.

    李四 -> 李某某, 张三丰 -> 张某某, 欧阳小明 -> 欧阳某某 (compound surnames are
    kept whole when the name is longer than the surname). Names without a
    Chinese surname keep their first character: 阿依古丽·买买提 -> 阿某某.
    """
    name = name.strip()
    if not name:
        raise ValueError("empty name")
    surname = name[:2] if len(name) > 2 and name[:2] in _COMPOUND_SURNAMES else name[0]
    return surname + "某某"


# --- addresses -------------------------------------------------------------

_NUMERALS = "一二三四五六七八九十百零〇两"
_ROOM_NUMERALS = "〇零一二三四五六七八九"
_UNIT = (
    r"(?:号楼|号院|号房|号|栋|幢|座|单元"
    r"|室(?![0-9一二三四五六七八九十两]+厅)"  # 3室2厅 is a flat's layout
    r"|楼|层|弄|巷|组|队|期|区)"
)
_ADDRESS_NUMBER = re.compile(
    rf"(?<![0-9A-Za-z{_NUMERALS}-])"
    r"(?:"
    rf"(?:(?:[0-9]+(?:-[0-9]+)*|[A-Za-z]|[{_NUMERALS}]+){_UNIT})+"
    r"(?:(?:(?<=栋)|(?<=幢)|(?<=座)|(?<=元)|(?<=楼))"
    rf"(?:[0-9]{{2,5}}(?![0-9])|[{_ROOM_NUMERALS}]{{3,4}}(?![{_NUMERALS}])))?"
    r"|[0-9]+(?:-[0-9]+){2,}(?![0-9])"
    r")"
)
_ADDRESS_PART = re.compile(r"[0-9A-Za-z-]+|[" + _NUMERALS + r"]+|[^0-9A-Za-z" + _NUMERALS + "-]+")
_HOUSE_UNITS = frozenset({"号", "号楼", "号院", "号房", "室"})
_BUILDING_UNITS = frozenset({"栋", "幢", "座", "单元", "楼", "层"})

# What a place name just before a house number ends with: roads, lanes,
# villages, estates, buildings.
_LOCALITY_END = re.compile(
    r"(?:[路街道][东西南北中上下一二三四五六七八九十]段|胡同|小区|园区|工业区|厂区|校区|社区"
    r"|大厦|广场|[路街道巷弄里村庄屯寨苑园府邸阁轩湾庭城坊寓舍])\Z"
)
# Words that end like a place but are not one.
_NOT_LOCALITY = re.compile(r"(?:政府|知道|报道|频道|渠道|这里|那里|家里|哪里|夜里|法庭|审判庭)\Z")
# Words that introduce where someone lives: the address starts after the last.
_STRONG_INTRO = re.compile(
    r"住所地|户籍地|户籍所在地|居住地|所在地|住址|地址|位于|家住|现住|暂住|租住|居住|住"
)
# Small words that may stand just before a place; they end the address's prefix
# only when no word above does ("和平里" is a place, "住和平里" is too).
_WEAK_INTRO = re.compile(r"在|于|至|到|往|从|的|系|是|为|和|与|及|或")
# The coarsest part a masked address keeps: administrative areas and roads.
_KEEP_END = re.compile(
    r"(?:[路街道][东西南北中上下一二三四五六七八九十]段|自治区|自治州|地区|街道|社区|胡同|大街|大道"
    r"|(?<![小园厂校业])区|[省市州盟县旗镇乡路街道巷弄里村庄屯寨])"
)
_ADDRESS_MAX_PREFIX = 40
# An estate or building name between two numbers of one address ("…路88号示例花园3栋…").
_ADDRESS_GAP_MAX = 12
_ADDRESS_NUMBER_MAX = 40  # longer than any house, building and room number
# Left over from a date or time just before a place ("4日建设路…", "22时许建设路…").
_DATE_TAIL = re.compile(r"[年月日时分秒号]许?")


def _address_char(char: str) -> bool:
    if char.isascii():
        return char.isalpha()
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf" or char == "·"


def _levels(number: str) -> tuple[bool, int]:
    """(reaches a house or room by its unit, count of building levels incl. a bare room)."""
    if re.fullmatch(r"[0-9]+(?:-[0-9]+){2,}", number):
        return True, 3
    parts = _ADDRESS_PART.findall(number)
    units = parts[1::2]
    building = sum(unit in _BUILDING_UNITS for unit in units)
    room = len(parts) % 2  # a bare room number after the last unit
    return any(unit in _HOUSE_UNITS for unit in units), building + room


def _house_level(number: str) -> bool:
    """Whether the number part reaches a house or room, not just a building or lane."""
    house, levels = _levels(number)
    return house or levels >= 2


def _flat_level(number: str) -> bool:
    """A building and a flat in it (3栋1102室, 8-2-1502): an address even without a street."""
    house, levels = _levels(number)
    return levels >= 2 or (levels >= 1 and house and "室" in number)


def _prefix_start(folded: str, start: int, place_start: int) -> int:
    """Where the address begins: after the last word introducing it."""
    strong = None
    for strong in _STRONG_INTRO.finditer(folded, start, place_start):  # noqa: B007
        pass
    if strong is not None:
        start = strong.end()
        while weak := _WEAK_INTRO.match(folded, start, place_start):
            start = weak.end()
        return start
    for weak in _WEAK_INTRO.finditer(folded, start, place_start):
        start = weak.end()
    return start


def _address_end(folded: str, end: int) -> int:
    """Extend an address over the estate, building and room that follow its house number."""
    while True:
        gap = end
        while gap < len(folded) and gap - end < _ADDRESS_GAP_MAX and _address_char(folded[gap]):
            gap += 1
        following = _ADDRESS_NUMBER.search(folded, end, gap + _ADDRESS_NUMBER_MAX)
        if following is None or following.start() > gap:
            return end
        if _WEAK_INTRO.search(folded, end, following.start()):
            return end
        end = following.end()


def _find_addresses(folded: str, taken: set[int]) -> Iterator[tuple[int, int, int]]:
    """(start, keep_end, end) of each address; `taken` positions (names) are never included."""
    covered = 0
    for match in _ADDRESS_NUMBER.finditer(folded):
        number_start = match.start()
        if number_start < covered or not _house_level(match.group()):
            continue
        window = max(0, number_start - 6)
        locality = _LOCALITY_END.search(folded, window, number_start)
        if locality and _NOT_LOCALITY.search(folded, window, number_start):
            continue
        place_start = locality.start() if locality else number_start
        if any(i in taken for i in range(place_start, number_start)):
            continue
        start = place_start
        limit = max(0, place_start - _ADDRESS_MAX_PREFIX)
        while start > limit and _address_char(folded[start - 1]) and start - 1 not in taken:
            start -= 1
        if locality is None:
            # No street or estate word: only a flat number after "住…" is an address.
            intro = None
            for intro in _STRONG_INTRO.finditer(folded, start, number_start):  # noqa: B007
                pass
            if intro is None or not _flat_level(match.group()) or intro.end() == number_start:
                continue
            start = intro.end()
        else:
            start = _prefix_start(folded, start, place_start)
        date_tail = _DATE_TAIL.match(folded, start, place_start)
        if date_tail and start > 0 and folded[start - 1].isdigit():
            start = date_tail.end()
        keep_end = start
        for keep in _KEEP_END.finditer(folded, start, number_start):
            keep_end = keep.end()
        end = _address_end(folded, match.end())
        covered = end
        yield start, keep_end, end


# --- public institutions ---------------------------------------------------

# Names of public bodies whose own address, phone or mailbox is published on
# purpose (regular expressions; `GuardPolicy.institutions` adds to them).
DEFAULT_INSTITUTIONS = (
    "人民检察院",
    "检察院",
    "本院",
    "人民法院",
    "法院",
    "公安局",
    "公安分局",
    "派出所",
    "公安[^，。；\\s]{0,8}?(?:支队|大队|中队)",
    "看守所",
    "拘留所",
    "监狱",
    "司法局",
    "司法所",
    "人民政府",
    "检察服务中心",
    "诉讼服务中心",
    "信访[^，。；\\s]{0,4}?(?:局|办|中心|接待室)",
    "公证处",
    "仲裁委员会",
)
# Between the institution's name and its address or phone: nothing but "（" or
# "：", or a word saying what follows ("地址：", "位于", "值班电话为") or a bracket,
# either perhaps after a department ("刑侦支队（", "控告申诉检察部地址："); and
# nothing that names a person.
_OFFICIAL_GAP = re.compile(
    r"[\s(:,、]*"
    r"|(?:[\u4e00-\u9fff0-9]{0,10}?[\s(:,、]*)?[\u4e00-\u9fff0-9]{0,10}?"
    r"(?:地址|电话|热线|手机|邮箱|信箱|位于|坐落于|设在|地处|驻地|地点)(?:为|是|于|在)?[\s(:]*"
    r"|[\u4e00-\u9fff0-9]{1,10}?\s*\(\s*"
)
_PERSONAL_MARKER = re.compile(
    r"住|家|户籍|居|本人|个人|私人|其|民警|辅警|干警|职工|员工|工作人员|法官|检察官|警官|律师"
    r"|被告|被害|嫌疑人|证人|当事人|申请人"
)
_CLAUSE_END = re.compile(r"[。；;！？!?\n]")
_OFFICIAL_KINDS = frozenset({"address", "mobile", "email"})
_OFFICIAL_REACH = 40


@dataclass(frozen=True)
class GuardPolicy:
    """What is published on purpose: institutions' own contact details.

    `institutions` are extra name patterns (added to DEFAULT_INSTITUTIONS);
    `official_values` are exact addresses, phones and mailboxes of the
    procuratorate (its CONTACT_* settings), compared without spaces.
    """

    institutions: tuple[str, ...] = ()
    official_values: tuple[str, ...] = ()


@functools.cache
def _institution_pattern(extra: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in (*DEFAULT_INSTITUTIONS, *extra) if p))


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", _fold(text))


def _is_official(folded: str, candidate: _Candidate, policy: GuardPolicy) -> bool:
    """An institution's own address, phone or mailbox, not a person's."""
    value = _squeeze(folded[candidate.start : candidate.end])
    for official in filter(None, map(_squeeze, policy.official_values)):
        # Part of it ("100号" of the address), or it after words ("来信请寄…100号").
        if value in official or value.endswith(official):
            return True
    if candidate.kind not in _OFFICIAL_KINDS:
        return False
    clause_start = max(0, candidate.start - _OFFICIAL_REACH)
    for end in _CLAUSE_END.finditer(folded, clause_start, candidate.start):
        clause_start = end.end()
    for name in _institution_pattern(policy.institutions).finditer(
        folded, clause_start, candidate.start
    ):
        gap = folded[name.end() : candidate.start]
        if _OFFICIAL_GAP.fullmatch(gap) and not _PERSONAL_MARKER.search(gap):
            return True
    return False


# --- finding ---------------------------------------------------------------

# Digits as people write long numbers: in one run, or in groups separated by
# spaces, a dash, or a line break (a number wrapped in a Markdown source).
_SEPARATOR = r"(?:[ \t]*\n[ \t]*(?:>[ \t]*)*|[ \t]{1,2}|[ \t]*-[ \t]*)"  # "\n> " in a quote
_DIGIT_CHAIN = re.compile(
    rf"(?<![0-9A-Za-z])[0-9]+(?:{_SEPARATOR}[0-9]+)*(?:{_SEPARATOR}?[Xx](?![0-9A-Za-z]))?"
)
_DIGIT_GROUP = re.compile(r"[0-9]+[Xx]?|[Xx]")
_MOBILE_CANDIDATE = re.compile(
    r"(?<![0-9+])(?<![0-9]\.)(?<!人民币)(?<![¥￥$])(?:(?:\+|00)?86[ -]?|\(\+?86\)[ -]?)?"
    r"1[3-9][0-9](?:[0-9]{8}|[ -][0-9]{4}[ -][0-9]{4})"
    # Not a decimal or an amount: 人民币15000000000元 is 150亿元, not a phone.
    r"(?![0-9])(?!\.[0-9])(?!\s?(?:元|万|亿|美元|港元|欧元|日元|英镑))"
)
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
    r"(?![A-Za-z0-9-])"
)


def _matches_at_every_start(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """Like finditer, but also tries starts inside an earlier match (grouped digits)."""
    position = 0
    while match := pattern.search(text, position):
        yield match
        position = match.start() + 1


@dataclass(frozen=True)
class _Candidate:
    kind: str
    start: int
    end: int
    replacement: str


def _number_candidates(text: str, folded: str) -> Iterator[_Candidate]:
    """Identity numbers and bank cards: any run of whole digit groups of the right length.

    A group is never split (a longer run of digits is not a number inside it), and
    a group glued to letters (an identifier such as 4111…1111X) is not used.
    """
    for chain in _DIGIT_CHAIN.finditer(folded):
        found = [
            (g.start() + chain.start(), g.end() + chain.start())
            for g in _DIGIT_GROUP.finditer(chain.group())
        ]
        end = chain.end()
        if end < len(folded) and folded[end].isascii() and folded[end].isalnum():
            found.pop()
        for first in range(len(found)):
            value = ""
            for last in range(first, len(found)):
                start, stop = found[first][0], found[last][1]
                value += folded[found[last][0] : stop]
                if len(value) > 19 or (not value[-1].isdigit() and len(value) != 18):
                    break
                if not value[:-1].isdigit():
                    break
                yield from _classify_number(text, folded, start, stop, value)


def _classify_number(
    text: str, folded: str, start: int, end: int, value: str
) -> Iterator[_Candidate]:
    span, original = folded[start:end], text[start:end]
    if len(value) in (15, 18) and (kind := _id_kind(value)):
        yield _Candidate(kind, start, end, _mask_id(original, span))
    if 16 <= len(value) <= 19 and value.isdigit() and _card_issuer_ok(value) and luhn_ok(value):
        yield _Candidate("bank_card", start, end, _mask_card(original, span))


def _mobile_candidates(text: str, folded: str) -> Iterator[_Candidate]:
    for match in _matches_at_every_start(_MOBILE_CANDIDATE, folded):
        original = text[match.start() : match.end()]
        replacement = _mask_mobile(original, match.group())
        yield _Candidate("mobile", match.start(), match.end(), replacement)


def _email_candidates(text: str, folded: str) -> Iterator[_Candidate]:
    for match in _EMAIL.finditer(folded):
        original = text[match.start() : match.end()]
        yield _Candidate("email", match.start(), match.end(), _mask_email(original, match.group()))


def _name_candidates(folded: str, names: Sequence[str]) -> Iterator[_Candidate]:
    for name in dict.fromkeys(_fold(name).strip() for name in names):
        if not name.strip("某"):  # empty, or nothing but 某
            continue
        replacement = mask_name(name)
        position = folded.find(name)
        while position != -1:
            # Already pseudonymised (张某某 given as a name, or 李某 followed by 某).
            if not folded.startswith(replacement, position):
                yield _Candidate("sensitive_name", position, position + len(name), replacement)
            position = folded.find(name, position + 1)


def _context(text: str, start: int, end: int) -> str:
    snippet = text[max(0, start - CONTEXT_CHARS) : end + CONTEXT_CHARS]
    return re.sub(r"\s", " ", snippet)


def find_personal_data(
    text: str, sensitive_names: Sequence[str] = (), policy: GuardPolicy | None = None
) -> list[Finding]:
    """Every finding, ordered by position, non-overlapping (longest/most specific wins).

    Addresses, phones and mailboxes of public institutions (see `GuardPolicy`)
    are not findings.
    """
    policy = policy or GuardPolicy()
    if isinstance(sensitive_names, str):
        raise TypeError("sensitive_names must be a sequence of names, not one string")
    folded = _fold(text)
    candidates = list(_name_candidates(folded, sensitive_names))
    taken = {i for candidate in candidates for i in range(candidate.start, candidate.end)}
    for start, keep_end, end in _find_addresses(folded, taken):
        replacement = text[start:keep_end] + "***"
        candidates.append(_Candidate("address", start, end, replacement))
    candidates.extend(_number_candidates(text, folded))
    candidates.extend(_mobile_candidates(text, folded))
    candidates.extend(_email_candidates(text, folded))

    return [
        Finding(
            kind=c.kind,
            start=c.start,
            end=c.end,
            text=text[c.start : c.end],
            context=_context(text, c.start, c.end),
            replacement=c.replacement,
        )
        for c in _without_overlaps(candidates)
        if not _is_official(folded, c, policy)
    ]


def _without_overlaps(candidates: list[_Candidate]) -> list[_Candidate]:
    """Longest first, then the more specific kind, then the earlier; ordered by position."""
    candidates.sort(key=lambda c: (c.start - c.end, _PRIORITY[c.kind], c.start))
    starts: list[int] = []
    chosen: list[_Candidate] = []  # kept ordered by start; never overlapping
    for candidate in candidates:
        i = bisect.bisect_right(starts, candidate.start)
        if i and chosen[i - 1].end > candidate.start:
            continue
        if i < len(chosen) and chosen[i].start < candidate.end:
            continue
        starts.insert(i, candidate.start)
        chosen.insert(i, candidate)
    return chosen


def mask(text: str, findings: Sequence[Finding], *, markdown: bool = False) -> str:
    """Replace each finding by its replacement; offsets are those of the text given.

    With `markdown`, the asterisks of the replacements are escaped (``\\*``):
    in Markdown, two masked numbers in one paragraph would otherwise pair up as
    emphasis and render as "1388000、1399000". Raises ValueError if a finding
    does not match the text (it was found in an earlier version of the draft)
    or two findings overlap.
    """
    ordered = sorted(findings, key=lambda f: f.start)
    parts: list[str] = []
    position = 0
    for finding in ordered:
        if not 0 <= finding.start <= finding.end <= len(text) or (
            text[finding.start : finding.end] != finding.text
        ):
            raise ValueError(f"finding at {finding.start} does not match the text")
        if finding.start < position:
            raise ValueError(f"findings overlap at {finding.start}")
        replacement = finding.replacement
        if markdown:
            replacement = replacement.replace("*", "\\*")
        parts += (text[position : finding.start], replacement)
        position = finding.end
    parts.append(text[position:])
    return "".join(parts)
