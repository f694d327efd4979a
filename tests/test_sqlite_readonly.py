"""SQLite recovers by itself once a read-only database file is writable again.

File permissions do not stop root, so when the tests run as root the scenario
runs as `nobody` (setpriv), for whom the read-only file is truly read-only:
SQLite then opens its connections read-only, exactly as in production.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_writes_work_again_without_a_restart_after_the_file_was_read_only(database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("a SQLite file's permissions; PostgreSQL reconnects by itself")
    command = [sys.executable, "-m", "tests.readonly_scenario"]
    work = Path(tempfile.mkdtemp(prefix="portal-readonly-"))
    try:
        if os.geteuid() == 0:
            setpriv = shutil.which("setpriv")
            if setpriv is None:
                pytest.skip("running as root without setpriv: permissions would not apply")
            shutil.chown(work, "nobody")
            command = [setpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups", *command]
        run = subprocess.run(
            [*command, str(work)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT), "HOME": str(work)},
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    assert run.returncode == 0, run.stderr[-3000:]
    lines = dict(line.split(": ", 1) for line in run.stdout.splitlines() if ": " in line)
    assert lines["uid"] != "0"
    assert lines["read-only"] == "500", run.stdout
    assert "something went wrong" in lines["page"]  # the error page, and nothing stored
    assert lines["restored"] == "302 302", run.stdout + run.stderr[-3000:]
    assert lines["drafts"] == "2"
