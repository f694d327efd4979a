"""Invents realistic procuratorate documents, so benchmarks and the sample corpus need no real ones.

Search and listing benchmarks (100,000 documents and more) and the sample corpus in
content/documents/ need text that reads like the genre: 起诉书, 不起诉决定书, 刑事抗诉书,
刑事申诉复查决定书, 重要案件信息, 通知公告 and 法治宣传, with rich vocabulary, varied
charges, places, amounts and dates, and about 5 % English items.

Usage (from the repository root)::

    .venv/bin/python bench/make_corpus.py 220 --seed 2026 --out content/documents
    .venv/bin/python bench/make_corpus.py 100000 --format jsonl > /tmp/docs.jsonl

`generate_documents(n, seed)` yields plain dicts (constant memory); the same n and seed
always give the same documents, and document numbers never repeat (a counter per type
and year). Everything is invented: persons are pseudonymised (张某某, 李某), places
stop at road level ("示例区建设路附近") and no number is long enough to be mistaken for a
phone, identity or bank-card number, so every document passes the portal's
personal-data guard. Standard library only: front matter is written by hand (values
quoted as JSON strings when YAML would misread them) and parses with yaml.safe_load.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TypeVar

try:  # imported as bench.make_corpus
    from . import corpus_phrases as P
except ImportError:  # run as a script, or loaded by path (bench/search_bench.py)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import corpus_phrases as P  # type: ignore[no-redef]

__all__ = ["DOC_TYPES", "generate_documents", "front_matter", "file_name", "main"]

FIRST_YEAR, LAST_YEAR = 2018, 2025
T = TypeVar("T")

# doc_type: (Chinese name, share of documents, document-number word, yearly capacity)
DOC_TYPES: dict[str, tuple[str, float, str, int]] = {
    "indictment": ("起诉书", 0.43, "刑诉", 1800),
    "non_prosecution": ("不起诉决定书", 0.27, "刑不诉", 320),
    "criminal_protest": ("刑事抗诉书", 0.04, "刑抗", 24),
    "appeal_review": ("刑事申诉复查决定书", 0.04, "刑申复决", 16),
    "case_information": ("重要案件信息", 0.10, "", 0),
    "announcement": ("通知公告", 0.06, "", 0),
    "legal_education": ("法治宣传", 0.06, "", 0),
}
NUMBERED = ("indictment", "non_prosecution", "criminal_protest", "appeal_review")
ENGLISH_SHARE = 0.05 / (DOC_TYPES["announcement"][1] + DOC_TYPES["legal_education"][1])

_TYPE_NAMES = tuple(DOC_TYPES)
_TYPE_CUM_WEIGHTS = tuple(
    sum(spec[1] for spec in list(DOC_TYPES.values())[: i + 1]) for i in range(len(DOC_TYPES))
)
_YEARS = tuple(range(FIRST_YEAR, LAST_YEAR + 1))


def _cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _workday(day: date) -> date:
    """`day`, or the Monday after it when it falls on a weekend."""
    return day + timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


def _en_date(day: date) -> str:
    return f"{day.day} {P.EN_MONTHS[day.month - 1]} {day.year}"


_CN_DIGITS = "零一二三四五六七八九"


def _cn_num(k: int) -> str:
    """Chinese numeral for 0 <= k < 100 (as in 有期徒刑十一个月)."""
    if k < 10:
        return _CN_DIGITS[k]
    tens, ones = divmod(k, 10)
    head = "" if tens == 1 else _CN_DIGITS[tens]
    return head + "十" + (_CN_DIGITS[ones] if ones else "")


# Common charges come up more often; the rest share weight 1.
_CHARGE_WEIGHTS = {
    "危险驾驶罪": 9,
    "盗窃罪": 7,
    "帮助信息网络犯罪活动罪": 6,
    "诈骗罪": 5,
    "故意伤害罪": 4,
    "掩饰、隐瞒犯罪所得罪": 3,
    "交通肇事罪": 2,
    "开设赌场罪": 2,
    "寻衅滋事罪": 2,
}
_CHARGES = tuple(P.CHARGES)
_CHARGE_CUM = tuple(
    sum(_CHARGE_WEIGHTS.get(c, 1) for c in _CHARGES[: i + 1]) for i in range(len(_CHARGES))
)
_NP_CHARGES = tuple(c for c in _CHARGES if P.CHARGES[c]["np"])
_NP_CUM = tuple(
    sum(_CHARGE_WEIGHTS.get(c, 1) for c in _NP_CHARGES[: i + 1]) for i in range(len(_NP_CHARGES))
)
_SURNAME_POOL = tuple(P.SURNAMES) + P.COMPOUND_SURNAMES
# Phrases that only fit when the suspect has a retained defender (not just a duty lawyer).
_DEFENDER_MARKS = (
    "辩护人的意见",
    "辩护人在场",
    "辩护人见证",
    "辩护人提出",
    "及其辩护人",
    "辩护人意见",
)


class _FastRandom(random.Random):
    """random.Random with a cheaper integer draw: choice, sample and randint take half the time.

    One float per draw instead of getrandbits loops; the bias (below 1e-15) does not matter
    for invented documents, and the sequence is still fixed by the seed.
    """

    def _randbelow(self, n: int) -> int:  # type: ignore[override]
        return int(self.random() * n)

    def choice(self, seq: Sequence[T]) -> T:  # type: ignore[override]
        return seq[int(self.random() * len(seq))]

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def sample(self, population: Sequence[T], k: int, *, counts: None = None) -> list[T]:  # type: ignore[override]
        """k distinct items: rejection for small k, else a partial Fisher-Yates shuffle."""
        n = len(population)
        if not 0 <= k <= n:
            raise ValueError("sample larger than population or is negative")
        draw = self.random
        if k * 3 <= n:
            seen: set[int] = set()
            out: list[T] = []
            while len(out) < k:
                i = int(draw() * n)
                if i not in seen:
                    seen.add(i)
                    out.append(population[i])
            return out
        pool = list(population)
        for i in range(k):
            j = i + int(draw() * (n - i))
            pool[i], pool[j] = pool[j], pool[i]
        return pool[:k]


def _roads(ctx: _Ctx, forms: tuple[str, ...], first: str, second: str) -> str:
    return ctx.gen.rng.choice(forms).format(r=ctx[first], r2=ctx[second])


# Values of a case context drawn only when a template asks for them.
_MAKERS: dict[str, Callable[[_Ctx], object]] = {
    "time": lambda c: c.gen.rng.choice(P.TIMES),
    "time2": lambda c: c.gen.rng.choice(P.TIMES),
    "place": lambda c: _roads(c, P.PLACE_FORMS, "road", "r2"),
    "place2": lambda c: _roads(c, P.PLACE_FORMS, "road2", "r4"),
    "area": lambda c: _roads(c, P.AREA_FORMS, "r2", "r2"),
    "area2": lambda c: _roads(c, P.AREA_FORMS, "r4", "r4"),
    "shop": lambda c: _roads(c, P.SHOP_FORMS, "road", "road"),
    "shop2": lambda c: _roads(c, P.SHOP_FORMS, "road2", "road2"),
    "amt": lambda c: c.gen._amount(1200, 98000),
    "amt2": lambda c: c.gen._amount(300, 9000),
    "amt_big": lambda c: f"人民币{c.gen.rng.randrange(200, 40000) / 10:.1f}万元",
    "n": lambda c: c.gen.rng.randint(2, 9),
    "n2": lambda c: c.gen.rng.randint(12, 90),
    "item": lambda c: c.gen.rng.choice(P.STOLEN_ITEMS),
    "pitem": lambda c: c.gen.rng.choice(P.PERSONAL_ITEMS),
    "sitem": lambda c: c.gen.rng.choice(P.SHOP_ITEMS),
    "vehicle": lambda c: c.gen.rng.choice(P.VEHICLES),
    "platform": lambda c: c.gen.rng.choice(P.PLATFORMS),
    "chat": lambda c: c.gen.rng.choice(P.CHAT_APPS),
    "market": lambda c: c.gen.rng.choice(P.MARKETS),
    "company": lambda c: f"示例市某某{c.gen.rng.choice(P.INDUSTRIES)}有限公司",
    "bac": lambda c: f"{c.gen.rng.uniform(81, 265):.1f}",
    "drug": lambda c: c.gen.rng.choice(P.DRUGS),
    "goods": lambda c: c.gen.rng.choice(P.SMUGGLED_GOODS),
    "weight": lambda c: f"{c.gen.rng.uniform(0.2, 30):.2f}",
}


class _Ctx(dict):
    """Template context of a case: the persons and dates, and lazily everything else.

    Drawing only what a document's templates use keeps generation fast; the draws
    happen in template order, so the same seed still gives the same text.
    """

    def __init__(self, gen: _Generator, /, **values: object) -> None:
        super().__init__(values)
        self.gen = gen

    def __missing__(self, key: str) -> object:
        value = _MAKERS[key](self)
        self[key] = value
        return value

    def __or__(self, other: dict) -> _Ctx:  # type: ignore[override]
        merged = _Ctx(self.gen, **self)
        merged.update(other)
        return merged


class _Generator:
    """State of one run: the random source and the per-type, per-year counters."""

    def __init__(self, n: int, seed: int) -> None:
        self.rng = _FastRandom(seed)
        self.n = max(n, 1)
        self.counters: dict[tuple[str, int], int] = {}
        self.issued: dict[tuple[str, int], int] = {}
        self.made = 0
        self.made_by_type = dict.fromkeys(DOC_TYPES, 0)
        self.english = [0, 0]  # English items, items that could be English
        # Spread serials over the yearly capacity so a small sample still shows
        # realistic numbers (示检刑诉〔2021〕1247号) and a large one never runs out.
        per_year = {t: self.n * spec[1] / len(_YEARS) for t, spec in DOC_TYPES.items()}
        self.expected = {t: max(per_year[t], 1.0) for t in DOC_TYPES}
        self.spread = {
            t: max(1, int(2 * spec[3] / self.expected[t])) if spec[3] else 1
            for t, spec in DOC_TYPES.items()
        }

    # --- identity of a document -------------------------------------------

    def _serial(self, doc_type: str, year: int) -> tuple[int, float]:
        """Next serial for type and year, and how far through the year it falls (0..1)."""
        key = (doc_type, year)
        issued = self.issued.get(key, 0)
        self.issued[key] = issued + 1
        step = 1 + self.rng.randrange(self.spread[doc_type])
        serial = self.counters.get(key, 0) + step
        self.counters[key] = serial
        fraction = min((issued + self.rng.random()) / self.expected[doc_type], 0.995)
        return serial, fraction

    def _pick_type(self) -> str:
        """A random type, but never far from the intended mix (even in a sample of 200)."""
        self.made += 1
        owed = {t: spec[1] * self.made - self.made_by_type[t] for t, spec in DOC_TYPES.items()}
        most = max(owed, key=owed.__getitem__)
        if owed[most] >= 1.5:
            doc_type = most
        else:
            doc_type = self.rng.choices(_TYPE_NAMES, cum_weights=_TYPE_CUM_WEIGHTS)[0]
        self.made_by_type[doc_type] += 1
        return doc_type

    def next(self) -> dict:
        rng = self.rng
        doc_type = self._pick_type()
        year = rng.choice(_YEARS)
        serial, fraction = self._serial(doc_type, year)
        year_start = date(year, 1, 1)
        signed = year_start + timedelta(days=int(fraction * 364))
        if signed.weekday() >= 5:  # documents are signed on working days
            signed -= timedelta(days=signed.weekday() - 4)
            if signed.year != year:
                signed = year_start
        if doc_type in NUMBERED:
            number = f"示检{DOC_TYPES[doc_type][2]}〔{year}〕{serial}号"
            slug = ""
        else:
            number = ""
            slug = f"{doc_type.replace('_', '-')}-{year}-{serial:04d}"
        english = False
        if doc_type in ("announcement", "legal_education"):
            owed = ENGLISH_SHARE * (self.english[1] + 1) - self.english[0]
            english = owed >= 1 or (owed > -0.5 and rng.random() < ENGLISH_SHARE)
            self.english[0] += english
            self.english[1] += 1
        doc = {
            "number": number,
            "slug": slug,
            "title": "",
            "doc_type": doc_type,
            "department": "",
            "case_name": "",
            "charge": "",
            "signed": signed,
            "judgment_effective": None,
            "published": None,
            "language": "en" if english else "zh_Hans",
            "body": "",
        }
        builder = getattr(self, f"_build_{doc_type}")
        builder(doc)
        return doc

    # --- publication times --------------------------------------------------

    def _published(self, day: date) -> datetime:
        """A UTC time in Beijing office hours (08:30-18:00 local) on `day`."""
        minutes = self.rng.randrange(30, 600, 5)
        return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(minutes=minutes)

    # --- shared case material ------------------------------------------------

    def _names(self, k: int) -> list[str]:
        """k pseudonyms with distinct surnames: 张某某, 李某, 欧阳某某."""
        rng = self.rng
        surnames = rng.sample(_SURNAME_POOL, k)
        return [s + ("某某" if rng.random() < 0.6 else "某") for s in surnames]

    def _amount(self, low: int, high: int) -> str:
        rng = self.rng
        value = rng.randrange(low, high)
        if value >= 1000 and rng.random() < 0.5:
            value -= value % 100
        return f"人民币{value}元"

    def _case(
        self,
        doc: dict,
        role: str,
        minor_only: bool = False,
        victim: bool = False,
        charge: str = "",
    ) -> dict:
        """Persons, charge, dates and the template context of one criminal case.

        `minor_only`: a charge for which a non-prosecution decision is plausible;
        `victim`: a charge with a victim; `charge`: this charge.
        """
        rng = self.rng
        while not charge:
            if minor_only:
                charge = rng.choices(_NP_CHARGES, cum_weights=_NP_CUM)[0]
            else:
                charge = rng.choices(_CHARGES, cum_weights=_CHARGE_CUM)[0]
            if victim and charge in P.VICTIMLESS:
                charge = ""
        spec = P.CHARGES[charge]
        names = self._names(6)
        defendants = names[:2] if spec["group"] and rng.random() < 0.3 else names[:1]
        signed: date = doc["signed"]
        transfer = signed - timedelta(days=rng.randint(12, 45))
        detained = transfer - timedelta(days=rng.randint(25, 150))
        offence_end = detained - timedelta(days=rng.randint(0, 20))
        gap = rng.randint(30, 300) if rng.random() < 0.4 else rng.randint(4, 12)
        offence = offence_end - timedelta(days=gap)
        # A second incident falls between the two.
        second = offence_end - timedelta(days=rng.randint(2, gap // 2))
        r1, r2 = rng.sample(P.ROADS, 2)
        r3, r4 = rng.sample(P.ROADS, 2)
        injury = "轻伤二级" if minor_only else rng.choice(P.INJURIES)
        joined = "、".join(defendants)
        ctx = _Ctx(
            self,
            D=role + joined,
            d=joined,
            V="被害人" + names[2],
            v=names[2],
            p=names[3],
            date=_cn_date(offence),
            date2=_cn_date(offence_end),
            date_b=_cn_date(second),
            road=r1,
            road2=r3,
            r2=r2,
            r4=r4,
            injury=injury,
        )
        article = spec["article"]
        if charge == "故意伤害罪" and injury.startswith("重伤"):
            article = "第二百三十四条第二款"
        return {
            "charge": charge,
            "spec": spec,
            "article": article,
            "defendants": defendants,
            "names": names,
            "ctx": ctx,
            "police": spec.get("police") or rng.choice(P.POLICE),
            "transfer": transfer,
            "detained": detained,
            "stem": charge.removesuffix("罪"),
            "victimless": charge in P.VICTIMLESS,
        }

    def _person_paragraph(self, name: str, role: str, case: dict, year: int) -> str:
        """被告人张某某，男，1985年出生，汉族，… 因涉嫌…罪于…被…刑事拘留，…。"""
        rng = self.rng
        sex = "男" if rng.random() < 0.82 else "女"
        born = year - rng.randint(19, 63)
        parts = [
            f"{role}{name}，{sex}，{born}年出生，{rng.choice(P.ETHNICITIES)}，"
            f"{rng.choice(P.EDUCATION)}，{rng.choice(P.OCCUPATIONS)}，"
            f"户籍地{rng.choice(P.HOMETOWNS)}。"
        ]
        prior = rng.choice(P.PRIOR_RECORDS)
        if role == "被不起诉人" and "判处" in prior:
            prior = ""
        case.setdefault("ages", []).append(year - born)
        if prior:
            y = born + rng.randint(18, max(18, year - born - 3))
            y = min(y, year - 2)
            parts.append(prior.format(y=y, y2=y + 1))
            if "刑满" in prior and y + 1 >= year - 5:
                case["recidivist"] = True
        detained: date = case["detained"]
        later = detained + timedelta(days=rng.randint(3, 30))
        coercions = P.COERCIONS
        if role == "被不起诉人" and rng.random() < 0.75:
            coercions = P.COERCIONS[1::3]  # 取保候审
        coercion = rng.choice(coercions).format(m=later.month, d=later.day, police=case["police"])
        if "逮捕" in coercion:
            case["custody"] = "现羁押于示例市看守所"
        elif "监视居住" in coercion:
            case["custody"] = "现被监视居住"
        else:
            case["custody"] = "现被取保候审"
        if later.year != detained.year:
            coercion = coercion.replace("同年", f"{later.year}年")
        parts.append(
            f"因涉嫌{case['charge']}于{_cn_date(detained)}被{case['police']}刑事拘留，{coercion}。"
        )
        return "".join(parts)

    # --- builders (one per document type) -----------------------------------

    def _facts(self, case: dict, k: int = 1) -> list[str]:
        """k fact paragraphs of the case's charge, then how the suspect was caught."""
        rng = self.rng
        ctx = case["ctx"]
        facts = case["spec"]["facts"]
        if case["charge"] in P.SINGLE_EVENT:
            k = 1
        chosen = rng.sample(facts, min(k, len(facts)))
        paragraphs = [chosen[0].format_map(ctx)]
        if len(chosen) > 1:
            # Another incident: other day, time, places and amount.
            other = ctx | {
                "date": ctx["date_b"],
                "time": ctx["time2"],
                "place": ctx["place2"],
                "place2": ctx["place"],
                "area": ctx["area2"],
                "road": ctx["road2"],
                "time2": rng.choice(P.TIMES),
                "amt": self._amount(800, 30000),
            }
            lead = rng.choice(("另查明，", "此外，", "", "经进一步侦查，"))
            paragraphs.append(lead + chosen[1].format_map(other))
        if any(w in paragraphs[0] for w in ("投案", "抓获", "查获")):  # the facts tell it already
            case["surrendered"] = "投案" in paragraphs[0]
        else:
            captures = P.CAPTURES
            if case["charge"] in P.NO_GAIN:  # no tip-off, no phone used in the crime
                captures = tuple(c for c in captures if "线索" not in c)
            capture = rng.choice(captures)
            case["surrendered"] = "投案" in capture or "等候" in capture
            capture = capture.format_map(ctx | {"date": _cn_date(case["detained"])})
            if "公安" not in case["police"]:
                capture = capture.replace("公安机关", "侦查机关")
            paragraphs[-1] += capture
        aftermath = rng.choice(P.AFTERMATH)
        if (case["victimless"] and "被害人" in aftermath) or (
            case["charge"] in P.NO_GAIN and "违法所得" in aftermath
        ):
            aftermath = ""
        if aftermath:
            paragraphs[-1] += aftermath.format_map(ctx)
        return paragraphs

    def _lawyer_choice(self, pool: tuple[str, ...], defender: bool, victim: bool = True) -> str:
        """A text that fits the case: a retained defender or a duty lawyer, a victim or none."""
        if defender:
            fits = [t for t in pool if "值班律师" not in t or any(m in t for m in _DEFENDER_MARKS)]
        else:
            fits = [t for t in pool if not any(m in t for m in _DEFENDER_MARKS)]
        if not victim:
            fits = [t for t in fits if "被害人" not in t]
        return self.rng.choice(fits or pool)

    def _evidence(self, case: dict, k: int, proofs: bool = True) -> list[str]:
        """k items of evidence, the charge's own in the middle; `proofs` adds what each shows."""
        rng = self.rng
        ctx = case["ctx"]
        specific = rng.sample(case["spec"]["evidence"], min(3, len(case["spec"]["evidence"])))
        pool = P.GENERAL_EVIDENCE[:-1] if case["victimless"] else P.GENERAL_EVIDENCE
        chosen = rng.sample(pool, k - len(specific))
        if not proofs:
            return (
                [e.format_map(ctx) for e, _ in chosen[:1]]
                + specific
                + [e.format_map(ctx) for e, _ in chosen[1:]]
            )
        general = [g + rng.choice(shows) for g, shows in chosen]
        proofs_left = list(P.EVIDENCE_PROOFS)
        rng.shuffle(proofs_left)  # each wording at most once
        specific = [e + proofs_left.pop() for e in specific]
        return [e.format_map(ctx) for e in general[:1] + specific + general[1:]]

    def _circumstances(self, case: dict, prior: bool) -> list[str]:
        """Sentencing circumstances as sentences, for 本院认为."""
        rng = self.rng
        d = case["ctx"]["d"]
        pool = [c for c in P.CIRCUMSTANCES[3:] if "累犯" not in c[0] or prior]
        if len(case["defendants"]) < 2:
            pool = [c for c in pool if "从犯" not in c[0]]
        if case["victimless"]:
            pool = [c for c in pool if "被害人" not in c[0]]
        if case["charge"] in P.NO_GAIN:
            pool = [c for c in pool if "违法所得" not in c[0]]
        first = P.CIRCUMSTANCES[2] if case.get("surrendered") else P.CIRCUMSTANCES[0]
        chosen = [first] + rng.sample(pool, rng.randint(1, 2))
        sentences = []
        for what, basis, effect in dict.fromkeys(chosen):
            if basis:
                sentences.append(f"被告人{d}{what}，根据{basis}的规定，{effect}。")
            else:
                sentences.append(f"被告人{d}{what}，{effect}。")
        return sentences

    def _proposal(self, case: dict) -> str:
        rng = self.rng
        if case["charge"] == "危险驾驶罪":
            template = P.SENTENCE_PROPOSALS[0]
        elif case["spec"]["np"]:
            template = rng.choice(P.SENTENCE_PROPOSALS[1:3] + P.SENTENCE_PROPOSALS[5:])
        else:
            template = rng.choice(P.SENTENCE_PROPOSALS[3:])
        y = rng.randint(1, 4)
        return template.format(
            m=_cn_num(rng.randint(1, 5) if "拘役" in template else rng.randint(6, 11)),
            y=_cn_num(y),
            y2=_cn_num(y + rng.randint(1, 2)),
        )

    def _signature(self, day: date) -> str:
        rng = self.rng
        surname = rng.choice(P.SURNAMES)
        return f"{rng.choice(P.PROSECUTOR_TITLES)}：{surname}某\n\n{_cn_date(day)}"

    def _build_indictment(self, doc: dict) -> None:
        rng = self.rng
        case = self._case(doc, "被告人")
        ctx, charge = case["ctx"], case["charge"]
        d = ctx["d"]
        year = doc["signed"].year
        people = [self._person_paragraph(n, "被告人", case, year) for n in case["defendants"]]
        prior = case.get("recidivist", False)
        defender = rng.random() < 0.5
        if defender:
            people.append(f"辩护人{case['names'][4]}，示例市某律师事务所律师。")
        accept = case["transfer"] + timedelta(days=rng.randint(0, 3))
        procedure = (
            f"本案由{case['police']}侦查终结，以被告人{d}涉嫌{charge}，"
            f"于{_cn_date(case['transfer'])}向本院移送起诉。"
            + self._lawyer_choice(P.PROCEDURE, defender, not case["victimless"]).format(
                accept=_cn_date(accept)
            )
        )
        facts = self._facts(case, 2 if rng.random() < 0.6 else 1)
        evidence = self._evidence(case, rng.randint(6, 9))
        holding = rng.choice(case["spec"]["holding"]).format_map(ctx)
        opinion = (
            f"本院认为，被告人{d}{holding}，其行为{rng.choice(('触犯了', '已触犯'))}"
            f"《中华人民共和国刑法》{case['article']}，犯罪事实清楚，证据确实、充分，"
            f"应当以{charge}追究其刑事责任。"
            + "".join(self._circumstances(case, prior))
            + "根据《中华人民共和国刑事诉讼法》第一百七十六条的规定，提起公诉，请依法判处。"
        )
        parts = [f"## 示例市示例区人民检察院起诉书\n\n{doc['number']}", *people, procedure]
        parts.append("经依法审查查明：")
        parts.extend(facts)
        parts.append(
            "认定上述事实的证据如下：\n\n"
            + "\n".join(f"{i}. {e}；" for i, e in enumerate(evidence, 1)).removesuffix("；")
            + "。"
        )
        parts.append(self._lawyer_choice(P.EVIDENCE_CLOSING, defender).format_map(ctx))
        # Optional paragraphs, added while the text is short of the genre's usual length.
        size = sum(map(len, parts)) + len(opinion)
        if size < 1450 or rng.random() < 0.3:
            view = self._lawyer_choice(P.DEFENCE_VIEWS, defender).format_map(ctx)
            parts.append(view)
            size += len(view)
        if size < 1400 or rng.random() < 0.2:
            pleas = P.PLEA_PARAGRAPHS[2:] if case["victimless"] else P.PLEA_PARAGRAPHS
            plea = self._lawyer_choice(pleas, defender)
            parts.append(plea.format_map(ctx))
            size += len(parts[-1])
        parts.append(opinion)
        if size < 1600 or rng.random() < 0.5:
            parts.append(
                "根据《中华人民共和国刑事诉讼法》第一百七十六条第二款的规定，"
                f"本院建议对被告人{d}{self._proposal(case)}。"
            )
        parts.append("此致\n\n示例市示例区人民法院")
        parts.append(self._signature(doc["signed"]))
        extras = rng.sample(P.ATTACHMENT_EXTRAS, rng.randint(1, 3))
        attachments = [f"被告人{n}{case['custody']}" for n in case["defendants"]] + [
            e.format(n=_cn_num(rng.randint(1, 6))) for e in extras
        ]
        parts.append("附件：\n\n" + "\n".join(f"{i}. {a}。" for i, a in enumerate(attachments, 1)))
        effective = doc["signed"] + timedelta(days=rng.randint(25, 150))
        delay = rng.randint(11, 75) if rng.random() < 0.11 else rng.randint(0, 10)
        names = "、".join(case["defendants"])
        doc.update(
            title=f"{names}{case['stem']}案起诉书",
            case_name=f"{names}{case['stem']}案",
            charge=charge,
            department=rng.choice(case["spec"]["dept"]),
            judgment_effective=effective,
            published=self._published(effective + timedelta(days=delay)),
            body="\n\n".join(parts) + "\n",
        )

    def _build_non_prosecution(self, doc: dict) -> None:
        rng = self.rng
        case = self._case(doc, "被不起诉人", minor_only=True)
        ctx, charge = case["ctx"], case["charge"]
        if charge == "危险驾驶罪":
            ctx["bac"] = f"{rng.uniform(80.5, 125):.1f}"
        d = ctx["d"]
        year = doc["signed"].year
        people = [self._person_paragraph(n, "被不起诉人", case, year) for n in case["defendants"]]
        defender = rng.random() < 0.4
        if defender:
            people.append(f"辩护人{case['names'][4]}，示例市某律师事务所律师。")
        procedure = (
            f"本案由{case['police']}侦查终结，以被不起诉人{d}涉嫌{charge}，"
            f"于{_cn_date(case['transfer'])}向本院移送审查起诉。"
        )
        procedure += self._lawyer_choice(P.NP_PROCEDURES, defender)
        facts = self._facts(case, 2 if rng.random() < 0.45 else 1)
        evidence = "、".join(self._evidence(case, rng.randint(4, 7), proofs=False))
        proof = rng.choice(P.NP_EVIDENCE).format(e=evidence, d=d)
        pool = [c for c in P.NP_CIRCUMSTANCES if "认罪认罚" not in c]
        pool = [c for c in pool if ("坦白" if case["surrendered"] else "自首") not in c]
        if case["victimless"]:
            pool = [c for c in pool if "被害人" not in c]
        if len(case["defendants"]) < 2:
            pool = [c for c in pool if "从犯" not in c]
        if case["charge"] in P.NO_GAIN:
            pool = [c for c in pool if "违法所得" not in c]
        if min(case["ages"]) > 24:
            pool = [c for c in pool if "学生" not in c]
        circs = rng.sample(pool, rng.randint(2, 3)) + ["自愿认罪认罚"]
        opinion = (
            f"本院认为，{d}实施了《中华人民共和国刑法》{case['article']}规定的行为，"
            f"但犯罪情节轻微，{'，'.join(circs)}，"
            "根据《中华人民共和国刑法》第三十七条的规定，不需要判处刑罚。"
            "依据《中华人民共和国刑事诉讼法》第一百七十七条第二款的规定，"
            f"决定对{d}不起诉。"
        )
        hearing = _cn_date(doc["signed"] - timedelta(days=rng.randint(3, 12)))
        parts = [f"## 示例市示例区人民检察院不起诉决定书\n\n{doc['number']}", *people, procedure]
        parts.append(rng.choice(("经本院依法审查查明：", "经本院依法审查查明：", "经审查查明：")))
        parts.extend(facts)
        parts.append(proof)
        parts.append(self._lawyer_choice(P.NP_PLEA, defender).format_map(ctx))
        size = sum(map(len, parts)) + len(opinion)
        hearings = P.NP_HEARINGS[::2] if case["victimless"] else P.NP_HEARINGS
        optional = [*hearings, *rng.sample(P.NP_EXTRAS, 2)]
        for paragraph in rng.sample(optional, len(optional)):
            if size < 1450 or rng.random() < 0.1:
                parts.append(paragraph.format_map(ctx | {"hearing": hearing}))
                size += len(parts[-1])
        parts.append(opinion)
        if size < 1550 or rng.random() < 0.4:
            admins = [t for t in P.NP_ADMIN if charge not in P.NO_GAIN or "违法所得" not in t]
            admin = rng.choice(admins).format_map(ctx | {"police": case["police"]})
            parts.append(admin)
        parts.append("被不起诉人如不服本决定，可以自收到本决定书后七日以内向本院申诉。")
        if not case["victimless"]:
            parts.append(
                "被害人如不服本决定，可以自收到本决定书后七日以内向示例市人民检察院申诉，"
                "请求提起公诉；也可以不经申诉，直接向示例市示例区人民法院提起自诉。"
            )
        parts.append(f"示例市示例区人民检察院\n\n{_cn_date(doc['signed'])}")
        names = "、".join(case["defendants"])
        doc.update(
            title=f"{names}{case['stem']}案不起诉决定书",
            case_name=f"{names}{case['stem']}案",
            charge=charge,
            department=rng.choice(case["spec"]["dept"]),
            published=self._published(doc["signed"] + timedelta(days=rng.randint(1, 20))),
            body="\n\n".join(parts) + "\n",
        )

    def _court_number(self, year: int) -> str:
        """A first-instance case number of the district court: （2020）示0102刑初412号."""
        return f"（{year}）示0102刑初{self.rng.randint(80, 1900)}号"

    def _build_criminal_protest(self, doc: dict) -> None:
        rng = self.rng
        signed: date = doc["signed"]
        judged = signed - timedelta(days=rng.randint(2, 9))
        indicted = judged - timedelta(days=rng.randint(25, 120))
        case = self._case({"signed": indicted}, "原审被告人")
        ctx, charge = case["ctx"], case["charge"]
        d = ctx["d"]
        orig = rng.choice(
            P.ORIGINAL_SENTENCES if charge != "危险驾驶罪" else P.DRUNK_DRIVING_SENTENCES
        )  # 免予刑事处罚 included, unlike in appeal reviews
        ctx |= {"orig": orig, "article": case["article"], "charge": charge}
        court_no = self._court_number(judged.year)
        year = signed.year
        gain = charge not in P.NO_GAIN
        views = [v for v in P.PROTEST_COURT_VIEWS if gain or ("数额" not in v and "退赃" not in v)]
        parts = [
            f"## 示例市示例区人民检察院刑事抗诉书\n\n{doc['number']}",
            *(self._person_paragraph(n, "原审被告人", case, year) for n in case["defendants"]),
            f"示例市示例区人民法院以{court_no}刑事判决书对被告人{d}{case['stem']}一案判决："
            f"被告人{d}犯{charge}，{orig if orig.startswith('免予') else '判处' + orig}。"
            + rng.choice(views).format_map(ctx),
            rng.choice(P.PROTEST_PROCESS).format(
                received=_cn_date(judged + timedelta(days=rng.randint(1, 2)))
            )
            + "本院认为，该判决确有错误。",
            "经依法审查，本案的基本事实如下：",
            *self._facts(case, 2 if rng.random() < 0.7 else 1),
            "本院认为，原判存在以下错误：",
        ]
        reasons = [
            r
            for r in P.PROTEST_REASONS
            if ("数额" not in r[0] or gain)
            and ("自首" not in r[0] or not case["surrendered"])
            and ("缓刑" not in r[0] or "缓刑" in orig)
            and ("罚金" not in r[0] or not ("罚金" in orig or orig.startswith("免予")))
            and ("累犯" not in r[0] or charge != "危险驾驶罪")
        ]
        reasons = rng.sample(reasons, rng.randint(2, min(4, len(reasons))))
        for i, (heading, text) in enumerate(reasons, 1):
            parts.append(f"### {_cn_num(i)}、{heading.format_map(ctx)}")
            parts.append(text.format_map(ctx))
        parts.append(
            f"综上所述，原判{rng.choice(P.PROTEST_SUMMARIES)}。为维护司法公正，准确惩治犯罪，"
            "依照《中华人民共和国刑事诉讼法》第二百二十八条的规定，特提出抗诉，请依法判处。"
        )
        parts.append("此致\n\n示例市中级人民法院")
        parts.append(f"示例市示例区人民检察院\n\n{_cn_date(signed)}")
        custody = [f"被告人{n}{case.get('custody', '现被取保候审')}" for n in case["defendants"]]
        attachments = [*custody, "新的证据目录及证据材料", f"{court_no}刑事判决书复印件"]
        parts.append("附件：\n\n" + "\n".join(f"{i}. {a}。" for i, a in enumerate(attachments, 1)))
        names = "、".join(case["defendants"])
        doc.update(
            title=f"{names}{case['stem']}案刑事抗诉书",
            case_name=f"{names}{case['stem']}案",
            charge=charge,
            department=rng.choice(case["spec"]["dept"]),
            published=self._published(signed + timedelta(days=rng.randint(10, 40))),
            body="\n\n".join(parts) + "\n",
        )

    def _sentences(self, charge: str) -> tuple[str, ...]:
        """Sentences a court could pass for `charge` (醉驾 carries 拘役 only)."""
        if charge == "危险驾驶罪":
            return P.DRUNK_DRIVING_SENTENCES
        return P.ORIGINAL_SENTENCES[:-1]

    def _findings(self, pool: tuple[str, ...], k: int, ctx: dict) -> list[str]:
        """k review findings: the first opens with 本院复查认为, the others follow on."""
        chosen = self.rng.sample(pool, k)
        leads = ["本院复查认为：", *self.rng.sample(("此外，", "同时，", "另外，"), k - 1)]
        return [lead + t.format_map(ctx) for lead, t in zip(leads, chosen, strict=True)]

    def _build_appeal_review(self, doc: dict) -> None:
        rng = self.rng
        signed: date = doc["signed"]
        decided = signed - timedelta(days=rng.randint(240, 900))  # the decision appealed against
        old_year = decided.year
        against_decision = rng.random() < 0.35
        role = "被不起诉人" if against_decision else "原审被告人"
        case = self._case(
            {"signed": decided}, role, minor_only=against_decision, victim=against_decision
        )
        ctx, charge = case["ctx"], case["charge"]
        first = case["defendants"][0]
        defendant = self._person_paragraph(first, role, case, old_year)
        first_born = old_year - case["ages"][0]
        kind = rng.random()
        if against_decision:
            appellant = ctx["v"]
            born = signed.year - rng.randint(22, 70)
            sex = "男" if rng.random() < 0.6 else "女"
            people = [
                f"申诉人{appellant}，{sex}，{born}年出生，{rng.choice(P.ETHNICITIES)}，"
                f"户籍地{rng.choice(P.HOMETOWNS)}，系本案被害人。",
                defendant,
            ]
        elif kind < 0.5:
            appellant = first
            people = [
                self._person_paragraph(first, "申诉人", case, old_year).replace(
                    "。", "，系原审被告人。", 1
                )
            ]
        else:
            relation, sex, low, high = rng.choice(P.RELATIONS)
            appellant = case["names"][5]
            born = first_born - rng.randint(low, high)
            people = [
                f"申诉人{appellant}，{sex}，{born}年出生，{rng.choice(P.ETHNICITIES)}，"
                f"户籍地{rng.choice(P.HOMETOWNS)}，系原审被告人{first}的{relation}。",
                defendant,
            ]
        parts = [f"## 示例市示例区人民检察院刑事申诉复查决定书\n\n{doc['number']}", *people]
        hearing = _cn_date(signed - timedelta(days=rng.randint(5, 20)))
        if against_decision:
            np_no = f"示检刑不诉〔{old_year}〕{rng.randint(3, 300)}号"
            ctx |= {"a": appellant}
            parts.append(
                f"申诉人{appellant}不服本院{np_no}不起诉决定，认为被不起诉人{ctx['d']}的行为"
                "应当被追究刑事责任，向本院提出申诉。本院依法进行了复查，现已复查终结。"
            )
            parts.append("经复查查明：")
            parts.extend(self._facts(case, 2 if rng.random() < 0.5 else 1))
            parts.append(
                f"本院经审查认为{ctx['d']}犯罪情节轻微，依照《中华人民共和国刑事诉讼法》"
                f"第一百七十七条第二款的规定，于{_cn_date(decided)}作出{np_no}不起诉决定。"
            )
            for text in rng.sample(P.REVIEW_PROCESS[1:], 3):
                parts.append(text.format(hearing=hearing))
            parts.extend(self._findings(P.NP_REVIEW_FINDINGS, 2, ctx))
            decision = f"维持本院{np_no}不起诉决定。"
        else:
            orig = rng.choice(self._sentences(charge))
            appeals = [
                a
                for a in P.APPEALS
                if (a[2] is None or charge in a[2]) and ("缓刑" not in a[0] or "缓刑" not in orig)
            ]
            ground, claim, _ = rng.choice(appeals)
            ctx |= {"a": appellant, "ground": ground}
            court_no = self._court_number(old_year)
            parts.append(
                f"申诉人{appellant}不服示例市示例区人民法院{court_no}刑事判决，以{ground}为由，"
                "向本院提出申诉。本院依法进行了复查，现已复查终结。"
            )
            parts.append(f"经复查查明：示例市示例区人民法院{court_no}刑事判决认定：")
            parts.extend(self._facts(case, 2 if rng.random() < 0.4 else 1))
            parts.append(
                f"原审法院于{_cn_date(decided)}以{charge}判处原审被告人{first}{orig}。"
                + rng.choice(
                    (
                        "宣判后，原审被告人未提出上诉，检察机关未提出抗诉，判决已发生法律效力。",
                        "宣判后，原审被告人不服，提出上诉。示例市中级人民法院经审理，"
                        "裁定驳回上诉，维持原判。",
                    )
                )
            )
            parts.append(f"申诉人{appellant}申诉称：" + claim.format_map(ctx))
            size = sum(map(len, parts))
            for text in rng.sample(P.REVIEW_PROCESS, 3 if size < 800 else 2):
                parts.append(text.format(hearing=hearing))
            size = sum(map(len, parts))
            findings = tuple(f for f in P.APPEAL_FINDINGS if "排除" not in f or "排除" in ground)
            parts.extend(self._findings(findings, 3 if size < 1100 else 2, ctx))
            decision = f"不支持申诉人{appellant}的申诉，对原审判决不予提请抗诉。"
        parts.append("根据《人民检察院办理刑事申诉案件规定》的有关规定，本院决定：" + decision)
        parts.append("申诉人如不服本决定，可以向示例市人民检察院提出申诉。")
        closing = rng.choice(P.REVIEW_CLOSINGS)
        if closing:
            parts.append(closing)
        parts.append(f"示例市示例区人民检察院\n\n{_cn_date(signed)}")
        parties = "、".join(case["defendants"])
        doc.update(
            title=f"{parties}{case['stem']}案刑事申诉复查决定书",
            case_name=f"{parties}{case['stem']}案",
            charge=charge,
            department="控告申诉检察部",
            published=self._published(signed + timedelta(days=rng.randint(5, 30))),
            body="\n\n".join(parts) + "\n",
        )

    def _build_case_information(self, doc: dict) -> None:
        rng = self.rng
        title, lead, role = rng.choice(P.CASE_INFO_FORMS)
        case = self._case(doc, role, minor_only="不起诉" in title)
        ctx, charge = case["ctx"], case["charge"]
        names = "、".join(case["defendants"])
        fill = ctx | {
            "stem": case["stem"],
            "charge": charge,
            "sentence": rng.choice(
                P.CASE_INFO_SENTENCES if charge != "危险驾驶罪" else P.DRUNK_DRIVING_SENTENCES
            ),
        }
        parts = [lead.format_map(fill)]
        parts.append("## 基本案情")
        parts.extend(self._facts(case, 2 if rng.random() < 0.5 else 1))
        parts.append("## 办案过程")
        process = P.CASE_INFO_PROCESS
        if case["victimless"]:
            process = tuple(t for t in process if "被害人" not in t)
        parts.extend(rng.sample(process, 2))
        if rng.random() < 0.7:
            parts += ["## 典型意义", rng.choice(P.CASE_INFO_SIGNIFICANCE)]
        parts.append("## 检察官提示")
        parts.append(P.CASE_INFO_TIPS.get(charge, P.CASE_INFO_DEFAULT_TIP))
        doc.update(
            title=title.format_map(fill),
            case_name=f"{names}{case['stem']}案",
            charge=charge,
            department=rng.choice(case["spec"]["dept"]),
            published=self._published(doc["signed"] + timedelta(days=rng.randint(0, 2))),
            body="\n\n".join(parts) + "\n",
        )

    def _build_announcement(self, doc: dict) -> None:
        if doc["language"] == "en":
            self._build_announcement_en(doc)
            return
        rng = self.rng
        signed: date = doc["signed"]
        title, body = rng.choice(P.ANNOUNCEMENTS)
        holiday, month, day = rng.choice(P.HOLIDAYS)
        event = _workday(signed + timedelta(days=rng.randint(7, 25)))
        if "{holiday}" in title:
            event = date(signed.year, month, day)
            signed = max(event - timedelta(days=rng.randint(3, 10)), date(event.year, 1, 1))
            doc["signed"] = signed
        ctx = {
            "year": event.year,
            "q": _cn_num((event.month - 1) // 3 + 1),
            "date": _cn_date(event),
            "date2": _cn_date(event + timedelta(days=rng.randint(4, 20))),
            "date3": _cn_date(event + timedelta(days=rng.randint(2, 6))),
            "weekday": f"（{P.WEEKDAYS_CN[event.weekday()]}）",
            "holiday": holiday,
            "d": self._names(1)[0],
            "stem": rng.choice(_NP_CHARGES).removesuffix("罪"),
            "hearing_time": rng.choice(P.HEARING_TIMES),
            "n": rng.randint(12, 40),
        }
        if "开放日" in title or "听证" in title:
            ctx["date2"] = _cn_date(event - timedelta(days=rng.randint(2, 5)))
        body = body.format_map(ctx)
        body += f"\n\n示例市示例区人民检察院\n\n{_cn_date(signed)}"
        doc.update(
            title=title.format_map(ctx),
            department="综合业务部",
            published=self._published(signed + timedelta(days=rng.randint(0, 1))),
            body=body + "\n",
        )

    def _build_legal_education(self, doc: dict) -> None:
        if doc["language"] == "en":
            self._build_legal_education_en(doc)
            return
        rng = self.rng
        signed: date = doc["signed"]
        parts: list[str] = []
        if rng.random() < 0.65:
            charge = rng.choice(tuple(P.LEGAL_ED_CRIME))
            topic = P.LEGAL_ED_CRIME[charge]
            case = self._case(doc, "", charge=charge)
            parts.append("## 案情回顾")
            parts.extend(self._facts(case, 1))
            verdict = rng.choice(
                P.CASE_INFO_SENTENCES if charge != "危险驾驶罪" else P.DRUNK_DRIVING_SENTENCES
            )
            parts[-1] += (
                f"经示例市示例区人民检察院提起公诉，法院以{charge}判处{case['ctx']['d']}{verdict}。"
            )
            department = rng.choice(P.CHARGES[charge]["dept"])
            doc["charge"] = charge
        else:
            topic = rng.choice(P.LEGAL_ED_TOPICS)
            story = topic["story"].format(
                c=rng.choice(P.MINOR_NAMES),
                n=rng.randint(2, 6),
                n2=rng.randint(12, 40),
                road=rng.choice(P.ROADS),
            )
            parts += ["## 案例", story]
            department = topic["dept"]
            if department == "minor":
                department = rng.choice(("未成年人检察部门", "未成年人检察部门", "第三检察部"))
        parts.append("## 检察官说法")
        parts.extend(topic["talk"])
        parts += ["## 法条链接", topic["law"]]
        tips = rng.sample(topic["tips"], rng.randint(3, len(topic["tips"])))
        parts += ["## 检察官提醒", "\n".join(f"- {t}。" for t in tips)]
        if doc["charge"] and rng.random() < 0.5:
            parts.append(rng.choice(P.CASE_INFO_SIGNIFICANCE))
        doc.update(
            title=rng.choice(topic["titles"]),
            department=department,
            published=self._published(signed + timedelta(days=rng.randint(0, 2))),
            body="\n\n".join(parts) + "\n",
        )

    def _build_announcement_en(self, doc: dict) -> None:
        rng = self.rng
        signed: date = doc["signed"]
        title, body = rng.choice(P.EN_ANNOUNCEMENTS)
        event = _workday(signed + timedelta(days=rng.randint(7, 25)))
        holiday, month, day = rng.choice(P.EN_HOLIDAYS)
        if "{holiday}" in title:
            event = date(signed.year, month, day)
            signed = max(event - timedelta(days=rng.randint(3, 10)), date(event.year, 1, 1))
            doc["signed"] = signed
            later = event + timedelta(days=rng.randint(3, 7))
        else:
            later = event - timedelta(days=rng.randint(2, 5))
        ctx = {
            "date": _en_date(event),
            "date2": _en_date(later),
            "date3": _en_date(later - timedelta(days=1)),
            "year": event.year,
            "holiday": holiday,
            "n": rng.randint(12, 40),
            "surname": rng.choice(P.PINYIN_SURNAMES),
            "offence": rng.choice(P.EN_OFFENCES),
        }
        body = body.format_map(ctx)
        body += f"\n\nExample District People's Procuratorate, {_en_date(signed)}"
        doc.update(
            title=title.format_map(ctx),
            department="综合业务部",
            published=self._published(signed + timedelta(days=rng.randint(0, 1))),
            body=body + "\n",
        )

    def _build_legal_education_en(self, doc: dict) -> None:
        rng = self.rng
        signed: date = doc["signed"]
        titles, story, explanation, law, tips = rng.choice(P.EN_LEGAL_EDUCATION)
        title = rng.choice(titles)
        happened = signed - timedelta(days=rng.randint(60, 400))
        ctx = {
            "date": _en_date(happened),
            "month": f"{P.EN_MONTHS[happened.month - 1]} {happened.year}",
            "surname": rng.choice(P.PINYIN_SURNAMES),
            "amount": rng.randrange(2000, 90000, 500),
            "n": rng.randint(2, 9),
            "road": rng.choice(P.EN_ROADS),
        }
        chosen = rng.sample(tips, rng.randint(3, len(tips)))
        parts = [
            "## The case",
            story.format_map(ctx),
            "## What the prosecutor says",
            explanation,
            "## The law",
            law,
            "## Tips",
            "\n".join(f"- {t}." for t in chosen),
            rng.choice(P.EN_CLOSINGS),
        ]
        bullying = "bullying" in titles[0]
        doc.update(
            title=title,
            department="未成年人检察部门" if bullying else rng.choice(("第一检察部", "第二检察部")),
            published=self._published(signed + timedelta(days=rng.randint(0, 2))),
            body="\n\n".join(parts) + "\n",
        )


def generate_documents(n: int, seed: int = 0) -> Iterator[dict]:
    """Yield n documents; the same n and seed always give the same documents.

    Each is a dict with `number` (or "" and a `slug`), `title`, `doc_type`, `department`,
    `case_name`, `charge`, `signed` (date), `judgment_effective` (date, indictments only,
    else None), `published` (aware UTC datetime), `language` ("zh_Hans" or "en") and
    `body` (Markdown). n also sets how far apart serial numbers are, so that 220
    documents show numbers like 1247 while 100,000 never run out: the documents of a
    run are not a prefix of those of a longer run.
    """
    generator = _Generator(n, seed)
    for _ in range(n):
        yield generator.next()


# --- output -------------------------------------------------------------------

_YAML_WORDS = frozenset({"yes", "no", "true", "false", "on", "off", "null", "y", "n", "~"})


def _yaml_scalar(value: str) -> str:
    """`value` as a YAML scalar: plain when unambiguous, else a double-quoted (JSON) string."""
    plain = (
        value
        and value == value.strip()
        and not value[0].isdigit()
        and value[0] not in "-.+"
        and value.lower() not in _YAML_WORDS
        and all(not ch.isascii() or ch.isalnum() or ch in " -._/" for ch in value)
    )
    return value if plain else json.dumps(value, ensure_ascii=False)


def front_matter(doc: dict) -> str:
    """The YAML front matter block of `doc`, with the --- lines."""
    lines = ["---"]
    if doc["number"]:
        lines.append(f"number: {_yaml_scalar(doc['number'])}")
    else:
        lines.append(f"slug: {doc['slug']}")
    lines.append(f"type: {doc['doc_type']}")
    lines.append(f"title: {_yaml_scalar(doc['title'])}")
    if doc["case_name"]:
        lines.append(f"case_name: {_yaml_scalar(doc['case_name'])}")
    if doc["charge"]:
        lines.append(f"charge: {_yaml_scalar(doc['charge'])}")
    lines.append(f"department: {_yaml_scalar(doc['department'])}")
    lines.append(f"signed: {doc['signed'].isoformat()}")
    if doc["judgment_effective"] is not None:
        lines.append(f"judgment_effective: {doc['judgment_effective'].isoformat()}")
    lines.append(f"published: {doc['published'].strftime('%Y-%m-%dT%H:%M:%SZ')}")
    lines.append(f"language: {doc['language']}")
    lines.append("---")
    return "\n".join(lines) + "\n"


def file_name(doc: dict) -> str:
    """indictment-2021-1247.md for numbered documents, <slug>.md for the others."""
    if doc["number"]:
        serial = doc["number"].rsplit("〕", 1)[1].removesuffix("号")
        kind = doc["doc_type"].replace("_", "-")
        return f"{kind}-{doc['signed'].year}-{int(serial):04d}.md"
    return f"{doc['slug']}.md"


def _jsonable(doc: dict) -> dict:
    out = dict(doc)
    out["signed"] = doc["signed"].isoformat()
    out["judgment_effective"] = (
        doc["judgment_effective"].isoformat() if doc["judgment_effective"] else None
    )
    out["published"] = doc["published"].isoformat()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of documents")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--out", type=Path, help="folder for Markdown files (format md)")
    parser.add_argument(
        "--format",
        choices=("md", "jsonl"),
        default="md",
        help="md: one Markdown file with front matter per document in --out (default); "
        "jsonl: one JSON object per line on standard output, dates as ISO strings",
    )
    args = parser.parse_args(argv)
    if args.n < 0:
        parser.error("n must not be negative")
    documents = generate_documents(args.n, args.seed)
    if args.format == "jsonl":
        out = sys.stdout
        try:
            for doc in documents:
                out.write(json.dumps(_jsonable(doc), ensure_ascii=False))
                out.write("\n")
            out.flush()
        except BrokenPipeError:  # the reader stopped early (| head): not an error
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    if args.out is None:
        parser.error("--out DIR is needed with --format md")
    args.out.mkdir(parents=True, exist_ok=True)
    for doc in documents:
        text = front_matter(doc) + "\n" + doc["body"]
        (args.out / file_name(doc)).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
