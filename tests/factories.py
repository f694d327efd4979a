"""Factories for documents (registered as fixtures in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from flask import Flask

from portal.db import get_session
from portal.disclosure import indexing, services
from portal.disclosure.models import Document
from portal.disclosure.types import NUMBERED_TYPES

from .helpers import submit

BODY = (
    "## 经审查查明\n\n"
    "2021年3月4日22时许，被告人张某某饮酒后驾驶小型轿车行驶至示例区建设路附近时被查获，"
    "经鉴定其血液中乙醇含量为156.3mg/100ml。\n\n"
    "本院认为，被告人张某某在道路上醉酒驾驶机动车，其行为已触犯《中华人民共和国刑法》第一百三十三条之一，"
    "应当以危险驾驶罪追究其刑事责任。"
)

_serial = iter(range(1, 100_000))


def document_fields(**overrides: Any) -> services.DocumentFields:
    n = next(_serial)
    values: dict[str, Any] = {
        "doc_type": "indictment",
        "title": f"张某某危险驾驶案起诉书{n}",
        "number": f"示检刑诉〔2021〕{n}号",
        "case_name": "张某某危险驾驶案",
        "charge": "危险驾驶罪",
        "department": "第一检察部",
        "signed_on": date(2021, 4, 1),
        "judgment_effective_on": date(2021, 5, 20),
        "body_markdown": BODY,
    }
    values.update(overrides)
    if values["doc_type"] not in NUMBERED_TYPES:
        values.setdefault("slug", f"item-{n}")
        values["number"] = ""
    return services.DocumentFields(**values)


@pytest.fixture
def publish_document(app: Flask) -> Callable[..., Document]:
    """Factory: a published document, indexed, as an editor pair would leave it."""

    def make(published_at: datetime | None = None, **overrides: Any) -> Document:
        with app.app_context():
            db = get_session()
            doc = services.create_draft(db, document_fields(**overrides), None)
            services.publish(db, doc, None, published_at or datetime(2021, 5, 28, 2, tzinfo=UTC))
            db.commit()
            indexing.sync(db, indexing.get_index())
            return doc

    return make


@pytest.fixture
def enrol_kiosk(app: Flask) -> Callable[..., str]:
    """Factory: register a kiosk and open its enrolment link in `client`, as an
    administrator would at the screen; returns the enrolment URL's path."""

    def enrol(client: Any, name: str = "Hall screen", office_id: int | None = None) -> str:
        from portal.kiosk import services as kiosk_services

        with app.app_context():
            db = get_session()
            kiosk, token = kiosk_services.register_kiosk(
                db, name=name, office_id=office_id, actor="test"
            )
            db.commit()
        path = f"/kiosk/enrol/{token}"
        response = submit(client, path, {})
        assert response.status_code == 303, response.text
        return path

    return enrol


@pytest.fixture
def kiosk_client(app: Flask, enrol_kiosk: Callable[..., str]) -> Any:
    """A test client that is an enrolled kiosk and asks for English."""
    kiosk = app.test_client()
    kiosk.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    enrol_kiosk(kiosk)
    return kiosk
