"""The Nu Html Checker (vnu.jar from npm) as a loopback HTTP service for the browser tests.

One Java process serves the whole test session: starting the checker takes a
few seconds, checking a page afterwards a few milliseconds. It is given the
HTML the portal served (the body of the navigation's response), not the DOM
after scripts ran: the checker is a conformance checker for markup, and a DOM
serialised by the browser hides parse errors (stray end tags, duplicate
attributes) that the browser had already repaired.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from portal.config import PROJECT_ROOT

VNU_JAR = PROJECT_ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# The schema is deeply recursive: Java's default main-thread stack is too small
# on some machines. Serial GC and C1 only keep a shared CI machine responsive.
JAVA_OPTIONS = ["-Xss8m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"]
START_TIMEOUT = 90.0


class NuCheckerUnavailable(RuntimeError):
    """Java or vnu.jar is missing, or the service did not start."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class NuChecker:
    """Starts the checker in the background; `errors(html)` waits for it the first time."""

    def __init__(self, jar: Path = VNU_JAR) -> None:
        java = shutil.which("java")
        if java is None:
            raise NuCheckerUnavailable(
                "java not found: the HTML checker needs a Java runtime "
                "(`apt-get install default-jre-headless`, or `make browser` as root)"
            )
        if not jar.is_file():
            raise NuCheckerUnavailable(f"{jar} missing: run `npm ci` (or `make test-setup`)")
        port = _free_port()
        self.base = f"http://127.0.0.1:{port}/"
        self.log = tempfile.NamedTemporaryFile(prefix="vnu-", suffix=".log")  # noqa: SIM115
        self.process = subprocess.Popen(  # noqa: S603 - our own command line
            [
                java,
                *JAVA_OPTIONS,
                "-Dnu.validator.servlet.bind-address=127.0.0.1",
                "-cp",
                str(jar),
                "nu.validator.servlet.Main",
                str(port),
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.ready = False
        self.cache: dict[str, list[dict[str, Any]]] = {}

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise NuCheckerUnavailable(f"the HTML checker stopped:\n{self._log_tail()}")
            try:
                with urllib.request.urlopen(self.base, timeout=2):  # noqa: S310 - loopback
                    self.ready = True
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        raise NuCheckerUnavailable(f"the HTML checker did not start:\n{self._log_tail()}")

    def _log_tail(self) -> str:
        return Path(self.log.name).read_text(errors="replace")[-2000:]

    def messages(self, html: bytes) -> list[dict[str, Any]]:
        """Everything the checker says about `html` (errors, warnings, notes)."""
        key = hashlib.sha256(html).hexdigest()
        if key not in self.cache:
            if not self.ready:
                self._wait_ready()
            request = urllib.request.Request(  # noqa: S310 - loopback
                self.base + "?out=json",
                data=html,
                headers={"Content-Type": "text/html; charset=utf-8"},
            )
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                self.cache[key] = json.load(response)["messages"]
        return self.cache[key]

    def errors(self, html: bytes) -> list[dict[str, Any]]:
        """The messages that make the document non-conforming (warnings are left out)."""
        return [m for m in self.messages(html) if m["type"] in {"error", "non-document-error"}]

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def describe(url: str, html: bytes, errors: list[dict[str, Any]]) -> str:
    """One block per error: where (URL, line, column), what the checker says, and the
    served source line, so the template that produced it can be found."""
    lines = html.decode("utf-8", errors="replace").splitlines()
    out = [f"the HTML checker found {len(errors)} error(s) in the HTML served for {url}:"]
    for error in errors:
        line = error.get("lastLine") or error.get("firstLine")
        column = error.get("firstColumn") or error.get("lastColumn") or 0
        out.append(f"  {url} line {line}, column {column}: {error['message']}")
        if line and 0 < line <= len(lines):
            out.append(f"      {lines[line - 1].strip()[:200]}")
    return "\n".join(out)
