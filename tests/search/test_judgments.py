"""The judged search queries in bench/search_judgments/ are usable and honest to score with."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

BENCH_SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "search_quality.py"


def _load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("search_quality", BENCH_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


sq = _load_bench()


@pytest.fixture(scope="module")
def parts() -> dict:
    return sq.load_parts()


def test_both_files_parse_into_enough_queries_of_enough_kinds(parts: dict) -> None:
    queries = [q for part in parts.values() for q in part]
    assert set(parts) == {"dev", "held-out"}
    assert len(queries) >= 120
    assert len({q.kind for q in queries}) >= 9


def test_every_kind_is_in_both_parts_with_about_a_third_held_out(parts: dict) -> None:
    dev = Counter(q.kind for q in parts["dev"])
    held = Counter(q.kind for q in parts["held-out"])
    assert set(dev) == set(held)
    for kind in dev:
        share = held[kind] / (dev[kind] + held[kind])
        assert 0.25 <= share <= 0.4, f"{kind}: {held[kind]} of {dev[kind] + held[kind]} held out"


def test_no_query_is_in_both_parts(parts: dict) -> None:
    dev = {" ".join(q.text.split()) for q in parts["dev"]}
    held = {" ".join(q.text.split()) for q in parts["held-out"]}
    assert not dev & held
    for part in parts.values():
        texts = [q.text for q in part]
        assert len(texts) == len(set(texts)), "a query is repeated within a part"


def test_every_judged_id_is_a_document_or_page_of_the_corpus(parts: dict) -> None:
    corpus = sq.read_corpus()
    assert len(corpus.documents) >= 200 and corpus.pages
    assert sq.unknown_ids(parts, corpus) == []


def test_grades_are_0_to_3_and_every_query_has_an_answer(parts: dict) -> None:
    for query in (q for part in parts.values() for q in part):
        assert all(type(g) is int and 0 <= g <= 3 for g in query.judgments.values())
        assert max(query.judgments.values()) >= 1, query.text


def test_expect_names_the_kind_of_the_best_answer(parts: dict) -> None:
    page_only = 0
    for query in (q for part in parts.values() for q in part):
        top = max(query.judgments.values())
        best = {i for i, g in query.judgments.items() if g == top}
        has_document = any(not i.startswith((sq.PAGE_PREFIX, sq.QA_PREFIX)) for i in best)
        if not has_document and not any(i.startswith(sq.PAGE_PREFIX) for i in best):
            continue  # only an answer is best: `expect` names the next kind, not checked
        assert query.expect == ("document" if has_document else "page"), query.text
        page_only += all(i.startswith(sq.PAGE_PREFIX) for i in query.judgments)
    assert page_only >= 5, "queries only a guide page answers belong in the set"


def test_the_held_out_file_says_it_is_never_for_tuning() -> None:
    head = (sq.JUDGMENTS_DIR / "heldout.yaml").read_text(encoding="utf-8")[:600]
    assert "NEVER USE THESE QUERIES FOR TUNING" in head


def test_a_broken_file_is_refused_with_its_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("queries:\n  - text: 醉驾\n    kind: colloquial\n    expect: document\n")
    with pytest.raises(sq.JudgmentError, match="judgments"):
        sq.load_queries(bad)
    bad.write_text(
        "queries:\n  - text: 醉驾\n    kind: colloquial\n    expect: document\n"
        "    judgments: {'x': 4}\n"
    )
    with pytest.raises(sq.JudgmentError, match="0..3"):
        sq.load_queries(bad)
    bad.write_text("queries: [\n")
    with pytest.raises(sq.JudgmentError, match="YAML"):
        sq.load_queries(bad)


def test_the_ideal_ranking_of_every_query_scores_one(parts: dict) -> None:
    for query in (q for part in parts.values() for q in part):
        ideal = sorted(query.judgments, key=lambda i: -query.judgments[i])
        figures = sq.score(query, ideal, len(ideal))
        assert figures == {"ndcg": 1.0, "mrr": 1.0, "recall": 1.0, "zero": 0.0}, query.text


def test_an_answer_is_named_by_its_title_and_the_demo_titles_are_known() -> None:
    hit = {"kind": "qa", "type": "qa", "title": "不起诉决定可以申诉吗", "url": "http://x/answers/7"}
    assert sq.result_id(hit) == "qa:不起诉决定可以申诉吗"
    assert sq.result_id({"kind": "page", "url": "http://x/guide/visit"}) == "page:visit"
    corpus = sq.read_corpus()
    assert corpus.knows("qa:不起诉决定可以申诉吗")
    assert corpus.knows("qa:How can a lawyer book a case file reading?")
    assert not corpus.knows("qa:1") and not corpus.knows("qa:一个没有的问题")
