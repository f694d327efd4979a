"""Weighs the kiosk start screen's first load: every byte a fresh kiosk browser fetches.

Run from the repository root (``make bench`` does this)::

    .venv/bin/python bench/kiosk_start.py [--limit-kb 150]

It builds a throw-away SQLite instance with the project's own CLI (``db
upgrade``, ``demo load``), serves the portal under gunicorn on loopback,
registers a kiosk with ``flask kiosk enrol`` and opens the enrolment link in
Debian's Chromium (headless, through Playwright, with the browser tests'
flags) at 1080×1920, as an administrator would. It then loads ``/kiosk/`` in a
new browser context holding only the device cookie (an empty cache, as a
freshly started kiosk), records every request with its transfer size (response
body as sent plus response headers) and prints them, the total, the number of
requests and any request to another host.

The exit code is 1 when the first load exceeds the limit (150 KB, i.e. 150,000
bytes, by default) or when any request leaves the portal's host; 2 when the
benchmark could not be set up.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import web_bench as wb  # noqa: E402

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

ENROL_PATH = re.compile(r"/kiosk/enrol/[A-Za-z0-9_\-]+")
VIEWPORT = {"width": 1080, "height": 1920}


@dataclass(frozen=True)
class Fetched:
    """One request of the page load and what it cost on the wire."""

    url: str
    kind: str
    status: int
    body: int
    headers: int

    @property
    def total(self) -> int:
        return self.body + self.headers


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--limit-kb", type=float, default=150.0, help="most a first load may weigh (1 KB = 1000 B)"
    )
    return parser.parse_args()


def enrolment_path(bin_dir: Path, env: dict[str, str]) -> str:
    """Register a kiosk as an administrator does; the path of its one-time link."""
    done = subprocess.run(  # noqa: S603 - our own command line
        [str(bin_dir / "flask"), "--app", "portal", "kiosk", "enrol", "Bench screen"],
        cwd=wb.REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    found = ENROL_PATH.search(done.stdout)
    if done.returncode != 0 or found is None:
        raise wb.BenchError(f"`flask kiosk enrol` failed:\n{done.stdout}{done.stderr}")
    print(f"  flask kiosk enrol     {done.stdout.splitlines()[0]}")
    return found.group(0)


def first_load(base: str, enrol: str) -> list[Fetched]:
    """Enrol a browser, then load the start screen with an empty cache; what it fetched."""
    from playwright.sync_api import Request, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            setup = browser.new_context(base_url=base, locale="zh-CN", viewport=VIEWPORT)
            page = setup.new_page()
            page.goto(enrol)
            page.locator("main form button[type=submit]").click()
            page.wait_for_url("**/kiosk/")
            device = setup.storage_state()  # the device cookie, nothing cached
            setup.close()

            kiosk = browser.new_context(
                base_url=base,
                locale="zh-CN",
                viewport=VIEWPORT,
                has_touch=True,
                storage_state=device,
            )
            page = kiosk.new_page()
            fetched: list[Fetched] = []

            def finished(request: Request) -> None:
                response = request.response()
                sizes = request.sizes()
                fetched.append(
                    Fetched(
                        url=request.url,
                        kind=request.resource_type,
                        status=response.status if response else 0,
                        body=sizes["responseBodySize"],
                        headers=sizes["responseHeadersSize"],
                    )
                )

            def failed(request: Request) -> None:
                fetched.append(Fetched(request.url, request.resource_type, 0, 0, 0))

            page.on("requestfinished", finished)
            page.on("requestfailed", failed)
            page.goto("/kiosk/", wait_until="networkidle")
            if not page.locator(".kiosk-tiles").count():
                raise wb.BenchError("the start screen did not show its tiles (not enrolled?)")
            kiosk.close()
        finally:
            browser.close()
    return fetched


def report(base: str, fetched: list[Fetched], limit: int) -> int:
    host = urlsplit(base).netloc
    print(f"{'bytes':>9} {'body':>9} {'status':>6}  {'type':<11} url")
    for item in fetched:
        shown = item.url[len(base) :] if item.url.startswith(base) else item.url
        print(f"{item.total:>9,} {item.body:>9,} {item.status:>6}  {item.kind:<11} {shown}")
    total = sum(item.total for item in fetched)
    foreign = [item.url for item in fetched if urlsplit(item.url).netloc != host]
    failed = [item.url for item in fetched if not 200 <= item.status < 400]
    print()
    print(f"Kiosk start screen, first load with an empty cache: {total:,} bytes")
    print(f"  ({total / 1000:.1f} KB, {total / 1024:.1f} KiB; limit {limit / 1000:.0f} KB)")
    print(f"  requests: {len(fetched)}")
    print(f"  requests to another host: {len(foreign)}")
    for url in foreign:
        print(f"    {url}")
    for url in failed:
        print(f"  failed: {url}")
    code = 0
    if total > limit:
        print(f"FAIL: the first load exceeds {limit / 1000:.0f} KB")
        code = 1
    if foreign:
        print("FAIL: the start screen makes third-party requests")
        code = 1
    if failed:
        print("FAIL: some requests failed")
        code = 1
    return code


def main() -> int:
    args = parse_args()
    bin_dir = wb.venv_bin()
    with tempfile.TemporaryDirectory(prefix="kiosk-start-") as tmp:
        instance = Path(tmp)
        env = wb.child_env(instance)
        print(f"Preparing instance {instance}")
        try:
            wb.run_cli(bin_dir, env, "db", "upgrade")
            wb.run_cli(bin_dir, env, "demo", "load")
            enrol = enrolment_path(bin_dir, env)
            server = wb.start_gunicorn(
                "portal", bin_dir, "portal:create_app()", env, instance / "portal.log"
            )
        except wb.BenchError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        try:
            wb.wait_until_ready(server, "/healthz")
            print(f"  portal on {server.base}")
            print()
            fetched = first_load(server.base, enrol)
        except wb.BenchError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        finally:
            wb.stop_server(server)
    return report(server.base, fetched, int(args.limit_kb * 1000))


if __name__ == "__main__":
    sys.exit(main())
