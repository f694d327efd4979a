"""Translation catalog upkeep: `python -m portal.catalogs fill-english|report`.

Message ids are English, so the English catalog's translation of a message is
the message itself; filling it keeps that catalog complete. The Chinese
catalog is translated by people, and `report` (and a test) name what is missing.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po


def load(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def save(catalog: Catalog, path: Path) -> None:
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, sort_output=True, omit_header=False)


def fill_english(path: Path) -> int:
    catalog = load(path)
    filled = 0
    for message in catalog:
        if not message.id:
            continue
        if message.pluralizable:
            if not all(message.string):
                message.string = tuple(message.id)
                filled += 1
        elif not message.string:
            message.string = message.id
            filled += 1
        if message.fuzzy:
            message.flags.discard("fuzzy")
    save(catalog, path)
    return filled


def problems(path: Path) -> list[str]:
    """Messages a visitor would see untranslated: empty or fuzzy."""
    found = []
    for message in load(path):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            found.append(f"fuzzy: {message.id!r}")
        elif not all(strings):
            found.append(f"untranslated: {message.id!r}")
    return found


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "fill-english":
        print(f"English catalog: {fill_english(Path(argv[1]))} messages filled.")
        return 0
    if len(argv) == 2 and argv[0] == "report":
        status = 0
        for po in sorted(Path(argv[1]).glob("*/LC_MESSAGES/messages.po")):
            found = problems(po)
            print(f"{po}: {len(found)} problems")
            for line in found:
                print(f"  {line}")
            status = status or bool(found)
        return status
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
