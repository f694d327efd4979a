"""A Whoosh 3 codec tuned for this index, and a bulk segment writer for rebuilds.

Measured on this machine, the stock `W3Codec` spent most of indexing in
per-posting Python: a `stat()` of a length-column file for every posting
(fields that store no lengths never get it cached), asserts and statistics in
`add_posting`, and block payloads pickled with protocol 2, which encodes every
posting value through a `_codecs.encode` call: 360 µs to load a block of 512
values against 32 µs with protocol 5. `SearchCodec` keeps the on-disk layout
(any Whoosh reader still reads it) and changes only how blocks are written:

* `length_stats = False`: our fields keep no length columns;
* blocks of 512 postings, pickled with the highest protocol;
* ids delta-encoded with `map` in C, weights omitted (always 1.0).

`BulkSegmentWriter` writes a whole segment from documents without Whoosh's
posting pool (which buffers one Python tuple per posting, sorts them and
spills runs to temporary files): postings are grouped per term in compact
arrays in memory and written block by block. A rebuild worker uses one per
`SEGMENT_DOCS` documents, so memory stays bounded (about 1 GB).
"""

from __future__ import annotations

import pickle
import zlib
from array import array
from collections.abc import Sequence
from itertools import accumulate, chain
from operator import sub
from typing import Any

from whoosh.codec.whoosh3 import W3Codec, W3PostingsWriter
from whoosh.util.numeric import length_to_byte

BLOCK = 512
# Documents per segment written by a rebuild worker (bounds its memory).
SEGMENT_DOCS = 30_000
_PROTOCOL = pickle.HIGHEST_PROTOCOL


class _PostingsWriter(W3PostingsWriter):
    """W3 posting blocks without per-posting checks, pickled with a modern protocol."""

    def add_posting(
        self, id_: int, weight: float, vbytes: bytes, length: int | None = None
    ) -> None:
        if len(self._ids) >= self._blocklimit:
            self._write_block()
        self._ids.append(id_)
        self._weights.append(weight)
        if weight > self._maxweight:
            self._maxweight = weight
        if vbytes:
            self._values.append(vbytes)

    def add_many(self, ids: array[int], values: Sequence[bytes]) -> None:
        """Add a whole posting list (ascending ids, weights 1.0) block by block."""
        limit = self._blocklimit
        total = len(ids)
        for start in range(0, total, limit):
            if self._ids:
                self._write_block()
            chunk = ids[start : start + limit]
            self._ids = chunk
            self._weights = array("f", [1.0]) * len(chunk)
            self._maxweight = 1.0
            self._values = list(values[start : start + limit]) if values else []

    def _mini_ids(self) -> tuple[int, ...]:
        ids = self._ids
        return tuple(map(sub, ids, chain((0,), ids)))

    def _mini_weights(self) -> Any:
        weights = self._weights
        if weights.count(1.0) == len(weights):
            return None
        return tuple(weights)

    def _write_block(self, last: bool = False) -> None:
        postfile = self._postfile
        if not self._blockcount:
            postfile.write(b"W3Bl")
        self._terminfo.add_block(self)
        data = pickle.dumps(
            (self._mini_ids(), self._mini_weights(), self._mini_values()), _PROTOCOL
        )
        comp = self._compression
        if comp and len(data) >= 64:
            data = zlib.compress(data, comp)
        else:
            comp = 0
        ids = self._ids
        info = pickle.dumps(
            (
                len(ids),
                ids[-1],
                self._maxweight,
                comp,
                length_to_byte(self._minlength),
                length_to_byte(self._maxlength),
            ),
            2,
        )
        length = len(info) + len(data)
        postfile.write_int(-length if last else length)
        postfile.write(info)
        postfile.write(data)
        self._blockcount += 1
        self._new_block()


class SearchCodec(W3Codec):
    """W3 layout; faster writing (see the module docstring)."""

    length_stats = False

    def __init__(self, blocklimit: int = BLOCK, compression: int = 3, inlinelimit: int = 1):
        super().__init__(blocklimit=blocklimit, compression=compression, inlinelimit=inlinelimit)

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> W3PostingsWriter:
        return _PostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )


class BulkSegmentWriter:
    """Writes one new segment of an index from documents, postings grouped in memory.

    It takes no lock and writes no table of contents: the caller owns the
    (new, private) directory and lists the returned segment itself.
    """

    def __init__(self, ix: Any, codec: SearchCodec | None = None) -> None:
        self.codec = codec or SearchCodec()
        self.schema = ix.schema
        self.storage = ix.storage
        self.segment = self.codec.new_segment(self.storage, ix.indexname)
        self.perdoc = self.codec.per_document_writer(self.storage, self.segment)
        self.docnum = 0
        self._postings: dict[str, dict[bytes, tuple[array[int], bytearray, array[int]]]] = {}
        self._plan: dict[str, tuple[Any, bool, bool, Any]] = {
            name: (field, bool(field.indexed), bool(field.stored), field.column_type)
            for name, field in self.schema.items()
        }

    def add_document(self, **fields: Any) -> None:
        """Add one document (the same keyword arguments as `writer.add_document`)."""
        docnum = self.docnum
        perdoc = self.perdoc
        perdoc.start_doc(docnum)
        for name in sorted(fields):
            value = fields[name]
            if value is None or name.startswith("_"):
                continue
            field, indexed, stored, column = self._plan[name]
            length = 0
            if indexed:
                bucket = self._postings.get(name)
                if bucket is None:
                    bucket = self._postings[name] = {}
                get = bucket.get
                items = field.index(value)
                if field.scorable:
                    items = list(items)
                for tbytes, _freq, _weight, vbytes in items:
                    entry = get(tbytes)
                    if entry is None:
                        entry = bucket[tbytes] = (array("I"), bytearray(), array("I"))
                    entry[0].append(docnum)
                    entry[1].extend(vbytes)
                    entry[2].append(len(vbytes))
                if field.scorable:
                    length = sum(item[1] for item in items)
            perdoc.add_field(name, field, value if stored else None, length)
            if column is not None:
                perdoc.add_column_value(name, column, field.to_column_value(value))
        perdoc.finish_doc()
        self.docnum += 1

    def finish(self) -> Any:
        """Write postings and columns, assemble the compound file; the segment."""
        self.perdoc.close()
        writer = self.codec.field_writer(self.storage, self.segment)
        for name in sorted(self._postings):
            bucket = self._postings.pop(name)
            writer.start_field(name, self.schema[name])
            for tbytes in sorted(bucket):
                ids, data, lengths = bucket.pop(tbytes)
                values: Sequence[bytes] = ()
                if data:
                    raw = bytes(data)
                    ends = list(accumulate(lengths))
                    values = list(map(raw.__getitem__, map(slice, chain((0,), ends), ends)))
                writer.start_term(tbytes)
                writer._postwriter.add_many(ids, values)
                writer.finish_term()
            writer.finish_field()
        writer.close()
        segment = self.segment
        segment.set_doc_count(self.docnum)
        if segment.should_assemble():
            segment.create_compound_file(self.storage)
            segment.compound = True
        return segment
