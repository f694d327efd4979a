"""Identity numbers and case numbers as people type them."""

from __future__ import annotations

import pytest

from portal.cases.identity import canonical_id_number, clean_name, valid_id_number
from portal.cases.numbers import case_number_key, looks_like_case_number

from .conftest import PARTY_ID


def test_a_15_digit_number_becomes_its_18_character_form():
    legacy = PARTY_ID[:6] + PARTY_ID[8:17]
    assert canonical_id_number(legacy) == PARTY_ID
    assert valid_id_number(legacy)


@pytest.mark.parametrize(
    "typed",
    [
        PARTY_ID.lower(),
        f" {PARTY_ID[:6]} {PARTY_ID[6:14]} {PARTY_ID[14:]} ",
        "１１０１０５１９８８０５１２０２７ｘ",
    ],
)
def test_case_spaces_and_full_width_forms_are_one_number(typed):
    assert valid_id_number(typed)
    assert canonical_id_number(typed) == PARTY_ID


@pytest.mark.parametrize(
    "typed", [PARTY_ID[:17] + "1", "110105198813120276", "11010519880512027", ""]
)
def test_invalid_numbers_are_refused(typed):
    assert not valid_id_number(typed)


def test_names_match_whatever_the_spacing():
    assert clean_name(" 陈 晓峰 ") == clean_name("陈晓峰")


@pytest.mark.parametrize(
    "typed",
    [
        "深龙华检刑诉〔2019〕1247号",
        "深龙华检刑诉(2019)1247号",
        "深龙华检刑诉（２０１９）１２４７号",
        "深龙华检刑诉 【2019】 1247 号",
    ],
)
def test_case_number_variants_share_one_key(typed):
    assert looks_like_case_number(typed)
    assert case_number_key(typed) == "深龙华检刑诉〔2019〕1247号"


@pytest.mark.parametrize("typed", ["1247", "深龙华检刑诉2019年1247号", "〔2019〕1247号"])
def test_other_forms_are_not_case_numbers(typed):
    assert not looks_like_case_number(typed)
