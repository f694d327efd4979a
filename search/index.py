"""Where the index lives and the one path through which it is read and written.

Layout: `<index_dir>` is a symbolic link to a generation directory beside it
(`<name>.gen-<ns>`). A rebuild writes a new generation, then replaces the link
in one rename, so a searcher opens either the old complete index or the new
complete one. The generation just replaced is kept (a searcher elsewhere may
still read it); older ones are removed.

Writes: Whoosh allows one writer per index, taken with a file lock. Every
write here asks for it with a timeout (`WRITE_LOCK_TIMEOUT`), so the web
process and the CLI queue up instead of failing; `AsyncWriter` and
`BufferedWriter` are never used (the first loses writes when its process is
killed, the second holds the lock for its lifetime).

Sync: `apply()` records the outbox checkpoint in the meta document within the
same commit as the changes, so the index never claims rows it has not got.
After a rebuild the index carries the rebuild's checkpoint, and replaying
later rows is harmless because upserts and deletions are idempotent.

Reads: a `SearchIndex` keeps one `Snapshot` and checks, at most once per call,
whether the link points elsewhere or the index has a newer commit; only then
does it open a new one.
"""

from __future__ import annotations

import fcntl
import logging
import math
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import index as whoosh_index
from whoosh.index import FileIndex, LockError
from whoosh.writing import SegmentWriter

from . import analysis, understand
from .build import build_generation
from .codec import SearchCodec
from .engine import Engine, Match, closest_units
from .highlight import Needles, fragment, highlight_title, needles_for
from .model import (
    MAX_PER_PAGE,
    NOTICE_CLOSEST,
    NOTICE_CORRECTED,
    NOTICE_PARTIAL,
    NOTICE_RELAXED,
    IndexDocument,
    SearchHit,
    SearchQuery,
    SearchResults,
)
from .parse import WORD, ParsedQuery, compile_synonyms, parse, relax
from .schema import (
    META_ID,
    SCHEMA_VERSION,
    build_schema,
    meta_fields,
    schema_signature,
    to_fields,
)
from .snapshot import CACHE_BYTES, Snapshot
from .spelling import correct, correct_hanzi

log = logging.getLogger(__name__)

WRITE_LOCK_TIMEOUT = 60.0


class IndexBusyError(RuntimeError):
    """Another writer held the index lock for longer than the timeout."""


class IndexFormatError(RuntimeError):
    """The index on disk was written by another schema version: rebuild it."""


# Generations


def _generation_dir(link: Path) -> Path:
    return link.with_name(f"{link.name}.gen-{time.time_ns()}")


def _open_reader(generation: Path) -> tuple[Any, Any]:
    """Open the newest commit of a generation, retrying when a writer replaces it meanwhile.

    Whoosh finds the newest table of contents, then reads it and its segments;
    a commit by another process in between removes the files it found.
    """
    for attempt in range(50):
        try:
            ix = whoosh_index.open_dir(str(generation))
        except FileNotFoundError:
            if attempt == 49:
                raise
            time.sleep(0.01)
            continue
        try:
            return ix, ix.reader()
        except FileNotFoundError:
            ix.close()
            if attempt == 49:
                raise
            time.sleep(0.01)
    raise AssertionError("unreachable")


def _resolve(link: Path) -> Path:
    """The generation directory the link points at (or the directory itself)."""
    if link.is_symlink():
        return link.parent / os.readlink(link)
    return link


@contextmanager
def _swap_lock(link: Path) -> Iterator[None]:
    """Serialise generation swaps between processes."""
    link.parent.mkdir(parents=True, exist_ok=True)
    with open(link.with_name(f"{link.name}.swap.lock"), "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _swap_in(link: Path, target: Path) -> None:
    """Point `link` at `target` atomically; keep the previous generation, drop older ones."""
    previous = _resolve(link).resolve() if link.is_symlink() else None
    if link.exists() and not link.is_symlink():
        # An index from before generations: move it aside once.
        link.rename(_generation_dir(link))
    tmp_link = link.with_name(f"{link.name}.swap-{os.getpid()}")
    tmp_link.unlink(missing_ok=True)
    tmp_link.symlink_to(target.name)
    os.replace(tmp_link, link)
    keep = {target.resolve(), previous}
    for old in link.parent.glob(f"{link.name}.gen-*"):
        if old.resolve() not in keep:
            shutil.rmtree(old, ignore_errors=True)


_SIGNATURE = schema_signature(build_schema())


def _schema_ok(ix: FileIndex) -> bool:
    return schema_signature(ix.schema) == _SIGNATURE


def _create_empty(link: Path, checkpoint: int = 0) -> None:
    target = _generation_dir(link)
    target.mkdir(parents=True)
    ix = whoosh_index.create_in(str(target), build_schema())
    writer = ix.writer(codec=SearchCodec())
    writer.add_document(**meta_fields(checkpoint))
    writer.commit()
    ix.close()
    _swap_in(link, target)


def ensure_index(index_dir: str) -> None:
    """Create an empty index if none exists, or replace one of another schema version."""
    link = Path(index_dir)
    with _swap_lock(link):
        if link.exists():
            try:
                ix = whoosh_index.open_dir(str(link))
            except whoosh_index.EmptyIndexError:
                log.warning("index at %s is empty or broken; creating a new one", link)
            else:
                try:
                    if _schema_ok(ix):
                        return
                finally:
                    ix.close()
                log.warning("index at %s has another schema; replacing it with an empty one", link)
        _create_empty(link)


def open_index(index_dir: str) -> FileIndex:
    """The Whoosh index the link currently points at."""
    return whoosh_index.open_dir(index_dir)


def document_count(index_dir: str) -> int:
    """Published documents in the index: raises if it is missing or broken."""
    ix = open_index(index_dir)
    try:
        if not _schema_ok(ix):
            raise IndexFormatError(f"index at {index_dir} needs a rebuild")
        with ix.reader() as reader:
            meta = 1 if ("doc_id", META_ID) in reader else 0
            return int(reader.doc_count()) - meta
    finally:
        ix.close()


def rebuild(
    index_dir: str,
    documents: Iterable[IndexDocument],
    checkpoint: int = 0,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Build a fresh index from `documents` and swap it in atomically; the count."""
    return _rebuild(Path(index_dir), documents, checkpoint, progress)


def _rebuild(
    link: Path,
    documents: Iterable[IndexDocument],
    checkpoint: int,
    progress: Callable[[int], None] | None,
    procs: int | None = None,
    before_swap: Callable[[SearchIndex], None] | None = None,
) -> int:
    link.parent.mkdir(parents=True, exist_ok=True)
    target = _generation_dir(link)
    target.mkdir()
    try:
        count = build_generation(str(target), documents, checkpoint, progress, procs)
        if before_swap is not None:
            built = SearchIndex(str(target))
            try:
                before_swap(built)
            finally:
                built.close()
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    with _swap_lock(link):
        _swap_in(link, target)
    return count


def _read_checkpoint(searcher: Any) -> int:
    found = searcher.document(doc_id=META_ID)
    if not found:
        return 0
    return int(found.get("info", {}).get("checkpoint", 0))


# A query "has good results" when at least this many documents contain all its words.
GOOD_RESULTS = 3


def good_results(total: int, relaxed: bool) -> bool:
    """Whether a query's results are good enough that no correction is offered:
    `GOOD_RESULTS` or more documents, none found only by dropping words."""
    return total >= GOOD_RESULTS and not relaxed


class SearchIndex:
    """Search and write one index directory; safe to share between threads of a process."""

    def __init__(
        self,
        index_dir: str,
        synonyms: Mapping[str, Sequence[str]] | None = None,
        cache_bytes: int = CACHE_BYTES,
        suggestion_wait: float | None = None,
    ) -> None:
        self.index_dir = index_dir
        # How long a query may wait for the look-alike maps of a newly opened index
        # (`Snapshot.hanzi_vocabulary`); None waits until they are built.
        self.suggestion_wait = suggestion_wait
        self._link = Path(index_dir)
        self._synonyms = compile_synonyms(synonyms)
        self._lock = threading.RLock()
        self._cache_bytes = cache_bytes
        self._generation: Path | None = None
        self._ix: FileIndex | None = None
        self._snap: Snapshot | None = None
        self._engine: Engine | None = None
        self.procs: int | None = None  # rebuild workers; None: one per core

    # Reading

    def _view(self) -> tuple[Snapshot, Engine]:
        """The current snapshot, reopened only if the index changed since the last call."""
        with self._lock:
            generation = _resolve(self._link)
            if self._snap is not None and self._ix is not None and generation == self._generation:
                try:
                    latest = self._ix.latest_generation()
                except OSError:
                    latest = -2
                if latest == self._snap.reader.generation():
                    assert self._engine is not None
                    return self._snap, self._engine
            ix, reader = _open_reader(generation)
            if not _schema_ok(ix):
                reader.close()
                ix.close()
                raise IndexFormatError(f"index at {self.index_dir} needs a rebuild")
            snap = Snapshot(reader, str(generation.resolve()), self._cache_bytes)
            self._close_view()
            self._generation, self._ix, self._snap = generation, ix, snap
            self._engine = Engine(snap)
            return snap, self._engine

    def _close_view(self) -> None:
        if self._snap is not None:
            self._snap.close()
        if self._ix is not None:
            self._ix.close()
        self._snap = self._ix = self._engine = None

    def search(self, query: SearchQuery) -> SearchResults:
        """One page of results with facets over all matches; never raises on user input.

        When no document has every word, a correction of words the index lacks
        (`_suggestion`) is searched instead if documents have all of its words
        ("query_corrected"); else long runs are split into their words
        (`relax`, "query_relaxed"). Documents with only most of the words
        follow those with all of them ("partial_match"). When still nothing is
        found, the documents sharing enough of the query's character bigrams
        are shown ("closest_match", `Engine.closest`). A place typed in pinyin
        (Binjiang Road) also matches the index word that sounds like it (滨江路),
        once the look-alike maps are built (`Snapshot.hanzi_vocabulary`).
        """
        per_page = _clamp(_as_int(query.per_page, 10), 1, MAX_PER_PAGE)
        text = query.text if isinstance(query.text, str) else ""
        with self._lock:
            snap, engine = self._view()
            places = None
            if understand.place_names(text):
                vocabulary = snap.hanzi_vocabulary(self.suggestion_wait)
                places = vocabulary.sounding if vocabulary is not None else None
            parsed = parse(text, self._synonyms, places=places)
            notices = list(parsed.notices)
            allowed = self._allowed(snap, query)
            match = self._match(engine, snap, parsed, allowed)
            typed = parsed
            suggestion: str | None = None
            corrected: str | None = None
            nothing_whole = not parsed.empty and not match.complete_docs().any()
            if nothing_whole and not parsed.matches_nothing:
                suggestion = self._suggestion(snap, engine, parsed, 0, True)
                if suggestion is not None:
                    fixed = parse(suggestion, self._synonyms)
                    found = self._match(engine, snap, fixed, allowed)
                    if found.complete_docs().any():
                        parsed, match, corrected = fixed, found, suggestion
                        notices.append(NOTICE_CORRECTED)
                if corrected is None and parsed.relaxable:
                    relaxed = relax(parsed)
                    found = self._match(engine, snap, relaxed, allowed)
                    if found.complete_docs().any() or (found.docs.any() and not match.docs.any()):
                        parsed, match = relaxed, found
                        notices.append(NOTICE_RELAXED)
                if not match.docs.any() and not parsed.matches_nothing:
                    found = engine.closest(typed, allowed)
                    if found.docs.any():
                        match = found
                        notices.append(NOTICE_CLOSEST)
            elif parsed.question and parsed.relaxable and _few(match):
                # A question's words found together in only a document or two: the
                # documents with them apart may answer it too, after those.
                relaxed = relax(parsed)
                found = self._match(engine, snap, relaxed, allowed)
                if (found.docs & ~match.docs).any():
                    match = engine.widen(match, parsed, relaxed, found)
            docs = match.docs
            total = int(np.count_nonzero(docs))
            all_words = int(np.count_nonzero(match.complete_docs())) if match.partial else total
            if match.closest:
                all_words = total
            if all_words < total:
                notices.append(NOTICE_PARTIAL)
            pages = max(1, math.ceil(total / per_page))
            page = _clamp(_as_int(query.page, 1), 1, pages)
            by_date = query.sort == "date"
            ranked = engine.top(match, docs, page * per_page, by_date)
            if match.closest:
                needles = needles_for(chain.from_iterable(closest_units(typed)))
            else:
                needles = needles_for(t for clause in parsed.clauses for t in clause.alternatives)
            hits = [
                self._hit(snap, doc, score, needles, bool(query.highlight), match.missing(doc))
                for doc, score in ranked[(page - 1) * per_page :]
            ]
            facets = engine.facets(docs)
            if not nothing_whole:
                suggestion = self._suggestion(snap, engine, typed, all_words, parsed is not typed)
        return SearchResults(
            hits=hits,
            total=total,
            page=page,
            per_page=per_page,
            pages=pages,
            facets=facets,
            suggestion=suggestion,
            notices=tuple(notices),
            ignored=typed.ignored,
            excluded=tuple(clause.typed for clause in typed.exclusions),
            all_words=all_words if all_words < total else None,
            missing=match.absent() if all_words < total else (),
            corrected=corrected,
            closest=match.closest,
        )

    def _match(
        self,
        engine: Engine,
        snap: Snapshot,
        parsed: ParsedQuery,
        allowed: np.ndarray | None = None,
    ) -> Match:
        if parsed.matches_nothing:
            return Match(np.zeros_like(snap.live), [], None)
        if parsed.empty:
            return Match(engine.allowed(parsed, allowed), [], None)
        return engine.match(parsed, allowed)

    def _allowed(self, snap: Snapshot, query: SearchQuery) -> np.ndarray | None:
        """Documents the filters allow (a mask), or None when there is no filter."""
        parts: list[np.ndarray] = []
        if query.doc_types:
            parts.append(self._union(snap, "type", snap.type_names, query.doc_types))
        if query.departments:
            parts.append(self._union(snap, "dept", snap.dept_names, query.departments))
        year_from = _as_int(query.year_from, None)
        year_to = _as_int(query.year_to, None)
        if year_from is not None or year_to is not None:
            low = year_from if year_from is not None else 0
            high = year_to if year_to is not None else 9999
            if low > high:
                low, high = high, low
            parts.append((snap.years >= max(0, low)) & (snap.years <= min(high, 65535)))
        if not parts:
            return None
        allowed = parts[0].copy()
        for part in parts[1:]:
            allowed &= part
        return allowed

    @staticmethod
    def _union(snap: Snapshot, attribute: str, names: list[str], wanted: Any) -> np.ndarray:
        allowed = np.zeros(snap.doc_count_all, dtype=bool)
        for name in _as_strings(wanted):
            if name and name in names:
                allowed |= snap.docs_with(attribute, names.index(name))
        return allowed

    def _hit(
        self,
        snap: Snapshot,
        doc: int,
        score: float,
        needles: Needles,
        highlight: bool,
        missing: tuple[str, ...] = (),
    ) -> SearchHit:
        document = snap.stored(doc)
        stored = document.fields
        info = stored.get("info", {})
        title = stored.get("title", "")
        body = stored.get("body", "")
        return SearchHit(
            doc_id=stored["doc_id"],
            number=info.get("number", ""),
            title=title,
            doc_type=info.get("doc_type", ""),
            department=info.get("department", ""),
            published=info["published"],
            title_html=highlight_title(title, needles, document.title),
            fragment_html=fragment(body, needles, norm=document.body) if highlight else "",
            score=score,
            missing=missing,
        )

    def _suggestion(
        self, snap: Snapshot, engine: Engine, parsed: ParsedQuery, total: int, relaxed: bool
    ) -> str | None:
        """A corrected query: misspelt Latin words, and for a query without good
        results (`good_results`), ideograph words the index lacks replaced by
        look-alikes; None unless the correction finds more documents."""
        latin = [
            clause.typed
            for clause in parsed.clauses
            if not clause.quoted
            and clause.alternatives[0].kind == WORD
            and analysis.LATIN_WORD.fullmatch(clause.typed)
        ]
        suggestion = correct(snap, parsed.cleaned, latin) if latin else None
        if not good_results(total, relaxed):
            vocabulary = snap.hanzi_vocabulary(self.suggestion_wait)
            if vocabulary is not None:
                hanzi = correct_hanzi(vocabulary, suggestion or parsed.cleaned)
                suggestion = hanzi or suggestion
        if suggestion is None:
            return None
        # A correction that finds nothing would only send the visitor to another empty page,
        # and one whose corrected word no document has to the documents shown already.
        match = self._match(engine, snap, parse(suggestion, self._synonyms))
        found = match.docs if match.complete is None else match.complete
        return suggestion if int(np.count_nonzero(found)) > (0 if latin else total) else None

    def suggest(self, text: str) -> str | None:
        """The query with misspelt words replaced by close index words, or None."""
        parsed = parse(text if isinstance(text, str) else "", self._synonyms)
        with self._lock:
            snap, engine = self._view()
            match = self._match(engine, snap, parsed)
            total = int(np.count_nonzero(match.complete_docs()))
            relaxed = False
            if not total and parsed.relaxable:
                match = self._match(engine, snap, relax(parsed))
                total, relaxed = int(np.count_nonzero(match.complete_docs())), True
            return self._suggestion(snap, engine, parsed, total, relaxed)

    @property
    def checkpoint(self) -> int:
        """The outbox id of the last change applied (0 for a new index)."""
        with self._lock:
            snap, _engine = self._view()
            return snap.checkpoint()

    def doc_ids(self) -> set[str]:
        """Ids of all documents in the index, for the consistency check."""
        with self._lock:
            snap, _engine = self._view()
            return snap.doc_ids()

    def count(self) -> int:
        """Documents in the index."""
        with self._lock:
            snap, _engine = self._view()
            return snap.live_count

    def close(self) -> None:
        """Release files; the object reopens them if used again."""
        with self._lock:
            self._close_view()
            self._generation = None

    # Writing

    @contextmanager
    def _writer(self) -> Iterator[SegmentWriter]:
        """The index's only writer, waiting for the lock; commits or cancels."""
        deadline = time.monotonic() + WRITE_LOCK_TIMEOUT
        while True:
            generation = _resolve(self._link)
            try:
                ix = whoosh_index.open_dir(str(generation))
            except FileNotFoundError:
                # Another process committed between Whoosh finding the newest table
                # of contents and reading it, and removed it: look again.
                if time.monotonic() > deadline:
                    raise IndexBusyError(f"index at {self.index_dir} keeps changing") from None
                time.sleep(0.01)
                continue
            try:
                if not _schema_ok(ix):
                    raise IndexFormatError(f"index at {self.index_dir} needs a rebuild")
                try:
                    writer = ix.writer(
                        timeout=max(0.0, deadline - time.monotonic()),
                        delay=0.05,
                        codec=SearchCodec(),
                    )
                except LockError as exc:
                    raise IndexBusyError(f"index at {self.index_dir} is locked") from exc
                if _resolve(self._link) != generation:
                    # A rebuild swapped generations while we waited: write to the new one.
                    writer.cancel()
                    continue
                try:
                    yield writer
                except BaseException:
                    if not writer.is_closed:
                        writer.cancel()
                    raise
                if not writer.is_closed:
                    writer.commit()
                return
            finally:
                ix.close()

    def apply(
        self, upserts: Iterable[IndexDocument], deletions: Iterable[str], checkpoint: int
    ) -> None:
        """Add/replace and delete, and record `checkpoint`, in one commit.

        An id both upserted and deleted is deleted. The checkpoint is recorded
        as given, even if lower than the index's: a batch that lands after a
        newer one moves it back, so the rows in between are applied again,
        which is harmless (upserts and deletions are idempotent) and repairs
        any document the older batch overwrote.
        """
        removed = set(deletions)
        fields: dict[str, dict[str, Any]] = {}
        for doc in upserts:
            if doc.doc_id not in removed:
                fields[doc.doc_id] = to_fields(doc)
        checkpoint = int(checkpoint)
        with self._writer() as writer:
            with writer.searcher() as searcher:
                current = _read_checkpoint(searcher)
            if not fields and not removed and checkpoint == current:
                writer.cancel()
                return
            for doc_id in removed:
                writer.delete_by_term("doc_id", doc_id)
            for doc_fields in fields.values():
                writer.update_document(**doc_fields)
            writer.update_document(**meta_fields(checkpoint))

    def rebuild(
        self,
        documents: Iterable[IndexDocument],
        checkpoint: int,
        progress: Callable[[int], None] | None = None,
        before_swap: Callable[[SearchIndex], None] | None = None,
    ) -> int:
        """Build a fresh index in a sibling generation directory and swap it in; the count.

        `before_swap` gets the new index before it goes live, to apply the
        changes made while it was being built (else they would vanish at the swap).
        """
        return _rebuild(self._link, documents, checkpoint, progress, self.procs, before_swap)


# A question whose words are together in fewer documents than this also shows the
# documents with them apart (`SearchIndex.search`).
FEW_WHOLE = 3


def _few(match: Match) -> bool:
    """Whether a match found by the words themselves has fewer than `FEW_WHOLE`
    documents with all of them."""
    if match.dropped or match.closest or match.numbers is not None:
        return False
    return 0 < int(np.count_nonzero(match.complete_docs())) < FEW_WHOLE


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def _as_int(value: Any, default: Any) -> Any:
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        return value
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return default


def _as_strings(values: Any) -> list[str]:
    if isinstance(values, str):
        return [values]
    try:
        return [v for v in values if isinstance(v, str)]
    except TypeError:
        return []


__all__ = [
    "SCHEMA_VERSION",
    "IndexBusyError",
    "IndexFormatError",
    "SearchIndex",
    "document_count",
    "ensure_index",
    "open_index",
    "rebuild",
]
