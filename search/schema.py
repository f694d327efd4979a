"""Index schema: which fields exist and how postings are encoded, chosen for query speed.

Whoosh's stock `Positions` format pickles a list of position deltas per posting
and decodes it in a Python loop; with about 1,500 postings per document that
decoding dominated query time. Here a posting value is a few raw bytes:

* word fields (`title`, `body`): one impact byte (BM25 term-frequency part,
  see `analysis.bm25_impacts`), one width byte, then the token positions as a
  native `array` ("H" or "I"), decoded by `array()` in C;
* `grams`: the width byte and character offsets the same way. Title and body
  share this field (the title first, a line break between them), which halves
  the posting lists a substring query reads.

`trigrams` (every three-character CJK/digit substring), `shingles` (runs of
2-4 words), `spell` (Latin words for "did you mean"), `charge` (the charge
as one string, `analysis.charge_key`), `doc_id` and `number` record presence
only. Weights are always 1.0 so Whoosh does not store them. Columns hold what
filters, facets and date sorting need per document (type, department, publish
time), read in bulk by `search.snapshot`.

Each index holds one extra "meta" document (`META_ID`) carrying the checkpoint
and the schema version; it has no type and is never a search result.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from whoosh.columns import NumericColumn, RefBytesColumn
from whoosh.fields import COLUMN, ID, STORED, FieldType, Schema
from whoosh.formats import Existence, Format

from . import analysis
from .model import IndexDocument

SCHEMA_VERSION = 7  # 7: the charge, for ranking; 6: traditional characters folded
META_ID = "\x00meta"
# Stored in the `published` column for the meta document.
NO_DATE = -(2**62)


def encode_positions(positions: list[int]) -> bytes:
    """A width byte ("H" or "I") then the positions in native byte order."""
    if positions[-1] < 65536:
        return b"H" + array("H", positions).tobytes()
    return b"I" + array("I", positions).tobytes()


_SINGLE = [b"H" + array("H", [p]).tobytes() for p in range(8192)]


def _encode_grouped(
    first: dict[str, int], repeated: dict[str, list[int]]
) -> list[tuple[str, int, bytes]]:
    """(key, frequency, encoded positions) for grouped positions."""
    out = []
    single = _SINGLE
    limit = len(single)
    for key, pos in first.items():
        found = repeated.get(key)
        if found is None:
            out.append((key, 1, single[pos] if pos < limit else encode_positions([pos])))
        else:
            out.append((key, len(found), encode_positions(found)))
    return out


def decode_positions(value: bytes, start: int = 0) -> array[int]:
    """Positions encoded by `encode_positions`, from `value[start:]`."""
    return array(chr(value[start]), value[start + 1 :])


class PositionsArray(Format):
    """Posting values as raw position arrays, optionally preceded by an impact byte."""

    posting_size = -1
    textual = True

    def __init__(self, impacts: bool) -> None:
        super().__init__()
        self.impacts = impacts
        # Compared when an index is opened: a format change needs a rebuild.
        self.version = SCHEMA_VERSION

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterator[Any]:
        raise NotImplementedError("fields of this format index through their own index()")

    def decode_positions(self, valuestring: bytes) -> list[int]:
        return list(decode_positions(valuestring, 1 if self.impacts else 0))

    def decode_frequency(self, valuestring: bytes) -> int:
        return len(self.decode_positions(valuestring))

    def decode_weight(self, valuestring: bytes) -> float:
        return 1.0


class WordField(FieldType):
    """Segmented, stemmed words with token positions and BM25 impacts."""

    indexed = True
    scorable = False
    unique = False
    multitoken_query = "phrase"
    column_type = None
    vector = None
    spelling = False
    analyzer = None

    def __init__(self, average_length: float, stored: bool = False) -> None:
        self.format = PositionsArray(impacts=True)
        self.average_length = average_length
        self.stored = stored

    def index(self, value: str, **kwargs: Any) -> list[tuple[bytes, int, float, bytes]]:
        first, repeated, length = analysis.word_positions(value)
        impacts = [bytes((i,)) for i in analysis.bm25_impacts(length, self.average_length)]
        top = len(impacts) - 1
        return [
            (key.encode("utf-8"), freq, 1.0, impacts[min(freq, top)] + encoded)
            for key, freq, encoded in _encode_grouped(first, repeated)
        ]


class GramField(FieldType):
    """Character bigrams of CJK and digit runs with character offsets."""

    indexed = True
    scorable = False
    stored = False
    unique = False
    multitoken_query = "phrase"
    column_type = None
    vector = None
    spelling = False
    analyzer = None

    def __init__(self) -> None:
        self.format = PositionsArray(impacts=False)

    def index(self, value: str, **kwargs: Any) -> list[tuple[bytes, int, float, bytes]]:
        first, repeated = analysis.gram_positions(value)
        return [
            (gram.encode("utf-8"), freq, 1.0, encoded)
            for gram, freq, encoded in _encode_grouped(first, repeated)
        ]


class SpellField(FieldType):
    """Unstemmed Latin words, presence only: the vocabulary for "did you mean"."""

    indexed = True
    scorable = False
    stored = False
    unique = False
    multitoken_query = "or"
    column_type = None
    vector = None
    spelling = False
    analyzer = None

    def __init__(self) -> None:
        # Fixed-size (empty) values: Whoosh's merge reads a value for every posting.
        self.format = Existence()

    def index(self, value: str, **kwargs: Any) -> list[tuple[bytes, int, float, bytes]]:
        return [(w.encode("utf-8"), 1, 1.0, b"") for w in analysis.latin_words(value)]


class ShingleField(SpellField):
    """Runs of 2-4 adjacent words of CJK text, presence only (`analysis.word_shingles`).

    The value is a (title, body) pair, segmented apart, so that the segmenter's
    remembered results for the word fields are reused.
    """

    def index(self, value: Any, **kwargs: Any) -> list[tuple[bytes, int, float, bytes]]:
        texts = (value,) if isinstance(value, str) else tuple(value)
        return [(p.encode("utf-8"), 1, 1.0, b"") for p in analysis.word_shingles(*texts)]


class ChargeField(SpellField):
    """The charge of a case document as one term: a query naming the charge ranks the
    documents of that charge first (`search.engine`), never matches by it alone."""

    def index(self, value: Any, **kwargs: Any) -> list[tuple[bytes, int, float, bytes]]:
        key = analysis.charge_key(value)
        return [(key.encode("utf-8"), 1, 1.0, b"")] if key else []


class TrigramField(SpellField):
    """Every three-character CJK/digit substring, presence only: a three-character query
    is one posting list, and a longer one has few false candidates left to check by
    positions. The value is a (title, body) pair, like the shingles'."""

    def index(self, value: Any, **kwargs: Any) -> list[tuple[bytes, int, float, bytes]]:
        texts = (value,) if isinstance(value, str) else tuple(value)
        return [(t.encode("utf-8"), 1, 1.0, b"") for t in analysis.trigrams(*texts)]


def build_schema() -> Schema:
    """The Whoosh schema of this version of the index."""
    return Schema(
        doc_id=ID(stored=True, unique=True, sortable=True),
        number=ID(),
        title=WordField(analysis.AVERAGE_LENGTH["title"], stored=True),
        body=WordField(analysis.AVERAGE_LENGTH["body"], stored=True),
        grams=GramField(),
        trigrams=TrigramField(),
        spell=SpellField(),
        shingles=ShingleField(),
        charge=ChargeField(),
        doc_type=COLUMN(RefBytesColumn()),
        department=COLUMN(RefBytesColumn()),
        published=COLUMN(NumericColumn("q", default=NO_DATE)),
        info=STORED(),
    )


def schema_signature(schema: Schema) -> tuple[tuple[str, str, str], ...]:
    """What must match between an index on disk and this code: names, types, formats."""
    return tuple(
        (
            name,
            type(field).__name__,
            repr(sorted(vars(field.format).items())) if field.format is not None else "",
        )
        for name, field in schema.items()
    )


def to_fields(doc: IndexDocument) -> dict[str, Any]:
    """The keyword arguments for `writer.add_document` of one document."""
    published = doc.published
    if published.tzinfo is None:
        raise ValueError(f"document {doc.doc_id}: published must be timezone-aware")
    published = published.astimezone(UTC)
    fields: dict[str, Any] = {
        "doc_id": doc.doc_id,
        "title": doc.title,
        "body": doc.body,
        "grams": f"{doc.title}\n{doc.body}",
        "spell": f"{doc.title}\n{doc.body}",
        "shingles": (doc.title, doc.body),
        "trigrams": (doc.title, doc.body),
        "doc_type": doc.doc_type.encode("utf-8"),
        "department": doc.department.encode("utf-8"),
        "published": int(published.timestamp()),
        "info": {
            "number": doc.number,
            "doc_type": doc.doc_type,
            "department": doc.department,
            "language": doc.language,
            "published": published,
        },
    }
    number = analysis.normalize_number(doc.number)
    if number:
        fields["number"] = number
    if analysis.charge_key(doc.charge):
        fields["charge"] = doc.charge
    return fields


def meta_fields(checkpoint: int) -> dict[str, Any]:
    """The meta document: checkpoint and schema version, never a search result."""
    return {
        "doc_id": META_ID,
        "doc_type": b"",
        "department": b"",
        "published": NO_DATE,
        "info": {"checkpoint": int(checkpoint), "schema_version": SCHEMA_VERSION},
    }


def created_at(timestamp: int) -> datetime:
    """Column value back to an aware datetime."""
    return datetime.fromtimestamp(timestamp, UTC)
