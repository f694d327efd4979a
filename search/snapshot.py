"""One consistent view of an index for queries, built to keep Python loops out of search.

A `Snapshot` wraps a Whoosh reader (one or several segments) and holds, per
document number, the type, department, year and publish time as numpy
arrays, read from the columns in bulk. Filters are boolean arrays, facets
`bincount`s, date sorting a partition of sort keys.

Posting lists are read block by block straight from the postings file (the
Whoosh 3 block layout: length, pickled block info, pickled ids/weights/values
as `search.codec` packs them) into numpy arrays, instead of through Whoosh
matchers, which step one posting at a time in Python. Decoded lists are kept
in a small LRU cache while the snapshot lives, so a term shared by several
queries is read once.
"""

from __future__ import annotations

import io
import pickle
import struct
import sys
import threading
import zlib
from array import array
from bisect import bisect_right
from collections import Counter, OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

import numpy as np
from whoosh.reading import IndexReader, TermNotFound

from . import analysis
from .codec import TERM_LISTS, decode_ids, decode_lengths, pack_values, word_list
from .schema import META_ID, NO_DATE
from .spelling import HanziVocabulary, HanziWords, is_hanzi

_INT = struct.Struct("!i")
_LITTLE = sys.byteorder == "little"
# Year boundaries (UTC) for mapping timestamps to years with bisect, in C.
_FIRST_YEAR = 1950
_YEAR_STARTS = [
    int(datetime(year, 1, 1, tzinfo=UTC).timestamp()) for year in range(_FIRST_YEAR, 2201)
]


# Memory for decoded posting lists kept between queries, per open index.
CACHE_BYTES = 128 * 1024 * 1024
# Characters of stored documents kept decoded (see `Snapshot.stored`): at most about
# 32 MB per open index (two bytes a Chinese character), some 4,000 documents the
# size of the benchmark's and 1,000 long indictments.
STORED_CHARS = 16_000_000

# Document frequencies kept per snapshot (`Snapshot.doc_frequency`), about 100 bytes each.
MAX_FREQUENCIES = 65536

# Date sort keys are publish time * 2**24 + document number.
DOC_MASK = (1 << 24) - 1


Parts = tuple[bytes, str, bytes, bytes]  # one block's values, see codec.pack_values


class Postings:
    """Document numbers (global, ascending) and the packed posting values of one term.

    Ids are decoded when read, as a numpy array over the decompressed bytes;
    values stay compressed per block until asked for, so a list used only for
    matching never decompresses its positions. `blob` is all values in one
    byte string, cut by `lengths`. `levels` (one byte per posting, kept once
    computed) is the impact byte of a word posting, or the length of a bigram
    posting's value (capped at 255), which grows with the bigram's frequency
    in the document.
    """

    __slots__ = (
        "ids",
        "_parts",
        "_blob",
        "_lengths",
        "_ends",
        "_levels",
        "_dense",
        "_partial",
        "_filled",
        "_block_starts",
    )

    def __init__(self, ids: np.ndarray, parts: list[Parts] | None = None) -> None:
        self.ids = ids
        self._parts = parts or []
        self._blob: np.ndarray | None = None
        self._lengths: np.ndarray | None = None
        self._ends: np.ndarray | None = None
        self._levels: np.ndarray | None = None
        self._dense: np.ndarray | None = None
        self._partial: np.ndarray | None = None
        self._filled: np.ndarray | None = None
        self._block_starts: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def nbytes(self) -> int:
        """Memory held: ids, packed values, and whatever has been decoded from them."""
        total = self.ids.nbytes + sum(
            len(part[0]) + len(part[2]) + len(part[3]) for part in self._parts
        )
        decoded = (self._blob, self._lengths, self._ends, self._levels, self._dense, self._partial)
        for array_ in decoded:
            if array_ is not None:
                total += array_.nbytes
        return total

    @property
    def blob(self) -> np.ndarray:
        """All values, one byte each."""
        found = self._blob
        if found is None:
            data = b"".join(zlib.decompress(p[0]) for p in self._parts)
            found = self._blob = np.frombuffer(data, dtype=np.uint8)
        return found

    def blob_covering(self, chosen: np.ndarray) -> np.ndarray:
        """`blob` with at least the blocks holding the postings at indexes `chosen`
        decompressed; the bytes of other blocks are undefined.

        A position check of a few candidates against a long list (某某 is in
        most documents) then decompresses a few blocks, not the whole list.
        Blocks are decompressed into one buffer at their final offsets, so
        offsets from `ends()` hold, and kept for later checks.
        """
        if self._blob is not None or len(self._parts) < 4:
            return self.blob
        starts = self._block_starts
        if starts is None:
            counts = [len(decode_lengths(part)) for part in self._parts]
            starts = self._block_starts = np.cumsum([0, *counts], dtype=np.int64)
        needed = np.unique(np.searchsorted(starts, chosen, side="right") - 1)
        if len(needed) * 2 > len(self._parts):
            self._partial = self._filled = None
            return self.blob
        ends = self.ends()
        if self._partial is None or self._filled is None:
            self._partial = np.empty(int(ends[-1]), dtype=np.uint8)
            self._filled = np.zeros(len(self._parts), dtype=bool)
        for block in needed[~self._filled[needed]].tolist():
            first = int(starts[block])
            offset = int(ends[first - 1]) if first else 0
            data = np.frombuffer(zlib.decompress(self._parts[block][0]), dtype=np.uint8)
            self._partial[offset : offset + len(data)] = data
            self._filled[block] = True
        return self._partial

    @property
    def lengths(self) -> np.ndarray:
        found = self._lengths
        if found is None:
            parts = [decode_lengths(p) for p in self._parts]
            found = np.concatenate(parts, dtype=np.uint32) if parts else np.zeros(0, np.uint32)
            self._lengths = found
        return found

    def ends(self) -> np.ndarray:
        """Offset in `blob` just after each value."""
        found = self._ends
        if found is None:
            found = self._ends = np.cumsum(self.lengths, dtype=np.int64)
        return found

    def levels(self, by_length: bool) -> np.ndarray:
        """One byte per posting: impact, or value length for bigram postings."""
        found = self._levels
        if found is None:
            if by_length:
                found = np.minimum(self.lengths, 255).astype(np.uint8)
            elif not len(self.ids):
                found = np.zeros(0, dtype=np.uint8)
            elif all(part[3] for part in self._parts):
                found = np.frombuffer(b"".join(part[3] for part in self._parts), dtype=np.uint8)
            else:
                found = self.blob[self.ends() - self.lengths]
            self._levels = found
        return found

    def dense(self, by_length: bool, size: int) -> np.ndarray:
        """The level of every document number (0 where the term is absent): one byte per
        document, so scoring any set of documents is one gather."""
        found = self._dense
        if found is None:
            found = np.zeros(size, dtype=np.uint8)
            found[self.ids] = self.levels(by_length)
            self._dense = found
        return found

    def mask(self, size: int) -> np.ndarray:
        """The documents of the list as a boolean array over all document numbers."""
        found = np.zeros(size, dtype=bool)
        found[self.ids] = True
        return found


EMPTY = Postings(np.zeros(0, dtype=np.uint32))


def _read_blocks(buf: bytes) -> tuple[np.ndarray, list[Parts]]:
    """Decode the ids of a posting list held in `buf` (from its magic); keep the values packed."""
    if buf[:4] != b"W3Bl":
        raise ValueError("not a Whoosh 3 posting list")
    chunks: list[np.ndarray] = []
    parts: list[Parts] = []
    pos = 4
    stream = io.BytesIO(buf)
    while True:
        (length,) = _INT.unpack_from(buf, pos)
        last = length < 0
        end = pos + 4 + abs(length)
        stream.seek(pos + 4)
        info = pickle.load(stream)  # noqa: S301 - our own index files
        data = buf[stream.tell() : end]
        if info[3]:
            data = zlib.decompress(data)
        block_ids, _weights, values = pickle.loads(data)  # noqa: S301
        if isinstance(block_ids, bytes):
            chunks.append(decode_ids(block_ids))
            if values is not None:
                parts.append(values)
        else:  # the stock Whoosh 3 layout
            chunks.append(np.cumsum(block_ids, dtype=np.uint32))
            if values and not isinstance(values, bytes):
                parts.append(pack_values(b"".join(values), array("I", map(len, values)), False))
        pos = end
        if last:
            break
    return (chunks[0] if len(chunks) == 1 else np.concatenate(chunks)), parts


def _segment_postings(reader: Any, field: str, term: bytes) -> tuple[np.ndarray, list[Parts]]:
    """All postings of `term` in one segment, deleted documents included."""
    terms = reader._terms
    try:
        info = terms.term_info(field, term)
    except (TermNotFound, KeyError):
        return EMPTY.ids, []
    if info.is_inlined():
        ids, _weights, values = info.inlined_postings()
        values = [v or b"" for v in values]
        parts = [pack_values(b"".join(values), array("I", map(len, values)), False)]
        return np.array(ids, dtype=np.uint32), parts if any(values) else []
    offset, length = info.extent()
    if isinstance(length, tuple):  # whoosh3's W3TermInfo.from_bytes leaves it unpacked
        length = length[0]
    return _read_blocks(terms._postfile.get(offset, length))


def _fast_column(column: Any, doccount: int, default: int) -> array[int] | None:
    """A fixed-size numeric or reference column read in one slice, or None."""
    try:
        dbfile = column._dbfile
        basepos = column._basepos
        typecode = column._typecode
    except AttributeError:
        return None
    size = array(typecode).itemsize
    count = min(doccount, getattr(column, "_count", doccount))
    values = array(typecode, dbfile.get(basepos, count * size))
    if _LITTLE:
        values.byteswap()
    if count < doccount:
        values.extend([default] * (doccount - count))
    return values


class _SegmentArrays:
    """Per-segment document attributes; segments never change, so this is cached."""

    __slots__ = ("doc_types", "type_refs", "departments", "dept_refs", "published", "years")

    def __init__(self, reader: Any) -> None:
        n = reader.doc_count_all()
        self.doc_types, self.type_refs = self._refs(reader, "doc_type", n)
        self.departments, self.dept_refs = self._refs(reader, "department", n)
        column = reader.column_reader("published", translate=False)
        published = _fast_column(column, n, NO_DATE)
        if published is None:
            published = array("q", (column[i] for i in range(n)))
        self.published = published
        # bisect gives 1 for 1950, so add 1949; the meta document's NO_DATE gives 1949.
        years = map(partial(bisect_right, _YEAR_STARTS), published)
        self.years = array("H", map((_FIRST_YEAR - 1).__add__, years))

    @staticmethod
    def _refs(reader: Any, field: str, n: int) -> tuple[list[str], array[int]]:
        column = reader.column_reader(field, translate=False)
        uniques = getattr(column, "_uniques", None)
        refs = _fast_column(column, n, 0) if uniques is not None else None
        if uniques is None or refs is None:
            names: list[str] = []
            index: dict[str, int] = {}
            values = array("H")
            for i in range(n):
                name = (column[i] or b"").decode("utf-8")
                if name not in index:
                    index[name] = len(names)
                    names.append(name)
                values.append(index[name])
            return names, values
        return [(u or b"").decode("utf-8") for u in uniques], refs


_SEGMENT_CACHE: OrderedDict[tuple[str, str, str], Any] = OrderedDict()
_SEGMENT_CACHE_LOCK = threading.Lock()
_SEGMENT_CACHE_SIZE = 128


def _segment_cached(location: str, reader: Any, kind: str, make: Callable[[Any], Any]) -> Any:
    """`make(reader)`, kept per segment: segments never change once written.

    A refresh after a small write then only reads the new small segment.
    """
    key = (location, reader.segment().segment_id(), kind)
    with _SEGMENT_CACHE_LOCK:
        found = _SEGMENT_CACHE.get(key)
        if found is not None:
            _SEGMENT_CACHE.move_to_end(key)
            return found
    found = make(reader)
    with _SEGMENT_CACHE_LOCK:
        _SEGMENT_CACHE[key] = found
        while len(_SEGMENT_CACHE) > _SEGMENT_CACHE_SIZE:
            _SEGMENT_CACHE.popitem(last=False)
    return found


def _segment_arrays(location: str, reader: Any) -> _SegmentArrays:
    return _segment_cached(location, reader, "arrays", _SegmentArrays)


def _vocabulary(reader: Any, fields: Sequence[str]) -> str:
    ext = TERM_LISTS.get(tuple(fields))
    if ext is not None:
        segment = reader.segment()
        name = segment.make_filename(ext)
        storage = reader.storage()
        if storage.file_exists(name):  # written by a rebuild worker
            handle = storage.open_file(name)
            try:
                return handle.read().decode("utf-8")
            finally:
                handle.close()
    words: set[bytes] = set()
    for field in fields:
        if field in reader.schema:
            words.update(reader.lexicon(field))
    return word_list(sorted(w.decode("utf-8") for w in words))


# A vocabulary longer than this (the shingles: a million characters at 100,000
# documents, 0.15 s to index) gets its `WordIndex` in a background thread and is
# scanned meanwhile; shorter ones (title and body words: 20 ms) are indexed at once.
WORD_INDEX_CHARS = 400_000


class WordIndex:
    """The words of a vocabulary (one per line) by the character pairs they contain.

    Finding the words that contain a string (`Engine._containing`) then reads
    the words sharing its rarest pair instead of scanning the whole list:
    about 7 microseconds instead of 120 for the title and body words of a
    segment, 100 instead of 1,300 for its shingles. Every (pair, line) is one
    sorted key `pair << bits | line`, so the lines of a pair are one slice, in
    vocabulary order.
    """

    __slots__ = ("words", "pairs", "starts", "lines")

    def __init__(self, vocabulary: str) -> None:
        self.words = vocabulary.split("\n")
        codes = np.frombuffer(vocabulary.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        newline = codes == 10
        line = np.cumsum(newline) - newline
        inside = ~(newline[:-1] | newline[1:])
        pairs = ((codes[:-1] << 21) | codes[1:])[inside]  # code points have 21 bits
        bits = max(1, len(self.words).bit_length())
        # Sorted and deduplicated by hand: `np.unique` hashes int64 keys, 20 times slower.
        keys = np.sort((pairs << bits) | line[:-1][inside])
        keys = keys[_run_starts(keys)]
        first = _run_starts(keys >> bits)
        self.pairs = (keys >> bits)[first]
        self.starts = np.append(first, len(keys))
        self.lines = (keys & ((1 << bits) - 1)).astype(np.int32)

    def containing(self, text: str) -> list[str]:
        """The words containing `text` (two characters or more), in vocabulary order."""
        codes = [ord(c) for c in text]
        pairs = [(codes[i] << 21) | codes[i + 1] for i in range(len(codes) - 1)]
        wanted = np.array(pairs, dtype=np.int64)
        if not len(self.pairs):
            return []
        at = np.minimum(np.searchsorted(self.pairs, wanted), len(self.pairs) - 1)
        if not (self.pairs[at] == wanted).all():
            return []
        rarest = int(at[np.argmin(self.starts[at + 1] - self.starts[at])])
        words = self.words
        lines = self.lines[self.starts[rarest] : self.starts[rarest + 1]].tolist()
        return [words[n] for n in lines if text in words[n]]


def _run_starts(values: np.ndarray) -> np.ndarray:
    """Where each run of equal values of a sorted array starts."""
    change = np.empty(len(values), dtype=bool)
    change[:1] = True
    np.not_equal(values[1:], values[:-1], out=change[1:])
    return np.flatnonzero(change)


_INDEXING: set[tuple[str, str, str]] = set()
_LINE_BITS = 21  # a key holds two 21-bit code points and a line number of this many bits


def _word_index(location: str, reader: Any, kind: str, vocabulary: str) -> WordIndex | None:
    """The segment's `WordIndex` of `vocabulary`; None while a long one is being built."""
    # More lines than a key holds: scan. Counting them only when there could be that
    # many keeps a million-character list from being read on every query.
    if len(vocabulary) >> _LINE_BITS and vocabulary.count("\n") >> _LINE_BITS:
        return None
    build = partial(_index_words, vocabulary)
    if len(vocabulary) <= WORD_INDEX_CHARS:
        return _segment_cached(location, reader, kind, build)
    key = (location, reader.segment().segment_id(), kind)
    with _SEGMENT_CACHE_LOCK:
        found = _SEGMENT_CACHE.get(key)
        if found is not None or key in _INDEXING:
            return found
        _INDEXING.add(key)

    def index() -> None:
        try:
            _segment_cached(location, reader, kind, build)
        finally:
            with _SEGMENT_CACHE_LOCK:
                _INDEXING.discard(key)

    threading.Thread(target=index, name="word-index", daemon=True).start()
    return None


def _index_words(vocabulary: str, _reader: Any) -> WordIndex:
    return WordIndex(vocabulary)


def _spelling(reader: Any) -> Counter[str]:
    counts: Counter[str] = Counter()
    for word, info in reader.iter_field("spell"):
        text = word.decode("utf-8") if isinstance(word, bytes) else word
        counts[text] += info.doc_frequency()
    return counts


def _hanzi_words(reader: Any) -> HanziWords:
    """Ideograph words and frequent word runs of one segment, with document frequencies."""
    counts: Counter[str] = Counter()
    for field in ("title", "body", "shingles"):
        if field not in reader.schema:
            continue
        for word, info in reader.iter_field(field):
            text = word.decode("utf-8") if isinstance(word, bytes) else word
            if len(text) <= 8 and is_hanzi(text):
                counts[text] = max(counts[text], info.doc_frequency())
    return HanziWords(counts)


def _doc_id_list(reader: Any) -> list[str]:
    column = reader.column_reader("doc_id", translate=False)
    return [value.decode("utf-8") for value in column]


@dataclass(frozen=True)
class StoredDocument:
    """A document's stored fields, and its title and body as `analysis.normalize` gives
    them (what highlighting searches in)."""

    fields: dict[str, Any]
    title: str
    body: str

    @property
    def chars(self) -> int:
        """Characters held (a normalised text that is its original is counted once)."""
        held = [self.fields.get("title", ""), self.fields.get("body", ""), self.title, self.body]
        return sum(len(text) for text in {id(text): text for text in held}.values())


def _same_or(text: str) -> str:
    """`text` normalised, or `text` itself when that changes nothing (most Chinese
    text): the cached document then holds one copy."""
    normalized = analysis.normalize(text)
    return text if normalized == text else normalized


class Snapshot:
    """A reader plus per-document arrays and a postings cache; immutable once built.

    Sets of documents are boolean numpy arrays over all document numbers
    (`doc_count_all`, deleted and meta documents included): at 100,000
    documents an intersection is a 100 KB `&`, and a posting list becomes such
    a mask with one scatter.
    """

    def __init__(self, reader: IndexReader, location: str, cache_bytes: int = CACHE_BYTES):
        self.reader = reader
        self.location = location
        self.leaves: list[tuple[Any, int]] = list(reader.leaf_readers())
        self.doc_count_all = size = reader.doc_count_all()
        if size > DOC_MASK:
            raise ValueError("too many documents for the date sort key")
        type_index = {"": 0}
        dept_index = {"": 0}
        type_code: list[np.ndarray] = []
        dept_code: list[np.ndarray] = []
        published: list[np.ndarray] = []
        years: list[np.ndarray] = []
        for sub, _offset in self.leaves:
            seg = _segment_arrays(location, sub)
            tmap = [type_index.setdefault(n, len(type_index)) for n in seg.doc_types]
            dmap = [dept_index.setdefault(n, len(dept_index)) for n in seg.departments]
            type_code.append(np.array(tmap, dtype=np.int64)[np.asarray(seg.type_refs)])
            dept_code.append(np.array(dmap, dtype=np.int64)[np.asarray(seg.dept_refs)])
            published.append(np.asarray(seg.published, dtype=np.int64))
            years.append(np.asarray(seg.years, dtype=np.int64))
        self.type_names = sorted(type_index, key=type_index.__getitem__)
        self.dept_names = sorted(dept_index, key=dept_index.__getitem__)
        if len(self.type_names) > 255:
            raise ValueError("more than 255 document types")

        def joined(arrays: list[np.ndarray], dtype: Any) -> np.ndarray:
            return np.concatenate(arrays).astype(dtype) if arrays else np.zeros(0, dtype)

        self.type_code = joined(type_code, np.uint8)
        self.dept_code = joined(dept_code, np.uint16)
        self.years = joined(years, np.uint16)
        # Facets count type and year together: one code per (type, year) pair.
        self.year_list = np.unique(self.years)
        self.facet_code = self.type_code.astype(np.int64) * len(self.year_list) + np.searchsorted(
            self.year_list, self.years
        )
        # Sorting keys: newest first, then the later document number.
        clamped = np.maximum(joined(published, np.int64), 0)
        self.date_key = clamped * (DOC_MASK + 1) + np.arange(size, dtype=np.int64)
        low = int(clamped.min()) if size else 0
        span = max(1, (int(clamped.max()) if size else 0) - low)
        # Added to relevance scores: enough to order ties by date, too small for anything else.
        self.recency = (clamped - low) * (1e-7 / span)
        deleted = np.zeros(size, dtype=bool)
        for sub, offset in self.leaves:
            if sub.has_deletions():
                deleted[[offset + d for d in sub.deleted_docs_set]] = True
        # Real documents: a type (the meta document has none) and not deleted.
        self.live: np.ndarray = (self.type_code > 0) & ~deleted
        self.live.flags.writeable = False
        self.live_count = int(np.count_nonzero(self.live))
        self.deleted = deleted
        self._cache: OrderedDict[tuple[str, str], Postings] = OrderedDict()
        self._cached = 0
        self._cache_budget = cache_bytes
        self._inserted = 0
        self._value_masks: dict[tuple[str, int], np.ndarray] = {}
        self._stored: OrderedDict[int, StoredDocument] = OrderedDict()
        self._stored_chars = 0
        self._frequencies: dict[tuple[str, str], int] = {}
        self._spelling: dict[int, list[tuple[str, int]]] | None = None
        self._hanzi: HanziVocabulary | None = None
        self._hanzi_thread: threading.Thread | None = None
        self._hanzi_ready = threading.Event()
        self._lock = threading.Lock()

    # Postings

    def postings(self, field: str, term: str) -> Postings:
        """All postings of a term across segments (deleted documents included)."""
        key = (field, term)
        with self._lock:
            found = self._cache.get(key)
            if found is not None:
                self._cache.move_to_end(key)
                return found
        tbytes = term.encode("utf-8")
        if len(self.leaves) == 1:
            ids, parts = _segment_postings(self.leaves[0][0], field, tbytes)
        else:
            pieces = []
            parts = []
            for sub, offset in self.leaves:
                seg_ids, seg_parts = _segment_postings(sub, field, tbytes)
                pieces.append(seg_ids + np.uint32(offset) if offset else seg_ids)
                parts.extend(seg_parts)
            ids = np.concatenate(pieces)
        found = Postings(ids, parts) if len(ids) else EMPTY
        with self._lock:
            self._cache[key] = found
            self._inserted += 1
            if self._inserted % 512 == 0:
                # Lists grow as they are decoded (positions, dense levels): recount.
                self._cached = sum(p.nbytes() for p in self._cache.values())
            else:
                self._cached += found.nbytes()
            while self._cached > self._cache_budget and len(self._cache) > 1:
                _key, old = self._cache.popitem(last=False)
                self._cached -= old.nbytes()
        return found

    def doc_frequency(self, field: str, term: str) -> int:
        """Documents containing the term (deleted ones included), from term info.

        Kept per snapshot: a query asks for the same words' frequencies several
        times (to order its clauses, weigh them, score them), and each answer is
        a hash lookup in every segment's term file."""
        key = (field, term)
        found = self._frequencies.get(key)
        if found is None:
            if len(self._frequencies) >= MAX_FREQUENCIES:
                self._frequencies.clear()
            found = self._frequencies[key] = int(self.reader.doc_frequency(field, term))
        return found

    def clear_cache(self) -> None:
        """Forget decoded postings and documents (the benchmark's cold runs)."""
        with self._lock:
            self._cache.clear()
            self._cached = 0
            self._stored.clear()
            self._stored_chars = 0

    def stored(self, doc: int) -> StoredDocument:
        """A document's stored fields, with its title and body normalised for highlighting.

        The most recently used are kept, up to `STORED_CHARS`: reading one from
        Whoosh (a column lookup, zlib, unpickling) and normalising its body cost
        about 50 µs, a results page needs ten, and the documents that rank well
        for one query often do for the next (six in ten, over the benchmark's
        unique queries)."""
        with self._lock:
            found = self._stored.get(doc)
            if found is not None:
                self._stored.move_to_end(doc)
                return found
        fields = self.reader.stored_fields(doc)
        title, body = fields.get("title", ""), fields.get("body", "")
        found = StoredDocument(fields, _same_or(title), _same_or(body))
        with self._lock:
            if doc not in self._stored:
                self._stored[doc] = found
                self._stored_chars += found.chars
            while self._stored_chars > STORED_CHARS and len(self._stored) > 1:
                _doc, old = self._stored.popitem(last=False)
                self._stored_chars -= old.chars
        return found

    def vocabularies(self, *fields: str) -> list[str]:
        """Per segment, all terms of the fields, one per line between newlines."""
        key = "vocab:" + ",".join(fields)
        return [
            _segment_cached(self.location, sub, key, partial(_vocabulary, fields=fields))
            for sub, _offset in self.leaves
        ]

    def word_indexes(self, *fields: str) -> list[WordIndex | None]:
        """Per segment, the `WordIndex` of the fields' terms, or None while a long list's
        is being built (scan `vocabularies` there meanwhile)."""
        kind = "words:" + ",".join(fields)
        return [
            _word_index(self.location, sub, kind, vocabulary)
            for (sub, _offset), vocabulary in zip(
                self.leaves, self.vocabularies(*fields), strict=True
            )
        ]

    # Document attributes

    def docs_with(self, attribute: str, code: int) -> np.ndarray:
        """Live documents whose type/department/year code equals `code`, as a mask."""
        key = (attribute, code)
        found = self._value_masks.get(key)
        if found is None:
            column = {"type": self.type_code, "dept": self.dept_code, "year": self.years}[attribute]
            found = (column == code) & self.live
            found.flags.writeable = False
            self._value_masks[key] = found
        return found

    def checkpoint(self) -> int:
        """The checkpoint stored in the meta document (0 if there is none)."""
        for doc in self.postings("doc_id", META_ID).ids.tolist():
            if not self.deleted[doc]:
                info = self.reader.stored_fields(doc).get("info", {})
                return int(info.get("checkpoint", 0))
        return 0

    def doc_id_list(self) -> list[str]:
        """The id of every document number (deleted ones included), from the doc_id column."""
        found: list[str] = []
        for sub, _offset in self.leaves:
            found.extend(_segment_cached(self.location, sub, "doc_ids", _doc_id_list))
        return found

    def doc_ids(self) -> set[str]:
        """The ids of all live documents."""
        ids = self.doc_id_list()
        return {ids[d] for d in np.flatnonzero(self.live).tolist()}

    def spelling_vocabulary(self) -> dict[int, list[tuple[str, int]]]:
        """Latin words of the index with document frequencies, grouped by length."""
        with self._lock:
            found = self._spelling
        if found is None:
            counts: Counter[str] = Counter()
            for sub, _offset in self.leaves:
                counts.update(_segment_cached(self.location, sub, "spelling", _spelling))
            found = {}
            for word, frequency in counts.items():
                found.setdefault(len(word), []).append((word, frequency))
            with self._lock:
                self._spelling = found
        return found

    def hanzi_vocabulary(self, wait: float | None = None) -> HanziVocabulary | None:
        """Ideograph words of the index and their look-alike maps (`spelling.correct_hanzi`).

        Built in a background thread on the first query that needs them, from
        per-segment maps that are built once per segment and survive a refresh.
        Reading a large index's words takes seconds, so a query waits at most
        `wait` seconds (None: until built) and goes without a suggestion meanwhile."""
        with self._lock:
            found = self._hanzi
            start = found is None and self._hanzi_thread is None
            if start:
                self._hanzi_thread = threading.Thread(
                    target=self._build_hanzi, name="hanzi-vocabulary", daemon=True
                )
        if found is not None:
            return found
        if start:
            self._hanzi_thread.start()  # type: ignore[union-attr]
        self._hanzi_ready.wait(wait)
        with self._lock:
            return self._hanzi

    def _build_hanzi(self) -> None:
        try:
            found = HanziVocabulary(
                [
                    _segment_cached(self.location, sub, "hanzi", _hanzi_words)
                    for sub, _ in self.leaves
                ]
            )
            with self._lock:
                self._hanzi = found
        finally:
            self._hanzi_ready.set()

    def spelling_words(self) -> set[str]:
        """Latin words of the index, as a set."""
        return {w for group in self.spelling_vocabulary().values() for w, _ in group}

    def close(self) -> None:
        self.reader.close()
