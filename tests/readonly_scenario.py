"""Run as a user for whom file permissions hold (see test_sqlite_readonly.py).

A worker starts while the SQLite file cannot be written (a wrong owner after a
restore, a volume mounted read-only for a while): its connections open
read-only. Once the permissions are fixed, writes must work again without a
restart. Prints one line per step for the test to read.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from sqlalchemy import func, select

from portal import create_app
from portal.db import get_session
from portal.migrate import upgrade
from portal.submissions.models import SubmissionDraft


def main(root: Path) -> None:
    database = root / "portal.db"
    url = f"sqlite:///{database}"
    upgrade(url)
    files = [database, *(database.with_name(database.name + s) for s in ("-wal", "-shm"))]
    for path in files:
        if path.exists():
            path.chmod(0o444)
    app = create_app(
        {
            "TESTING": True,
            "PROPAGATE_EXCEPTIONS": False,  # the visitor's error page, as in production
            "DATABASE_URL": url,
            "INSTANCE_PATH": str(root / "instance"),
            "INDEX_DIR": str(root / "index"),
            "SECRET_KEY": "read-only-scenario",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "MAIL_ENABLED": False,
        }
    )
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    try:
        blocked = client.post("/submissions/complaint/", data={})
    except Exception as exc:  # noqa: BLE001 - reported to the test
        print(f"read-only: exception {type(exc).__name__}: {exc}")
    else:
        print(f"read-only: {blocked.status_code}")
        print(f"page: {blocked.text.split('<title>')[-1].split('</title>')[0].strip()}")
    for path in files:
        if path.exists():
            path.chmod(0o644)
    results = [client.post("/submissions/complaint/", data={}).status_code for _ in range(2)]
    print("restored: " + " ".join(str(r) for r in results))
    with app.app_context():
        print(f"drafts: {get_session().scalar(select(func.count()).select_from(SubmissionDraft))}")
    print(f"uid: {os.geteuid()}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
