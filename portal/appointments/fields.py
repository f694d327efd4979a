"""The lawyer's answers that are checked or chosen: purpose, applicant type, the
practising-licence number, the case number and the department.

Kept free of the submissions package so that its kind list can use them.
"""

from __future__ import annotations

import re
import unicodedata

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from ..cases.numbers import CASE_NUMBER_EXAMPLE, looks_like_case_number
from ..judicial_aid.fields import FieldProblem

PURPOSES: dict[str, LazyString] = {
    "file_reading": _l("Reading and copying the case file (阅卷)"),
    "meet_prosecutor": _l("Meeting the prosecutor handling the case (约见承办检察官)"),
    "written_opinion": _l("Submitting written opinions (提交书面意见)"),
    "evidence": _l("Applying for evidence collection (申请调取证据)"),
}

APPLICANT_TYPES: dict[str, LazyString] = {
    "lawyer": _l("Lawyer"),
    "legal_aid": _l("Legal aid worker"),
}

LICENCE_DIGITS = 17
_SEPARATORS = re.compile(r"[\s-]")


def clean_licence(value: str) -> str:
    """The 17-digit practising-licence number (律师执业证号); full-width digits folded."""
    text = _SEPARATORS.sub("", unicodedata.normalize("NFKC", value or ""))
    if not text.isascii() or not text.isdigit() or len(text) != LICENCE_DIGITS:
        raise FieldProblem(
            _l(
                "A practising-licence number has %(n)d digits, for example "
                "13101201910123456; copy it from your licence.",
                n=LICENCE_DIGITS,
            )
        )
    return text


def clean_case_number(value: str) -> str:
    """A case number in the usual form, with its spaces tidied."""
    text = " ".join(unicodedata.normalize("NFKC", value or "").split())
    if not looks_like_case_number(text):
        raise FieldProblem(
            _l(
                "Enter the case number as on the case documents, for example %(example)s.",
                example=CASE_NUMBER_EXAMPLE,
            )
        )
    return text


def purposes() -> dict[str, LazyString]:
    return PURPOSES


def applicant_types() -> dict[str, LazyString]:
    return APPLICANT_TYPES


def departments() -> dict[str, str]:
    """The departments that publish slots, for a case we do not know yet."""
    from ..db import get_session
    from .slots import publishing_departments  # it needs the submissions package

    return {name: name for name in publishing_departments(get_session())}
