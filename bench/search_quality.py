"""Scores the portal's search against the judged queries, next to a bigram BM25 baseline.

Run from the repository root (``make bench`` does this)::

    .venv/bin/python bench/search_quality.py [--url http://127.0.0.1:5000] [--json out.json]

The judged queries are in bench/search_judgments/: dev.yaml (tune on these) and
heldout.yaml (never tuned on; scored only to check). Each query is sent to
`/api/v1/search?q=...&per_page=10` of a running portal (``--url``), or, without
it, of a portal this script starts itself: a throw-away SQLite instance with
the demo content (``flask db upgrade``, ``demo load``, ``search rebuild``)
served by gunicorn, rate limiting off, as bench/web_bench.py does.

In the same run a character-bigram Okapi BM25 ranker (k1=1.2, b=0.75, no
folding of any kind) is computed in-process over the same documents (title and
body of content/documents/*.md) and scored on the same judgments. For the
engine, for the baseline and for their difference it prints, per kind of query
and overall, separately for the dev and the held-out part:

- nDCG@10, gains 2^grade - 1, the ideal ranking taken from all the judgments;
- MRR: 1 / rank of the first result graded 2 or more (1 or more for a query
  judged no higher than 1), 0 when none is in the first 10;
- recall@10: relevant results (grade 1 or more) in the first 10, divided by
  the number of relevant ones or 10, whichever is smaller;
- zero: the share of queries that found nothing at all.

A guide page is judged as "page:<slug>". A result counts as that page when the
API marks it as a page (``kind`` or ``type`` "page") or its URL is under
/guide/; documents are named by the number or slug in their URL. A published question
and answer (``kind`` or ``type`` "qa") is judged as "qa:<its title>": its
title, unlike its database id, is the same on every demo instance; the titles
known are those `flask demo load` publishes (portal/answers/demo.py).

Scores are reported, never asserted. The exit code is 1 when something is
broken (a judgment file that does not parse or names a document or page that
is not in content/ or among the demo answers, an API error), 2 when the portal could not be started.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import shutil
import sys
import tempfile
import time
import urllib.parse
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import web_bench as wb  # noqa: E402

if str(wb.REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(wb.REPO_ROOT))

import yaml  # noqa: E402

from portal.answers.demo import DEMO as DEMO_ANSWERS  # noqa: E402
from portal.content import read_content_file  # noqa: E402

JUDGMENTS_DIR = wb.REPO_ROOT / "bench" / "search_judgments"
PARTS = (("dev", "dev.yaml"), ("held-out", "heldout.yaml"))
CONTENT_DIR = wb.REPO_ROOT / "content"
PAGE_PREFIX = "page:"
QA_PREFIX = "qa:"
EXPECT = ("document", "page")
TOP = 10
K1, B = 1.2, 0.75
METRICS = ("ndcg", "mrr", "recall", "zero")
HEADINGS = {"ndcg": "nDCG@10", "mrr": "MRR", "recall": "R@10", "zero": "zero"}
RETRIES_429 = 5


class JudgmentError(ValueError):
    """A judgment file is malformed or names something that is not in the corpus."""


@dataclass(frozen=True)
class Query:
    """One judged query."""

    text: str
    kind: str
    expect: str
    judgments: Mapping[str, int]

    @property
    def mrr_grade(self) -> int:
        """The lowest grade that counts as an answer for MRR."""
        return 2 if max(self.judgments.values()) >= 2 else 1


@dataclass(frozen=True)
class Corpus:
    """The documents (id -> title and body) and guide page slugs in content/, and the
    titles of the demo questions and answers."""

    documents: Mapping[str, str]
    pages: frozenset[str]
    answers: frozenset[str] = frozenset()

    def knows(self, judged_id: str) -> bool:
        if judged_id.startswith(PAGE_PREFIX):
            return judged_id[len(PAGE_PREFIX) :] in self.pages
        if judged_id.startswith(QA_PREFIX):
            return judged_id[len(QA_PREFIX) :] in self.answers
        return judged_id in self.documents


def read_corpus(content: Path = CONTENT_DIR) -> Corpus:
    """Documents by the id the API uses (number, else slug) and the guide pages' slugs."""
    documents: dict[str, str] = {}
    for path in sorted((content / "documents").glob("*.md")):
        if path.name == "README.md":
            continue
        item = read_content_file(path)
        ref = str(item.meta.get("number") or item.meta.get("slug") or path.stem)
        documents[ref] = f"{item.meta.get('title', '')}\n{item.body}"
    pages = frozenset(path.name.split(".", 1)[0] for path in (content / "pages").glob("*.md"))
    answers = frozenset(title for _topic, _language, title, *_rest in DEMO_ANSWERS)
    return Corpus(documents, pages, answers)


def load_queries(path: Path) -> list[Query]:
    """The queries of one judgment file; raises JudgmentError saying what is wrong."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise JudgmentError(f"{path}: cannot be read as YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("queries"), list):
        raise JudgmentError(f"{path}: expected a mapping with a 'queries' list")
    queries = []
    for number, item in enumerate(data["queries"], start=1):
        where = f"{path.name}, query {number}"
        if not isinstance(item, dict):
            raise JudgmentError(f"{where}: not a mapping")
        unknown = set(item) - {"text", "kind", "expect", "note", "judgments"}
        if unknown:
            raise JudgmentError(f"{where}: unknown keys {sorted(unknown)}")
        text, kind, expect = item.get("text"), item.get("kind"), item.get("expect")
        judgments = item.get("judgments")
        if not isinstance(text, str) or not text.strip():
            raise JudgmentError(f"{where}: 'text' missing or empty")
        if not isinstance(kind, str) or not kind:
            raise JudgmentError(f"{where} ({text}): 'kind' missing")
        if expect not in EXPECT:
            raise JudgmentError(f"{where} ({text}): 'expect' must be one of {EXPECT}")
        if not isinstance(judgments, dict) or not judgments:
            raise JudgmentError(f"{where} ({text}): 'judgments' missing or empty")
        for judged, grade in judgments.items():
            if not isinstance(judged, str) or type(grade) is not int or not 0 <= grade <= 3:
                raise JudgmentError(f"{where} ({text}): {judged!r}: grade must be 0..3")
        if max(judgments.values()) < 1:
            raise JudgmentError(f"{where} ({text}): no judgment of 1 or more")
        queries.append(Query(text, kind, expect, dict(judgments)))
    return queries


def load_parts(directory: Path = JUDGMENTS_DIR) -> dict[str, list[Query]]:
    """Both parts, by name."""
    return {part: load_queries(directory / name) for part, name in PARTS}


def unknown_ids(parts: Mapping[str, Sequence[Query]], corpus: Corpus) -> list[str]:
    """Judged ids that name no document or page of the corpus, as messages."""
    return [
        f"{part}: {query.text!r} judges {judged!r}, which is not in content/ or the demo"
        for part, queries in parts.items()
        for query in queries
        for judged in query.judgments
        if not corpus.knows(judged)
    ]


# --- metrics ---------------------------------------------------------------


def ndcg(ranking: Sequence[str], judgments: Mapping[str, int]) -> float:
    def dcg(grades: Iterable[int]) -> float:
        return sum((2**g - 1) / math.log2(rank + 2) for rank, g in enumerate(grades))

    ideal = dcg(sorted(judgments.values(), reverse=True)[:TOP])
    return dcg(judgments.get(i, 0) for i in ranking[:TOP]) / ideal if ideal else 0.0


def reciprocal_rank(ranking: Sequence[str], query: Query) -> float:
    for rank, judged in enumerate(ranking[:TOP], start=1):
        if query.judgments.get(judged, 0) >= query.mrr_grade:
            return 1.0 / rank
    return 0.0


def recall(ranking: Sequence[str], judgments: Mapping[str, int]) -> float:
    relevant = {i for i, g in judgments.items() if g >= 1}
    return len(relevant & set(ranking[:TOP])) / min(TOP, len(relevant))


def score(query: Query, ranking: Sequence[str], found: int) -> dict[str, float]:
    """The four figures of one query; `found` is how many results there were in all."""
    return {
        "ndcg": ndcg(ranking, query.judgments),
        "mrr": reciprocal_rank(ranking, query),
        "recall": recall(ranking, query.judgments),
        "zero": 1.0 if found == 0 else 0.0,
    }


def summarise(queries: Sequence[Query], scores: Sequence[Mapping[str, float]]) -> dict:
    """Mean figures per kind and overall."""
    groups: dict[str, list[Mapping[str, float]]] = defaultdict(list)
    for query, figures in zip(queries, scores, strict=True):
        groups[query.kind].append(figures)
        groups["overall"].append(figures)
    return {
        kind: {"n": len(rows), **{m: sum(r[m] for r in rows) / len(rows) for m in METRICS}}
        for kind, rows in groups.items()
    }


# --- the bigram BM25 baseline ----------------------------------------------

_RUN = re.compile(r"\w+")


def bigrams(text: str) -> list[str]:
    """Overlapping character bigrams of each run of letters and digits; a lone character alone."""
    grams: list[str] = []
    for run in _RUN.findall(text.lower()):
        grams.extend([run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)])
    return grams


class BigramBM25:
    """Okapi BM25 over character bigrams, written out in plain Python."""

    def __init__(self, documents: Mapping[str, str], k1: float = K1, b: float = B) -> None:
        self.k1, self.b = k1, b
        self.postings: dict[str, dict[str, int]] = defaultdict(dict)
        self.lengths: dict[str, int] = {}
        for doc_id, text in documents.items():
            grams = bigrams(text)
            self.lengths[doc_id] = len(grams)
            for gram, tf in Counter(grams).items():
                self.postings[gram][doc_id] = tf
        self.average = sum(self.lengths.values()) / max(1, len(self.lengths))

    def idf(self, gram: str) -> float:
        df, n = len(self.postings.get(gram, ())), len(self.lengths)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def search(self, text: str) -> list[str]:
        """Every document sharing a bigram with the query, best first."""
        scores: dict[str, float] = defaultdict(float)
        for gram in set(bigrams(text)):
            idf = self.idf(gram)
            for doc_id, tf in self.postings.get(gram, {}).items():
                norm = self.k1 * (1 - self.b + self.b * self.lengths[doc_id] / self.average)
                scores[doc_id] += idf * tf * (self.k1 + 1) / (tf + norm)
        return sorted(scores, key=lambda d: (-scores[d], d))


# --- the portal's API ------------------------------------------------------


class ApiError(RuntimeError):
    """The search API answered something other than a page of results."""


def result_id(hit: Mapping[str, object]) -> str:
    """The judged id of one API result: page:<slug> for a guide page, qa:<title> for a
    question and answer, else number or slug."""
    if "qa" in (hit.get("kind"), hit.get("type")):
        return QA_PREFIX + str(hit.get("title") or "")
    path = urllib.parse.unquote(urllib.parse.urlsplit(str(hit.get("url") or "")).path)
    last = path.rstrip("/").rsplit("/", 1)[-1]
    if "page" in (hit.get("kind"), hit.get("type")) or "/guide/" in path:
        return PAGE_PREFIX + last.split(".", 1)[0]
    return str(hit.get("number") or last)


def api_search(base: str, text: str) -> tuple[list[str], int, bool, str | None]:
    """The first 10 results' ids, the total, whether any result was a guide page, and
    the "did you mean" suggestion."""
    url = f"{base}/api/v1/search?" + urllib.parse.urlencode({"q": text, "per_page": TOP})
    for attempt in range(RETRIES_429 + 1):
        try:
            reply = wb.fetch(url)
        except OSError as exc:
            raise ApiError(f"GET {url} failed: {exc}") from exc
        if reply.status != 429 or attempt == RETRIES_429:
            break
        time.sleep(float(reply.headers.get("Retry-After") or 5))
    if reply.status != 200:
        raise ApiError(f"GET {url} answered {reply.status}: {reply.body[:300]}")
    try:
        data = json.loads(reply.body)
        hits = data["results"]
        # `total` counts documents; guide pages and answers shown beside them are results too.
        total = sum(int(data.get(key) or 0) for key in ("guide_total", "qa_total"))
        total += int(data["total"])
    except (ValueError, KeyError, TypeError) as exc:
        raise ApiError(f"GET {url}: not a page of results: {reply.body[:300]}") from exc
    ranking = [result_id(hit) for hit in hits]
    suggestion = data.get("suggestion") or None
    return ranking, total, any(r.startswith(PAGE_PREFIX) for r in ranking), suggestion


# --- running and reporting -------------------------------------------------


def evaluate(base: str, parts: Mapping[str, Sequence[Query]], corpus: Corpus) -> dict:
    """Every figure of the run, by part."""
    baseline = BigramBM25(corpus.documents)
    report: dict = {}
    for part, queries in parts.items():
        engine_scores, bm25_scores, rows = [], [], []
        pages_wanted = pages_found = 0
        typos = suggested = suggested_well = 0  # variants with few results; did you mean
        for query in queries:
            ranking, total, any_page, suggestion = api_search(base, query.text)
            if query.kind == "variant" and total < 3:
                typos += 1
                suggested += suggestion is not None
                if suggestion is not None:
                    better = api_search(base, suggestion)[0]
                    suggested_well += any(query.judgments.get(i, 0) >= 2 for i in better)
            engine = score(query, ranking, total)
            ranked = baseline.search(query.text)
            bm25 = score(query, ranked, len(ranked))
            engine_scores.append(engine)
            bm25_scores.append(bm25)
            if query.expect == "page":
                pages_wanted += 1
                pages_found += any_page
            rows.append(
                {
                    "text": query.text,
                    "kind": query.kind,
                    "expect": query.expect,
                    "total": total,
                    "engine": engine,
                    "bm25": bm25,
                    "engine_top": ranking,
                    "bm25_top": ranked[:TOP],
                }
            )
        engine_summary = summarise(queries, engine_scores)
        bm25_summary = summarise(queries, bm25_scores)
        report[part] = {
            "engine": engine_summary,
            "bm25": bm25_summary,
            "difference": {
                kind: {m: engine_summary[kind][m] - bm25_summary[kind][m] for m in METRICS}
                for kind in engine_summary
            },
            "page_queries": pages_wanted,
            "page_queries_with_a_page": pages_found,
            "did_you_mean": {"few_results": typos, "suggested": suggested, "right": suggested_well},
            "queries": rows,
        }
    return report


def print_part(part: str, figures: Mapping) -> None:
    engine, bm25, diff = figures["engine"], figures["bm25"], figures["difference"]
    cells = " ".join(f"{HEADINGS[m]:>7}" for m in METRICS)
    print(f"\n{part}: {engine['overall']['n']} queries")
    print(f"{'':<12} {'':>3}  {'engine':<31}  {'bigram BM25':<31}  {'engine - BM25':<31}")
    print(f"{'kind':<12} {'n':>3}  {cells}  {cells}  {cells}")
    kinds = sorted(k for k in engine if k != "overall") + ["overall"]
    for kind in kinds:
        if kind == "overall":
            print("-" * 114)
        row = [f"{kind:<12} {engine[kind]['n']:>3}"]
        for table, fmt in ((engine, "{:>7.3f}"), (bm25, "{:>7.3f}"), (diff, "{:>+7.3f}")):
            row.append(" ".join(fmt.format(table[kind][m]) for m in METRICS))
        print("  ".join(row))
    typos = figures["did_you_mean"]
    print(
        f"Did you mean: {typos['suggested']} of the {typos['few_results']} variant queries with "
        f"fewer than 3 results got a suggestion, {typos['right']} leading to a document "
        "judged 2 or more."
    )
    wanted, found = figures["page_queries"], figures["page_queries_with_a_page"]
    if wanted:
        print(
            f"{wanted} queries are best answered by a guide page; the API returned a page "
            f"for {found} of them (the others count as misses; the baseline indexes "
            "documents only)."
        )


def run(base: str, parts: Mapping[str, Sequence[Query]], corpus: Corpus, json_path: str | None):
    started = time.monotonic()
    report = evaluate(base, parts, corpus)
    for part, figures in report.items():
        print_part(part, figures)
    print(f"\nScored in {time.monotonic() - started:.1f} s against {base}/api/v1/search")
    if json_path:
        Path(json_path).write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
        print(f"Figures written to {json_path}")


def start_portal(tmp: Path, servers: list[wb.Server]) -> str:
    """A portal with the demo content on a throw-away SQLite instance; returns its base URL."""
    bin_dir = wb.venv_bin()
    env = wb.child_env(tmp)
    env["PORTAL_RATELIMIT_ENABLED"] = "0"  # every query comes from one address
    print(f"Preparing instance {tmp}")
    wb.run_cli(bin_dir, env, "db", "upgrade")
    wb.run_cli(bin_dir, env, "demo", "load")
    wb.run_cli(bin_dir, env, "search", "rebuild")
    portal = wb.start_gunicorn("portal", bin_dir, "portal:create_app()", env, tmp / "portal.log")
    servers.append(portal)
    wb.wait_until_ready(portal, "/healthz", timeout=120)
    return portal.base


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="base URL of a running portal (default: start one)")
    parser.add_argument("--json", metavar="FILE", help="also write the figures to FILE")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        parts = load_parts()
        corpus = read_corpus()
    except (JudgmentError, OSError, ValueError) as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 1
    problems = unknown_ids(parts, corpus)
    if problems:
        print("ERROR: judgments name what content/ does not have:", file=sys.stderr)
        for line in problems:
            print(f"  {line}", file=sys.stderr)
        return 1
    counts = ", ".join(f"{part} {len(queries)}" for part, queries in parts.items())
    print(
        f"Judged queries: {counts}; corpus: {len(corpus.documents)} documents, "
        f"{len(corpus.pages)} guide pages"
    )
    tmp = Path(tempfile.mkdtemp(prefix="portal-search-quality-"))
    servers: list[wb.Server] = []
    try:
        with wb.sigterm_as_exit():
            base = args.url.rstrip("/") if args.url else start_portal(tmp, servers)
            run(base, parts, corpus, args.json)
        return 0
    except ApiError as exc:
        print(f"\nERROR: {exc}", file=sys.stderr)
        return 1
    except wb.BenchError as exc:
        print(f"\nERROR: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nInterrupted.", file=sys.stderr)
        return 130
    finally:
        for server in servers:
            wb.stop_server(server)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
