"""Fixtures for the open-day tests: an open day factory and a booking helper."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from portal.booking.models import OpenDay

from ..helpers import submit
from .factories import make_open_day, resident_id


@pytest.fixture
def create_open_day(app: Flask) -> Callable[..., OpenDay]:
    def make(**kwargs: Any) -> OpenDay:
        return make_open_day(app, **kwargs)

    return make


def booking_data(open_day: OpenDay, **overrides: str) -> dict[str, str]:
    data = {
        "session_id": str(open_day.sessions[0].id),
        "name": "王小明",
        "id_type": "resident_card",
        "id_number": resident_id(),
        "phone": "13912345678",
        "email": "visitor@example.com",
        "members": "",
        "birth_date": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def book(client: FlaskClient) -> Callable[..., TestResponse]:
    """Fill in and send the booking form, as a browser does."""

    def send(open_day: OpenDay, **overrides: str) -> TestResponse:
        return submit(client, f"/open-days/{open_day.id}/book", booking_data(open_day, **overrides))

    return send
