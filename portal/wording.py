"""Staff-written text with an optional English version (open days, questionnaires).

English pages show the English wording when staff wrote one, and otherwise the
Chinese, marked `lang="zh-Hans"` so that screen readers switch voice (WCAG 3.1.2).
Chinese pages always show the Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import get_locale
from markupsafe import Markup

CHINESE = "zh-Hans"


@dataclass(frozen=True)
class Wording:
    """The text to show and the `lang` its element needs (None: the page's own language)."""

    text: str
    lang: str | None = None

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)

    @property
    def attr(self) -> Markup:
        """` lang="zh-Hans"` for an element holding text in the other language, else nothing."""
        return Markup(' lang="%s"') % self.lang if self.lang else Markup("")

    @property
    def html(self) -> Markup:
        """The text for a sentence of the page's language: in a `<span lang>` if it differs."""
        if self.lang:
            return Markup('<span lang="%s">%s</span>') % (self.lang, self.text)
        return Markup.escape(self.text)


def choose(chinese: str, english: str, locale: str) -> Wording:
    """The wording for `locale`: Chinese pages show Chinese; English falls back to Chinese."""
    chinese = chinese or ""
    if locale != "en":
        return Wording(chinese)
    if (english or "").strip():
        return Wording(english)
    return Wording(chinese, CHINESE if chinese else None)


def wording(record: object, name: str) -> Wording:
    """`record.<name>` or `record.<name>_en`, for the current page's language."""
    return choose(
        str(getattr(record, name, "") or ""),
        str(getattr(record, f"{name}_en", "") or ""),
        str(get_locale()),
    )
