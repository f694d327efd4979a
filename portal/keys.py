"""Data-key rotation: every encrypted value and file moved to the newest key, then proved.

A rotation is only done when the newest key alone decrypts everything: the
database columns (`EncryptedText`, `EncryptedBytes`) and the encrypted files
on disk (submission attachments, proofs of access requests). Until then the
older keys must stay.

It can be stopped at any moment and run again: values and files already under
the newest key are left alone, each file is replaced atomically (a reader sees
the old or the new file, never half of one), and the database is updated in
short transactions of one batch each.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import LargeBinary, Table, select, type_coerce, update
from sqlalchemy.orm import Session

from . import crypto
from .crypto import InvalidToken
from .db import write_intent

BATCH = 500


@dataclass
class Verification:
    """What the newest key alone could not decrypt (empty when the rotation is complete)."""

    values: int = 0
    files: int = 0
    failed_values: list[str] = field(default_factory=list)  # "table.column #id"
    failed_files: list[str] = field(default_factory=list)  # paths

    @property
    def ok(self) -> bool:
        return not self.failed_values and not self.failed_files


def rotation_marker(key_file: Path) -> Path:
    """Present while a rotation is unfinished, so that a second run resumes it."""
    return key_file.with_name(key_file.name + ".rotating")


def encrypted_file_dirs(config: Mapping[str, object]) -> list[Path]:
    """Every folder whose files are Fernet tokens (one place to add a new one)."""
    instance = Path(str(config["INSTANCE_PATH"]))
    return [Path(str(config["SUBMISSIONS_FILES_DIR"])), instance / "case-proofs"]


def _is_current(token: bytes) -> bool:
    try:
        crypto.primary_fernet().decrypt(token)
    except InvalidToken:
        return False
    return True


def _rotated(token: bytes) -> bytes | None:
    """The token under the newest key; None if it already is, or if no key opens it
    (left as it is for `verify` to report)."""
    if _is_current(token):
        return None
    try:
        return crypto.rotate_token(token)
    except InvalidToken:
        return None


def _batches(
    db: Session, table: Table, names: list[str], *, read_only: bool = False
) -> Iterator[list[tuple]]:
    """(id, *tokens) rows of `table`, BATCH at a time by increasing id, one transaction each.

    The caller ends each batch's transaction (commit or rollback) before the next.
    """
    (pk,) = table.primary_key.columns
    raw = [type_coerce(table.c[n], LargeBinary).label(n) for n in names]
    last = None
    while True:
        if read_only:  # a read never takes SQLite's write lock
            db.rollback()
            db.connection(execution_options={"sqlite_deferred": True})
        query = select(pk, *raw).order_by(pk).limit(BATCH)
        if last is not None:
            query = query.where(pk > last)
        rows = [tuple(r) for r in db.execute(query)]
        if not rows:
            db.rollback()  # nothing was written in this last, empty batch
            return
        yield rows
        last = rows[-1][0]


def reencrypt_values(db: Session) -> int:
    """Re-encrypt with the newest key every column value still under an older one.

    Commits after each batch, so that an interrupted run keeps its progress
    and never holds the database's write lock for long. Returns rows changed.
    """
    touched = 0
    for table, names in crypto.encrypted_columns():
        (pk,) = table.primary_key.columns
        with write_intent():  # each batch: one short transaction that may write
            for rows in _batches(db, table, names):
                for key, *tokens in rows:
                    values = {}
                    for name, token in zip(names, tokens, strict=True):
                        fresh = _rotated(bytes(token)) if token is not None else None
                        if fresh is not None:
                            values[name] = type_coerce(fresh, LargeBinary)
                    if values:
                        db.execute(update(table).where(pk == key).values(**values))
                        touched += 1
                db.commit()
    return touched


def _encrypted_files(dirs: list[Path]) -> Iterator[Path]:
    for directory in dirs:
        if not directory.is_dir():
            continue
        for entry in sorted(os.scandir(directory), key=lambda e: e.name):
            path = Path(entry.path)
            if entry.name.endswith(crypto.TEMP_SUFFIX):
                path.unlink(missing_ok=True)  # left by an interrupted write
            elif entry.is_file(follow_symlinks=False):
                yield path


def reencrypt_files(dirs: list[Path]) -> int:
    """Re-encrypt with the newest key each file still under an older one, one file at a time.

    Returns the number of files rewritten. A file no configured key opens is
    left as it is; `verify` reports it.
    """
    rewritten = 0
    for path in _encrypted_files(dirs):
        fresh = _rotated(path.read_bytes())
        if fresh is not None:
            crypto.replace_file(path, fresh)
            rewritten += 1
    return rewritten


def verify(db: Session, dirs: list[Path]) -> Verification:
    """Try every encrypted value and file with the newest key alone."""
    report = Verification()
    for table, names in crypto.encrypted_columns():
        for rows in _batches(db, table, names, read_only=True):
            for key, *tokens in rows:
                for name, token in zip(names, tokens, strict=True):
                    if token is None:
                        continue
                    report.values += 1
                    if not _is_current(bytes(token)):
                        report.failed_values.append(f"{table.name}.{name} #{key}")
    for path in _encrypted_files(dirs):
        report.files += 1
        if not _is_current(path.read_bytes()):
            report.failed_files.append(str(path))
    return report
