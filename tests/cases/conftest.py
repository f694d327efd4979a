"""Factories for case tests: a case export written as JSON Lines and imported."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask

from portal.cases.importer import import_cases
from portal.cases.models import Case
from portal.db import get_session
from portal.disclosure.guard import id_check_digit


def id_number(birth: str = "19880512", seq: int = 27, area: str = "110105") -> str:
    """A fictional identity number with a valid GB 11643 check digit."""
    body = f"{area}{birth}{seq:03d}"
    return body + id_check_digit(body)


PARTY_NAME = "陈晓峰"
PARTY_ID = id_number()  # 11010519880512027X
OTHER_ID = id_number(seq=35)


def local_today() -> date:
    """Today where the procuratorate is (the portal counts days in Asia/Shanghai)."""
    return datetime.now(ZoneInfo("Asia/Shanghai")).date()


def case_record(**overrides: Any) -> dict[str, Any]:
    today = local_today()
    record: dict[str, Any] = {
        "case_number": "示检刑诉〔2026〕1247号",
        "case_name": "陈某峰盗窃案",
        "charge": "盗窃罪",
        "department": "第一检察部",
        "prosecutor": "林检察官",
        "accepted_on": (today - timedelta(days=20)).isoformat(),
        "time_limit_on": (today + timedelta(days=10)).isoformat(),
        "events": [
            {"stage": "accepted", "date": (today - timedelta(days=20)).isoformat(), "note": ""},
            {
                "stage": "审查起诉",
                "date": (today - timedelta(days=19)).isoformat(),
                "note": "已告知犯罪嫌疑人有权委托辩护人",
            },
        ],
        "measures": [{"measure": "取保候审", "date": (today - timedelta(days=30)).isoformat()}],
        "parties": [{"role": "犯罪嫌疑人", "name": PARTY_NAME, "id_number": PARTY_ID}],
        "documents": [],
    }
    record.update(overrides)
    return record


def jsonl(*records: dict[str, Any]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()


@pytest.fixture
def import_records(app: Flask) -> Callable[..., list[Case]]:
    """Factory: import these records as `flask cases import` would, and commit."""

    def make(*records: dict[str, Any]) -> list[Case]:
        with app.app_context():
            db = get_session()
            import_cases(db, jsonl(*records), filename="test.jsonl", actor="test")
            db.commit()
            keys = [r["case_number"] for r in records]
            return [c for c in db.query(Case).all() if c.number in keys]

    return make
