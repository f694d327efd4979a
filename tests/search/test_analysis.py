"""Text analysis: normalisation, words, bigrams, shingles, document numbers."""

from __future__ import annotations

import pytest

from search import analysis


def test_normalize_keeps_length_so_offsets_mark_the_original():
    text = "ＡＢＣ　１２３İstanbul，被告人\x00王某"
    normalized = analysis.normalize(text)
    assert len(normalized) == len(text)
    assert normalized.startswith("abc 123")
    assert "，被告人 王某" in normalized  # full-width punctuation stays


def test_word_keys_segment_chinese_and_stem_english():
    keys = analysis.word_keys(analysis.normalize("Prosecutors charged drunk-driving 被告人王小明"))
    assert keys[:4] == ["prosecutor", "charg", "drunk", "drive"]
    assert "被告人" in keys


def test_word_positions_are_token_indexes_not_character_offsets():
    first, repeated, length = analysis.word_positions("人民检察院认为被告人有罪，人民检察院")
    assert first["人民检察院"] == 0
    assert repeated["人民检察院"] == [0, 4]
    assert length == 5


def test_bigrams_of_cjk_and_digit_runs_with_character_offsets():
    first, repeated = analysis.gram_positions("王小明 2019年，王小明")
    assert first["王小"] == 0
    assert repeated["王小"] == [0, 10]
    assert first["9年"] == 7
    assert "明 " not in first and "明2" not in first  # runs stop at spaces


def test_shingles_join_two_to_four_adjacent_words():
    shingles = analysis.word_shingles("本院受理后，依法讯问")
    assert {"本院受理", "受理后", "本院受理后"} <= shingles
    assert "受理后依法" not in shingles  # never across punctuation


@pytest.mark.parametrize(
    "typed",
    [
        "深龙华检刑诉〔2019〕1247号",
        "深龙华检刑诉[2019]1247号",
        "深龙华检刑诉【2019】1247号",
        "深龙华检刑诉(2019)1247号",
        "深龙华检刑诉（2019）1247号",
        "深龙华检刑诉［２０１９］１２４７号",
        " 深龙华检刑诉 〔2019〕 1247 号 ",
    ],
)
def test_document_number_variants_normalise_to_one_form(typed):
    assert analysis.normalize_number(typed) == "深龙华检刑诉〔2019〕1247号"
    assert analysis.looks_like_number(analysis.normalize_number(typed))


def test_bm25_impacts_grow_with_frequency_and_shrink_with_length():
    short = analysis.bm25_impacts(10, 100.0)
    long = analysis.bm25_impacts(1000, 100.0)
    assert short[1] < short[2] < short[10]
    assert long[1] < short[1]
    assert max(short) <= 255
