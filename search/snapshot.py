"""One consistent view of an index for queries, built to keep Python loops out of search.

A `Snapshot` wraps a Whoosh reader (one or several segments) and holds, per
document number, the type, department, year and publish time as compact
arrays, read from the columns in bulk. Filters, facets and date sorting then
run as set operations and `map`/`Counter` over those arrays, in C.

Posting lists are read block by block straight from the postings file (the
Whoosh 3 block layout: length, pickled block info, zlib-compressed pickled
ids/weights/values) instead of through Whoosh matchers, which step one posting
at a time in Python. Decoded lists are kept in a small LRU cache while the
snapshot lives, so a term shared by several queries is read once.
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
from datetime import UTC, datetime
from functools import partial
from itertools import accumulate, chain, compress, repeat
from operator import add, itemgetter, lshift
from typing import Any

from whoosh.reading import IndexReader, TermNotFound

from .schema import META_ID, NO_DATE

_INT = struct.Struct("!i")
_LITTLE = sys.byteorder == "little"
# Year boundaries (UTC) for mapping timestamps to years with bisect, in C.
_FIRST_YEAR = 1950
_YEAR_STARTS = [
    int(datetime(year, 1, 1, tzinfo=UTC).timestamp()) for year in range(_FIRST_YEAR, 2201)
]


_first_byte = itemgetter(0)


class Postings:
    """Document numbers (global, ascending) and raw posting values of one term.

    `levels` (per posting, one byte) is computed on first use and kept: the
    impact byte of a word posting, or the length of a bigram posting's value
    (capped at 255), which grows with the bigram's frequency in the document.
    """

    __slots__ = ("ids", "values", "_levels", "_histogram")

    def __init__(self, ids: array[int], values: tuple[bytes, ...]) -> None:
        self.ids = ids
        self.values = values
        self._levels: bytes | None = None
        self._histogram: list[int] | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def levels(self, by_length: bool) -> bytes:
        """One byte per posting: impact, or value length for bigram postings."""
        found = self._levels
        if found is None:
            if by_length:
                found = bytes(map(min, map(len, self.values), repeat(255)))
            else:
                found = bytes(map(_first_byte, self.values))
            self._levels = found
        return found

    def histogram(self, by_length: bool) -> list[int]:
        """How many postings have each level (0..255)."""
        found = self._histogram
        if found is None:
            counts = Counter(self.levels(by_length))
            found = [counts.get(level, 0) for level in range(256)]
            self._histogram = found
        return found


EMPTY = Postings(array("I"), ())


def _read_blocks(buf: bytes) -> tuple[array[int], tuple[bytes, ...]]:
    """Decode a Whoosh 3 posting list held in `buf` (starting at its magic)."""
    if buf[:4] != b"W3Bl":
        raise ValueError("not a Whoosh 3 posting list")
    ids = array("I")
    values: list[tuple[bytes, ...]] = []
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
        block_ids, _weights, block_values = pickle.loads(data)  # noqa: S301
        ids.extend(accumulate(block_ids))
        if block_values:
            values.append(block_values)
        pos = end
        if last:
            break
    if not values:
        return ids, ()
    if len(values) == 1:
        return ids, values[0]
    return ids, tuple(chain.from_iterable(values))


def _segment_postings(reader: Any, field: str, term: bytes) -> tuple[array[int], tuple[bytes, ...]]:
    """All postings of `term` in one segment, deleted documents included."""
    terms = reader._terms
    try:
        info = terms.term_info(field, term)
    except (TermNotFound, KeyError):
        return array("I"), ()
    if info.is_inlined():
        ids, _weights, values = info.inlined_postings()
        return array("I", ids), tuple(values)
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
_SEGMENT_CACHE_SIZE = 256


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
    words: set[bytes] = set()
    for field in fields:
        if field in reader.schema:
            words.update(reader.lexicon(field))
    return "\n" + "\n".join(sorted(w.decode("utf-8") for w in words)) + "\n"


def _spelling(reader: Any) -> Counter[str]:
    counts: Counter[str] = Counter()
    for word, info in reader.iter_field("spell"):
        text = word.decode("utf-8") if isinstance(word, bytes) else word
        counts[text] += info.doc_frequency()
    return counts


def _doc_id_list(reader: Any) -> list[str]:
    column = reader.column_reader("doc_id", translate=False)
    return [value.decode("utf-8") for value in column]


class Snapshot:
    """A reader plus per-document arrays and a postings cache; immutable once built."""

    def __init__(self, reader: IndexReader, location: str, cache_postings: int = 2_000_000):
        self.reader = reader
        self.location = location
        self.leaves: list[tuple[Any, int]] = list(reader.leaf_readers())
        self.doc_count_all = reader.doc_count_all()
        self.type_names: list[str] = [""]
        self.dept_names: list[str] = [""]
        type_index = {"": 0}
        dept_index = {"": 0}
        self.type_code = bytearray()
        self.dept_code = array("H")
        self.published = array("q")
        self.years = array("H")
        for sub, _offset in self.leaves:
            seg = _segment_arrays(location, sub)
            tmap = [type_index.setdefault(n, len(type_index)) for n in seg.doc_types]
            dmap = [dept_index.setdefault(n, len(dept_index)) for n in seg.departments]
            self.type_code.extend(map(tmap.__getitem__, seg.type_refs))
            self.dept_code.extend(map(dmap.__getitem__, seg.dept_refs))
            self.published.extend(seg.published)
            self.years.extend(seg.years)
        self.type_names = sorted(type_index, key=type_index.__getitem__)
        self.dept_names = sorted(dept_index, key=dept_index.__getitem__)
        if len(self.type_names) > 255:
            raise ValueError("more than 255 document types")
        # Facets count type and year together: type code << 12 | year.
        self.type_year = array("I", map(add, map(lshift, self.type_code, repeat(12)), self.years))
        # Sorting keys: newest first, then the later document number.
        clamped = list(map(max, self.published, repeat(0)))
        self.date_key: list[int] = list(
            map(int.__add__, map((1 << 22).__mul__, clamped), range(self.doc_count_all))
        )
        low = min(clamped, default=0)
        span = max(1, max(clamped, default=0) - low)
        # Added to relevance scores: enough to order ties by date, too small for anything else.
        scale = 1e-7 / span
        self.recency = array("d", map(scale.__mul__, map((-low).__add__, clamped)))
        deleted: set[int] = set()
        for sub, offset in self.leaves:
            if sub.has_deletions():
                deleted.update(offset + d for d in sub.deleted_docs_set)
        # Real documents: a type (the meta document has none) and not deleted.
        live = set(compress(range(self.doc_count_all), self.type_code))
        live -= deleted
        self.live: frozenset[int] = frozenset(live)
        self.deleted = frozenset(deleted)
        self._cache: OrderedDict[tuple[str, str], Postings] = OrderedDict()
        self._cached = 0
        self._cache_budget = cache_postings
        self._value_sets: dict[tuple[str, int], frozenset[int]] = {}
        self._spelling: dict[int, list[tuple[str, int]]] | None = None
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
            ids, values = _segment_postings(self.leaves[0][0], field, tbytes)
        else:
            ids = array("I")
            parts: list[tuple[bytes, ...]] = []
            for sub, offset in self.leaves:
                seg_ids, seg_values = _segment_postings(sub, field, tbytes)
                if offset:
                    ids.extend(map(offset.__add__, seg_ids))
                else:
                    ids.extend(seg_ids)
                parts.append(seg_values)
            values = tuple(chain.from_iterable(parts))
        found = Postings(ids, values) if ids else EMPTY
        with self._lock:
            self._cache[key] = found
            self._cached += len(found)
            while self._cached > self._cache_budget and len(self._cache) > 1:
                _key, old = self._cache.popitem(last=False)
                self._cached -= len(old)
        return found

    def doc_frequency(self, field: str, term: str) -> int:
        """Documents containing the term (deleted ones included): cheap, from term info."""
        return int(self.reader.doc_frequency(field, term))

    def clear_cache(self) -> None:
        """Forget decoded postings (the benchmark's cold runs)."""
        with self._lock:
            self._cache.clear()
            self._cached = 0

    def vocabularies(self, *fields: str) -> list[str]:
        """Per segment, all terms of the fields, one per line between newlines."""
        key = "vocab:" + ",".join(fields)
        return [
            _segment_cached(self.location, sub, key, partial(_vocabulary, fields=fields))
            for sub, _offset in self.leaves
        ]

    # Document attributes

    def docs_with(self, attribute: str, code: int) -> frozenset[int]:
        """Live documents whose type/department/year code equals `code`."""
        key = (attribute, code)
        found = self._value_sets.get(key)
        if found is None:
            column = {"type": self.type_code, "dept": self.dept_code, "year": self.years}[attribute]
            found = frozenset(compress(range(len(column)), map(code.__eq__, column)))
            found = found & self.live
            self._value_sets[key] = found
        return found

    def year_values(self) -> set[int]:
        """Distinct years of live documents."""
        found = self._value_sets.get(("years", 0))
        if found is None:
            found = frozenset(map(self.years.__getitem__, self.live))
            self._value_sets[("years", 0)] = found
        return set(found)

    def checkpoint(self) -> int:
        """The checkpoint stored in the meta document (0 if there is none)."""
        for doc in self.postings("doc_id", META_ID).ids:
            if doc not in self.deleted:
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
        return {ids[d] for d in self.live}

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

    def spelling_words(self) -> set[str]:
        """Latin words of the index, as a set."""
        return {w for group in self.spelling_vocabulary().values() for w, _ in group}

    def close(self) -> None:
        self.reader.close()
