"""Load test of the submission flow: many citizens sending at once, under gunicorn.

Run from the repository root::

    .venv/bin/python bench/submission_load.py [--submissions 2000] [--clients 50]
        [--workers 4] [--database-url postgresql+psycopg://...]

Each simulated citizen walks the real pages with its own cookies: start page,
about you, details, check your answers, send, confirmation. Half send a
real-name complaint, half an anonymous suggestion. Rate limits and the
anti-abuse challenge are turned off for the run (PORTAL_RATELIMIT_ENABLED=0,
high challenge thresholds): every client comes from 127.0.0.1.

By default the portal runs on a throw-away SQLite instance; with
``--database-url`` it uses that database (migrated first; use a throw-away
database, e.g. ``createdb -h 127.0.0.1 -p 54330 -U postgres portal_submissions_bench``).
Only the submissions this run created are counted.

Prints requests/s and latency percentiles (p50, p95, p99) over all requests, and
submissions/s. Exit code 0 only if every submission was stored, no request got
a 5xx or failed, and all tracking codes are unique; 1 otherwise; 2 when the
benchmark could not be set up.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import web_bench as wb  # noqa: E402

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
KEY_RE = re.compile(r'name="submit_key"[^>]*value="([^"]+)"')
TRACKING_RE = re.compile(r'data-testid="tracking-code">([A-Z0-9-]+)<')
ID_NUMBER = "11010519491231002X"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:  # type: ignore[override]
        return None


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    server_errors: int = 0
    failures: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Citizen:
    """One visitor with its own cookies, timing every request."""

    def __init__(self, base: str, stats: Stats) -> None:
        self.base = base
        self.stats = stats
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def request(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        started = time.perf_counter()
        try:
            with self.opener.open(self.base + path, data=body, timeout=120) as response:
                status, text = response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            status, text = exc.code, exc.read().decode("utf-8", "replace")
        elapsed = time.perf_counter() - started
        with self.stats.lock:
            self.stats.latencies.append(elapsed)
            if status >= 500:
                self.stats.server_errors += 1
        return status, text

    def expect(self, path: str, data: dict[str, str] | None, status: int) -> str:
        got, text = self.request(path, data)
        if got != status:
            raise RuntimeError(f"{'POST' if data is not None else 'GET'} {path}: {got}")
        return text

    def send(self, number: int) -> str:
        anonymous = number % 2 == 1
        kind = "suggestion" if anonymous else "complaint"
        page = self.expect(f"/submissions/{kind}/", None, 200)
        token = CSRF_RE.search(page).group(1)  # type: ignore[union-attr]
        self.expect(f"/submissions/{kind}/", {"csrf_token": token}, 302)
        if anonymous:
            self.expect(
                f"/submissions/{kind}/anonymity", {"csrf_token": token, "anonymous": "yes"}, 302
            )
            identity = {"email": ""}
            answers = {"subject": f"建议 {number}", "suggestion": "周六也开放接待窗口。" * 5}
        else:
            identity = {
                "name": "王小明",
                "id_number": ID_NUMBER,
                "phone": f"139{number:08d}",
                "email": "",
            }
            answers = {
                "subject": f"控告 {number}",
                "accused": "示例区某派出所",
                "facts": "电动车被盗，报警后一直未立案。" * 20,
                "request": "请依法监督立案。",
            }
        self.expect(f"/submissions/{kind}/about-you", {"csrf_token": token, **identity}, 302)
        self.expect(f"/submissions/{kind}/details", {"csrf_token": token, **answers}, 302)
        check = self.expect(f"/submissions/{kind}/check", None, 200)
        key = KEY_RE.search(check).group(1)  # type: ignore[union-attr]
        self.expect(f"/submissions/{kind}/check", {"csrf_token": token, "submit_key": key}, 302)
        confirmation = self.expect("/submissions/confirmation", None, 200)
        match = TRACKING_RE.search(confirmation)
        if match is None:
            raise RuntimeError("no tracking code on the confirmation page")
        return match.group(1)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--database-url", help="run on this database instead of SQLite")
    return parser.parse_args()


def count_submissions(url: str) -> tuple[int, int]:
    """(rows, distinct tracking codes) in the submissions table."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT count(*), count(DISTINCT tracking_code) FROM submissions")
        ).one()
    engine.dispose()
    return int(row[0]), int(row[1])


def start(bin_dir: Path, env: dict[str, str], workers: int, log: Path) -> wb.Server:
    port = wb.free_port()
    command = [
        str(bin_dir / "gunicorn"),
        "--workers", str(workers),
        "--worker-class", "sync",
        "--bind", f"127.0.0.1:{port}",
        "--timeout", "120",
        "--log-level", "warning",
        "--error-logfile", str(log),
        *wb.control_socket_args(bin_dir),
        "portal:create_app()",
    ]  # fmt: skip
    with log.open("ab") as handle:
        process = subprocess.Popen(
            command,
            cwd=wb.REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return wb.Server(name="portal", port=port, process=process, log=log)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> int:
    args = parse_args()
    bin_dir = wb.venv_bin()
    with tempfile.TemporaryDirectory(prefix="submission-load-") as tmp:
        instance = Path(tmp) / "instance"
        env = wb.child_env(instance)
        url = args.database_url or f"sqlite:///{instance / 'portal.db'}"
        env.update(
            {
                "PORTAL_DATABASE_URL": url,
                "PORTAL_RATELIMIT_ENABLED": "0",
                "PORTAL_SUBMISSIONS_CHALLENGE_AFTER_PER_ADDRESS": str(10**9),
                "PORTAL_SUBMISSIONS_CHALLENGE_AFTER_PER_PHONE": str(10**9),
                "PORTAL_SUBMISSIONS_MAX_PER_PHONE_PER_DAY": str(10**9),
                "PORTAL_MAIL_ENABLED": "0",
            }
        )
        try:
            wb.run_cli(bin_dir, env, "db", "upgrade")
            before, _ = count_submissions(url)
            server = start(bin_dir, env, args.workers, Path(tmp) / "gunicorn.log")
        except (wb.BenchError, OSError) as exc:
            print(f"setup failed: {exc}", file=sys.stderr)
            return 2
        try:
            wb.wait_until_ready(server, "/submissions/")
            backend = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
            print(
                f"{backend}, gunicorn {args.workers} sync workers, {args.clients} clients, "
                f"{args.submissions} submissions, {os.cpu_count()} CPU cores"
            )
            stats = Stats()

            def one(number: int) -> None:
                try:
                    code = Citizen(server.base, stats).send(number)
                except Exception as exc:  # noqa: BLE001 - every failure is counted and shown
                    with stats.lock:
                        stats.failures.append(f"#{number}: {exc}")
                else:
                    with stats.lock:
                        stats.codes.append(code)

            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=args.clients) as pool:
                list(pool.map(one, range(args.submissions)))
            elapsed = time.perf_counter() - started
        finally:
            wb.stop_server(server)
        after, distinct_after = count_submissions(url)

    stored = after - before
    lat_ms = [value * 1000 for value in stats.latencies]
    print(f"requests          {len(lat_ms)} in {elapsed:.1f} s = {len(lat_ms) / elapsed:.1f} req/s")
    print(f"submissions       {len(stats.codes)} confirmed = {len(stats.codes) / elapsed:.1f}/s")
    print(
        f"latency ms        p50 {statistics.median(lat_ms):.1f}  "
        f"p95 {percentile(lat_ms, 0.95):.1f}  p99 {percentile(lat_ms, 0.99):.1f}  "
        f"max {max(lat_ms):.1f}"
    )
    print(f"server errors     {stats.server_errors}")
    print(f"failed flows      {len(stats.failures)}")
    for failure in stats.failures[:10]:
        print(f"  {failure}")
    print(f"stored            {stored} (table now {after} rows, {distinct_after} distinct codes)")
    unique = len(set(stats.codes)) == len(stats.codes) and after == distinct_after
    print(f"tracking codes    {'all unique' if unique else 'DUPLICATES'}")
    ok = (
        stored == args.submissions
        and len(stats.codes) == args.submissions
        and stats.server_errors == 0
        and not stats.failures
        and unique
    )
    print("RESULT            " + ("ok" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
