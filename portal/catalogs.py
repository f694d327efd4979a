"""Translation catalog upkeep: `python -m portal.catalogs COMMAND`.

  fill-english PO        the English catalog translates each message to itself
  report DIR             untranslated or fuzzy messages in every catalog (exit 1)
  missing PO             the untranslated messages of PO as a JSON object to fill in
  apply PO JSON          set translations from a JSON object {message id: translation}
  fill-from PO OTHER.po  take translations PO lacks from another catalog

Message ids are English, so the English catalog's translation of a message is
the message itself; filling it keeps that catalog complete. The Chinese
catalog is translated by people, and `report` (and a test) name what is missing.
"""

from __future__ import annotations

import json
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


def _plain(message) -> bool:
    return bool(message.id) and not message.pluralizable


def missing(path: Path) -> dict[str, str]:
    return {m.id: "" for m in load(path) if _plain(m) and (not m.string or m.fuzzy)}


def apply(path: Path, translations: dict[str, str]) -> int:
    catalog = load(path)
    applied = 0
    for message in catalog:
        text = translations.get(message.id) if _plain(message) else None
        if text:
            message.string = text
            message.flags.discard("fuzzy")
            applied += 1
    save(catalog, path)
    return applied


def fill_from(path: Path, other: Path) -> int:
    """Take the translations `path` lacks (plural forms too) from another catalog."""
    known = {
        m.id: m.string
        for m in load(other)
        if m.id and not m.fuzzy and all(m.string if m.pluralizable else (m.string,))
    }
    catalog = load(path)
    taken = 0
    for message in catalog:
        strings = message.string if message.pluralizable else (message.string,)
        if message.id in known and (message.fuzzy or not all(strings)):
            message.string = known[message.id]
            message.flags.discard("fuzzy")
            taken += 1
    save(catalog, path)
    return taken


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
    if len(argv) == 2 and argv[0] == "missing":
        print(json.dumps(missing(Path(argv[1])), ensure_ascii=False, indent=1))
        return 0
    if len(argv) == 3 and argv[0] == "apply":
        data = json.loads(Path(argv[2]).read_text(encoding="utf-8"))
        print(f"{apply(Path(argv[1]), data)} translations applied.")
        return 0
    if len(argv) == 3 and argv[0] == "fill-from":
        print(f"{fill_from(Path(argv[1]), Path(argv[2]))} translations taken.")
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
