"""Building a whole generation, in several processes, because indexing is CPU-bound Python.

Segmentation and posting encoding run in Python under the GIL, so a large
rebuild uses one worker process per core (`search.worker`, started as a
plain subprocess). The parent reads the documents, turns them into field
dicts and hands out batches through one feeder thread per worker, so a slow
worker never stalls the others; each worker writes segments of up to
`codec.SEGMENT_DOCS` documents into the new generation directory with
`codec.BulkSegmentWriter` and returns them. The meta document rides with the
last batch, and the parent writes one table of contents naming all segments.
Nothing is merged: merging would re-read every posting in Python. Small
inputs (under `PARALLEL_FROM` documents) are written in-process.
"""

from __future__ import annotations

import os
import pickle
import queue
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable
from itertools import chain, islice
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.index import TOC, clean_files

from .codec import SEGMENT_DOCS, BulkSegmentWriter
from .model import IndexDocument
from .schema import build_schema, meta_fields, to_fields

PARALLEL_FROM = 2000
BATCH = 100


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
        meta = meta_fields(checkpoint)
        if len(head) < PARALLEL_FROM or procs <= 1:
            segments, count = _build_serial(ix, chain(head, source), meta, progress)
        else:
            segments, count = _build_parallel(path, chain(head, source), meta, progress, procs)
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
    ix: Any,
    documents: Iterable[IndexDocument],
    meta: dict[str, Any],
    progress: Callable[[int], None] | None,
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
    writer = writer or BulkSegmentWriter(ix)
    writer.add_document(**meta)
    segments.append(writer.finish())
    return segments, count


def _build_parallel(
    path: str,
    documents: Iterable[IndexDocument],
    meta: dict[str, Any],
    progress: Callable[[int], None] | None,
    procs: int,
) -> tuple[list[Any], int]:
    package_root = str(Path(__file__).resolve().parent.parent)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH", "")) if p)
    workers = [
        subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "search.worker", path],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        for _ in range(procs)
    ]
    batches: queue.Queue[list[dict[str, Any]] | None] = queue.Queue(maxsize=procs * 4)
    failures: list[BaseException] = []

    def feed(worker: subprocess.Popen[bytes]) -> None:
        assert worker.stdin is not None
        try:
            while True:
                batch = batches.get()
                if batch is None:
                    break
                pickle.dump(batch, worker.stdin, pickle.HIGHEST_PROTOCOL)
            pickle.dump(None, worker.stdin)
            worker.stdin.close()
        except BaseException as exc:  # a dead worker: the parent reports it
            failures.append(exc)
            while batches.get() is not None:  # keep the producer from blocking
                pass

    feeders = [threading.Thread(target=feed, args=(w,), daemon=True) for w in workers]
    for feeder in feeders:
        feeder.start()
    count = 0
    segments: list[Any] = []
    try:
        batch: list[dict[str, Any]] = []
        for doc in documents:
            batch.append(to_fields(doc))
            if len(batch) >= BATCH:
                _put(batches, batch, failures)
                count += len(batch)
                batch = []
                if progress is not None and count % 1000 == 0:
                    progress(count)
        count += len(batch)
        batch.append(meta)  # the meta document rides with the last batch
        _put(batches, batch, failures)
        for _ in workers:
            _put(batches, None, failures)
        written = 0
        for worker in workers:
            assert worker.stdout is not None
            try:
                status, found, done = pickle.load(worker.stdout)  # noqa: S301
            except EOFError:
                status, found, done = "error", f"worker exited with {worker.wait()}", 0
            worker.wait()
            if status != "ok":
                raise RuntimeError(f"index worker failed: {found}")
            written += done
            segments.extend(found)
        if failures:
            raise RuntimeError(f"index worker failed: {failures[0]!r}")
        if written != count + 1:
            raise RuntimeError(f"index workers wrote {written} of {count} documents")
    except BaseException:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
            worker.wait()
        raise
    finally:
        for feeder in feeders:
            feeder.join(timeout=5)
        for worker in workers:
            for stream in (worker.stdin, worker.stdout):
                if stream is not None and not stream.closed:
                    stream.close()
    return segments, count


def _put(
    batches: queue.Queue[list[dict[str, Any]] | None],
    item: list[dict[str, Any]] | None,
    failures: list[BaseException],
) -> None:
    while True:
        if failures:
            raise RuntimeError(f"index worker failed: {failures[0]!r}")
        try:
            batches.put(item, timeout=1.0)
            return
        except queue.Full:
            continue
