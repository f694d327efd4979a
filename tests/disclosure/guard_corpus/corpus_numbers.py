"""Fictional but valid numbers for the guard corpora (used only by the build scripts).

The corpora themselves are static YAML files; these helpers are how their
identity numbers (GB 11643 check character) and card numbers (Luhn) were made.
"""

from __future__ import annotations

FULL_WIDTH = str.maketrans("0123456789Xx-", "０１２３４５６７８９Ｘｘ－")


def id_check(body: str) -> str:
    """ISO 7064 MOD 11-2: the check makes the weighted sum ≡ 1 (mod 11)."""
    total = sum(int(d) * pow(2, 17 - i, 11) for i, d in enumerate(body))
    value = next(c for c in range(11) if (total + c) % 11 == 1)
    return "X" if value == 10 else str(value)


def make_id(area: str, birth: str, seq: str) -> str:
    body = area + birth + seq
    assert len(body) == 17, body
    return body + id_check(body)


def wrong_id(area: str, birth: str, seq: str) -> str:
    """A number with a valid area and birth date whose check character is wrong."""
    right = make_id(area, birth, seq)
    wrong = "3" if right[-1] != "3" else "7"
    return right[:-1] + wrong


def luhn(number: str) -> bool:
    digits = [int(d) for d in reversed(number)]
    return sum(d if i % 2 == 0 else sum(divmod(d * 2, 10)) for i, d in enumerate(digits)) % 10 == 0


def make_card(prefix: str) -> str:
    return next(prefix + d for d in "0123456789" if luhn(prefix + d))


def groups(value: str, sizes: tuple[int, ...], sep: str = " ") -> str:
    parts, position = [], 0
    for size in sizes:
        parts.append(value[position : position + size])
        position += size
    assert position == len(value), (value, sizes)
    return sep.join(parts)


def full_width(value: str) -> str:
    return value.translate(FULL_WIDTH)
