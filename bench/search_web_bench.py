"""Shows how many searches per second the portal's search page serves over a large index.

Run from the repository root::

    .venv/bin/python bench/search_web_bench.py [--docs 100000] [--duration 15] [--quick]

It fills a throw-away SQLite instance with generated published documents
(`bench/make_corpus.py`, inserted in bulk: the publishing rules are tested
elsewhere and would only slow the setup), builds the index with the
portal's own `flask search rebuild` (timed), then serves the portal and a
hello-world Flask app under the same gunicorn settings (2 sync workers) and
measures both with wrk. Half of the search requests are unique queries
(substrings taken from the corpus, each asked once), half repeat a small set
of popular ones, so the page cache alone cannot carry the figure.

Rate limiting is turned off for the portal here (PORTAL_RATELIMIT_ENABLED=0):
all the load comes from one loopback address, which the per-address search
limit would otherwise stop after 300 requests.

The goal, reported and not asserted: the search page serves at least 10 % of
the hello-world's requests per second. Exit code 1 when a correctness check
fails (a query that must find a document does not) or wrk saw errors.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_corpus  # noqa: E402
import web_bench as wb  # noqa: E402

GOAL_PERCENT = 10.0
POPULAR = 40
BATCH = 2000
CJK = range(0x4E00, 0xA000)

PATHS_LUA = """\
local paths = {}
local popular = {}
local counter = 0
setup = function(thread)
  thread:set("id", counter)
  counter = counter + 1
end
init = function(args)
  for line in io.lines("%(unique)s") do paths[#paths + 1] = line end
  for line in io.lines("%(popular)s") do popular[#popular + 1] = line end
  n = 0
end
request = function()
  n = n + 1
  if n %% 2 == 0 then
    return wrk.format("GET", popular[math.random(#popular)])
  end
  -- each thread walks its own share of the unique queries
  local i = ((n - 1) / 2) * %(threads)d + id
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
"""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--quick", action="store_true", help="10,000 documents, 5 s runs")
    parser.add_argument(
        "--workdir",
        help="keep the instance here; a later run with the same --docs reuses its documents",
    )
    parser.add_argument(
        "--reuse-index",
        action="store_true",
        help="with --workdir: skip the rebuild when the kept index has the current format",
    )
    args = parser.parse_args()
    if args.quick:
        args.docs, args.duration = 10_000, 5
    return args


def load_documents(instance: Path, count: int) -> list[str]:
    """Insert published documents in bulk; return substrings of them to search for."""
    from portal import create_app
    from portal.disclosure.models import Document
    from portal.disclosure.numbers import number_key
    from portal.markup import render_markdown

    app = create_app({"INSTANCE_PATH": str(instance)})
    engine = app.extensions["portal.db"].engine
    rng = random.Random(7)
    samples: list[str] = []
    rows: list[dict[str, object]] = []
    now = time.time()

    def flush() -> None:
        with engine.begin() as conn:
            conn.execute(Document.__table__.insert(), rows)
        rows.clear()

    for doc in make_corpus.generate_documents(count, seed=11):
        body = doc["body"]
        rows.append(
            {
                "doc_type": doc["doc_type"],
                "number": doc["number"] or None,
                "number_key": number_key(doc["number"]) if doc["number"] else None,
                "slug": doc.get("slug") or None,
                "title": doc["title"],
                "case_name": doc["case_name"],
                "charge": doc["charge"],
                "department": doc["department"],
                "language": doc["language"],
                "signed_on": doc["signed"],
                "judgment_effective_on": doc["judgment_effective"],
                "published_at": doc["published"],
                "body_markdown": body,
                "body_html": render_markdown(body),
                "status": "published",
                "involves_minor": False,
                "state_secret": False,
                "sensitive_names": "",
                "revision": 1,
                "created_at": doc["published"],
                "updated_at": doc["published"],
            }
        )
        if len(samples) < 40_000 and doc["language"] == "zh_Hans":
            for _ in range(2):
                start = rng.randrange(0, max(1, len(body) - 4))
                piece = body[start : start + rng.choice((2, 2, 3, 4))]
                if len(piece) >= 2 and all(ord(ch) in CJK for ch in piece):
                    samples.append(piece)
        if len(rows) >= BATCH:
            flush()
    if rows:
        flush()
    app.extensions["portal.db"].dispose()
    print(f"  inserted {count:,} documents in {time.time() - now:.0f} s")
    return samples


def index_is_current(index_dir: Path) -> bool:
    """Whether a kept index holds documents in the format this code reads."""
    from whoosh.index import EmptyIndexError

    from search import IndexFormatError, SearchIndex

    try:
        return SearchIndex(str(index_dir)).count() > 0
    except (IndexFormatError, EmptyIndexError, OSError, ValueError, LookupError):
        return False  # EmptyIndexError: no index built yet


def search_path(query: str) -> str:
    return "/documents/search?" + urllib.parse.urlencode({"q": query})


def check_search(base: str, queries: list[str]) -> list[str]:
    """Every sampled substring must be found (it was cut from a document)."""
    failures = []
    for query in queries:
        url = base + "/api/v1/search?" + urllib.parse.urlencode({"q": query})
        with urllib.request.urlopen(url, timeout=30) as response:
            total = json.load(response)["total"]
        if total < 1:
            failures.append(f"FAIL: {query!r} found nothing")
    return failures


def main() -> int:
    args = parse_args()
    bin_dir = wb.venv_bin()
    wb.print_environment(bin_dir)
    tmp = Path(args.workdir or tempfile.mkdtemp(prefix="portal-search-bench-")).resolve()
    tmp.mkdir(parents=True, exist_ok=True)
    kept = tmp / f"samples-{args.docs}.txt"
    servers: list[wb.Server] = []
    try:
        env = wb.child_env(tmp)
        env["PORTAL_RATELIMIT_ENABLED"] = "0"
        work = tmp / "bench"
        (work / "hello").mkdir(parents=True, exist_ok=True)
        (work / "hello" / "hello_app.py").write_text(wb.HELLO_APP)
        print(f"Preparing {args.docs:,} documents in {tmp}")
        wb.run_cli(bin_dir, env, "db", "upgrade")
        if args.workdir and kept.exists():
            samples = kept.read_text().splitlines()
            print(f"  reusing the {args.docs:,} documents kept in {tmp}")
        else:
            samples = load_documents(tmp, args.docs)
            if args.workdir:
                kept.write_text("\n".join(samples) + "\n")
        if args.reuse_index and args.workdir and index_is_current(tmp / "index"):
            print("  reusing the kept index (no rebuild timed)")
        else:
            started = time.monotonic()
            subprocess.run(
                [str(bin_dir / "flask"), "--app", "portal", "search", "rebuild"],
                cwd=wb.REPO_ROOT,
                env=env,
                check=True,
                capture_output=True,
                timeout=3600,
            )
            built = time.monotonic() - started
            size = sum(
                p.stat().st_size for p in (tmp / "index").resolve().rglob("*") if p.is_file()
            )
            print(
                f"  flask search rebuild: {built:.0f} s ({args.docs / built:.0f} documents/s), "
                f"index {size / 1e9:.2f} GB"
            )

        rng = random.Random(3)
        rng.shuffle(samples)
        popular, unique = samples[:POPULAR], samples[POPULAR:]
        (work / "popular.txt").write_text("\n".join(search_path(q) for q in popular) + "\n")
        (work / "unique.txt").write_text("\n".join(search_path(q) for q in unique) + "\n")
        lua = work / "search.lua"
        lua.write_text(
            PATHS_LUA
            % {
                "unique": work / "unique.txt",
                "popular": work / "popular.txt",
                "threads": wb.THREADS,
            }
            + wb.WRK_LUA
        )
        report = work / "report.lua"
        report.write_text(wb.WRK_LUA)

        portal = wb.start_gunicorn("portal", bin_dir, "portal:create_app()", env, work / "p.log")
        servers.append(portal)
        hello = wb.start_gunicorn(
            "hello-world", bin_dir, "hello_app:app", env, work / "h.log", chdir=work / "hello"
        )
        servers.append(hello)
        wb.wait_until_ready(portal, "/healthz", timeout=120)
        wb.wait_until_ready(hello, "/")
        failures = check_search(portal.base, rng.sample(unique, 20))

        print(f"\nwrk: {wb.THREADS} threads, {wb.CONNECTIONS} connections, {args.duration} s")
        hello_result = wb.run_wrk(
            wb.Target("hello", "bare", hello.base + "/"), args.duration, report
        )
        target = wb.Target("search", "mixed", portal.base + "/documents/search")
        wb.run_wrk(target, 2, lua)  # warm-up: opens the index in both workers
        search_result = wb.run_wrk(target, args.duration, lua)
        unique_share = len(unique) and min(1.0, search_result.requests / 2 / len(unique))
        print()
        wb.print_table(
            [
                (wb.Target("hello", "bare Flask", ""), hello_result),
                (wb.Target("search", "50% unique", ""), search_result),
            ],
            hello_result.rps,
        )
        ratio = 100.0 * search_result.rps / hello_result.rps
        print(
            f"\nunique queries asked: {min(len(unique), search_result.requests // 2):,} "
            f"({100 * unique_share:.0f}% of the unique list)"
        )
        verdict = "PASS" if ratio >= GOAL_PERCENT else "BELOW"
        print(f"Goal: search page >= {GOAL_PERCENT:.0f}% of hello-world: {ratio:.1f}% {verdict}")
        errors = search_result.error_total + hello_result.error_total
        for line in failures:
            print(line)
        if errors:
            print(f"ERROR: wrk saw {errors} failed requests\n{wb.log_tail(portal.log)}")
        return 1 if failures or errors else 0
    finally:
        for server in servers:
            wb.stop_server(server)
        if not args.workdir:
            wb.shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
