"""Shows how fast the portal serves its public pages next to a bare Flask app, under gunicorn.

Run from the repository root (``make bench`` does this)::

    .venv/bin/python bench/web_bench.py [--duration SECONDS] [--quick]

The script builds a throw-away instance folder with the project's own CLI
(``db upgrade``, ``demo load``, ``search rebuild``), starts the portal and a
hello-world Flask app under gunicorn (2 sync workers each, access log off),
measures them with wrk and prints requests/s, latency percentiles, errors and
each page's rate as a share of the hello-world rate.

Throughput against the goal (at least 50 % of hello-world for the home, listing
and detail pages) is reported, never asserted. The exit code is 1 when a
correctness check against the running portal fails (language, large-text
switch, per-visitor CSRF token, Content-Security-Policy header) or when any wrk
run reported errors; 2 when the benchmark could not be set up; 130 on Ctrl-C.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

REPO_ROOT = Path(__file__).resolve().parent.parent
WRK = shutil.which("wrk") or "/usr/bin/wrk"
THREADS = 2
CONNECTIONS = 16
WORKERS = 2
START_TIMEOUT = 30.0
GOAL_PERCENT = 50.0
PREF_COOKIES = "portal_lang=en; portal_large_text=1"
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
HTML_TAG_RE = re.compile(r"<html\b[^>]*>", re.IGNORECASE)

HELLO_APP = textwrap.dedent(
    '''\
    """A bare Flask app: the ceiling the portal is compared with."""

    from flask import Flask

    app = Flask(__name__)


    @app.route("/")
    def hello():
        return "Hello, World!", 200, {"Content-Type": "text/plain; charset=utf-8"}
    '''
)

# wrk's --latency prints 50/75/90/99 % only; this adds p95 and the error counts.
WRK_LUA = textwrap.dedent(
    """\
    done = function(summary, latency, requests)
      local e = summary.errors
      io.write(string.format(
        "BENCH p95_us=%.0f requests=%d duration_us=%d status=%d connect=%d read=%d write=%d"
          .. " timeout=%d\\n",
        latency:percentile(95), summary.requests, summary.duration,
        e.status, e.connect, e.read, e.write, e.timeout))
    end
    """
)
BENCH_LINE_RE = re.compile(r"^BENCH (.*)$", re.MULTILINE)
RPS_RE = re.compile(r"^Requests/sec:\s+([\d.]+)", re.MULTILINE)
PERCENTILE_RE = re.compile(r"^\s+(50|75|90|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
UNIT_TO_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}
ERROR_KINDS = ("status", "connect", "read", "write", "timeout")


class BenchError(RuntimeError):
    """The benchmark could not be set up or run."""


@dataclass(frozen=True)
class Target:
    """One wrk measurement: a URL, with or without the preference cookies."""

    page: str
    variant: str
    url: str
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class WrkResult:
    """What one wrk run reported."""

    rps: float
    p90_ms: float
    p95_ms: float
    p99_ms: float
    requests: int
    errors: Mapping[str, int]

    @property
    def error_total(self) -> int:
        """Non-2xx/3xx responses plus socket errors."""
        return sum(self.errors.values())


@dataclass
class Server:
    """A gunicorn process started in its own process group."""

    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def base(self) -> str:
        """The server's URL without a trailing slash."""
        return f"http://127.0.0.1:{self.port}"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Read --duration and --quick."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--duration", type=int, default=10, help="seconds per measured wrk run (default 10)"
    )
    parser.add_argument("--quick", action="store_true", help="3 s runs, for a fast look")
    args = parser.parse_args(argv)
    if args.quick:
        args.duration = 3
    if args.duration < 1:
        parser.error("--duration must be at least 1 second")
    return args


def venv_bin() -> Path:
    """The bin folder of the virtualenv this script runs in (or the project's .venv)."""
    here = Path(sys.prefix) / "bin"
    if (here / "flask").exists() and (here / "gunicorn").exists():
        return here
    return REPO_ROOT / ".venv" / "bin"


def first_line(command: Sequence[str]) -> str:
    """First line a command prints (stdout or stderr), for version reports."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unavailable ({exc})"
    lines = (done.stdout + done.stderr).strip().splitlines()
    return lines[0].strip() if lines else "unknown"


def print_environment(bin_dir: Path) -> None:
    """Python, gunicorn and wrk versions and the core count."""
    cores = os.cpu_count() or 0
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    print(f"Python    {platform.python_version()} ({sys.executable})")
    print(f"gunicorn  {first_line([str(bin_dir / 'gunicorn'), '--version'])}")
    print(f"wrk       {first_line([WRK, '-v'])}")
    print(f"CPU cores {cores} (usable by this process: {usable}); {platform.platform()}")


def child_env(instance: Path) -> dict[str, str]:
    """The environment of every subprocess: a fresh SQLite instance in development mode."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    dropped = sorted(set(os.environ) - set(env))
    if dropped:
        print(f"note: not passing inherited {', '.join(dropped)} to the servers")
    env["PORTAL_INSTANCE_PATH"] = str(instance)
    env["PORTAL_ENV"] = "development"
    return env


def run_cli(bin_dir: Path, env: Mapping[str, str], *args: str) -> None:
    """Run `flask --app portal ARGS` from the repository root; fail loudly."""
    command = [str(bin_dir / "flask"), "--app", "portal", *args]
    try:
        done = subprocess.run(
            command,
            cwd=REPO_ROOT,
            env=dict(env),
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BenchError(f"`flask --app portal {' '.join(args)}` did not run: {exc}") from exc
    if done.returncode != 0:
        raise BenchError(
            f"`flask --app portal {' '.join(args)}` exited {done.returncode}:\n"
            + textwrap.indent((done.stdout + done.stderr).strip(), "    ")
        )
    # Only the first line: `demo load` goes on to print the demo account's password.
    summary = done.stdout.strip().splitlines()[:1]
    print(f"  flask {' '.join(args):<16} {summary[0] if summary else 'ok'}")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@functools.cache
def control_socket_args(bin_dir: Path) -> tuple[str, ...]:
    """Turn off gunicorn's control socket where it exists (gunicorn 27+).

    Every master would otherwise listen on the same ~/.gunicorn/gunicorn.ctl, the
    portal's and the hello-world's included.
    """
    usage = first_line_containing([str(bin_dir / "gunicorn"), "--help"], "--no-control-socket")
    return ("--no-control-socket",) if usage else ()


def first_line_containing(command: Sequence[str], needle: str) -> str | None:
    """The first line of a command's output that contains NEEDLE, if any."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return next((line for line in done.stdout.splitlines() if needle in line), None)


def start_gunicorn(
    name: str,
    bin_dir: Path,
    app: str,
    env: Mapping[str, str],
    log: Path,
    chdir: Path | None = None,
) -> Server:
    """Start gunicorn with 2 sync workers on a free port, in a new process group."""
    port = free_port()
    command = [
        str(bin_dir / "gunicorn"),
        "--workers",
        str(WORKERS),
        "--worker-class",
        "sync",
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "--error-logfile",
        str(log),
    ]  # no --access-logfile: gunicorn's access log stays off
    command += control_socket_args(bin_dir)
    if chdir is not None:
        command += ["--chdir", str(chdir)]
    command.append(app)
    with log.open("ab") as handle:
        process = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Server(name=name, port=port, process=process, log=log)


def log_tail(path: Path, lines: int = 30) -> str:
    """The end of a server log, indented, for error messages."""
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return "    (no log)"
    return textwrap.indent("\n".join(text.strip().splitlines()[-lines:]) or "(empty)", "    ")


def wait_until_ready(server: Server, path: str, timeout: float = START_TIMEOUT) -> float:
    """Poll PATH until it answers 200; return the seconds it took."""
    started = time.monotonic()
    last = "no answer yet"
    while time.monotonic() - started < timeout:
        if server.process.poll() is not None:
            raise BenchError(
                f"{server.name} gunicorn exited with {server.process.returncode} "
                f"before answering:\n{log_tail(server.log)}"
            )
        try:
            status = fetch(server.base + path).status
        except OSError as exc:
            last = str(exc)
        else:
            if status == 200:
                return time.monotonic() - started
            last = f"HTTP {status}"
        time.sleep(0.2)
    raise BenchError(
        f"{server.name} did not answer 200 on {path} within {timeout:.0f} s ({last}):\n"
        f"{log_tail(server.log)}"
    )


def stop_server(server: Server) -> None:
    """Stop gunicorn and its workers: TERM the process group, KILL it if it lingers."""
    if server.process.poll() is not None:
        return
    pgid = server.process.pid  # start_new_session made it the group leader
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGTERM)
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)
        server.process.wait(timeout=10)
    # Workers of a master that died first would still be in the group.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)


@dataclass(frozen=True)
class Reply:
    """An HTTP response as the checks need it."""

    status: int
    headers: Mapping[str, str]
    set_cookies: list[str]
    body: str


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Report redirects instead of following them."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:  # type: ignore[override]
        """Never follow."""
        return None


# No proxy (127.0.0.1 must be reached directly), no cookie jar, no redirects.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())


def fetch(url: str, headers: Mapping[str, str] | None = None) -> Reply:
    """GET a URL with exactly the given extra headers; HTTP errors are returned, not raised."""
    request = urllib.request.Request(url, headers=dict(headers or {}))
    try:
        response = _OPENER.open(request, timeout=10)
    except urllib.error.HTTPError as exc:
        response = exc
    with response:
        body = response.read().decode("utf-8", errors="replace")
        message = response.headers
        return Reply(
            status=response.status or 0,
            headers={k: v for k, v in message.items()},
            set_cookies=message.get_all("Set-Cookie") or [],
            body=body,
        )


def check_portal(base: str, when: str) -> list[str]:
    """The correctness checks; returns the failures (empty when all pass)."""
    failures: list[str] = []
    checked = 0

    def get(label: str, path: str, headers: Mapping[str, str] | None = None) -> Reply | None:
        nonlocal checked
        checked += 1
        try:
            reply = fetch(base + path, headers)
        except OSError as exc:
            failures.append(f"{label}: GET {path} failed: {exc}")
            return None
        if reply.status != 200:
            failures.append(f"{label}: GET {path} answered {reply.status}, expected 200")
        if "Content-Security-Policy" not in reply.headers:
            failures.append(f"{label}: GET {path} has no Content-Security-Policy header")
        return reply

    def html_tag(reply: Reply) -> str:
        found = HTML_TAG_RE.search(reply.body)
        return found.group(0) if found else "(no <html> tag)"

    reply = get("first visit", "/")
    if reply is not None:
        tag = html_tag(reply)
        if '<html lang="zh-Hans"' not in reply.body:
            failures.append(f'first visit: / should start <html lang="zh-Hans", got {tag}')
        if "large-text" in tag:
            failures.append(f"first visit: / html element has the large-text class: {tag}")

    reply = get("Accept-Language", "/", {"Accept-Language": "en-US,en;q=0.9"})
    if reply is not None and '<html lang="en"' not in reply.body:
        failures.append(f'Accept-Language en: / should be <html lang="en", got {html_tag(reply)}')

    reply = get("cookies", "/guide/", {"Cookie": PREF_COOKIES})
    if reply is not None and '<html lang="en" class="large-text"' not in reply.body:
        failures.append(
            f'cookies: /guide/ should be <html lang="en" class="large-text", got {html_tag(reply)}'
        )

    reply = get("zh cookie", "/guide/privacy", {"Cookie": "portal_lang=zh_Hans"})
    if reply is not None and 'lang="zh-Hans"' not in reply.body:
        failures.append(
            f'zh cookie: /guide/privacy should be lang="zh-Hans", got {html_tag(reply)}'
        )

    tokens: list[str] = []
    for visitor in ("visitor 1", "visitor 2"):
        reply = get(f"CSRF {visitor}", "/staff/login")
        if reply is None:
            continue
        match = CSRF_RE.search(reply.body)
        if match is None:
            failures.append(f"CSRF {visitor}: /staff/login has no csrf_token input")
        else:
            tokens.append(match.group(1))
        if not any(c.startswith("portal_session=") for c in reply.set_cookies):
            failures.append(f"CSRF {visitor}: /staff/login set no portal_session cookie")
    if len(tokens) == 2 and tokens[0] == tokens[1]:
        failures.append("CSRF: two separate visitors got the same csrf_token")

    verdict = "all passed" if not failures else f"{len(failures)} FAILED"
    print(f"Checks {when}: {checked} requests, {verdict}")
    for failure in failures:
        print(f"  FAIL {failure}")
    return failures


def parse_wrk(output: str) -> WrkResult:
    """Pull requests/s, p90/p95/p99 and error counts out of wrk's output."""
    rps = RPS_RE.search(output)
    bench = BENCH_LINE_RE.search(output)
    if rps is None or bench is None:
        raise BenchError(f"could not read wrk's output:\n{textwrap.indent(output, '    ')}")
    fields = dict(item.split("=", 1) for item in bench.group(1).split())
    percentiles = {
        int(p): float(value) * UNIT_TO_MS[unit] for p, value, unit in PERCENTILE_RE.findall(output)
    }
    return WrkResult(
        rps=float(rps.group(1)),
        p90_ms=percentiles.get(90, float("nan")),
        p95_ms=float(fields["p95_us"]) / 1000.0,
        p99_ms=percentiles.get(99, float("nan")),
        requests=int(fields["requests"]),
        errors={kind: int(fields[kind]) for kind in ERROR_KINDS},
    )


def run_wrk(target: Target, seconds: int, lua: Path) -> WrkResult:
    """One wrk run against a target."""
    command = [
        WRK,
        f"-t{THREADS}",
        f"-c{CONNECTIONS}",
        f"-d{seconds}s",
        "--latency",
        "-s",
        str(lua),
    ]
    for name, value in target.headers.items():
        command += ["-H", f"{name}: {value}"]
    command.append(target.url)
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=seconds + 60, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BenchError(f"wrk did not run against {target.url}: {exc}") from exc
    if done.returncode != 0:
        raise BenchError(f"wrk exited {done.returncode} against {target.url}:\n{done.stderr}")
    return parse_wrk(done.stdout)


def describe_errors(result: WrkResult) -> str:
    """'status 3, timeout 1' style summary of a run's errors."""
    return ", ".join(f"{k} {v}" for k, v in result.errors.items() if v) or "none"


def print_table(rows: list[tuple[Target, WrkResult]], hello_rps: float) -> None:
    """The results table, one row per measured target."""
    header = (
        f"{'page':<10} {'variant':<14} {'requests/s':>11} {'p90 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'errors':>7} {'vs hello':>9}"
    )
    print(header)
    print("-" * len(header))
    for target, result in rows:
        ratio = 100.0 * result.rps / hello_rps if hello_rps else float("nan")
        print(
            f"{target.page:<10} {target.variant:<14} {result.rps:>11.1f} "
            f"{result.p90_ms:>8.2f} {result.p95_ms:>8.2f} {result.p99_ms:>8.2f} "
            f"{result.error_total:>7d} {ratio:>8.1f}%"
        )


def make_targets(hello: Server, portal: Server) -> list[Target]:
    """Hello-world first (the reference), then each portal page in both variants."""
    targets = [Target("hello", "bare Flask", hello.base + "/")]
    cookies = {"Cookie": PREF_COOKIES}
    for page, path in (("home", "/"), ("listing", "/guide/"), ("detail", "/guide/privacy")):
        targets.append(Target(page, "first visit", portal.base + path))
        targets.append(Target(page, "en+large text", portal.base + path, cookies))
    return targets


@contextlib.contextmanager
def sigterm_as_exit() -> Iterator[None]:
    """Let SIGTERM unwind through the finally blocks, like Ctrl-C does."""

    def _handler(signum: int, _frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, _handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def benchmark(args: argparse.Namespace, tmp: Path, servers: list[Server]) -> int:
    """Set up, check, measure, check again, report; returns the exit code."""
    bin_dir = venv_bin()
    print_environment(bin_dir)
    warmup = 1 if args.quick else 2
    print(
        f"wrk: {THREADS} threads, {CONNECTIONS} connections, {warmup} s warm-up per URL, "
        f"{args.duration} s per measurement; gunicorn: {WORKERS} sync workers each"
    )
    print()

    env = child_env(tmp)
    work = tmp / "bench"
    (work / "hello").mkdir(parents=True)
    (work / "hello" / "hello_app.py").write_text(HELLO_APP)
    lua = work / "report.lua"
    lua.write_text(WRK_LUA)

    print(f"Preparing instance {tmp}")
    run_cli(bin_dir, env, "db", "upgrade")
    run_cli(bin_dir, env, "demo", "load")
    run_cli(bin_dir, env, "search", "rebuild")

    portal = start_gunicorn("portal", bin_dir, "portal:create_app()", env, work / "portal.log")
    servers.append(portal)
    hello = start_gunicorn(
        "hello-world", bin_dir, "hello_app:app", env, work / "hello.log", chdir=work / "hello"
    )
    servers.append(hello)
    took = wait_until_ready(portal, "/healthz")
    print(f"  portal      on {portal.base} (healthz 200 after {took:.1f} s)")
    took = wait_until_ready(hello, "/")
    print(f"  hello-world on {hello.base} (200 after {took:.1f} s)")
    print()

    failures = check_portal(portal.base, "before load")
    print()

    targets = make_targets(hello, portal)
    warmed: set[str] = set()
    rows: list[tuple[Target, WrkResult]] = []
    error_runs: list[str] = []
    for target in targets:
        label = f"{target.page}/{target.variant}"
        if target.url not in warmed:
            warmed.add(target.url)
            result = run_wrk(target, warmup, lua)
            if result.error_total:
                error_runs.append(f"warm-up {target.url}: {describe_errors(result)}")
        print(f"  measuring {label:<26} {target.url}", flush=True)
        result = run_wrk(target, args.duration, lua)
        if result.error_total:
            error_runs.append(f"{label}: {describe_errors(result)} of {result.requests}")
        rows.append((target, result))
    print()

    hello_rps = rows[0][1].rps
    print_table(rows, hello_rps)
    print()
    goals = []
    for target, result in rows:
        if target.page in {"home", "listing", "detail"} and target.variant == "first visit":
            ratio = 100.0 * result.rps / hello_rps if hello_rps else 0.0
            verdict = "PASS" if ratio >= GOAL_PERCENT else "BELOW"
            goals.append(f"{target.page} {ratio:.1f}% {verdict}")
    print(
        f"Goal (first visit, >= {GOAL_PERCENT:.0f}% of hello-world requests/s; "
        f"reported, not asserted): {'; '.join(goals)}"
    )
    print()

    failures += check_portal(portal.base, "after load")
    for server in servers:
        if server.process.poll() is not None:
            failures.append(f"{server.name} gunicorn exited during the run")

    status = 0
    if error_runs:
        print("\nERROR: wrk reported failed requests (non-2xx/3xx or socket errors):")
        for line in error_runs:
            print(f"  {line}")
        status = 1
    if failures:
        print(f"\nERROR: {len(failures)} correctness check(s) failed; see FAIL lines above.")
        status = 1
    if status:
        print(f"Portal error log (tail):\n{log_tail(portal.log)}")
    else:
        print("No request errors; all correctness checks passed.")
    return status


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: always stops the servers and removes the temporary folder."""
    args = parse_args(argv)
    if not Path(WRK).exists():
        print(f"ERROR: wrk not found at {WRK}; install Debian's wrk package.", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    servers: list[Server] = []
    try:
        with sigterm_as_exit():
            return benchmark(args, tmp, servers)
    except BenchError as exc:
        print(f"\nERROR: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nInterrupted.", file=sys.stderr)
        return 130
    finally:
        for server in reversed(servers):
            stop_server(server)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
