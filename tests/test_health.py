"""The health check reports the database and the index."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy.orm import Session

from portal.core import views as core_views
from portal.db import make_engine


def test_healthy(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "checks": {"database": "ok", "index": "ok"}}


def test_missing_index_is_unhealthy(app, client):
    index = Path(app.config["INDEX_DIR"])
    shutil.rmtree(index.resolve())
    index.unlink()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["checks"] == {"database": "ok", "index": "error"}
    runner = app.test_cli_runner()
    assert runner.invoke(args=["search", "rebuild"]).exit_code == 0  # what an operator does
    assert client.get("/healthz").status_code == 200


def test_unreachable_database_is_unhealthy(client, monkeypatch):
    unreachable = make_engine("sqlite:////nonexistent/dir/portal.db")
    monkeypatch.setattr(core_views, "get_session", lambda: Session(bind=unreachable))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["checks"]["database"] == "error"
