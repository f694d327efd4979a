"""`flask booking ...`: reminders and questionnaire invitations, safe to run from cron."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ..db import get_session, utcnow
from ..surveys.returns import open_day_invitation_link
from . import services

booking_cli = AppGroup("booking", help="Open days: reminders and invitations.")


@booking_cli.command("send-reminders")
def send_reminders() -> None:
    """E-mail everyone with a confirmed seat tomorrow; never the same booking twice."""
    db = get_session()
    count = services.send_reminders(db, now=utcnow())
    db.commit()
    click.echo(f"{count} reminders queued.")


@booking_cli.command("send-invitations")
def send_invitations() -> None:
    """After an event, invite those who attended to its questionnaire; once each."""
    db = get_session()
    count = services.send_invitations(db, now=utcnow(), link_for=open_day_invitation_link)
    db.commit()
    click.echo(f"{count} invitations queued.")
