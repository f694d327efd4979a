"""The portal under gunicorn, as deployed: a subprocess on a free loopback port."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent
START_SECONDS = 60
_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def portal_env(app: Flask, **settings: str) -> dict[str, str]:
    """PORTAL_* settings of the test app (same database, instance folder and keys)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    env.update(
        {
            "PYTHONPATH": str(ROOT),
            "PORTAL_DATABASE_URL": str(app.config["DATABASE_URL"]),
            "PORTAL_INSTANCE_PATH": str(app.config["INSTANCE_PATH"]),
            "PORTAL_INDEX_DIR": str(app.config["INDEX_DIR"]),
            "PORTAL_SECRET_KEY": str(app.config["SECRET_KEY"]),
            "PORTAL_MAIL_SERVER": str(app.config["MAIL_SERVER"]),
            "PORTAL_MAIL_PORT": str(app.config["MAIL_PORT"]),
        }
    )
    env.update({f"PORTAL_{k}": v for k, v in settings.items()})
    return env


def access_log(log: Path) -> Path:
    """Where the server started with error log `log` writes one line per request."""
    return log.with_suffix(".access")


def served_by(log: Path, method: str, path: str) -> set[str]:
    """The worker process ids that answered `method path`, from the access log."""
    lines = access_log(log).read_text().splitlines()
    return {line.split()[0] for line in lines if line.split()[1:3] == [method, path]}


@contextmanager
def gunicorn(
    env: Mapping[str, str], log: Path, workers: int = 2, timeout: int = 60
) -> Iterator[str]:
    """Serve the portal with `workers` sync workers, every one of them ready; yields its URL."""
    port = free_port()
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        f"--workers={workers}",
        f"--bind=127.0.0.1:{port}",
        f"--timeout={timeout}",
        f"--access-logfile={access_log(log)}",
        "--access-logformat=%(p)s %(m)s %(U)s %(s)s",
        "portal:create_app()",
    ]
    with open(log, "wb") as out:
        process = subprocess.Popen(  # noqa: S603 - our own command line
            command,
            cwd=ROOT,
            env=dict(env),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process, log, workers)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def _wait_until_up(base: str, process: subprocess.Popen[bytes], log: Path, workers: int) -> None:
    """Until `workers` different workers have answered (a worker still loading the app
    would leave every request to the others)."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{log.read_text(errors='replace')[-3000:]}")
        with ThreadPoolExecutor(max_workers=workers * 2) as pool:
            list(pool.map(lambda _: _ping(base), range(workers * 2)))
        if access_log(log).exists() and len(served_by(log, "GET", "/healthz")) >= workers:
            return
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not start:\n{log.read_text(errors='replace')[-3000:]}")


def _ping(base: str) -> None:
    try:
        with urllib.request.urlopen(f"{base}/healthz", timeout=5):  # noqa: S310 - loopback
            pass
    except urllib.error.HTTPError:
        pass  # it answers
    except OSError:
        time.sleep(0.1)  # not listening yet


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:  # type: ignore[override]
        return None


class Browser:
    """A person's browser against the live portal: cookies kept, CSRF tokens read from
    the form, redirects and errors returned as they come. `headers` go on every
    request (a language, or a forged Host)."""

    def __init__(self, base: str, headers: Mapping[str, str] | None = None) -> None:
        self.base = base
        self.headers = dict(headers or {})
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def raw(
        self, path: str, data: bytes | None = None, content_type: str | None = None
    ) -> tuple[int, bytes, Mapping[str, str]]:
        """(status, body bytes, headers) of one request."""
        request = urllib.request.Request(  # noqa: S310 - loopback
            self.base + path, data=data, headers=self.headers
        )
        if content_type:
            request.add_header("Content-Type", content_type)
        try:
            with self.opener.open(request, timeout=30) as reply:
                return reply.status, reply.read(), reply.headers
        except urllib.error.HTTPError as reply:
            return reply.code, reply.read(), reply.headers

    def open(
        self, path: str, data: bytes | None = None, content_type: str | None = None
    ) -> tuple[int, str, Mapping[str, str]]:
        status, body, headers = self.raw(path, data, content_type)
        return status, body.decode(errors="replace"), headers

    def get(self, path: str) -> tuple[int, str]:
        status, body, _headers = self.open(path)
        return status, body

    def token(self, path: str) -> str:
        found = _TOKEN.search(self.get(path)[1])
        assert found, f"no form on {path}"
        return found.group(1)

    def post(self, path: str, form: dict[str, str], token_from: str | None = None) -> int:
        """Send a form with the CSRF token of the page at `token_from` (default: `path`)."""
        fields = {**form, "csrf_token": self.token(token_from or path)}
        return self.open(path, urllib.parse.urlencode(fields).encode())[0]

    def upload(self, path: str, filename: str, data: bytes) -> tuple[int, str]:
        """A multipart upload with the file name as browsers send it: raw UTF-8 bytes."""
        boundary = uuid.uuid4().hex
        fields = {"csrf_token": self.token(path), "action": "upload"}
        part = '--{}\r\nContent-Disposition: form-data; name="{}"\r\n\r\n{}\r\n'
        body = b"".join(part.format(boundary, k, v).encode() for k, v in fields.items())
        body += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="'.encode()
            + filename.encode()
            + b'"\r\nContent-Type: application/pdf\r\n\r\n'
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        status, page, _headers = self.open(
            path, body, content_type=f"multipart/form-data; boundary={boundary}"
        )
        return status, page
