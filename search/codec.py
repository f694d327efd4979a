"""A Whoosh 3 codec tuned for this index, and a bulk segment writer for rebuilds.

Measured on this machine, the stock `W3Codec` spent most of indexing in
per-posting Python: a `stat()` of a length-column file for every posting
(fields that store no lengths never get it cached), asserts and statistics in
`add_posting`, and block payloads pickled with protocol 2, which encodes every
posting value through a `_codecs.encode` call: 360 µs to load a block of 512
values against 32 µs with protocol 5. Reading was as costly: unpickling one
Python int and one bytes object per posting. `SearchCodec` keeps the Whoosh 3
file layout (term table, posting lists of blocks with the same block header)
and changes the block payload, still a pickled `(ids, weights, values)`:

* ids: the first id, then the gaps in 1, 2 or 4 bytes each (see `pack_ids`),
  decoded for a whole block by one numpy cumulative sum;
* weights: None (always 1.0);
* values: one byte string of all values (zlib), their lengths as an array,
  and for word fields the impact bytes again on their own, both raw: a query
  that needs only ids, or only impacts, never decompresses the positions,
  and never makes one Python object per posting;
* blocks of 4,096 postings, pickled with the highest protocol (fewer blocks:
  the per-block unpickling had cost as much as decoding the ids);
* `length_stats = False`: our fields keep no length columns.

`_LeafMatcher` decodes this layout for Whoosh itself (merges, deletions by
term, stored-document lookups); `search.snapshot` decodes it in bulk.

`BulkSegmentWriter` writes a whole segment from documents without Whoosh's
posting pool (which buffers one Python tuple per posting, sorts them and
spills runs to temporary files): postings are grouped per term in compact
arrays in memory and written block by block. A rebuild worker uses one per
`SEGMENT_DOCS` documents, so memory stays bounded (about 1.2 GB).
"""

from __future__ import annotations

import pickle
import zlib
from array import array
from collections.abc import Iterable, Sequence
from itertools import accumulate, chain
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import W3Codec, W3LeafMatcher, W3PostingsWriter
from whoosh.filedb import compound as whoosh_compound
from whoosh.filedb.structfile import BufferFile
from whoosh.util.numeric import length_to_byte

BLOCK = 4096
# Documents per segment written by a rebuild worker (bounds its memory).
SEGMENT_DOCS = 60_000
_PROTOCOL = pickle.HIGHEST_PROTOCOL


# The terms of these fields, one per line, are kept in a segment file (by
# extension): the substring search scans them (see search.engine), and reading
# them back from the term table took seconds at 100,000 documents.
TERM_LISTS = {("title", "body"): ".words", ("shingles",): ".shingles"}


def word_list(words: Iterable[str]) -> str:
    """Words one per line, with a line break before the first and after the last."""
    return "\n" + "\n".join(words) + "\n"


# Fields whose terms only speed queries up, and need not be written when
# they are in fewer documents of a segment than this (see search.engine: a
# rare string is cheap to check by positions; most shingles are rare).
RARE_TERMS_DROPPED = {"shingles": 8}


class Packed:
    """Posting values of a block packed as one byte string plus their lengths."""

    __slots__ = ("blob", "lengths")

    def __init__(self, blob: bytes, lengths: array[int]) -> None:
        self.blob = blob
        self.lengths = lengths


_GAP_TYPES = {1: np.uint8, 2: np.uint16, 4: np.uint32}


def pack_ids(ids: Sequence[int] | array[int]) -> bytes:
    """Ascending ids: a width byte, the first id, then the gaps between ids in 1, 2 or 4
    bytes each (the fewest the largest gap fits in). Decoding is one numpy cumulative
    sum; zlib decompression of the ids had been a third of query time."""
    values = np.asarray(ids, dtype=np.uint32)
    gaps = np.diff(values)
    largest = int(gaps.max()) if len(gaps) else 0
    width = 1 if largest < 0x100 else 2 if largest < 0x10000 else 4
    return bytes((width,)) + values[:1].tobytes() + gaps.astype(_GAP_TYPES[width]).tobytes()


def decode_ids(data: bytes) -> np.ndarray:
    """The inverse of `pack_ids`, as a numpy array."""
    gaps = np.frombuffer(data, dtype=_GAP_TYPES[data[0]], offset=5)
    ids = np.empty(len(gaps) + 1, dtype=np.uint32)
    ids[0] = np.frombuffer(data, dtype=np.uint32, count=1, offset=1)[0]
    np.cumsum(gaps, dtype=np.uint32, out=ids[1:])
    ids[1:] += ids[0]
    return ids


def unpack_ids(data: bytes) -> array[int]:
    """The inverse of `pack_ids`, as an `array("I")`."""
    return array("I", decode_ids(data).tobytes())


def pack_values(blob: bytes, lengths: array[int], impacts: bool) -> tuple[bytes, str, bytes, bytes]:
    """(blob, length typecode, lengths, impact bytes): only the blob (the positions) is
    compressed, so a reader takes the lengths or the impacts without decompressing."""
    code = "B" if max(lengths, default=0) < 256 else "I"
    packed_lengths = array(code, lengths).tobytes()
    levels = b""
    if impacts and blob:
        starts = array("Q", accumulate(chain((0,), lengths)))
        levels = bytes(map(blob.__getitem__, starts[:-1]))
    return (zlib.compress(blob, 1), code, packed_lengths, levels)


def decode_lengths(packed: tuple[bytes, str, bytes, bytes]) -> np.ndarray:
    """The value lengths of a block written by `pack_values`, as a numpy array."""
    return np.frombuffer(packed[2], dtype=np.uint8 if packed[1] == "B" else np.uint32)


def unpack_lengths(packed: tuple[bytes, str, bytes, bytes]) -> array[int]:
    """The value lengths of a block written by `pack_values`."""
    return array("I", array(packed[1], packed[2]))


class _PostingsWriter(W3PostingsWriter):
    """W3 posting blocks in the compact layout (see the module docstring)."""

    def add_posting(
        self, id_: int, weight: float, vbytes: bytes, length: int | None = None
    ) -> None:
        if len(self._ids) >= self._blocklimit:
            self._write_block()
        self._ids.append(id_)
        self._weights.append(weight)
        if weight > self._maxweight:
            self._maxweight = weight
        self._values.append(vbytes or b"")

    def add_many(self, ids: array[int], data: bytes, lengths: array[int]) -> None:
        """Add a whole posting list (ascending ids, weights 1.0) block by block."""
        limit = self._blocklimit
        ends = [0, *accumulate(lengths)] if data else []
        for start in range(0, len(ids), limit):
            if self._ids:
                self._write_block()
            stop = min(start + limit, len(ids))
            self._ids = ids[start:stop]
            self._weights = array("f", [1.0]) * (stop - start)
            self._maxweight = 1.0
            if data:
                self._values = Packed(data[ends[start] : ends[stop]], lengths[start:stop])
            else:
                self._values = []

    def _packed_values(self) -> tuple[bytes, str, bytes, bytes] | None:
        values = self._values
        if self._format.fixed_value_size() == 0:
            return None
        impacts = bool(getattr(self._format, "impacts", False))
        if isinstance(values, Packed):
            return pack_values(values.blob, values.lengths, impacts)
        if not any(values):
            return None
        return pack_values(b"".join(values), array("I", map(len, values)), impacts)

    def _write_block(self, last: bool = False) -> None:
        postfile = self._postfile
        if not self._blockcount:
            postfile.write(b"W3Bl")
        self._terminfo.add_block(self)
        weights = self._weights
        mini_weights = None if weights.count(1.0) == len(weights) else tuple(weights)
        # The parts are compressed one by one (see pack_values), not the whole block.
        data = pickle.dumps((pack_ids(self._ids), mini_weights, self._packed_values()), _PROTOCOL)
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

    def _new_block(self) -> None:
        super()._new_block()
        self._values = []


class _LeafMatcher(W3LeafMatcher):
    """Whoosh's matcher over the compact block layout (used by Whoosh's own merges)."""

    def _read_ids(self) -> None:
        if self._data is None:
            self._read_data()
        ids = self._data[0]
        if isinstance(ids, bytes):
            self._ids = tuple(unpack_ids(ids))
        else:
            super()._read_ids()

    def _read_values(self) -> None:
        if self._data is None:
            self._read_data()
        packed = self._data[2]
        if isinstance(self._data[0], bytes) and self._fixedsize != 0:
            if packed is None:
                self._values = (b"",) * self._blocklength
            else:
                blob = zlib.decompress(packed[0])
                ends = list(accumulate(unpack_lengths(packed)))
                self._values = tuple(map(blob.__getitem__, map(slice, [0, *ends[:-1]], ends)))
        else:
            super()._read_values()


class _ViewReader:
    """Just enough of a read-only binary file over a memoryview, without copying it."""

    def __init__(self, view: Any) -> None:
        self._view = view
        self._pos = 0

    def read(self, size: int | None = -1) -> bytes:
        start = self._pos
        end = len(self._view) if size is None or size < 0 else min(len(self._view), start + size)
        self._pos = end
        return bytes(self._view[start:end])

    def readinto(self, target: Any) -> int:
        data = self.read(len(target))
        target[: len(data)] = data
        return len(data)

    def readline(self, size: int | None = -1) -> bytes:
        view, start = self._view, self._pos
        limit = len(view) if size is None or size < 0 else min(len(view), start + size)
        end = start
        while end < limit:
            chunk = bytes(view[end : min(limit, end + 4096)])
            found = chunk.find(b"\n")
            if found >= 0:
                end += found + 1
                break
            end += len(chunk)
        self._pos = end
        return bytes(view[start:end])

    def __iter__(self) -> Any:
        while line := self.readline():
            yield line

    def seek(self, offset: int, whence: int = 0) -> int:
        base = {0: 0, 1: self._pos, 2: len(self._view)}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        self._view = memoryview(b"")


class _BufferFile(BufferFile):
    """Whoosh's `BufferFile` without the copy: it wraps the mmap in `io.BytesIO`,
    which copies the memoryview, so opening a 100,000-document index read its
    whole compound files into memory (1.3 GB, 0.7 s) in every process, on
    every refresh."""

    def __init__(self, buf: Any, name: str | None = None, onclose: Any = None) -> None:
        self._buf = buf
        self._name = name
        self.file = _ViewReader(buf)
        self.onclose = onclose
        self.is_real = False
        self.is_closed = False


whoosh_compound.BufferFile = _BufferFile  # type: ignore[misc]


class SearchCodec(W3Codec):
    """W3 layout; faster writing (see the module docstring)."""

    length_stats = False

    def __init__(self, blocklimit: int = BLOCK, compression: int = 3, inlinelimit: int = 1):
        super().__init__(blocklimit=blocklimit, compression=compression, inlinelimit=inlinelimit)

    def postings_reader(
        self, dbfile: Any, terminfo: Any, format_: Any, term: Any = None, scorer: Any = None
    ) -> Any:
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)
        offset, length = terminfo.extent()
        return _LeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)

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
        self._postings: dict[str, dict[bytes, tuple[Any, Any, Any]]] = {}
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
                if field.format.fixed_value_size() == 0:
                    for tbytes, _freq, _weight, _vbytes in items:
                        entry = get(tbytes)
                        if entry is None:
                            entry = bucket[tbytes] = (array("I"), None, None)
                        entry[0].append(docnum)
                else:
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
        for fields, ext in TERM_LISTS.items():
            words: set[bytes] = set()
            for name in fields:
                rare = RARE_TERMS_DROPPED.get(name, 0)
                bucket = self._postings.get(name, {})
                words.update(t for t, entry in bucket.items() if len(entry[0]) >= rare)
            handle = self.segment.create_file(self.storage, ext)
            handle.write(word_list(sorted(w.decode("utf-8") for w in words)).encode("utf-8"))
            handle.close()
        writer = self.codec.field_writer(self.storage, self.segment)
        for name in sorted(self._postings):
            bucket = self._postings.pop(name)
            writer.start_field(name, self.schema[name])
            rare = RARE_TERMS_DROPPED.get(name, 0)
            for tbytes in sorted(bucket):
                ids, data, lengths = bucket.pop(tbytes)
                if len(ids) < rare:
                    continue
                writer.start_term(tbytes)
                if data is None:
                    writer._postwriter.add_many(ids, b"", array("I"))
                else:
                    writer._postwriter.add_many(ids, bytes(data), lengths)
                writer.finish_term()
            writer.finish_field()
        writer.close()
        segment = self.segment
        segment.set_doc_count(self.docnum)
        if segment.should_assemble():
            segment.create_compound_file(self.storage)
            segment.compound = True
        return segment
