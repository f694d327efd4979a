"""Language choice: a visible switcher kept in a cookie, then Accept-Language."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask, current_app, g, request
from flask_babel import LazyString, get_locale
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from .config import LOCALES
from .wording import wording

LANG_COOKIE = "portal_lang"
LARGE_TEXT_COOKIE = "portal_large_text"
COOKIE_MAX_AGE = 365 * 24 * 3600

# How each locale is written in an HTML lang attribute.
HTML_LANG = {"zh_Hans": "zh-Hans", "en": "en"}


def normalise_locale(code: str | None) -> str | None:
    """Map a cookie value or an Accept-Language tag to one of LOCALES."""
    if not code:
        return None
    code = code.strip().replace("-", "_")
    if code in LOCALES:
        return code
    lowered = code.lower()
    if lowered.startswith("zh"):
        # Traditional-script requests still get Simplified: it is all we have.
        return "zh_Hans"
    if lowered.startswith("en"):
        return "en"
    return None


def select_locale() -> str:
    chosen = normalise_locale(request.cookies.get(LANG_COOKIE))
    if chosen:
        return chosen
    for tag, _quality in request.accept_languages:
        chosen = normalise_locale(tag)
        if chosen:
            return chosen
    return str(current_app.config["BABEL_DEFAULT_LOCALE"])


def current_locale() -> str:
    return str(get_locale())


# Translated name lists, by list and language (see `translated_names`).
_NAMES: dict[tuple[int, str], tuple[Mapping[str, LazyString], dict[str, str]]] = {}


def translated_names(names: Mapping[str, LazyString]) -> dict[str, str]:
    """A module-level list of lazy names (document types…), translated into the
    current language once per process: reading a lazy name is a gettext call, and
    a results page reads every type's name."""
    key = (id(names), current_locale())
    found = _NAMES.get(key)
    if found is None or found[0] is not names:
        found = _NAMES[key] = (names, {k: str(v) for k, v in names.items()})
    return found[1]


def large_text_enabled() -> bool:
    if "large_text" not in g:
        chosen = request.cookies.get(LARGE_TEXT_COOKIE)
        # At a kiosk large text is the default; a visitor may still turn it off.
        g.large_text = chosen == "1" or (chosen is None and g.get("kiosk") is not None)
    return bool(g.large_text)


def site_name() -> str:
    key = "SITE_NAME_ZH" if current_locale() == "zh_Hans" else "SITE_NAME_EN"
    return str(current_app.config[key])


def contact_address() -> str:
    key = "CONTACT_ADDRESS_ZH" if current_locale() == "zh_Hans" else "CONTACT_ADDRESS_EN"
    return str(current_app.config[key])


@pass_context
def lang_attr(context: Context, language: str | None = "zh_Hans") -> Markup:
    """` lang="…"` for content stored in one language (documents, guides, office names),
    when the page around it is in the other (WCAG 3.1.2); empty otherwise.

    The page's language is the one the template was given (`current_locale`, set
    when rendering began): a results page asks twice per hit, and asking Babel
    each time cost more than the rest of the attribute. A macro imported without
    context has none and asks Babel."""
    locale = normalise_locale(language) or "zh_Hans"
    page = context.get("current_locale") or current_locale()
    if locale == page:
        return Markup("")
    return Markup(' lang="{}"').format(HTML_LANG[locale])


def init_app(app: Flask) -> None:
    app.jinja_env.globals["wording"] = wording  # macros see globals, not the context
    app.add_template_global(lang_attr)

    @app.context_processor
    def _i18n_context() -> dict[str, object]:
        locale = current_locale()
        return {
            "html_lang": HTML_LANG.get(locale, "zh-Hans"),
            "current_locale": locale,
            "large_text": large_text_enabled(),
            "site_name": site_name(),
            "contact_address": contact_address(),
        }
