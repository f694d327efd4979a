"""`flask mail ...`: send the outbox (cron or a worker loop) and requeue given-up mail."""

from __future__ import annotations

import logging
import signal
import sys
import threading

import click
from flask import current_app
from flask.cli import AppGroup

from . import mail
from .db import get_session

mail_cli = AppGroup("mail", help="The outgoing mail outbox.")


def _max_attempts() -> int:
    return int(current_app.config["MAIL_MAX_ATTEMPTS"])


@mail_cli.command("send-pending")
def send_pending() -> None:
    """Send queued and failed mail that is due (cron-friendly; never sends a mail twice)."""
    report = mail.send_pending(get_session(), current_app.config)
    click.echo(f"{report.sent} sent, {report.failed} failed (kept for a later try).")
    if report.gave_up:
        click.echo(
            f"{report.gave_up} reached the attempt limit; check the mail server, "
            "then `flask mail requeue --all-failed`.",
            err=True,
        )
    if report.failed:
        sys.exit(1)


@mail_cli.command("worker")
@click.option(
    "--interval",
    default=5.0,
    show_default=True,
    type=click.FloatRange(min=0.05),
    help="Seconds between two looks at the outbox.",
)
def worker(interval: float) -> None:
    """Send mail as it is queued, until SIGTERM or Ctrl-C (run it beside the web server)."""
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_args: stop.set())
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    click.echo(f"Mail worker started; looking at the outbox every {interval:g} s.")
    mail.run_worker(get_session, current_app.config, interval=interval, stop=stop)
    click.echo("Mail worker stopped.")


@mail_cli.command("requeue")
@click.option("--id", "ids", type=int, multiple=True, help="Requeue this mail (repeatable).")
@click.option("--all-failed", is_flag=True, help="Requeue every mail given up after its last try.")
def requeue(ids: tuple[int, ...], all_failed: bool) -> None:
    """Give mail that was given up (or the mail --id) a fresh set of attempts, due now."""
    if bool(ids) == all_failed:
        raise click.UsageError("Give --id N (one or more) or --all-failed.")
    db = get_session()
    count = mail.requeue(db, _max_attempts(), ids=ids or None)
    db.commit()
    click.echo(f"{count} mail(s) requeued; the worker or `flask mail send-pending` sends them.")
    if ids and count < len(set(ids)):
        click.echo("Some ids were not found or were already sent.", err=True)
        sys.exit(1)
