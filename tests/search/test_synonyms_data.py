"""content/synonyms.txt: every line parses, and every colloquial name leads to a charge the
published documents contain."""

from __future__ import annotations

from pathlib import Path

import pytest

from search import load_synonyms, parse_synonyms
from search.parse import compile_synonyms, fragment_term

ROOT = Path(__file__).resolve().parents[2]
SYNONYMS = ROOT / "content" / "synonyms.txt"


def _lines() -> list[str]:
    lines = []
    for raw in SYNONYMS.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            lines.append(line)
    return lines


def _published_text() -> str:
    parts = []
    for folder in ("documents", "pages"):
        for path in sorted((ROOT / "content" / folder).glob("*.md")):
            parts.append(path.read_text(encoding="utf-8"))
    return "\n".join(parts)


@pytest.mark.parametrize("line", _lines())
def test_every_line_parses_into_searchable_terms(line):
    parsed = parse_synonyms(line)
    assert parsed, f"no synonym group in {line!r}"
    for source, targets in parsed.items():
        assert fragment_term(source.lower()) is not None, source
        for target in targets:
            assert fragment_term(target.lower()) is not None, target


@pytest.mark.parametrize("line", [line for line in _lines() if "=>" in line])
def test_every_colloquial_name_leads_to_a_term_the_documents_contain(line):
    text = _published_text()
    targets = [t.strip() for t in line.split("=>", 1)[1].replace("，", ",").split(",")]
    assert any(t and t in text for t in targets), f"no target of {line!r} is in content/"


def test_the_list_covers_the_common_colloquial_names_and_english_words():
    synonyms = load_synonyms(str(SYNONYMS))
    expected = {
        "醉驾": "危险驾驶",
        "酒驾": "危险驾驶",
        "电诈": "电信网络诈骗",
        "帮信": "帮助信息网络犯罪活动",
        "非吸": "非法吸收公众存款",
        "套路贷": "诈骗",
        "碰瓷": "敲诈勒索",
        "网赌": "开设赌场",
        "卖假酒": "销售假冒注册商标的商品",
        "抢手机": "抢夺",
        "偷东西": "盗窃",
        "打人": "故意伤害",
        "撞人逃逸": "交通肇事",
        "闹事": "寻衅滋事",
        "drunk driving": "危险驾驶",
        "telecom fraud": "电信网络诈骗",
        "theft": "盗窃",
    }
    for name, charge in expected.items():
        assert charge in synonyms.get(name, []), name


def test_entries_compile_without_collisions():
    compiled = compile_synonyms(load_synonyms(str(SYNONYMS)))
    assert len(compiled) > 100
    for signature, terms in compiled.items():
        assert signature not in {t.signature for t in terms}


def _corpus_charges() -> set[str]:
    charges = set()
    for path in (ROOT / "content" / "documents").glob("*.md"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("charge:"):
                charges.update(c.strip() for c in line[7:].replace("，", "、").split(";"))
    return {c for c in charges if c}


def test_every_charge_the_documents_use_has_an_english_name():
    synonyms = load_synonyms(str(SYNONYMS))
    english = {t for key, targets in synonyms.items() if key.isascii() for t in targets}
    for charge in _corpus_charges():
        name = charge.removesuffix("罪")
        assert any(t in name for t in english if not t.isascii()), charge


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("indictment", "起诉书"),
        ("non-prosecution", "不起诉"),
        ("bail", "取保候审"),
        ("detention", "拘留"),
        ("arrest", "逮捕"),
        ("appeal", "申诉"),
        ("complaint", "控告"),
        ("report", "举报"),
        ("compensation", "国家赔偿"),
        ("judicial aid", "司法救助"),
        ("lawyer", "律师"),
        ("file reading", "阅卷"),
        ("open day", "开放日"),
        ("victim", "被害人"),
        ("juvenile", "未成年人"),
        ("plea leniency", "认罪认罚"),
        ("smuggling", "走私普通货物"),
        ("illegal business operation", "非法经营"),
        ("visiting hours", "接待时间"),
        ("office hours", "接待时间"),
    ],
)
def test_common_procedural_words_have_their_chinese_terms(english, chinese):
    assert chinese in load_synonyms(str(SYNONYMS)).get(english, [])
