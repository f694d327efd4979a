"""Helpers for driving forms the way a browser does: fetch, read the token, post."""

from __future__ import annotations

import re
import time

import pyotp
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client: FlaskClient, path: str) -> str:
    page = client.get(path)
    match = _TOKEN.search(page.text)
    assert match, f"no CSRF token on {path} (status {page.status_code})"
    return match.group(1)


def submit(client: FlaskClient, path: str, data: dict[str, str], **kwargs: object) -> TestResponse:
    """GET the form at `path`, then POST `data` to it with its CSRF token."""
    token = csrf_token(client, path)
    return client.post(path, data={**data, "csrf_token": token}, **kwargs)


def totp_now(secret: str, offset: int = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() + offset)


def sign_in(client: FlaskClient, user: object, password: str) -> None:
    """Sign `client` in as `user` through the real forms, password then code."""
    response = submit(
        client,
        "/staff/login",
        {"username": user.username, "password": password},  # type: ignore[attr-defined]
    )
    assert response.status_code == 302, response.text
    code = totp_now(user.totp_secret)  # type: ignore[attr-defined]
    response = submit(client, "/staff/login/code", {"code": code})
    assert response.status_code == 302, response.text
