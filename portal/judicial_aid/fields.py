"""Checks and display of the amount sought and the bank account.

Kept free of the submissions package so that its kind list can use them.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l

# More than any single grant the district could make: a typo, not a request.
MAX_AMOUNT = Decimal("1000000")
ACCOUNT_DIGITS = (12, 30)
_AMOUNT = re.compile(r"^\d+(\.\d{1,2})?$")


class FieldProblem(ValueError):
    """The answer cannot be used; `message` says what to type instead."""

    def __init__(self, message: object) -> None:
        super().__init__(str(message))
        self.message = message


def _folded(value: str) -> str:
    """Full-width digits and spaces become ASCII (１２３ -> 123)."""
    return unicodedata.normalize("NFKC", value or "").strip()


def parse_amount(value: str) -> Decimal:
    """An amount in yuan: positive, at most two decimals, at most MAX_AMOUNT."""
    text = _folded(value).replace(",", "").replace(" ", "").removesuffix("元")
    text = text.removeprefix("¥").removeprefix("￥")
    if not _AMOUNT.match(text):
        raise FieldProblem(
            _l("Enter the amount in yuan as a number, for example 20000 or 20000.50.")
        )
    try:
        amount = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern lets only numbers through
        raise FieldProblem(_l("Enter the amount in yuan as a number, for example 20000.")) from None
    if amount <= 0:
        raise FieldProblem(_l("Enter an amount greater than zero."))
    if amount > MAX_AMOUNT:
        raise FieldProblem(
            _l(
                "Enter an amount of at most %(max)s yuan; explain a larger need in your "
                "answer about hardship.",
                max=f"{MAX_AMOUNT:,.0f}",
            )
        )
    return amount


def clean_amount(value: str) -> str:
    """The amount as stored: plain digits, no trailing zeros after the point."""
    amount = parse_amount(value)
    return f"{amount:f}" if amount != amount.to_integral() else f"{amount:.0f}"


def clean_bank_account(value: str) -> str:
    """Digits only once spaces are removed, 12 to 30 of them."""
    text = re.sub(r"[\s-]", "", _folded(value))
    if not text.isascii() or not text.isdigit():
        raise FieldProblem(
            _l("Enter the bank account number with digits only; spaces between groups are fine.")
        )
    low, high = ACCOUNT_DIGITS
    if not low <= len(text) <= high:
        raise FieldProblem(
            _l(
                "A bank account number has %(low)d to %(high)d digits; you typed %(n)d. "
                "Copy it from your bank card or passbook.",
                low=low,
                high=high,
                n=len(text),
            )
        )
    return text


def mask_account(value: str | None) -> str:
    """Only the last four digits are shown, on every screen."""
    digits = "".join(ch for ch in value or "" if ch.isdigit())
    if not digits:
        return ""
    return "**** " + digits[-4:]
