"""`flask kiosk ...`: enrol a liaison-office screen from the server's shell."""

from __future__ import annotations

import click
from flask import url_for
from flask.cli import AppGroup

from ..db import get_session, utcnow
from . import services
from .models import Kiosk

kiosk_cli = AppGroup("kiosk", help="Liaison-office kiosks: enrolment and revocation.")


@kiosk_cli.command("enrol")
@click.argument("name")
@click.option("--office", "office_id", type=int, default=None, help="Liaison office id.")
def enrol(name: str, office_id: int | None) -> None:
    """Register kiosk NAME and print its one-time enrolment URL (valid 24 hours)."""
    db = get_session()
    try:
        kiosk, token = services.register_kiosk(db, name=name, office_id=office_id, actor="cli")
    except services.KioskError as exc:
        raise click.ClickException(f"cannot register the kiosk: bad {exc}") from exc
    db.commit()
    click.echo(f"Kiosk {kiosk.id} ({kiosk.name}) registered.")
    click.echo("Open this address on the kiosk screen within 24 hours:")
    click.echo(url_for("kiosk.enrol", token=token, _external=True))


@kiosk_cli.command("revoke")
@click.argument("kiosk_id", type=int)
def revoke(kiosk_id: int) -> None:
    """Revoke a kiosk: its screen gets the ordinary website from its next request."""
    db = get_session()
    kiosk = db.get(Kiosk, kiosk_id)
    if kiosk is None:
        raise click.ClickException(f"no kiosk {kiosk_id}")
    services.revoke_kiosk(db, kiosk, actor="cli", actor_id=None, now=utcnow())
    db.commit()
    click.echo(f"Kiosk {kiosk_id} revoked.")
