"""The one boundary every visitor's input crosses before any view sees it.

* Route `<int:...>` arguments stop at the database's integer range: a larger
  id names nothing, so it is a 404, never an overflow in the driver.
* Every form and query value has its decimal digits folded to ASCII
  (full-width １２３, Arabic-Indic ١٢٣ ...): a phone number, a TOTP code or an
  office id typed that way means the same digits. Other characters, including
  superscripts and circled numbers ("m²", "①"), are kept as typed: they are
  text, not numbers, and `as_int` refuses them.
* Control characters (NUL above all, which PostgreSQL refuses) never reach the
  database: in the path they make a 404, in a query parameter a 400, and in a
  form a message at the field (`portal.forms.PortalForm`), so that the page is
  shown again with what was typed. Tab, line feed and carriage return are
  allowed in multi-line text only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from flask import Flask, Request, abort, request
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.datastructures.structures import iter_multi_items
from werkzeug.routing import IntegerConverter, Map

DB_INT_MAX = 2**31 - 1  # PostgreSQL's INTEGER; ids and counts live in that range

# C0 and C1 controls and DEL, less the whitespace a multi-line text may hold.
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_IN_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_ASCII_INT = re.compile(r"[0-9]{1,10}")

CONTROL_MESSAGE = _l(
    "This answer held an invisible control character, which has been removed. "
    "Check the answer and send it again."
)


class BoundedIntConverter(IntegerConverter):
    """Flask's `int` converter, limited to ids the database can hold."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:  # noqa: A002 - werkzeug's name
        kwargs.setdefault("max", DB_INT_MAX)
        super().__init__(map, *args, **kwargs)


def fold_digits(text: str) -> str:
    """Decimal digits of any script as ASCII digits; everything else unchanged."""
    if text.isascii():
        return text
    return "".join(
        str(unicodedata.decimal(ch)) if unicodedata.category(ch) == "Nd" else ch for ch in text
    )


def has_control(text: str, multiline: bool = False) -> bool:
    """True when `text` holds a control character (tab and newlines allowed if multi-line)."""
    pattern = _CONTROL_IN_TEXT if multiline else _CONTROL_IN_LINE
    return pattern.search(text) is not None


def strip_controls(text: str, multiline: bool = False) -> str:
    """`text` without the control characters `has_control` finds: what the person meant."""
    return (_CONTROL_IN_TEXT if multiline else _CONTROL_IN_LINE).sub("", text)


def as_int(raw: object, maximum: int = DB_INT_MAX) -> int | None:
    """A non-negative whole number from a parameter, or None: ASCII digits only, in range."""
    text = str(raw or "").strip()
    if not _ASCII_INT.fullmatch(text):
        return None
    value = int(text)
    return value if value <= maximum else None


def _folded(key: object, value: object) -> object:
    if not isinstance(value, str) or "password" in str(key):
        return value  # files pass through; a password is a secret to match exactly
    return fold_digits(value)


class NormalisedParameters(ImmutableMultiDict):  # type: ignore[type-arg]
    """Query and form values with their digits folded (files and passwords as sent)."""

    def __init__(self, mapping: Any = None) -> None:
        if mapping is None:
            super().__init__()
            return
        items: Iterable[tuple[Any, Any]] = iter_multi_items(mapping)
        super().__init__([(key, _folded(key, value)) for key, value in items])


class PortalRequest(Request):
    parameter_storage_class = NormalisedParameters


def _refuse_control_characters() -> None:
    if has_control(request.path):
        abort(404)
    args: MultiDict[str, str] = request.args
    if any(has_control(k) or has_control(v, multiline=True) for k, v in args.items(multi=True)):
        abort(400)


def init_app(app: Flask) -> None:
    """Install the boundary; call before any blueprint is registered (rules bind converters)."""
    app.request_class = PortalRequest
    app.url_map.converters["int"] = BoundedIntConverter
    app.before_request_funcs.setdefault(None, []).insert(0, _refuse_control_characters)
