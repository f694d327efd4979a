"""Fixtures for submissions: a flow walker that fills the forms like a browser, and a factory."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from portal.db import get_session, utcnow
from portal.submissions import services
from portal.submissions.deadlines import limits_from_config
from portal.submissions.models import Submission

from ..helpers import submit

VALID_ID = "11010519491231002X"
PERSON = {"name": "王小明", "id_number": VALID_ID, "phone": "13912345678", "email": ""}

ANSWERS = {
    "complaint": {
        "subject": "对派出所不立案的控告",
        "accused": "示例区某派出所",
        "facts": "电动车被盗，报警后一直未立案。",
        "request": "请监督立案。",
    },
    "report": {
        "subject": "举报书记员收礼",
        "person_name": "李某",
        "person_unit": "示例区人民法院",
        "when": "2026年5月",
        "where": "法院门口",
        "facts": "收受当事人家属礼品。",
        "request": "请依法调查。",
    },
    "criminal_appeal": {
        "subject": "对不起诉决定的申诉",
        "case_number": "示检刑不诉〔2023〕17号",
        "decided_by": "示例区人民检察院",
        "grounds": "证据不足的认定有误。",
        "request": "撤销不起诉决定。",
    },
    "consultation": {"subject": "国家赔偿", "question": "应向哪个机关申请？"},
    "suggestion": {"subject": "开放时间", "suggestion": "周六也开放接待。"},
}

_TRACKING = re.compile(r'data-testid="tracking-code">([A-Z0-9-]+)<')
_QUERY = re.compile(r'data-testid="query-code">([A-Z0-9-]+)<')


@dataclass
class Receipt:
    tracking_code: str
    query_code: str
    page: str


def codes_on(page: str) -> Receipt:
    tracking, query = _TRACKING.search(page), _QUERY.search(page)
    assert tracking and query, page[:2000]
    return Receipt(tracking.group(1), query.group(1), page)


@pytest.fixture
def fill_in(client: FlaskClient) -> Callable[..., FlaskClient]:
    """Walk the question pages of `kind` up to the check page (not sending)."""

    def walk(
        kind: str = "complaint",
        *,
        anonymous: bool = False,
        person: dict[str, str] | None = None,
        answers: dict[str, str] | None = None,
        who: FlaskClient | None = None,
    ) -> FlaskClient:
        c = who or client
        response = submit(c, f"/submissions/{kind}/", {})
        assert response.status_code == 302, response.text
        if kind in ("report", "suggestion"):
            response = submit(
                c, f"/submissions/{kind}/anonymity", {"anonymous": "yes" if anonymous else "no"}
            )
            assert response.status_code == 302, response.text
        identity = {"email": (person or {}).get("email", "")} if anonymous else (person or PERSON)
        response = submit(c, f"/submissions/{kind}/about-you", identity)
        assert response.status_code == 302, response.text
        response = submit(c, f"/submissions/{kind}/details", answers or ANSWERS[kind])
        assert response.status_code == 302, response.text
        return c

    return walk


_KEY = re.compile(r'name="submit_key"[^>]*value="([^"]+)"')
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def post_check(c: FlaskClient, kind: str, extra: dict[str, str] | None = None, **kwargs: object):
    """GET the check page and send it as its button does, with its hidden fields."""
    page = c.get(f"/submissions/{kind}/check").text
    key, token = _KEY.search(page), _CSRF.search(page)
    assert key and token, page[:3000]
    data = {"csrf_token": token.group(1), "submit_key": key.group(1)}
    return c.post(f"/submissions/{kind}/check", data={**data, **(extra or {})}, **kwargs)


@pytest.fixture
def send(fill_in: Callable[..., FlaskClient]) -> Callable[..., Receipt]:
    """Fill in and send a submission; return its codes from the confirmation page."""

    def go(kind: str = "complaint", **kwargs: object) -> Receipt:
        c = fill_in(kind, **kwargs)
        response = post_check(c, kind, follow_redirects=True)
        assert response.status_code == 200, response.text
        return codes_on(response.text)

    return go


def create_complaint(
    db: Session,
    config: Mapping[str, object],
    kind: str = "complaint",
    *,
    anonymous: bool = False,
    email: str = "",
    language: str = "en",
    now: datetime | None = None,
    channel: str = "online",
) -> services.Created:
    """A submission of `kind` with the sample person and answers, through the service
    (flushed, not committed): the one place tests arrange a stored submission."""
    return services.create_submission(
        db,
        kind=kind,
        anonymous=anonymous,
        identity={"email": email} if anonymous else {**PERSON, "email": email},
        answers=ANSWERS[kind],
        language=language,
        limits=limits_from_config(config),
        now=now or utcnow(),
        channel=channel,
    )


@pytest.fixture
def make_submission(app: Flask) -> Callable[..., tuple[int, str, str]]:
    """Factory through the service: (id, tracking code, query code), at any moment."""

    def make(
        kind: str = "complaint",
        *,
        now: datetime | None = None,
        anonymous: bool = False,
        channel: str = "online",
        email: str = "",
    ) -> tuple[int, str, str]:
        with app.app_context():
            db = get_session()
            created = create_complaint(
                db, app.config, kind, anonymous=anonymous, email=email, now=now, channel=channel
            )
            db.commit()
            sub: Submission = created.submission
            return sub.id, sub.tracking_code, created.query_code or ""

    return make
