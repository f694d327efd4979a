"""Fields people type numbers and codes into: the right device keyboard for everyone,
and at a kiosk a large on-screen keypad (static/js/keypad.js).

A form declares what a field holds with `keypad_kw(kind)` as its `render_kw`.
The `inputmode`/`autocomplete`/... attributes go to every visitor (they pick the
phone's keyboard too); the `data-keypad*` attributes are kept only at a kiosk,
by `device_attributes`, which `PortalForm` applies to every field it renders.

Identity numbers get `inputmode="text"` on purpose: their last character may be
X, and the numeric and telephone keyboards of iOS and of most Android input
methods have no X key, so a numeric keyboard would lock some people out. With
`autocapitalize="characters"` a typed x comes out as X. At a kiosk the keypad
offers the digits and X.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app, g

KIOSK_ONLY = "data-keypad"
KINDS = ("id", "tel", "digits", "code", "case")

_CODE = {"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"}
_DEVICE: dict[str, dict[str, str]] = {
    "id": {"inputmode": "text", **_CODE},
    "tel": {"type": "tel", "inputmode": "tel", "autocomplete": "tel"},
    "digits": {"inputmode": "numeric", "autocomplete": "off"},
    "code": dict(_CODE),
    "case": {"autocomplete": "off", "spellcheck": "false"},
}


# Fields typed on the ordinary keyboard, never on the keypad: only their input type and
# autofill token (WCAG 1.3.5), which `device_attributes` turns off at a kiosk.
_TYPED: dict[str, dict[str, str]] = {
    "email": {"type": "email", "inputmode": "email", "autocomplete": "email"},
    "name": {"autocomplete": "name"},
}


def keypad_kw(kind: str, *, alphabet: str = "", length: int = 0, **extra: str) -> dict[str, str]:
    """`render_kw` for a field holding `kind`: an identity number (digits and X), a
    phone number, plain digits, a grouped code (`alphabet`, `length` characters in
    groups of four) or a case number; or, without a keypad, an e-mail address or a
    person's name."""
    if kind in _TYPED:
        return {**_TYPED[kind], **extra}
    if kind not in KINDS:
        raise ValueError(f"unknown keypad kind {kind!r}")
    attrs = {**_DEVICE[kind], KIOSK_ONLY: kind, **extra}
    if alphabet:
        attrs[f"{KIOSK_ONLY}-alphabet"] = alphabet
    if length:
        attrs[f"{KIOSK_ONLY}-length"] = str(length)
    return attrs


def _case_number_buttons() -> dict[str, str]:
    """The office's case-number prefixes and this year's and last year's brackets."""
    if "keypad_case" not in g:
        from .cases.numbers import CASE_NUMBER_EXAMPLE
        from .cases.queries import common_number_prefixes
        from .db import get_session

        prefixes = common_number_prefixes(get_session())
        if not prefixes:
            configured = str(current_app.config.get("CASE_NUMBER_PREFIXES") or "")
            prefixes = [p.strip() for p in configured.split(",") if p.strip()]
        if not prefixes:
            prefixes = [CASE_NUMBER_EXAMPLE.split("〔", 1)[0]]
        zone = ZoneInfo(str(current_app.config["BABEL_DEFAULT_TIMEZONE"]))
        year = datetime.now(zone).year
        g.keypad_case = {
            f"{KIOSK_ONLY}-prefixes": "|".join(prefixes),
            f"{KIOSK_ONLY}-years": f"{year} {year - 1}",
        }
    return dict(g.keypad_case)


def device_attributes(attrs: dict[str, Any]) -> dict[str, Any]:
    """`attrs` as this device should get them: without the keypad off a kiosk, with
    the case-number buttons at one."""
    from .kiosk.device import current_kiosk

    if current_kiosk() is None:
        return {k: v for k, v in attrs.items() if not k.startswith(KIOSK_ONLY)}
    # A field's own token ("tel", "email", "name") would let the browser offer one
    # visitor's entries to the next, whatever the form says: at a kiosk every field is off.
    attrs = {**attrs, "autocomplete": "off"}
    if attrs.get(KIOSK_ONLY) == "case":
        return {**attrs, **_case_number_buttons()}
    return attrs
