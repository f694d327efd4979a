"""Command-line tasks: `flask --app portal <group> <command>`."""

from __future__ import annotations

import getpass
import secrets
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_babel import force_locale
from sqlalchemy import func, select

from . import audit, crypto, keys, migrate
from .answers.demo import load_demo_answers
from .appointments.demo import load_demo_slots
from .backup import backup_cli
from .booking.cli import booking_cli
from .booking.demo import load_demo_open_days
from .cases.cli import cases_cli, load_demo_cases
from .content import LoadReport
from .db import get_session, utcnow
from .disclosure import indexing
from .disclosure.loader import load_documents
from .disclosure.models import Document
from .kiosk.cli import kiosk_cli
from .mail_cli import mail_cli
from .pages.services import load_pages
from .staff import services as staff_services
from .staff.models import ROLES
from .submissions.cli import submissions_cli
from .submissions.demo import load_demo_submissions
from .surveys.demo import load_demo as load_surveys_demo
from .surveys.demo import load_demo_reply_ratings

DEMO_USERNAME = "demo-admin"


def _cli_actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # noqa: BLE001 - no login name in some containers
        return "cli"


db_cli = AppGroup("db", help="Database schema (Alembic migrations).")


@db_cli.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION."""
    migrate.upgrade(str(current_app.config["DATABASE_URL"]), revision)
    click.echo("Database is up to date.")


@db_cli.command("revision")
@click.option("-m", "--message", required=True)
def db_revision(message: str) -> None:
    """Write a new migration from the difference between models and database."""
    migrate.revision(str(current_app.config["DATABASE_URL"]), message)


staff_cli = AppGroup("staff", help="Staff accounts.")


@staff_cli.command("create")
@click.argument("username")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice(ROLES),
    help="Repeat for several roles.",
)
@click.option("--name", "display_name", default=None, help="Name shown in the staff area.")
@click.option(
    "--department",
    default="",
    help="A case officer's department, as the cases name it (lawyers' appointments).",
)
@click.password_option(help="At least 12 characters; asked for when omitted.")
def staff_create(
    username: str,
    roles: tuple[str, ...],
    display_name: str | None,
    department: str,
    password: str,
) -> None:
    """Create a staff account. It enrols its second factor at first sign-in."""
    db = get_session()
    try:
        user = staff_services.create_staff(
            db,
            username=username,
            password=password,
            roles=list(roles),
            display_name=display_name,
            department=department,
            actor=_cli_actor(),
        )
    except staff_services.StaffError as exc:
        raise click.ClickException(f"{exc.__class__.__name__}: {exc}") from exc
    db.commit()
    click.echo(f"Created {user.username} with roles: {user.roles}.")


@staff_cli.command("set-department")
@click.argument("username")
@click.argument("department")
def staff_set_department(username: str, department: str) -> None:
    """Set the department of a staff account (empty: none)."""
    db = get_session()
    try:
        user = staff_services.set_department(db, username, department, actor=_cli_actor())
    except staff_services.StaffError as exc:
        raise click.ClickException(f"{exc.__class__.__name__}: {exc}") from exc
    db.commit()
    click.echo(f"{user.username} is in the department: {user.department or '(none)'}.")


@staff_cli.command("reset-2fa")
@click.argument("username")
def staff_reset_2fa(username: str) -> None:
    """Forget an account's authenticator; it enrols again at next sign-in."""
    db = get_session()
    try:
        user = staff_services.reset_totp(db, username, actor=_cli_actor())
    except staff_services.StaffNotFound as exc:
        raise click.ClickException(f"No staff account named {username!r}.") from exc
    db.commit()
    click.echo(f"Two-step sign-in reset for {user.username}; their sessions are ended.")


audit_cli = AppGroup("audit", help="The audit log.")


@audit_cli.command("verify")
def audit_verify() -> None:
    """Check the hash chain; exits 1 at the first entry that does not fit."""
    report = audit.verify(get_session())
    if report.ok:
        click.echo(f"Audit log intact: {report.entries} entries.")
        return
    click.echo(
        f"Audit log BROKEN at entry {report.broken_at}: {report.reason} "
        f"({report.entries} entries verified before it).",
        err=True,
    )
    sys.exit(1)


content_cli = AppGroup("content", help="Published content from the content/ folder.")


def _print_report(report: LoadReport) -> None:
    click.echo(f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged.")
    if report.refused:
        click.echo(f"{len(report.refused)} file(s) refused:", err=True)
    for problem in report.problems:
        click.echo(f"  problem: {problem}", err=True)
    for warning in report.warnings:
        click.echo(f"  warning: {warning}", err=True)


def _load_content(root: Path) -> int:
    """Pages, then documents; the index learns of the documents at once. Returns files refused."""
    db = get_session()
    with force_locale("en"):
        click.echo("Guide pages:")
        pages = load_pages(db, root / "pages")
        db.commit()
        _print_report(pages)
        click.echo("Documents:")
        documents = load_documents(db, root / "documents")
        db.commit()
        _print_report(documents)
    applied = indexing.sync(db, indexing.get_index())
    click.echo(f"Search index: {applied} changes applied.")
    return len(pages.refused) + len(documents.refused)


@content_cli.command("load")
@click.option("--dir", "content_dir", type=click.Path(file_okay=False, path_type=Path))
def content_load(content_dir: Path | None) -> None:
    """Import guide pages and documents; safe to run again (keyed by slug or number).

    Exits 1 when any file is refused (the others are loaded).
    """
    if _load_content(content_dir or Path(str(current_app.config["CONTENT_DIR"]))):
        sys.exit(1)


search_cli = AppGroup("search", help="The full-text index.")


@search_cli.command("rebuild")
def search_rebuild() -> None:
    """Build a new index beside the old one and swap it in atomically."""
    db = get_session()
    total = db.scalar(select(func.count()).where(Document.status == "published")) or 0
    with click.progressbar(length=total, label="Indexing", show_pos=True) as bar:
        done = [0]

        def progress(count: int) -> None:
            bar.update(count - done[0])
            done[0] = count

        count = indexing.rebuild(db, indexing.get_index(), progress=progress)
    click.echo(f"Index rebuilt with {count} documents.")


@search_cli.command("sync")
def search_sync() -> None:
    """Apply changes the index has not seen (safe to run from cron at any time)."""
    applied = indexing.sync(get_session(), indexing.get_index())
    click.echo(f"{applied} changes applied.")


@search_cli.command("check")
def search_check() -> None:
    """Compare the index with the database; exits 1 when they disagree."""
    result = indexing.check(get_session(), indexing.get_index())
    if result.ok:
        click.echo("Index and database agree.")
        return
    if result.missing:
        click.echo(f"Missing from the index: documents {result.missing[:50]}", err=True)
    if result.extra:
        click.echo(f"In the index but not published: {result.extra[:50]}", err=True)
    click.echo("Run `flask search sync`, or `flask search rebuild`.", err=True)
    sys.exit(1)


keys_cli = AppGroup("keys", help="Encryption keys for personal data at rest.")


@keys_cli.command("rotate")
def keys_rotate() -> None:
    """Put a new data key first in instance/data_keys, then re-encrypt everything with it.

    If it is interrupted, run it again: it resumes with the same new key.
    """
    app: Flask = current_app  # type: ignore[assignment]
    if app.config.get("DATA_KEYS"):
        raise click.ClickException(
            "Keys come from PORTAL_DATA_KEYS: put a new key first there "
            "(python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key())'), "
            "restart, then run `flask keys reencrypt`."
        )
    key_file = Path(app.instance_path) / "data_keys"
    marker = keys.rotation_marker(key_file)
    if marker.exists():
        click.echo("Resuming the unfinished rotation with the newest key.")
    else:
        crypto.new_data_key_file(key_file)
        marker.touch()
    crypto.configure(app.config)
    _reencrypt()
    marker.unlink()


@keys_cli.command("reencrypt")
def keys_reencrypt() -> None:
    """Re-encrypt every encrypted value and file with the first data key (after adding a key)."""
    _reencrypt()


def _reencrypt() -> None:
    """Move values and files to the newest key, then prove it alone decrypts them all."""
    db = get_session()
    dirs = keys.encrypted_file_dirs(current_app.config)
    rows = keys.reencrypt_values(db)
    files = keys.reencrypt_files(dirs)
    details = {"rows": rows, "files": files}
    audit.record(db, actor=_cli_actor(), action="keys.reencrypt", details=details)
    db.commit()
    click.echo(f"{rows} rows and {files} files re-encrypted with the newest key.")
    check = keys.verify(db, dirs)
    if not check.ok:
        for item in [*check.failed_values, *check.failed_files][:20]:
            click.echo(f"  not readable with the newest key: {item}", err=True)
        raise click.ClickException(
            f"{len(check.failed_values)} values and {len(check.failed_files)} files do not "
            "decrypt with the newest key alone: keep every older key and run this command "
            "again (it resumes). With PORTAL_DATA_KEYS, restart the web workers first: only "
            "the instance key file is followed without a restart."
        )
    click.echo(
        f"Checked: all {check.values} values and {check.files} files decrypt with the "
        "newest key alone; older keys may now be removed."
    )


demo_cli = AppGroup("demo", help="Demo data for trying the portal locally.")


@demo_cli.command("load")
def demo_load() -> None:
    """Load demo content and a demo staff account (refused in production)."""
    app: Flask = current_app  # type: ignore[assignment]
    if app.config["ENV"] == "production":
        raise click.ClickException("Demo data is never loaded in production.")
    _load_content(Path(str(app.config["CONTENT_DIR"])))
    db = get_session()
    credentials = Path(app.instance_path) / "demo-staff.txt"
    if staff_services.find_staff(db, DEMO_USERNAME) is None:
        password = secrets.token_urlsafe(12)
        staff_services.create_staff(
            db,
            username=DEMO_USERNAME,
            password=password,
            roles=list(ROLES),
            display_name="Demo administrator",
            actor=_cli_actor(),
        )
        credentials.write_text(f"{DEMO_USERNAME} {password}\n")
        credentials.chmod(0o600)
    demo_codes = load_demo_submissions(db)
    tracking_file = Path(app.instance_path) / "demo-tracking.txt"
    if demo_codes:
        # The first demo complaint is answered below: its codes open the tracking page.
        tracking_file.write_text(" ".join(demo_codes[0]) + "\n")
        tracking_file.chmod(0o600)
    load_demo_open_days(db, utcnow())
    load_surveys_demo(db, staff_services.find_staff(db, DEMO_USERNAME))
    load_demo_reply_ratings(db, staff_services.find_staff(db, DEMO_USERNAME))
    load_demo_answers(db, utcnow())
    admin = staff_services.find_staff(db, DEMO_USERNAME)
    assert admin is not None
    load_demo_slots(db, admin, _cli_actor(), utcnow())
    db.commit()
    load_demo_cases(Path(str(app.config["CONTENT_DIR"])), _cli_actor())
    if credentials.exists():
        username, password = credentials.read_text().split()
        click.echo(
            f"Demo staff account: {username} / {password} "
            "(all roles; set up two-step sign-in with an authenticator app at first sign-in)."
        )
    if tracking_file.exists():
        tracking, query = tracking_file.read_text().split()
        click.echo(f"Demo submission to track: tracking code {tracking}, query code {query}.")


def register_cli(app: Flask) -> None:
    for group in (
        db_cli,
        staff_cli,
        audit_cli,
        content_cli,
        search_cli,
        mail_cli,
        keys_cli,
        demo_cli,
        cases_cli,
        submissions_cli,
        booking_cli,
        backup_cli,
        kiosk_cli,
    ):
        app.cli.add_command(group)
