"""Signed one-time answer tokens (itsdangerous with the app's secret key).

Online, a browser keeps one token per questionnaire in a cookie, so it can
answer once. At a kiosk, each visit gets a fresh token in the form itself and
nothing is kept in the browser. A token names the questionnaire family it was
issued for and expires; once a response is stored with it, it is spent.
"""

from __future__ import annotations

import secrets

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

SALT = "portal.surveys.answer-token"


class TokenRejected(Exception):
    """The token is forged, for another questionnaire, or too old."""

    def __init__(self, expired: bool) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=SALT)


def issue_token(secret: str, family_id: int) -> str:
    return _serializer(secret).dumps({"f": family_id, "n": secrets.token_urlsafe(24)})


def read_token(secret: str, token: str, family_id: int, max_age: int) -> str:
    """The token's nonce, which is what a stored response remembers."""
    try:
        data = _serializer(secret).loads(token, max_age=max_age)
    except SignatureExpired:
        raise TokenRejected(expired=True) from None
    except BadSignature:
        raise TokenRejected(expired=False) from None
    if (
        not isinstance(data, dict)
        or data.get("f") != family_id
        or not isinstance(data.get("n"), str)
    ):
        raise TokenRejected(expired=False)
    return data["n"][:64]
