"""Factories for questionnaires: `sample_questionnaire(...)` builds the demo questionnaire."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from portal.db import get_session
from portal.staff import services as staff_services
from portal.surveys.demo import build_sample
from portal.surveys.models import Questionnaire


@pytest.fixture
def sample_questionnaire(app: Flask) -> Callable[..., Questionnaire]:
    """Build (and by default publish) the sample questionnaire; returns it detached."""

    def make(**kwargs: Any) -> Questionnaire:
        with app.app_context():
            db = get_session()
            author = staff_services.find_staff(db, "survey-author") or staff_services.create_staff(
                db,
                username="survey-author",
                password="correct horse battery staple",
                roles=["surveys"],
                actor="test",
            )
            q = build_sample(db, author, **kwargs)
            db.commit()
            for question in q.questions:
                _ = question.options
            return q

    return make


def answer_fields(q: Questionnaire, **choices: Any) -> dict[str, Any]:
    """Form data answering the sample: rating value, contact label, reasons text, improve labels."""
    rating, contact, improve = q.questions[0], q.questions[1], q.questions[3]
    data: dict[str, Any] = {}
    if "rating" in choices:
        data[f"q{rating.id}"] = str(_option(rating, value=choices["rating"]).id)
    if "contact" in choices:
        data[f"q{contact.id}"] = str(_option(contact, label=choices["contact"]).id)
    if "reason" in choices:
        data[f"q{q.questions[2].id}"] = choices["reason"]
    if "improve" in choices:
        data[f"q{improve.id}"] = [str(_option(improve, label=x).id) for x in choices["improve"]]
    return data


def _option(question: Any, **match: str) -> Any:
    key, value = next(iter(match.items()))
    return next(o for o in question.options if getattr(o, key) == value)


def post_button(client: Any, path: str, **kwargs: Any) -> Any:
    """Press a staff button: a POST with the CSRF token of the staff list page."""
    from ..helpers import csrf_token

    return client.post(
        path, data={"csrf_token": csrf_token(client, "/staff/questionnaires/")}, **kwargs
    )
