"""`flask submissions ...`: the overdue list for a cron mail, and draft clean-up."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from ..db import get_session, utcnow
from . import services
from .deadlines import limits_from_config

submissions_cli = AppGroup("submissions", help="Complaints, appeals, reports and consultations.")


@submissions_cli.command("overdue")
def overdue() -> None:
    """Print the submissions whose reply is overdue or due soon (tracking codes only)."""
    report = services.due_report(get_session(), utcnow(), limits_from_config(current_app.config))
    for title, items in (("Overdue", report.overdue), ("Due soon", report.due_soon)):
        click.echo(f"{title}: {len(items)}")
        for item in items:
            sub = item.submission
            click.echo(
                f"  {sub.tracking_code}  {sub.kind:<16} {sub.status:<14} "
                f"{item.clock} reply due {item.due:%Y-%m-%d %H:%M} UTC"
            )


@submissions_cli.command("purge-drafts")
def purge_drafts() -> None:
    """Delete unfinished forms older than a day, with their files, and forget query
    codes kept for the confirmation page once its window has passed."""
    db = get_session()
    purged = services.purge_drafts(
        db, utcnow(), Path(str(current_app.config["SUBMISSIONS_FILES_DIR"]))
    )
    db.commit()
    click.echo(
        f"Deleted {purged.drafts} old drafts; forgot {purged.query_codes} query codes "
        "past their confirmation window."
    )
