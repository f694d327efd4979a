"""A rebuild worker process: reads batches on stdin, writes segments, reports on stdout.

Started by `search.build` as `python -m search.worker <generation dir>`, a
plain subprocess rather than a multiprocessing child, so that it never
re-imports the caller's main script (as "spawn" does) nor inherits a
multi-threaded parent's locks (as "fork" may). Frames are pickles: lists of
field dicts, then None; the answer is one pickle, ("ok", segments, count) or
("error", message, 0).
"""

from __future__ import annotations

import pickle
import sys
import traceback
from typing import Any, BinaryIO

from whoosh import index as whoosh_index

from .codec import SEGMENT_DOCS, BulkSegmentWriter


def run(path: str, source: BinaryIO, sink: BinaryIO) -> int:
    """Index every batch read from `source` into segments under `path`; 0 on success."""
    try:
        ix = whoosh_index.open_dir(path)
        segments: list[Any] = []
        writer: BulkSegmentWriter | None = None
        count = 0
        while True:
            batch = pickle.load(source)  # noqa: S301 - our parent process
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
        ix.close()
        pickle.dump(("ok", segments, count), sink)
        sink.flush()
        return 0
    except Exception:  # report everything to the parent
        pickle.dump(("error", traceback.format_exc(), 0), sink)
        sink.flush()
        return 1


if __name__ == "__main__":
    sys.exit(run(sys.argv[1], sys.stdin.buffer, sys.stdout.buffer))
