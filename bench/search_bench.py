"""Measures the search engine against a naive Whoosh + jieba setup on the same corpus and queries.

Run from the repository root::

    .venv/bin/python bench/search_bench.py                 # 10,000 and 100,000 documents
    .venv/bin/python bench/search_bench.py --quick         # 2,000 documents
    .venv/bin/python bench/search_bench.py --sizes 10000 --skip-baseline

For each size the script generates the corpus with `bench/make_corpus.py`
(`generate_documents(n, seed)`; the Markdown bodies are stripped to plain text
as the portal does before indexing), builds our index (`search.SearchIndex.
rebuild`, one worker process per core) and a naive one (jieba's
`ChineseAnalyzer`, Whoosh defaults, `procs=2`), then runs the same mixed
queries on both: single terms, two terms, quoted phrases and filtered queries
(type and year range), half of the terms two characters long, each with facet
counts and the top 10 highlighted. Our engine is timed twice: "warm" keeps one
`SearchIndex` open (as the web process does, and as the baseline's one open
searcher does), "cold" clears its decoded-postings cache before every query.

Every query's hit count is compared with a brute-force substring scan of the
corpus (title and body, after the same filters): "recall" is the share of
queries where every document the scan finds is found, "exact" the share where
the counts are equal. The goals are printed as PASS/BELOW, never asserted; the
exit code is 1 when our engine's recall is below 100 %, 2 on a setup error.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import logging
import os
import platform
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
import traceback
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from search import IndexDocument, SearchIndex, SearchQuery  # noqa: E402

GOAL_BUILD_SECONDS_100K = 600.0
GOAL_P95_MS_100K = 60.0
GOAL_RECALL = 1.0
QUERY_KINDS = ("single", "two", "phrase", "filtered")


# Corpus


def _load_make_corpus() -> ModuleType | None:
    """bench/make_corpus.py imported by path, or None if it is not there."""
    path = Path(__file__).resolve().parent / "make_corpus.py"
    if not path.exists():
        return None
    sys.path.insert(0, str(path.parent))
    spec = importlib.util.spec_from_file_location("make_corpus", path)
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_corpus"] = module
    spec.loader.exec_module(module)
    return module


_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋"
_GIVEN = "明华建国志强伟芳娜敏静丽军杰涛超勇艳磊洋霞平刚桂英文辉斌宇浩凯鹏飞欣怡晨阳"
_CHARGES = (
    "危险驾驶罪",
    "盗窃罪",
    "诈骗罪",
    "故意伤害罪",
    "帮助信息网络犯罪活动罪",
    "交通肇事罪",
    "开设赌场罪",
    "寻衅滋事罪",
    "掩饰、隐瞒犯罪所得罪",
    "抢夺罪",
)
_PLACES = ("龙华区民治街道", "福田区华强北", "南山区科技园", "宝安区西乡街道", "罗湖区东门步行街")
_FILLER = (
    "经依法审查查明，犯罪嫌疑人到案后如实供述了自己的罪行。",
    "本院认为，其行为已触犯《中华人民共和国刑法》的规定，犯罪事实清楚，证据确实、充分。",
    "认定上述事实的证据有：证人证言、被害人陈述、监控视频截图、电子数据等。",
    "被告人自愿认罪认罚，签署了认罪认罚具结书，可以从宽处理。",
    "案发后，被告人积极退赔被害人经济损失并取得谅解，可以酌情从轻处罚。",
    "根据《中华人民共和国刑事诉讼法》第一百七十六条的规定，提起公诉，请依法判处。",
    "本院于同日已告知其有权委托辩护人，依法讯问了犯罪嫌疑人，听取了辩护人的意见。",
)
_TYPES = (
    "indictment",
    "non_prosecution",
    "criminal_protest",
    "appeal_review",
    "case_information",
    "announcement",
    "legal_education",
)


def builtin_documents(n: int, seed: int = 0) -> Iterator[dict[str, Any]]:
    """A small stand-in for make_corpus: about 1,500 characters of legal-style text each."""
    rng = random.Random(seed)
    for i in range(n):
        name = rng.choice(_SURNAMES) + "".join(rng.sample(_GIVEN, rng.choice((1, 2))))
        charge = rng.choice(_CHARGES)
        year = rng.randint(2018, 2025)
        place = rng.choice(_PLACES)
        sentences = [
            f"被告人{name}，男，{rng.randint(1960, 2003)}年出生，因涉嫌{charge}被刑事拘留。",
            f"{year}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日，被告人{name}在{place}"
            f"实施了{charge[:-1]}行为，涉案金额人民币{rng.randint(1000, 90000)}元。",
        ]
        while sum(map(len, sentences)) < 1400:
            sentences.append(rng.choice(_FILLER))
        doc_type = rng.choice(_TYPES)
        yield {
            "number": f"深龙华检刑诉〔{year}〕{i + 1}号",
            "title": f"{name}{charge[:-1]}案起诉书",
            "doc_type": doc_type,
            "department": rng.choice(("第一检察部", "第二检察部", "第三检察部", "办公室")),
            "case_name": f"{name}{charge[:-1]}案",
            "charge": charge,
            "signed": datetime(year, 6, 1, tzinfo=UTC).date(),
            "published": datetime(year, rng.randint(1, 12), rng.randint(1, 28), 8, tzinfo=UTC),
            "language": "zh_Hans",
            "body": "\n\n".join(sentences),
        }


_MD_PREFIX = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+\.\s+)", re.MULTILINE)
_MD_INLINE = re.compile(r"(\*\*|__|\*|_|`)")


def strip_markdown(text: str) -> str:
    """Roughly what the portal does before indexing: headings, lists and emphasis marks go."""
    return _MD_INLINE.sub("", _MD_PREFIX.sub("", text)).strip()


def load_corpus(n: int, seed: int, corpus: str) -> tuple[list[IndexDocument], str]:
    """n documents as IndexDocuments, and where they came from."""
    module = _load_make_corpus() if corpus == "auto" else None
    if module is not None:
        source = module.generate_documents(n, seed=seed)
        origin = "bench/make_corpus.py"
    else:
        source = builtin_documents(n, seed=seed)
        origin = "builtin generator"
    docs = [
        IndexDocument(
            doc_id=str(i + 1),
            number=raw.get("number") or "",
            title=raw["title"],
            body=strip_markdown(raw["body"]),
            doc_type=raw["doc_type"],
            department=raw.get("department") or "",
            language=raw.get("language") or "zh_Hans",
            published=raw["published"],
        )
        for i, raw in enumerate(source)
    ]
    return docs, origin


# Queries


@dataclass(frozen=True)
class BenchQuery:
    """One query of the mix, with the terms the brute-force scan looks for."""

    kind: str
    text: str
    terms: tuple[str, ...]
    doc_types: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    sort: str = "relevance"

    def search_query(self) -> SearchQuery:
        return SearchQuery(
            text=self.text,
            doc_types=self.doc_types,
            year_from=self.year_from,
            year_to=self.year_to,
            sort=self.sort,
            per_page=10,
            highlight=True,
        )


_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


class QueryMaker:
    """Draws query terms from the corpus the way people type them.

    Half the terms are two-character words. The others are longer words
    (names, places, charges), two or three adjacent words run together
    (认罪认罚, 危险驾驶罪: these cross word boundaries), and, for one in
    seven, an arbitrary substring of three to six characters. Phrases are
    two or three adjacent words in quotes.
    """

    def __init__(self, docs: Sequence[IndexDocument], seed: int) -> None:
        import rjieba

        self.docs = docs
        self.rng = random.Random(seed)
        self.cut = rjieba.cut

    def _tokens(self, doc: IndexDocument) -> list[list[str]]:
        """The CJK runs of a document, each as its list of segmenter tokens."""
        text = f"{doc.title}\n{doc.body}"
        return [self.cut(run) for run in _CJK_RUN.findall(text)]

    def term(self, doc: IndexDocument, two: bool, words: int = 0) -> str:
        """A term from `doc`: two characters if `two`, else longer (see the class docstring)."""
        rng = self.rng
        runs = self._tokens(doc)
        if two:
            pool = [t for run in runs for t in run if len(t) == 2]
            if pool:
                return rng.choice(pool)
            run = "".join(rng.choice(runs)) if runs else "检察"
            start = rng.randrange(0, max(1, len(run) - 1))
            return run[start : start + 2]
        kind = words or rng.choice((1, 1, 2, 2, 3, 9, 1))
        if kind == 1:
            pool = [t for run in runs for t in run if len(t) >= 3]
            if pool:
                return rng.choice(pool)
            kind = 2
        if kind in (2, 3):
            pool = [
                "".join(run[i : i + kind])
                for run in runs
                for i in range(len(run) - kind + 1)
                if len("".join(run[i : i + kind])) <= 8
            ]
            if pool:
                return rng.choice(pool)
        text = "".join(rng.choice([r for r in runs if len("".join(r)) >= 3] or [["检察院"]]))
        length = min(len(text), rng.randint(3, 6))
        start = rng.randrange(0, len(text) - length + 1)
        return text[start : start + length]

    def make(self, count: int) -> list[BenchQuery]:
        rng = self.rng
        queries: list[BenchQuery] = []
        for i in range(count):
            kind = QUERY_KINDS[i % len(QUERY_KINDS)]
            doc = rng.choice(self.docs)
            if kind == "single":
                term = self.term(doc, rng.random() < 0.5)
                sort = "date" if i % 8 == 0 else "relevance"
                queries.append(BenchQuery(kind, term, (term,), sort=sort))
            elif kind == "two":
                first = self.term(doc, rng.random() < 0.5)
                second = self.term(doc, rng.random() < 0.5)
                queries.append(BenchQuery(kind, f"{first} {second}", (first, second)))
            elif kind == "phrase":
                if rng.random() < 0.5:
                    phrase = self.term(doc, True)
                else:
                    phrase = self.term(doc, False, words=rng.choice((2, 3)))
                queries.append(BenchQuery(kind, f'"{phrase}"', (phrase,)))
            else:
                term = self.term(doc, rng.random() < 0.5)
                year = doc.published.year
                queries.append(
                    BenchQuery(
                        kind,
                        term,
                        (term,),
                        doc_types=(doc.doc_type,),
                        year_from=year - 1,
                        year_to=year + 1,
                    )
                )
        return queries


def brute_force(docs: Sequence[IndexDocument], query: BenchQuery) -> set[str]:
    """Ids of documents containing every term as a substring, after the filters."""
    found: set[str] = set()
    for doc in docs:
        if query.doc_types and doc.doc_type not in query.doc_types:
            continue
        year = doc.published.year
        if query.year_from is not None and year < query.year_from:
            continue
        if query.year_to is not None and year > query.year_to:
            continue
        text = f"{doc.title}\n{doc.body}"
        if all(term in text for term in query.terms):
            found.add(doc.doc_id)
    return found


# Measuring


@dataclass
class Run:
    """Figures of one engine at one size."""

    name: str
    build_seconds: float = 0.0
    size_bytes: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    totals: list[int] = field(default_factory=list)
    recall_ok: int = 0
    exact: int = 0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return float("nan")
        index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
        return ordered[index]


def directory_size(path: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            with contextlib.suppress(OSError):
                total += (Path(root) / name).stat().st_size
    return total


def run_ours(
    workdir: Path,
    docs: Sequence[IndexDocument],
    queries: Sequence[BenchQuery],
    expected: Sequence[set[str]],
) -> tuple[Run, Run, float]:
    """Build and query our engine: (warm run, cold run, first-query ms)."""
    index_dir = workdir / "ours" / "index"
    index_dir.parent.mkdir(parents=True)
    index = SearchIndex(str(index_dir))
    warm = Run("ours (warm)")
    started = time.perf_counter()
    index.rebuild(iter(docs), checkpoint=len(docs))
    warm.build_seconds = time.perf_counter() - started
    warm.size_bytes = directory_size(index_dir.resolve())
    started = time.perf_counter()
    index.search(SearchQuery(text="检察院", per_page=10))
    first_ms = (time.perf_counter() - started) * 1000
    cold = Run("ours (cold)", warm.build_seconds, warm.size_bytes)
    for run in (warm, cold):
        for query in queries:
            if run is cold:
                index._view()[0].clear_cache()
            started = time.perf_counter()
            results = index.search(query.search_query())
            _touch(results.hits)
            run.latencies_ms.append((time.perf_counter() - started) * 1000)
            run.totals.append(results.total)
    for query, wanted, total in zip(queries, expected, warm.totals, strict=True):
        _check(warm, total, _our_matches(index, query), wanted)
    cold.recall_ok, cold.exact = warm.recall_ok, warm.exact
    index.close()
    return warm, cold, first_ms


def _our_matches(index: SearchIndex, query: BenchQuery) -> set[str]:
    """Ids of all documents our engine matches (outside the timing)."""
    from search.parse import parse

    snap, engine = index._view()
    allowed = index._allowed(snap, query.search_query())
    docs = index._match(engine, snap, parse(query.text), allowed).docs
    ids = snap.doc_id_list()
    return {ids[d] for d in docs.nonzero()[0].tolist()}


def _touch(hits: Sequence[Any]) -> None:
    for hit in hits:
        _ = (hit.title_html, hit.fragment_html, hit.doc_id)


def _check(run: Run, total: int, found: set[str], wanted: set[str]) -> None:
    """Recall: every document the scan finds was found; exact: the same documents."""
    if wanted <= found:
        run.recall_ok += 1
    if found == wanted and total == len(wanted):
        run.exact += 1


def run_naive(
    workdir: Path,
    docs: Sequence[IndexDocument],
    queries: Sequence[BenchQuery],
    expected: Sequence[set[str]],
) -> Run:
    """Whoosh defaults with jieba's ChineseAnalyzer, one searcher kept open."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import jieba
        from jieba.analyse import ChineseAnalyzer
    jieba.setLogLevel(logging.WARNING)
    from whoosh import index as whoosh_index
    from whoosh import sorting
    from whoosh.fields import DATETIME, ID, NUMERIC, TEXT, Schema
    from whoosh.qparser import MultifieldParser
    from whoosh.query import And, NumericRange, Term

    analyzer = ChineseAnalyzer()
    schema = Schema(
        doc_id=ID(stored=True, unique=True, sortable=True),
        title=TEXT(analyzer=analyzer, stored=True),
        body=TEXT(analyzer=analyzer, stored=True),
        doc_type=ID(stored=True, sortable=True),
        year=NUMERIC(int, sortable=True),
        published=DATETIME(sortable=True),
    )
    path = workdir / "naive"
    path.mkdir()
    run = Run("naive")
    started = time.perf_counter()
    ix = whoosh_index.create_in(str(path), schema)
    writer = ix.writer(procs=2, limitmb=256) if len(docs) >= 2000 else ix.writer()
    for doc in docs:
        writer.add_document(
            doc_id=doc.doc_id,
            title=doc.title,
            body=doc.body,
            doc_type=doc.doc_type,
            year=doc.published.year,
            published=doc.published.replace(tzinfo=None),
        )
    writer.commit()
    run.build_seconds = time.perf_counter() - started
    run.size_bytes = directory_size(path)
    parser = MultifieldParser(["title", "body"], schema)
    facets = {"type": sorting.FieldFacet("doc_type"), "year": sorting.FieldFacet("year")}
    with ix.searcher() as searcher:
        id_column = searcher.reader().column_reader("doc_id")
        for query, wanted in zip(queries, expected, strict=True):
            started = time.perf_counter()
            parsed = parser.parse(query.text)
            filters = []
            if query.doc_types:
                filters.append(Term("doc_type", query.doc_types[0]))
            if query.year_from is not None:
                filters.append(NumericRange("year", query.year_from, query.year_to))
            kwargs: dict[str, Any] = {"limit": 10, "groupedby": facets}
            if filters:
                kwargs["filter"] = And(filters)
            if query.sort == "date":
                kwargs["sortedby"] = "published"
                kwargs["reverse"] = True
            results = searcher.search(parsed, **kwargs)
            for name in facets:
                results.groups(name)
            page = set()
            # With groupedby, iterating the results would yield every hit, not the top 10.
            for hit in results[:10]:
                _ = (hit.highlights("title"), hit.highlights("body"))
                page.add(hit["doc_id"])
            total = len(results)
            run.latencies_ms.append((time.perf_counter() - started) * 1000)
            run.totals.append(total)
            everything = searcher.search(parsed, limit=None, filter=kwargs.get("filter"))
            found = {id_column[n] for n in everything.docs()}
            _check(run, total, found, wanted)
    ix.close()
    return run


# Reporting


def _mb(size: int) -> str:
    return f"{size / 1e6:,.0f} MB"


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "BELOW"


def report(
    size: int,
    origin: str,
    queries: Sequence[BenchQuery],
    runs: Sequence[Run],
    first_ms: float,
    print_line: Callable[[str], None] = print,
) -> None:
    two = sum(len(t) == 2 for q in queries for t in q.terms)
    terms = sum(len(q.terms) for q in queries)
    print_line("")
    print_line(f"== {size:,} documents ({origin}), {len(queries)} queries ==")
    print_line(
        f"query terms: {terms}, of which 2 characters long: {two} ({two / terms:.0%}); "
        + ", ".join(f"{k} {sum(q.kind == k for q in queries)}" for k in QUERY_KINDS)
    )
    header = f"{'engine':<14}{'build s':>9}{'docs/s':>9}{'size':>10}{'p50 ms':>9}"
    header += f"{'p95 ms':>9}{'max ms':>9}{'recall':>9}{'exact':>8}"
    print_line(header)
    for run in runs:
        rate = size / run.build_seconds if run.build_seconds else float("nan")
        print_line(
            f"{run.name:<14}{run.build_seconds:>9.1f}{rate:>9.0f}{_mb(run.size_bytes):>10}"
            f"{run.percentile(50):>9.1f}{run.percentile(95):>9.1f}{max(run.latencies_ms):>9.1f}"
            f"{run.recall_ok / len(queries):>9.1%}{run.exact / len(queries):>8.1%}"
        )
    print_line(
        f"ours: first query after opening the index (loads word list, columns): {first_ms:.0f} ms"
    )
    by_name = {run.name: run for run in runs}
    naive = by_name.get("naive")
    warm = by_name["ours (warm)"]
    if naive:
        print_line(
            "naive / ours (warm): "
            f"build {naive.build_seconds / warm.build_seconds:.1f}x, "
            f"size {naive.size_bytes / warm.size_bytes:.2f}x, "
            f"p50 {naive.percentile(50) / warm.percentile(50):.1f}x, "
            f"p95 {naive.percentile(95) / warm.percentile(95):.1f}x"
        )
    for kind in QUERY_KINDS:
        picked = [ms for q, ms in zip(queries, warm.latencies_ms, strict=True) if q.kind == kind]
        print_line(
            f"  ours (warm) {kind:<9} p50 {statistics.median(picked):6.1f} ms  "
            f"p95 {sorted(picked)[max(0, round(0.95 * len(picked)) - 1)]:6.1f} ms"
        )
    if size >= 100_000:
        print_line(
            f"goal: index 100k in <= {GOAL_BUILD_SECONDS_100K / 60:.0f} min: "
            f"{warm.build_seconds / 60:.1f} min "
            f"{_verdict(warm.build_seconds <= GOAL_BUILD_SECONDS_100K)}"
        )
        for run in runs[:2]:
            print_line(
                f"goal: {run.name} p95 <= {GOAL_P95_MS_100K:.0f} ms at 100k: "
                f"{run.percentile(95):.1f} ms {_verdict(run.percentile(95) <= GOAL_P95_MS_100K)}"
            )
    recall = warm.recall_ok / len(queries)
    print_line(f"goal: recall 100 %: {recall:.1%} {_verdict(recall >= GOAL_RECALL)}")


def slowest(queries: Sequence[BenchQuery], run: Run, count: int = 5) -> list[str]:
    ranked = sorted(zip(run.latencies_ms, queries, run.totals, strict=True), key=lambda x: -x[0])
    return [
        f"    {ms:7.1f} ms  {q.kind:<9} {q.text!r} hits={total}" for ms, q, total in ranked[:count]
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated corpus sizes")
    parser.add_argument("--quick", action="store_true", help="2,000 documents only")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--skip-baseline", action="store_true", help="do not build the naive index")
    parser.add_argument(
        "--corpus",
        choices=("auto", "builtin"),
        default="auto",
        help="auto: bench/make_corpus.py when present, else the builtin generator",
    )
    parser.add_argument("--workdir", help="where to build the indexes (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the indexes afterwards")
    args = parser.parse_args(argv)
    try:
        sizes = [2000] if args.quick else [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error("--sizes takes numbers separated by commas")
    print(
        f"search benchmark: Python {platform.python_version()}, {os.cpu_count()} cores, "
        f"{platform.machine()}, seed {args.seed}"
    )
    failed = False
    for size in sizes:
        workdir = Path(tempfile.mkdtemp(prefix=f"search-bench-{size}-", dir=args.workdir))
        try:
            started = time.perf_counter()
            docs, origin = load_corpus(size, args.seed, args.corpus)
            print(f"\n{size:,} documents generated in {time.perf_counter() - started:.1f} s")
            queries = QueryMaker(docs, args.seed).make(args.queries)
            started = time.perf_counter()
            expected = [brute_force(docs, q) for q in queries]
            print(
                f"brute-force scan of {len(queries)} queries: {time.perf_counter() - started:.1f} s"
            )
            warm, cold, first_ms = run_ours(workdir, docs, queries, expected)
            print(f"ours built in {warm.build_seconds:.1f} s; queried")
            runs = [warm, cold]
            if not args.skip_baseline:
                naive = run_naive(workdir, docs, queries, expected)
                print(f"naive built in {naive.build_seconds:.1f} s; queried")
                runs.append(naive)
            report(size, origin, queries, runs, first_ms)
            print("  slowest (ours, warm):")
            for line in slowest(queries, warm):
                print(line)
            misses = [
                (q, total, len(w))
                for q, total, w in zip(queries, warm.totals, expected, strict=True)
                if total < len(w)
            ]
            for q, total, wanted in misses[:10]:
                print(f"  MISSED {q.text!r}: {total} found, {wanted} contain it")
            failed = failed or warm.recall_ok < len(queries)
        finally:
            if not args.keep:
                shutil.rmtree(workdir, ignore_errors=True)
            else:
                print(f"indexes kept in {workdir}")
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception:  # noqa: BLE001 - any failure to set up or run is exit code 2
        traceback.print_exc()
        sys.exit(2)
