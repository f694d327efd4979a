"""Cheaper `url_for` and `gettext` for templates.

A page's header, navigation and footer alone call `url_for` about twenty times and
`gettext` about as often, and each call walks Flask's and Flask-Babel's context
machinery: on the search page these calls were a third of rendering. Both are
memoised here on what their result depends on, nothing else:

* a relative URL depends on the endpoint, its arguments, the script root and,
  for a blueprint-relative endpoint ("."), the current blueprint (this app has
  no URL defaults or value preprocessors, which would add to that);
* a translation depends on the message and the locale, which `force_locale`
  may change within a request, so the locale is read on every call.

The template `gettext` functions are Jinja's "newstyle" ones written out
directly: installed through `install_gettext_callables`, each `_()` went
through three `Context.call` dispatches (about 14 µs; a results page has some
thirty). A message without variables and without "%" is returned as it is,
which is what formatting it with no variables gives.

Dates in the numeric form `yyyy-MM-dd` (result lists show one per line) skip
Babel's pattern formatting; the time zone is looked up once per request.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import partial
from typing import Any

from flask import Flask, g, request, url_for
from flask_babel import format_date, get_locale, get_timezone, get_translations
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

MAX_URLS = 8192


def _memo_url_for(urls: dict[tuple[Any, ...], str], endpoint: str, **values: Any) -> str:
    try:
        req = request._get_current_object()  # type: ignore[attr-defined]
    except RuntimeError:  # no request: nothing to key on
        return url_for(endpoint, **values)
    if any(key.startswith("_") for key in values):
        return url_for(endpoint, **values)  # external URLs, anchors, methods: not kept
    try:
        key = (
            req.script_root,
            req.blueprint if endpoint.startswith(".") else None,
            endpoint,
            tuple(sorted(values.items())),
        )
        hash(key)
    except TypeError:  # a list argument
        return url_for(endpoint, **values)
    found = urls.get(key)
    if found is None:
        if len(urls) >= MAX_URLS:
            urls.clear()
        found = urls[key] = url_for(endpoint, **values)
    return found


def _catalogue() -> Any:
    globals_ = g._get_current_object()  # type: ignore[attr-defined]
    # Flask-Babel keeps the request's locale, and the one `force_locale` sets, here:
    # reading it directly spares get_locale's context lookups on every message.
    babel = getattr(globals_, "_flask_babel", None)
    locale = getattr(babel, "babel_locale", None) or get_locale()
    memo = getattr(globals_, "_catalogues", None)
    if memo is None:
        memo = globals_._catalogues = {}
    name = str(locale)
    found = memo.get(name)
    if found is None:
        found = memo[name] = get_translations()
    return found


def _formatted(context: Context, message: str, variables: dict[str, Any]) -> str:
    if context.eval_ctx.autoescape:
        # A translated message is trusted markup, as with Jinja's own newstyle gettext.
        message = Markup(message)  # noqa: S704
    if not variables and "%" not in message:
        return message
    return message % variables


@pass_context
def _gettext(context: Context, message: str, **variables: Any) -> str:
    return _formatted(context, _catalogue().ugettext(message), variables)


@pass_context
def _ngettext(context: Context, singular: str, plural: str, num: int, **variables: Any) -> str:
    variables.setdefault("num", num)
    return _formatted(context, _catalogue().ungettext(singular, plural, num), variables)


@pass_context
def _pgettext(context: Context, msgctxt: str, message: str, **variables: Any) -> str:
    variables.setdefault("context", msgctxt)
    return _formatted(context, _catalogue().upgettext(msgctxt, message), variables)


@pass_context
def _npgettext(
    context: Context, msgctxt: str, singular: str, plural: str, num: int, **variables: Any
) -> str:
    variables.setdefault("context", msgctxt)
    variables.setdefault("num", num)
    translated = _catalogue().unpgettext(msgctxt, singular, plural, num)
    return _formatted(context, translated, variables)


def _dateformat(value: Any, format: str | None = None) -> str:
    if format != "yyyy-MM-dd" or not isinstance(value, date):
        return format_date(value, format)
    if isinstance(value, datetime):
        zone = g.get("_timezone")
        if zone is None:
            zone = g._timezone = get_timezone()
        aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        value = aware.astimezone(zone)
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


def init_app(app: Flask) -> None:
    """Replace the template globals Flask and Flask-Babel installed."""
    app.jinja_env.globals["url_for"] = partial(_memo_url_for, {})
    app.jinja_env.filters["dateformat"] = _dateformat
    env = app.jinja_env
    env.newstyle_gettext = True  # type: ignore[attr-defined]
    env.globals.update(
        _=_gettext,
        gettext=_gettext,
        ngettext=_ngettext,
        pgettext=_pgettext,
        npgettext=_npgettext,
    )
