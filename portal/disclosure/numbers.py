"""Document numbers as people type them: bracket variants, full-width digits, spaces.

深龙华检刑诉〔2019〕1247号 is written with 〔〕 officially, but people type [], 【】,
(), （） or 〈〉, full-width digits and stray spaces. `number_key` maps every variant
to one form used for matching; the official form is kept for display.
"""

from __future__ import annotations

import unicodedata

_OPEN = "[【(（〈<《［"
_CLOSE = "]】)）〉>》］"


def number_key(value: str) -> str:
    """The matching form of a document number: NFKC, no spaces, 〔〕 brackets."""
    text = unicodedata.normalize("NFKC", value or "")
    text = "".join(text.split())
    for ch in _OPEN:
        text = text.replace(unicodedata.normalize("NFKC", ch), "〔")
    for ch in _CLOSE:
        text = text.replace(unicodedata.normalize("NFKC", ch), "〕")
    return text.upper()
