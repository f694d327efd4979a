"""Backup and restore: the database, the stored files, and a check that the keys fit.

`flask backup create DIR` writes into an empty DIR:

    manifest.json      what the backup holds, checksums, and the key check
    database.sqlite3   SQLite's online backup (consistent while the portal runs), or
    database.dump      pg_dump's custom format (PostgreSQL)
    files/<area>/...   stored files as they are on disk (attachments stay encrypted)

The database is copied before the files: a file is written before the row
that names it commits, so every file the copied database names is there.
Keys never go into DIR: whoever holds a backup and its keys can read every
identity number. `--with-keys FILE` exports them, on request, to a separate file.

`flask backup restore DIR` checks everything before touching anything: the
checksums, and that the keys in use decrypt the backup's sample of encrypted
values and files and compute the same lookup hashes. Only then does it replace
the database and the file folders (the previous folders are kept beside them),
bring the schema up to date and rebuild the search index.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import LargeBinary, select, type_coerce
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session

from . import crypto, migrate
from .db import get_db, get_session

FORMAT = 1
MANIFEST = "manifest.json"
SAMPLE_PER_COLUMN = 3
SAMPLE_FILES = 5
CANARY = b"portal backup key check"
LOOKUP_PROBE = "portal backup key check"


class BackupError(Exception):
    """The backup cannot be made or restored; the message says why and what to do."""


@dataclass(frozen=True)
class FileArea:
    name: str
    path: Path
    encrypted: bool


def file_areas(app: Flask) -> list[FileArea]:
    """Every folder of stored files that the database refers to."""
    instance = Path(app.instance_path)
    return [
        FileArea("submission_files", Path(str(app.config["SUBMISSIONS_FILES_DIR"])), True),
        FileArea("case_proofs", instance / "case-proofs", True),
        FileArea("attachments", instance / "attachments", False),
    ]


# The key check


def _value_sample(db: Session) -> list[bytes]:
    """A few raw tokens from every encrypted column."""
    tokens: list[bytes] = []
    for table, names in crypto.encrypted_columns():
        for name in names:
            raw = type_coerce(table.c[name], LargeBinary)
            rows = db.execute(
                select(raw).where(table.c[name].is_not(None)).limit(SAMPLE_PER_COLUMN)
            ).scalars()
            tokens.extend(bytes(t) for t in rows)
    return tokens


def _undecryptable(tokens: list[bytes]) -> int:
    failed = 0
    for token in tokens:
        try:
            crypto.decrypt_bytes(token)
        except crypto.InvalidToken:
            failed += 1
    return failed


def _lookup_probe() -> str:
    return crypto.keyed_hash(LOOKUP_PROBE, "backup")


# Creating


def create(app: Flask, target: Path, keys_file: Path | None = None) -> dict[str, Any]:
    """Write a backup into the empty folder `target`; returns the manifest."""
    target = target.resolve()
    if keys_file is not None and keys_file.resolve().is_relative_to(target):
        raise BackupError("Write the keys outside the backup folder: keep them apart from it.")
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: give a new folder for each backup.")
    db = get_session()
    sample = _value_sample(db)
    db.commit()
    if failed := _undecryptable(sample):
        raise BackupError(
            f"The data keys in use cannot decrypt {failed} of {len(sample)} sampled values: "
            "they are not the keys this database was encrypted with. No backup written."
        )
    target.mkdir(parents=True, exist_ok=True)
    url = make_url(str(app.config["DATABASE_URL"]))
    database = _dump_database(url, target)
    files, file_sample = _copy_areas(app, target)
    if failed := _undecryptable([(target / "files" / p).read_bytes() for p in file_sample]):
        raise BackupError(
            f"The data keys in use cannot decrypt {failed} of {len(file_sample)} sampled "
            "files. No usable backup written."
        )
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": {**database, "revision": _revision(get_db().engine)},
        "files": files,
        "key_check": {
            "canary": _b64(crypto.encrypt_bytes(CANARY)),
            "values": [_b64(t) for t in sample],
            "files": file_sample,
            "lookup": _lookup_probe(),
        },
    }
    _write_json(target / MANIFEST, manifest)
    if keys_file is not None:
        export_keys(keys_file)
    return manifest


def export_keys(path: Path) -> None:
    """The keys in use, as environment settings, in a file only its owner can read."""
    data, lookup = crypto.configured_keys()
    text = f"PORTAL_DATA_KEYS={','.join(data)}\nPORTAL_LOOKUP_KEY={lookup}\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(text)
    tmp.replace(path)


def _dump_database(url: URL, target: Path) -> dict[str, str]:
    if url.get_backend_name() == "sqlite":
        out = target / "database.sqlite3"
        assert url.database
        source = sqlite3.connect(_read_only_uri(Path(url.database)), uri=True)
        copy = sqlite3.connect(out)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
    else:
        out = target / "database.dump"
        _pg("pg_dump", url, ["--format=custom", "--no-owner", f"--file={out}"])
    return {"backend": url.get_backend_name(), "file": out.name, "sha256": _sha256(out)}


def _copy_areas(app: Flask, target: Path) -> tuple[dict[str, Any], list[str]]:
    files: dict[str, Any] = {}
    sample: list[str] = []
    for area in file_areas(app):
        entries: dict[str, str] = {}
        if area.path.is_dir():
            for source in sorted(p for p in area.path.rglob("*") if p.is_file()):
                relative = source.relative_to(area.path).as_posix()
                copy = target / "files" / area.name / relative
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, copy)
                entries[relative] = _sha256(copy)
        files[area.name] = {"encrypted": area.encrypted, "entries": entries}
        if area.encrypted:
            sample.extend(f"{area.name}/{r}" for r in list(entries)[:SAMPLE_FILES])
    return files, sample


# Restoring


def restore(app: Flask, source: Path) -> dict[str, Any]:
    """Check the backup in `source` against the keys in use, then put it in place."""
    manifest = check(app, source)
    url_text = str(app.config["DATABASE_URL"])
    url = make_url(url_text)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    get_db(app).dispose()  # no connection of ours may hold the old database open
    _load_database(url, source / manifest["database"]["file"])
    for area in file_areas(app):
        if area.name in manifest["files"]:
            _replace_folder(area.path, source / "files" / area.name, stamp)
    migrate.upgrade(url_text)
    from .disclosure import indexing

    db = get_session()
    indexing.rebuild(db, indexing.get_index(app))
    db.commit()
    return manifest


def check(app: Flask, source: Path) -> dict[str, Any]:
    """Raise BackupError unless the backup is whole and the keys in use fit it."""
    try:
        manifest = json.loads((source / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"No readable {MANIFEST} in {source}: is it a backup folder?") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Backup format {manifest.get('format')} is not {FORMAT}.")
    backend = make_url(str(app.config["DATABASE_URL"])).get_backend_name()
    if manifest["database"]["backend"] != backend:
        raise BackupError(
            f"The backup holds a {manifest['database']['backend']} database; "
            f"this portal uses {backend}."
        )
    _check_revision(manifest["database"].get("revision"))
    database = source / manifest["database"]["file"]
    if not database.is_file() or _sha256(database) != manifest["database"]["sha256"]:
        raise BackupError(f"{database} is missing or damaged (checksum differs).")
    for name, area in manifest["files"].items():
        for relative, digest in area["entries"].items():
            path = source / "files" / name / relative
            if not path.is_file() or _sha256(path) != digest:
                raise BackupError(f"{path} is missing or damaged (checksum differs).")
    keys = manifest["key_check"]
    tokens = [base64.b64decode(keys["canary"])]
    tokens += [base64.b64decode(t) for t in keys["values"]]
    tokens += [(source / "files" / p).read_bytes() for p in keys["files"]]
    failed = _undecryptable(tokens)
    if failed or keys["lookup"] != _lookup_probe():
        what = (
            f"cannot decrypt {failed} of {len(tokens)} sampled values and files"
            if failed
            else "compute other lookup hashes (the lookup key differs)"
        )
        raise BackupError(
            f"The keys in use {what} of this backup: nothing was restored. Restore with the "
            "keys the backup was made with (PORTAL_DATA_KEYS and PORTAL_LOOKUP_KEY, or "
            "instance/data_keys and instance/lookup_key; see `flask backup create --with-keys`)."
        )
    return manifest


def _check_revision(revision: str | None) -> None:
    """A backup made by a newer version of the portal cannot be loaded by this one."""
    if revision is None:
        return
    scripts = ScriptDirectory.from_config(migrate.alembic_config(""))
    try:
        known = scripts.get_revision(revision) is not None
    except CommandError:
        known = False
    if not known:
        raise BackupError(
            f"The backup's schema revision {revision} is unknown to this version of the "
            "portal: restore it with the version that made it (or a newer one)."
        )


def _load_database(url: URL, dump: Path) -> None:
    if url.get_backend_name() == "sqlite":
        assert url.database
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        source = sqlite3.connect(_read_only_uri(dump), uri=True)
        live = sqlite3.connect(url.database, timeout=60)
        try:
            source.backup(live)  # replaces every page, under SQLite's own locking
        finally:
            live.close()
            source.close()
    else:
        args = ["--clean", "--if-exists", "--no-owner", "--single-transaction", str(dump)]
        _pg("pg_restore", url, args)


def _replace_folder(live: Path, copy: Path, stamp: str) -> None:
    """Put `copy` at `live` by renames; the previous folder stays beside it."""
    incoming = live.with_name(f"{live.name}.restoring-{stamp}")
    shutil.rmtree(incoming, ignore_errors=True)
    if copy.is_dir():
        shutil.copytree(copy, incoming)
    else:
        incoming.mkdir(parents=True)
    if live.exists():
        live.rename(live.with_name(f"{live.name}.before-restore-{stamp}"))
    incoming.rename(live)


# Helpers


def _pg(tool: str, url: URL, args: list[str]) -> None:
    """Run a PostgreSQL client tool; the password goes through the environment."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    dsn = plain.render_as_string(hide_password=False)
    run = subprocess.run(  # noqa: S603 - our own tool path and arguments, no shell
        [_pg_tool(tool), *args, f"--dbname={dsn}"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        raise BackupError(f"{tool} failed: {run.stderr.strip()[-2000:]}")


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if candidates:
        return str(candidates[-1])
    raise BackupError(f"{name} not found: install the PostgreSQL client tools.")


def _read_only_uri(path: Path) -> str:
    return f"{path.resolve().as_uri()}?mode=ro"


def _revision(engine: Any) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _write_json(path: Path, value: dict[str, Any]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(value, indent=2, ensure_ascii=False), "utf-8")
    tmp.replace(path)


# Commands

backup_cli = AppGroup("backup", help="Back up and restore the database and stored files.")


@backup_cli.command("create")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--with-keys",
    "keys_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also export the keys in use to this file (outside DIRECTORY; keep it apart).",
)
def backup_create(directory: Path, keys_file: Path | None) -> None:
    """Write a backup of the database and stored files into the empty DIRECTORY."""
    try:
        manifest = create(current_app, directory, keys_file)  # type: ignore[arg-type]
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    count = sum(len(a["entries"]) for a in manifest["files"].values())
    click.echo(f"Backup written to {directory}: database and {count} stored files.")
    click.echo(
        f"The keys in use decrypt its sample ({len(manifest['key_check']['values'])} values, "
        f"{len(manifest['key_check']['files'])} files)."
    )
    if keys_file is not None:
        click.echo(f"Keys exported to {keys_file}: keep this file apart from the backup.")
    else:
        click.echo("Keys are not in the backup: keep a copy of them (see --with-keys).")


@backup_cli.command("restore")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def backup_restore(directory: Path, yes: bool) -> None:
    """Replace the database and stored files with the backup in DIRECTORY.

    Stop the portal's workers first, and start them again afterwards.
    """
    app: Flask = current_app  # type: ignore[assignment]
    try:
        check(app, directory)
        if not yes:
            click.confirm(
                "This replaces the database and the stored files with the backup "
                "(stop the portal's workers first). Continue?",
                abort=True,
            )
        manifest = restore(app, directory)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"Restored the backup of {manifest['created_at']}; the search index was rebuilt. "
        "Previous file folders are kept beside the new ones (*.before-restore-*). "
        "Start the portal's workers again."
    )
