"""The personal-data guard: what it finds, what it leaves alone, and how it masks."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from portal.disclosure.guard import (
    Finding,
    GuardPolicy,
    find_personal_data,
    is_valid_id_number,
    luhn_ok,
    mask,
    mask_name,
)
from portal.markup import render_markdown

# --- independent reference implementations -----------------------------------


def id_check_char(body: str) -> str:
    """ISO 7064 MOD 11-2 by its definition: the check makes the weighted sum ≡ 1 (mod 11)."""
    total = sum(int(d) * pow(2, 17 - i, 11) for i, d in enumerate(body))
    value = next(c for c in range(11) if (total + c) % 11 == 1)
    return "X" if value == 10 else str(value)


def make_id(area: str, birth: str, seq: str) -> str:
    body = area + birth + seq
    assert len(body) == 17
    return body + id_check_char(body)


def wrong_check(id_number: str) -> str:
    """The same number with a check character that is not the right one."""
    right = id_number[-1]
    return id_number[:-1] + ("1" if right != "1" else "2")


def luhn_reference(number: str) -> bool:
    digits = [int(d) for d in reversed(number)]
    total = sum(d if i % 2 == 0 else sum(divmod(d * 2, 10)) for i, d in enumerate(digits))
    return total % 10 == 0


def complete_card(prefix: str) -> str:
    """`prefix` plus the one digit that makes it pass Luhn."""
    return next(prefix + d for d in "0123456789" if luhn_reference(prefix + d))


def kinds(text: str, names: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in find_personal_data(text, names)]


def only(text: str, names: tuple[str, ...] = ()) -> Finding:
    findings = find_personal_data(text, names)
    assert len(findings) == 1, findings
    return findings[0]


ID_GB = "11010519491231002X"  # the example in GB 11643-1999
ID_SZ = make_id("440304", "19850612", "123")
ID_LEAP = make_id("310101", "20000229", "456")
ID_1900 = make_id("510104", "19000101", "001")
ID_LEGACY = "110105491231002"  # 15 digits: area, 491231, sequence
CARD_16 = complete_card("622202123456789")
CARD_19 = complete_card("621700123456789012")
NEXT_YEAR = date.today().year + 1


# --- identity numbers ------------------------------------------------------------


def test_reference_check_digit_agrees_with_the_standard_example() -> None:
    assert id_check_char(ID_GB[:17]) == "X"


@pytest.mark.parametrize(
    "value", [ID_GB, ID_GB.lower(), ID_SZ, ID_LEAP, ID_1900, make_id("650102", "20101010", "999")]
)
def test_valid_id_numbers(value: str) -> None:
    assert is_valid_id_number(value)


@pytest.mark.parametrize(
    "value",
    [
        wrong_check(ID_GB),
        wrong_check(ID_SZ),
        wrong_check(ID_LEAP),
        ID_GB[:17] + "Y",
        make_id("110105", "19490230", "002"),  # 30 February
        make_id("110105", "20010229", "002"),  # not a leap year
        make_id("110105", "19491301", "002"),  # month 13
        make_id("110105", "18991231", "002"),  # before 1900
        make_id("110105", f"{NEXT_YEAR}0101", "002"),  # born in the future
        make_id("010105", "19491231", "002"),  # no area code starts with 0
        ID_GB[:17],
        ID_GB + "1",
        " " + ID_GB,
        ID_GB + " ",
        "1101051949123100X2",
        "",
        "１１０１０５１９４９１２３１００２Ｘ",  # full-width: forms normalise first
    ],
)
def test_invalid_id_numbers(value: str) -> None:
    assert not is_valid_id_number(value)


def test_legacy_numbers_are_valid_only_when_asked_for() -> None:
    assert not is_valid_id_number(ID_LEGACY)
    assert is_valid_id_number(ID_LEGACY, allow_legacy=True)
    assert not is_valid_id_number("110105490231002", allow_legacy=True)  # 31 February 1949
    assert not is_valid_id_number("110105491331002", allow_legacy=True)


@pytest.mark.parametrize(
    "text, expected",
    [
        (f"身份证号码{ID_GB}，", ID_GB),
        (f"身份证号码{ID_GB.lower()}。", ID_GB.lower()),
        (f"公民身份号码：{ID_SZ}", ID_SZ),
        (f"{ID_LEAP}", ID_LEAP),
        (f"原身份证号{ID_LEGACY}已作废", ID_LEGACY),
        (
            f"身份证号 {ID_SZ[:6]} {ID_SZ[6:14]} {ID_SZ[14:]} 。",
            f"{ID_SZ[:6]} {ID_SZ[6:14]} {ID_SZ[14:]}",
        ),
        ("身份证号１１０１０５１９４９１２３１００２Ｘ", "１１０１０５１９４９１２３１００２Ｘ"),
    ],
)
def test_id_numbers_are_found(text: str, expected: str) -> None:
    finding = only(text)
    assert (finding.kind, finding.text) == ("id_number", expected)
    assert text[finding.start : finding.end] == expected


@pytest.mark.parametrize(
    "text",
    [
        f"编号{wrong_check(ID_GB)[:6].replace('11', '99')}{wrong_check(ID_GB)[6:]}",  # no area 99
        f"编号{make_id('110105', '19491331', '002')[:17]}5",  # month 13, wrong check digit
        f"流水号9{ID_GB}",  # inside a longer run of digits
        f"流水号{ID_SZ}7",
        f"流水号1{ID_LEGACY}",
        "1101054912310025",  # 16 digits
        "110105491331002",  # 15 digits, month 13
    ],
)
def test_numbers_that_are_not_id_numbers(text: str) -> None:
    assert kinds(text) == []


@pytest.mark.parametrize("value", [wrong_check(ID_GB), wrong_check(ID_SZ), wrong_check(ID_LEAP)])
def test_a_wrong_check_digit_with_a_real_area_and_birth_date_is_a_possible_id(value: str) -> None:
    # Most likely a real number mistyped: the editor confirms, and the mask keeps only the province.
    finding = only(f"身份证号{value}。")
    assert (finding.kind, finding.text) == ("possible_id_number", value)
    assert finding.replacement == value[:2] + "*" * 16


# The example: its first 16 digits pass Luhn, so it used to be masked as a card.
GROUPED_ID = "4401 0619 6308 1665 45"


@pytest.mark.parametrize(
    "written",
    [
        GROUPED_ID,
        f"{ID_SZ[:6]}-{ID_SZ[6:14]}-{ID_SZ[14:]}",
        f"{ID_SZ[:10]}\n{ID_SZ[10:]}",
        f"{ID_SZ[:6]}\n  {ID_SZ[6:]}",
        "４４０１　０６１９　６３０８　１６６５　４５",
        f"{ID_GB[:17]}\n{ID_GB[17]}",
        f"{ID_SZ[:9]}\n> {ID_SZ[9:]}",  # wrapped inside a Markdown quote
    ],
)
def test_id_numbers_written_in_groups_or_across_lines_are_id_numbers(written: str) -> None:
    finding = only(f"身份证号码{written}，汉族。")
    assert (finding.kind, finding.text) == ("id_number", written)
    masked = mask(f"身份证号码{written}，汉族。", [finding])
    assert sum(ch.isdigit() for ch in masked) == 2  # the province only


def test_id_replacement_keeps_only_the_province() -> None:
    assert only(f"身份证{ID_GB}").replacement == "11" + "*" * 16
    assert only(f"身份证{ID_LEGACY}").replacement == "11" + "*" * 13
    spaced = f"{ID_SZ[:6]} {ID_SZ[6:14]} {ID_SZ[14:]}"
    assert only(spaced).replacement == "44**** ******** ****"


def test_an_id_number_that_also_passes_luhn_is_an_id_number() -> None:
    both = next(
        candidate
        for seq in range(1000)
        if (candidate := make_id("440304", "19850612", f"{seq:03d}"))[-1] != "X"
        and luhn_reference(candidate)
    )
    assert kinds(f"号码{both}") == [("id_number", both)]


def test_an_18_digit_card_that_reads_as_an_area_and_birth_date_is_a_possible_id() -> None:
    # Both are personal data; the identity-number mask shows less.
    card = next(
        candidate
        for seq in range(1000)
        if luhn_reference(candidate := complete_card(f"61010219850612{seq:03d}"))
        and not is_valid_id_number(candidate)
    )
    assert kinds(f"号码{card}") == [("possible_id_number", card)]


def test_an_18_digit_number_with_a_wrong_check_digit_and_no_area_may_still_be_a_card() -> None:
    card = complete_card("95588019850612123")
    assert not is_valid_id_number(card)
    assert kinds(f"号码{card}") == [("bank_card", card)]


@pytest.mark.parametrize(
    "written",
    [
        f"{CARD_19[:6]} {CARD_19[6:]}",
        f"{CARD_19[:4]}-{CARD_19[4:8]}-{CARD_19[8:12]}-{CARD_19[12:16]}-{CARD_19[16:]}",
        f"{CARD_16[:4]}-{CARD_16[4:8]}-{CARD_16[8:12]}-{CARD_16[12:]}",
        f"{CARD_19[:10]}\n{CARD_19[10:]}",
    ],
)
def test_bank_cards_grouped_or_dashed_are_found(written: str) -> None:
    finding = only(f"卡号{written}。")
    assert (finding.kind, finding.text) == ("bank_card", written)
    assert [ch for ch in finding.replacement if ch.isdigit()] == list(
        CARD_19[-4:]
        if len(written.replace(" ", "").replace("-", "").replace("\n", "")) == 19
        else CARD_16[-4:]
    )


# --- bank cards --------------------------------------------------------------


@pytest.mark.parametrize(
    "digits",
    [
        "4111111111111111",
        "5555555555554444",
        "4012888888881881",
        "6011111111111117",
        "79927398713",
        "0",
        CARD_16,
        CARD_19,
    ],
)
def test_luhn_accepts(digits: str) -> None:
    assert luhn_reference(digits)
    assert luhn_ok(digits)


@pytest.mark.parametrize(
    "digits",
    [
        "4111111111111112",
        "5555555555554445",
        "79927398710",
        CARD_16[:-1] + str((int(CARD_16[-1]) + 1) % 10),
        "",
        "4111 1111 1111 1111",
        "411111111111111x",
        "４１１１１１１１１１１１１１１１",
    ],
)
def test_luhn_rejects(digits: str) -> None:
    assert not luhn_ok(digits)


@pytest.mark.parametrize(
    "text, expected, replacement",
    [
        (f"卡号{CARD_16}。", CARD_16, "*" * 12 + CARD_16[-4:]),
        (f"卡号{CARD_19}", CARD_19, "*" * 15 + CARD_19[-4:]),
        ("卡号4111 1111 1111 1111，", "4111 1111 1111 1111", "**** **** **** 1111"),
        (
            f"卡号{CARD_19[:4]} {CARD_19[4:8]} {CARD_19[8:12]} {CARD_19[12:16]} {CARD_19[16:]}",
            f"{CARD_19[:4]} {CARD_19[4:8]} {CARD_19[8:12]} {CARD_19[12:16]} {CARD_19[16:]}",
            f"**** **** **** ***{CARD_19[15]} {CARD_19[16:]}",
        ),
        ("5555555555554444", "5555555555554444", "************4444"),
        ("卡号4111 1111 1111 1111 2021年", "4111 1111 1111 1111", "**** **** **** 1111"),
    ],
)
def test_bank_cards_are_found(text: str, expected: str, replacement: str) -> None:
    finding = only(text)
    assert (finding.kind, finding.text, finding.replacement) == ("bank_card", expected, replacement)


@pytest.mark.parametrize(
    "text",
    [
        "卡号4111111111111112",  # fails Luhn
        "卡号4111 1111 1111 1112",
        "卡号41111111111111111111",  # 20 digits
        f"卡号{CARD_16}0000",  # part of a longer run
        f"卡号9{CARD_16}",
        "卡号378282246310005",  # 15 digits
        f"编号{CARD_16}X",  # part of an identifier
        "流水号" + complete_card("202103041234567"),  # a year, not a card issuer
        "编号" + complete_card("000000000000000"),
    ],
)
def test_numbers_that_are_not_bank_cards(text: str) -> None:
    assert kinds(text) == []


# --- mobiles -----------------------------------------------------------------


@pytest.mark.parametrize(
    "number, replacement",
    [
        ("13800138000", "138****8000"),
        ("138 0013 8000", "138****8000"),
        ("138-0013-8000", "138****8000"),
        ("19912345678", "199****5678"),
        ("+8613800138000", "+86138****8000"),
        ("+86 138 0013 8000", "+86 138****8000"),
        ("+86-138-0013-8000", "+86-138****8000"),
        ("8613800138000", "86138****8000"),
        ("008613800138000", "0086138****8000"),
        ("(+86)13800138000", "(+86)138****8000"),
        ("１３８００１３８０００", "１３８****８０００"),
    ],
)
def test_mobiles_are_found(number: str, replacement: str) -> None:
    for text in (number, f"联系电话{number}。", f"电话：{number}，"):
        finding = only(text)
        assert (finding.kind, finding.text, finding.replacement) == ("mobile", number, replacement)


@pytest.mark.parametrize(
    "text",
    [
        "12800138000",  # no mobile starts with 12
        "10086",
        "1380013800",  # 10 digits
        "213800138000",  # inside a longer run
        "138001380001",
        "13800138000123456",
        "138 0013 800",
        "1380 013 8000",
        "共计13800元",
        "涉案金额人民币15000000000元",  # 150亿元
        "共计15000000000.50元",
        "损失13800138000 万元",
        "¥13800138000",
        "人民币13800138000",
        "0.13800138000",
        "13800138000.5",
    ],
)
def test_numbers_that_are_not_mobiles(text: str) -> None:
    assert kinds(text) == []


def test_a_mobile_inside_an_id_number_is_not_reported() -> None:
    id_number = make_id("110105", "19900307", "138")  # holds 19900307138
    assert kinds(f"身份证号{id_number}") == [("id_number", id_number)]
    assert kinds(f"身份证号{wrong_check(id_number)}") == [
        ("possible_id_number", wrong_check(id_number))
    ]


# --- e-mail ------------------------------------------------------------------


@pytest.mark.parametrize(
    "address, replacement",
    [
        ("zhangsan@example.com", "z***@example.com"),
        ("li.si+case@mail.example.com.cn", "l***@mail.example.com.cn"),
        ("A_B-1@example-mail.org", "A***@example-mail.org"),
        ("13800138000@qq.com", "1***@qq.com"),
        ("ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ", "ｚ***＠ｅｘａｍｐｌｅ．ｃｏｍ"),
    ],
)
def test_emails_are_found(address: str, replacement: str) -> None:
    for text in (address, f"电子邮箱{address}。", f"邮箱：{address}，"):
        finding = only(text)
        assert (finding.kind, finding.text, finding.replacement) == ("email", address, replacement)


@pytest.mark.parametrize("text", ["@example.com", "zhangsan@", "a@b", "a@@b.com", "user@localhost"])
def test_text_that_is_not_an_email(text: str) -> None:
    assert kinds(text) == []


# --- addresses ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text, address, replacement",
    [
        (
            "住广东省深圳市龙华区民治街道人民路123号4栋502室。",
            "广东省深圳市龙华区民治街道人民路123号4栋502室",
            "广东省深圳市龙华区民治街道人民路***",
        ),
        (
            "示例市示例区建设路88号3单元1201室",
            "示例市示例区建设路88号3单元1201室",
            "示例市示例区建设路***",
        ),
        ("家住XX小区5栋2单元301，", "XX小区5栋2单元301", "***"),
        ("户籍地XX村12号。", "XX村12号", "XX村***"),
        (
            "现住示例市示例区建设路XX花园3栋1202室",
            "示例市示例区建设路XX花园3栋1202室",
            "示例市示例区建设路***",
        ),
        (
            "住示例县示例镇示例村三组12号",
            "示例县示例镇示例村三组12号",
            "示例县示例镇示例村***",
        ),
        (
            "位于示例市示例区建设路东段16号",
            "示例市示例区建设路东段16号",
            "示例市示例区建设路东段***",
        ),
        ("住示例区示例大厦A座1201室", "示例区示例大厦A座1201室", "示例区***"),
        ("住示例小区5-2-301", "示例小区5-2-301", "***"),
        (
            "上海市示例区示例路123弄5号601室",
            "上海市示例区示例路123弄5号601室",
            "上海市示例区示例路***",
        ),
        (
            "住示例市示例区示例路88号院3号楼",
            "示例市示例区示例路88号院3号楼",
            "示例市示例区示例路***",
        ),
        ("2021年3月4日示例村12号", "示例村12号", "示例村***"),
        ("22时许示例村12号", "示例村12号", "示例村***"),
        ("住示例路十二号", "示例路十二号", "示例路***"),
        ("住示例小区3期5栋201", "示例小区3期5栋201", "***"),
        ("住示例市示例花园二期3栋1201室", "示例市示例花园二期3栋1201室", "示例市***"),
    ],
)
def test_detailed_addresses_are_found(text: str, address: str, replacement: str) -> None:
    finding = only(text)
    assert (finding.kind, finding.text, finding.replacement) == ("address", address, replacement)


@pytest.mark.parametrize(
    "text",
    [
        "示例区建设路附近",
        "在示例市示例区",
        "行驶至示例市示例区建设路与人民路交叉口",
        "示例市示例区民治街道示例社区",
        "示检刑诉〔2021〕1247号",
        "示例市示例区人民法院（2021）示0102刑初345号刑事判决书",
        "示例市人民政府3号楼",
        "示例市第一人民医院3号楼",
        "示例大厦12层",  # a floor, not a home
        "示例村三组",  # a village group, not a house
        "示例小区3期5栋",  # a building, not a flat
        "示例路88弄",  # a lane
        "示例花园3室2厅的房屋",  # a flat's layout
        "烧毁示例村3栋房屋",
        "乘坐地铁3号线",
        "2021年3月12号",
    ],
)
def test_places_that_are_not_detailed_addresses(text: str) -> None:
    assert kinds(text) == []


# --- sensitive names ---------------------------------------------------------


@pytest.mark.parametrize(
    "name, masked",
    [
        ("李四", "李某某"),
        ("张三丰", "张某某"),
        ("欧阳小明", "欧阳某某"),
        ("司马光", "司马某某"),
        ("欧阳", "欧某某"),  # a two-character name: 欧 is the surname
        ("阿依古丽·买买提", "阿某某"),
        (" 王五 ", "王某某"),
    ],
)
def test_mask_name(name: str, masked: str) -> None:
    assert mask_name(name) == masked


@pytest.mark.parametrize("name", ["", "   "])
def test_mask_name_refuses_empty_names(name: str) -> None:
    with pytest.raises(ValueError):
        mask_name(name)


def test_every_occurrence_of_a_sensitive_name() -> None:
    text = "被害人李四与证人王五称，李四于当晚报警。"
    findings = find_personal_data(text, ["李四", "王五"])
    assert [(f.kind, f.start, f.text, f.replacement) for f in findings] == [
        ("sensitive_name", 3, "李四", "李某某"),
        ("sensitive_name", 8, "王五", "王某某"),
        ("sensitive_name", 12, "李四", "李某某"),
    ]
    assert mask(text, findings) == "被害人李某某与证人王某某称，李某某于当晚报警。"


def test_empty_and_repeated_names_are_ignored() -> None:
    assert find_personal_data("李四报警", ["", "  "]) == []
    assert find_personal_data("张某某报警", ["某某"]) == []
    assert len(find_personal_data("李四报警", ["李四", "李四", " 李四 "])) == 1


def test_names_already_pseudonymised_are_not_findings() -> None:
    assert find_personal_data("被告人张某某", ["张某某"]) == []
    findings = find_personal_data("李某某与李某", ["李某"])
    assert [(f.start, f.text) for f in findings] == [(4, "李某")]


def test_overlapping_names_the_longest_wins() -> None:
    findings = find_personal_data("欧阳小明和小明", ["小明", "欧阳小明"])
    assert [(f.start, f.text, f.replacement) for f in findings] == [
        (0, "欧阳小明", "欧阳某某"),
        (5, "小明", "小某某"),
    ]


def test_the_estate_building_and_room_after_a_house_number_are_masked_with_it() -> None:
    # They used to be separate findings, and a building without a room was left visible.
    for text, masked in (
        ("示例路88号示例大厦12层1201室", "示例路***"),
        ("住示例路18号阳光小区5栋。", "住示例路***。"),
        ("住示例市建设路88号示例花园三号楼二单元五〇二室。", "住示例市建设路***。"),
    ):
        assert mask(text, find_personal_data(text)) == masked


@pytest.mark.parametrize(
    "text, address",
    [
        ("现住示例市示例区翠苑小区三栋一单元六〇一室。", "示例市示例区翠苑小区三栋一单元六〇一室"),
        ("住示例市示例区和平里九号院三号楼五〇三室", "示例市示例区和平里九号院三号楼五〇三室"),
        ("家住示例大厦十二层一二〇三室", "示例大厦十二层一二〇三室"),
        ("住示例市示例区紫荆公寓B座1808室", "示例市示例区紫荆公寓B座1808室"),
    ],
)
def test_addresses_in_chinese_numerals_are_found(text: str, address: str) -> None:
    finding = only(text)
    assert (finding.kind, finding.text) == ("address", address)
    assert not any(ch in finding.replacement for ch in "0123456789〇一二三四五六七八九十号栋室")


@pytest.mark.parametrize(
    "text",
    [
        "本院地址：示例市示例区法治大道100号。",
        "示例市人民检察院位于示例市示例区法治大道100号。",
        "示例市示例区人民法院（示例市示例区审判路8号）公开开庭审理。",
        "示例派出所地址：示例区建设路168号。",
        "示例派出所值班电话13800138000。",
        "示例市公安局交通警察支队车管所（地址：示例区车站路9号）。",
        "示例县人民法院诉讼服务中心一楼接待窗口位于示例镇法院街5号。",
    ],
)
def test_public_institutions_addresses_and_phones_are_not_personal_data(text: str) -> None:
    assert kinds(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "被告人系示例派出所辅警，住示例区建设路168号3栋201室。",
        "示例派出所民警张某某家住示例区建设路168号。",
        "示例市公安局民警李某某，手机13800138000。",
        "被告人在示例市公安局附近的示例小区3栋201室租住。",
    ],
)
def test_a_person_near_an_institution_keeps_their_personal_data(text: str) -> None:
    assert kinds(text)


def test_the_policy_adds_institutions_and_the_portals_own_contact_details() -> None:
    text = (
        "示例大学保卫处地址：示例区学院路1号；"
        "来信请寄示例市示例区法治大道100号，或 service@procuratorate.example。"
    )
    assert [k for k, _ in kinds(text)] == ["address", "address", "email"]
    policy = GuardPolicy(
        institutions=("保卫处",),
        official_values=("示例市示例区法治大道 100 号", "service@procuratorate.example"),
    )
    assert find_personal_data(text, policy=policy) == []


def test_a_name_before_an_address_stays_a_separate_finding() -> None:
    for text in ("李四住示例市示例区建设路88号", "证人李四示例村12号"):
        findings = find_personal_data(text, ["李四"])
        assert [f.kind for f in findings] == ["sensitive_name", "address"]
        assert "李四" not in mask(text, findings)


def test_names_must_be_a_sequence_of_names() -> None:
    with pytest.raises(TypeError):
        find_personal_data("李四", "李四")


# --- several findings, masking, context --------------------------------------

MIXED = (
    f"被告人李四，公民身份号码{ID_GB}，住示例市示例区建设路88号3单元1201室，"
    f"联系电话138-0013-8000，银行卡号4111 1111 1111 1111，电子邮箱lisi@example.com。"
    f"李四曾以该卡收款。"
)


def test_findings_are_ordered_and_do_not_overlap() -> None:
    findings = find_personal_data(MIXED, ["李四"])
    assert [f.kind for f in findings] == [
        "sensitive_name",
        "id_number",
        "address",
        "mobile",
        "bank_card",
        "email",
        "sensitive_name",
    ]
    for earlier, later in zip(findings, findings[1:], strict=False):
        assert earlier.end <= later.start
    for finding in findings:
        assert MIXED[finding.start : finding.end] == finding.text


def test_mask_replaces_every_finding_in_place() -> None:
    findings = find_personal_data(MIXED, ["李四"])
    assert mask(MIXED, findings) == (
        "被告人李某某，公民身份号码11****************，住示例市示例区建设路***，"
        "联系电话138****8000，银行卡号**** **** **** 1111，电子邮箱l***@example.com。"
        "李某某曾以该卡收款。"
    )


def test_mask_accepts_findings_in_any_order_and_a_subset() -> None:
    findings = find_personal_data(MIXED, ["李四"])
    reordered = [findings[3], findings[0], findings[5]]
    masked = mask(MIXED, reordered)
    assert "138****8000" in masked and "李某某，公民" in masked and "l***@" in masked
    assert ID_GB in masked and "李四曾" in masked


def test_mask_without_findings_returns_the_text() -> None:
    assert mask(MIXED, []) == MIXED


def test_mask_refuses_findings_from_another_version_of_the_text() -> None:
    findings = find_personal_data(MIXED, ["李四"])
    with pytest.raises(ValueError):
        mask("前言" + MIXED, findings)
    with pytest.raises(ValueError):
        mask(MIXED[:10], findings)


def test_mask_refuses_overlapping_findings() -> None:
    a = Finding("mobile", 0, 11, "13800138000", "", "138****8000")
    b = Finding("email", 0, 18, "13800138000@qq.com", "", "1***@qq.com")
    with pytest.raises(ValueError):
        mask("13800138000@qq.com", [a, b])


@pytest.mark.parametrize(
    "text, names",
    [
        (MIXED, ("李四",)),
        ("手机138 0013 8000、13900139000和+86 137-0013-7000。", ()),
        (f"{ID_GB}{'，'}{ID_LEGACY}；{CARD_19}", ()),
        ("李某与李某某住示例村12号", ("李某",)),
    ],
)
def test_masked_text_has_no_findings_left(text: str, names: tuple[str, ...]) -> None:
    masked = mask(text, find_personal_data(text, names))
    assert find_personal_data(masked, names) == []
    assert (
        find_personal_data(mask(text, find_personal_data(text, names), markdown=True), names) == []
    )


def test_markdown_masking_survives_rendering() -> None:
    text = "手机138-0013-8000、139 0013 9000，住示例村12号。"
    findings = find_personal_data(text)
    plain = mask(text, findings)
    assert plain == "手机138****8000、139****9000，住示例村***。"
    html = render_markdown(mask(text, findings, markdown=True))
    assert "138****8000、139****9000，住示例村***。" in html
    assert "<strong>" not in html and "<em>" not in html


def test_context_shows_about_twenty_characters_either_side() -> None:
    before = "甲" * 30
    after = "乙" * 30
    finding = only(f"{before}13800138000{after}")
    assert finding.context == "甲" * 20 + "13800138000" + "乙" * 20
    assert only("手机13800138000").context == "手机13800138000"
    assert only("手机\n13800138000\t。").context == "手机 13800138000 。"


def test_findings_are_frozen() -> None:
    finding = only("13800138000")
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.start = 3  # type: ignore[misc]


# --- a realistic document ------------------------------------------------------

INDICTMENT = """\
示例市示例区人民检察院
起诉书
示检刑诉〔2021〕1247号

被告人张某某，男，1985年6月12日出生，公民身份号码已核实，汉族，初中文化，无业，户籍地示例省示例市示例区。\
因涉嫌盗窃罪，于2021年3月5日被示例市公安局示例分局刑事拘留，同年4月9日经本院批准，\
由示例市公安局示例分局执行逮捕。

本案由示例市公安局示例分局侦查终结，以被告人张某某涉嫌盗窃罪，于2021年6月1日向本院移送审查起诉。\
本院受理后，于2021年6月2日已告知被告人有权委托辩护人，依法讯问了被告人，审查了全部案件材料。

经依法审查查明：

2021年3月4日22时许，被告人张某某在示例市示例区建设路附近，趁被害人李某某不备，\
窃取其放置在电动车上的手提包一个，内有人民币12000元及手机一部（价值人民币3500元）。\
随后，被告人张某某沿建设路往北行至人民路与解放路交叉口，将手机以人民币800元的价格卖给王某某。\
案发后，被告人张某某退赔被害人经济损失人民币15500元，取得被害人谅解。

认定上述事实的证据如下：证人王某某的证言；被害人李某某的陈述；示例市价格认证中心\
示价认〔2021〕88号价格认定结论书；示例市公安局示例分局（2021）示公刑勘字第0315号现场勘验笔录；\
示例市示例区人民法院（2021）示0102刑初345号刑事判决书；第3号监控视频截图；\
交易流水号2021030412345678901等。

本院认为，被告人张某某以非法占有为目的，秘密窃取他人财物，数额较大，\
其行为触犯了《中华人民共和国刑法》第二百六十四条、第67条第3款，犯罪事实清楚，证据确实、充分，\
应当以盗窃罪追究其刑事责任。根据《中华人民共和国刑事诉讼法》第一百七十六条的规定，提起公诉。

此致
示例市示例区人民法院

检察官 赵某某
2021年7月15日
"""


@pytest.mark.parametrize("names", [(), ("张某某", "李某某", "王某某", "赵某某")])
def test_a_pseudonymised_indictment_has_no_findings(names: tuple[str, ...]) -> None:
    assert find_personal_data(INDICTMENT, names) == []


def test_the_same_indictment_with_real_data_is_caught() -> None:
    leaked = INDICTMENT.replace("公民身份号码已核实", f"公民身份号码{ID_SZ}").replace(
        "户籍地示例省示例市示例区", "户籍地示例省示例市示例区建设路88号3单元1201室"
    )
    findings = find_personal_data(leaked, ("王五",))
    assert [f.kind for f in findings] == ["id_number", "address"]
    assert find_personal_data(mask(leaked, findings)) == []
