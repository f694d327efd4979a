"""Where the index lives, and rebuilding it without readers ever seeing a gap.

`<index_dir>` is a symbolic link to a generation directory beside it. A
rebuild writes a new generation, then replaces the link in one rename, so a
searcher opens either the old complete index or the new complete one.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.index import Index

from .schema import build_schema


def _generation_dir(link: Path) -> Path:
    return link.with_name(f"{link.name}.gen-{time.time_ns()}")


def ensure_index(index_dir: str) -> None:
    """Create an empty index if none exists yet."""
    link = Path(index_dir)
    if link.exists():
        return
    rebuild(index_dir, [])


def open_index(index_dir: str) -> Index:
    return whoosh_index.open_dir(index_dir)


def document_count(index_dir: str) -> int:
    """Opens the index and counts its documents: raises if it is missing or broken."""
    ix = open_index(index_dir)
    try:
        return int(ix.doc_count())
    finally:
        ix.close()


def rebuild(index_dir: str, documents: Iterable[Mapping[str, Any]]) -> int:
    """Build a fresh index from `documents` and swap it in atomically."""
    link = Path(index_dir)
    link.parent.mkdir(parents=True, exist_ok=True)
    target = _generation_dir(link)
    target.mkdir()
    ix = whoosh_index.create_in(str(target), build_schema())
    writer = ix.writer()
    count = 0
    try:
        for doc in documents:
            writer.add_document(**doc)
            count += 1
    except BaseException:
        writer.cancel()
        ix.close()
        shutil.rmtree(target, ignore_errors=True)
        raise
    writer.commit()
    ix.close()
    previous = link.resolve() if link.is_symlink() else None
    if link.exists() and not link.is_symlink():
        # An index from before generations: move it aside once.
        link.rename(_generation_dir(link))
    tmp_link = link.with_name(f"{link.name}.swap-{os.getpid()}")
    tmp_link.unlink(missing_ok=True)
    tmp_link.symlink_to(target.name)
    os.replace(tmp_link, link)
    # Keep the generation just replaced: a searcher may still be reading it.
    keep = {target.resolve(), previous}
    for old in link.parent.glob(f"{link.name}.gen-*"):
        if old.resolve() not in keep:
            shutil.rmtree(old, ignore_errors=True)
    return count
