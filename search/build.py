"""Building a whole generation, in several processes, because indexing is CPU-bound Python.

Segmentation and posting encoding run in Python under the GIL, so a large
rebuild uses one worker process per core (spawned, not forked: the web
process may have threads). The parent reads the documents, turns them into
field dicts and hands out batches; each worker writes segments of up to
`SEGMENT_DOCS` documents into the new generation directory with
`codec.BulkSegmentWriter` and returns them. The parent adds a segment with the
meta document and writes one table of contents naming all segments. Nothing
is merged: merging would re-read every posting in Python. Small inputs (under
`PARALLEL_FROM` documents) are written in-process.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import shutil
from collections.abc import Callable, Iterable
from itertools import chain, islice
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.index import TOC, clean_files

from .codec import BulkSegmentWriter
from .model import IndexDocument
from .schema import build_schema, meta_fields, to_fields

PARALLEL_FROM = 2000
BATCH = 100
SEGMENT_DOCS = 30_000


def _worker(path: str, jobs: Any, results: Any) -> None:
    """Index batches from `jobs` into new segments; put ("ok", segments, count) on `results`."""
    try:
        ix = whoosh_index.open_dir(path)
        segments = []
        writer: BulkSegmentWriter | None = None
        count = 0
        while True:
            batch = jobs.get()
            if batch is None:
                break
            for fields in batch:
                if writer is None:
                    writer = BulkSegmentWriter(ix)
                writer.add_document(**fields)
                if writer.docnum >= SEGMENT_DOCS:
                    segments.append(writer.finish())
                    writer = None
            count += len(batch)
        if writer is not None:
            segments.append(writer.finish())
        results.put(("ok", segments, count))
    except BaseException as exc:  # report, then let the process fail
        results.put(("error", repr(exc), 0))
        raise


def build_generation(
    path: str,
    documents: Iterable[IndexDocument],
    checkpoint: int,
    progress: Callable[[int], None] | None = None,
    procs: int | None = None,
) -> int:
    """Create a complete index at `path` holding `documents`; the number written."""
    ix = whoosh_index.create_in(path, build_schema())
    try:
        source = iter(documents)
        head = list(islice(source, PARALLEL_FROM))
        procs = procs if procs is not None else (os.cpu_count() or 1)
        if len(head) < PARALLEL_FROM or procs <= 1:
            segments, count = _build_serial(ix, chain(head, source), progress)
        else:
            segments, count = _build_parallel(path, chain(head, source), progress, procs)
        meta = BulkSegmentWriter(ix)
        meta.add_document(**meta_fields(checkpoint))
        segments.append(meta.finish())
        _commit(ix, segments)
    finally:
        ix.close()
        shutil.rmtree(Path(path) / f"{ix.indexname}.tmp", ignore_errors=True)
    if progress is not None:
        progress(count)
    return count


def _commit(ix: Any, segments: list[Any]) -> None:
    """Write the table of contents listing `segments` (the directory is new: no lock needed)."""
    generation = ix.latest_generation() + 1
    TOC(ix.schema, segments, generation).write(ix.storage, ix.indexname)
    clean_files(ix.storage, ix.indexname, generation, segments)


def _build_serial(
    ix: Any, documents: Iterable[IndexDocument], progress: Callable[[int], None] | None
) -> tuple[list[Any], int]:
    segments = []
    writer: BulkSegmentWriter | None = None
    count = 0
    for doc in documents:
        if writer is None:
            writer = BulkSegmentWriter(ix)
        writer.add_document(**to_fields(doc))
        count += 1
        if writer.docnum >= SEGMENT_DOCS:
            segments.append(writer.finish())
            writer = None
        if progress is not None and count % 1000 == 0:
            progress(count)
    if writer is not None:
        segments.append(writer.finish())
    return segments, count


def _build_parallel(
    path: str,
    documents: Iterable[IndexDocument],
    progress: Callable[[int], None] | None,
    procs: int,
) -> tuple[list[Any], int]:
    context = multiprocessing.get_context("spawn")
    jobs = context.Queue(maxsize=procs * 4)
    results = context.Queue()
    workers = [
        context.Process(target=_worker, args=(path, jobs, results), daemon=True)
        for _ in range(procs)
    ]
    for worker in workers:
        worker.start()
    count = 0
    segments: list[Any] = []
    try:
        batch: list[dict[str, Any]] = []
        for doc in documents:
            batch.append(to_fields(doc))
            if len(batch) >= BATCH:
                _put(jobs, batch, workers)
                count += len(batch)
                batch = []
                if progress is not None and count % 1000 == 0:
                    progress(count)
        if batch:
            _put(jobs, batch, workers)
            count += len(batch)
        for _ in workers:
            _put(jobs, None, workers)
        written = 0
        for _ in workers:
            status, found, done = _get(results, workers)
            if status != "ok":
                raise RuntimeError(f"index worker failed: {found}")
            written += done
            segments.extend(found)
        for worker in workers:
            worker.join()
        if written != count:
            raise RuntimeError(f"index workers wrote {written} of {count} documents")
    except BaseException:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
        for worker in workers:
            worker.join()
        raise
    finally:
        jobs.close()
        results.close()
    return segments, count


def _alive(workers: list[Any]) -> None:
    dead = [w for w in workers if w.exitcode not in (None, 0)]
    if dead:
        raise RuntimeError(f"index worker exited with code {dead[0].exitcode}")


def _put(jobs: Any, item: Any, workers: list[Any]) -> None:
    while True:
        try:
            jobs.put(item, timeout=1.0)
            return
        except queue.Full:
            _alive(workers)


def _get(results: Any, workers: list[Any]) -> Any:
    while True:
        try:
            return results.get(timeout=1.0)
        except queue.Empty:
            _alive(workers)
