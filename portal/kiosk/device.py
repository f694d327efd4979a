"""Which requests come from an enrolled kiosk, and what that changes for every page.

The enrolled screen holds a signed cookie naming its kiosk and a device secret
whose hash the database keeps; revoking the kiosk forgets the hash, so the next
request from that screen gets the ordinary site (and loses the stale cookie).
A browser cannot make itself a kiosk: only a one-time enrolment link sets it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import Flask, Response, abort, current_app, g, request
from itsdangerous import BadSignature, URLSafeSerializer

from ..db import get_session
from ..security import cookies_secure
from . import services
from .qr import qr_svg

DEVICE_COOKIE = "portal_kiosk"
DEVICE_COOKIE_MAX_AGE = 5 * 365 * 24 * 3600
_SALT = "kiosk-device"
# A <form> start tag that does not say whether the browser may remember its fields.
_FORM_TAG = re.compile(rb"<form\b(?![^>]*\bautocomplete=)")


@dataclass(frozen=True)
class KioskDevice:
    """What pages need to know about the kiosk they are shown on."""

    id: int
    name: str
    office_id: int | None


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(str(current_app.config["SECRET_KEY"]), salt=_SALT)


def set_device_cookie(response: Response, kiosk_id: int, device_secret: str) -> None:
    response.set_cookie(
        DEVICE_COOKIE,
        _serializer().dumps([kiosk_id, device_secret]),
        max_age=DEVICE_COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=cookies_secure(),
    )


def current_kiosk() -> KioskDevice | None:
    """The kiosk this request comes from, or None on the ordinary site."""
    return g.get("kiosk")


def _load_device() -> None:
    g.kiosk = None
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw or request.endpoint == "static":
        return
    try:
        kiosk_id, secret = _serializer().loads(raw)
        kiosk = services.device_kiosk(get_session(), int(kiosk_id), str(secret))
    except (BadSignature, ValueError, TypeError):
        kiosk = None
    if kiosk is None:
        g.kiosk_stale = True
        return
    g.kiosk = KioskDevice(id=kiosk.id, name=kiosk.name, office_id=kiosk.office_id)
    if request.path.startswith("/staff"):
        abort(404)  # staff pages are unreachable from a public screen


def _kiosk_headers(response: Response) -> Response:
    if g.get("kiosk_stale"):
        response.delete_cookie(
            DEVICE_COOKIE, httponly=True, samesite="Lax", secure=cookies_secure()
        )
    elif g.get("kiosk") is not None and response.mimetype == "text/html":
        # Nothing a visitor saw may come back from the browser's cache for the next one.
        response.headers["Cache-Control"] = "no-store"
        _forget_typing(response)
    return response


def _forget_typing(response: Response) -> None:
    """Every form at a kiosk says autocomplete="off", in one place rather than in each
    template: the browser then neither offers one visitor's entries to the next nor
    puts typed values back into a page reached with Back."""
    if response.direct_passthrough or response.is_streamed:
        return
    body = response.get_data()
    changed = _FORM_TAG.sub(b'<form autocomplete="off"', body)
    if changed != body:
        response.set_data(changed)


def init_app(app: Flask) -> None:
    app.before_request(_load_device)
    app.after_request(_kiosk_headers)
    app.context_processor(lambda: {"kiosk_device": g.get("kiosk")})
    app.jinja_env.globals["qr_svg"] = qr_svg
