"""Case numbers as people type them: bracket variants, full-width digits, stray spaces.

The matching form is the one documents use (`portal.disclosure.numbers.number_key`),
so a case and its published documents meet on the same key.
"""

from __future__ import annotations

import re

from ..disclosure.numbers import number_key

__all__ = ["CASE_NUMBER_EXAMPLE", "case_number_key", "looks_like_case_number"]

CASE_NUMBER_EXAMPLE = "深龙华检刑诉〔2019〕1247号"
_FORM = re.compile(r"[^〔〕]{1,40}〔(?:19|20)[0-9]{2}〕[0-9]{1,6}号")


def case_number_key(value: str) -> str:
    return number_key(value)


def looks_like_case_number(value: str) -> bool:
    """Agency and type, the year in brackets, a serial and 号 (any bracket style)."""
    return bool(_FORM.fullmatch(case_number_key(value)))
