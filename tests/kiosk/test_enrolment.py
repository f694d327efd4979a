"""Which browsers are kiosks: only those that opened a one-time link, until revoked."""

from __future__ import annotations

from datetime import timedelta

from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.kiosk.models import Kiosk
from tests.helpers import submit


def test_an_ordinary_browser_at_kiosk_gets_a_page_saying_what_it_is_for(
    client: FlaskClient,
) -> None:
    page = client.get("/kiosk/")
    assert page.status_code == 200
    assert "touch screens in our liaison offices" in page.text
    assert "data-kiosk" not in page.text


def test_an_enrolled_screen_gets_the_start_screen_and_the_kiosk_shell(
    client: FlaskClient, enrol_kiosk
) -> None:
    enrol_kiosk(client)
    page = client.get("/kiosk/")
    assert "Case inquiry" in page.text and "12309" in page.text and "12388" in page.text
    assert "data-kiosk-idle" in page.text
    # Every page is in the kiosk shell, with large text by default and never cached.
    home = client.get("/documents/")
    assert 'class="large-text kiosk"' in home.text
    assert home.headers["Cache-Control"] == "no-store"
    assert "Staff sign-in" not in home.text


def test_the_enrolment_link_works_once(app: Flask, client: FlaskClient, enrol_kiosk) -> None:
    path = enrol_kiosk(client)
    other = app.test_client()
    other.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert other.get(path).status_code == 404
    assert "touch screens in our liaison offices" in other.get("/kiosk/").text


def test_an_expired_link_does_not_enrol(app: Flask, client: FlaskClient, db: Session) -> None:
    from portal.kiosk import services

    with app.app_context():
        from portal.db import get_session

        session = get_session()
        kiosk, token = services.register_kiosk(session, name="Old", office_id=None, actor="t")
        kiosk.enrol_expires_at = kiosk.enrol_expires_at - timedelta(hours=25)
        session.commit()
    assert client.get(f"/kiosk/enrol/{token}").status_code == 404


def test_a_forged_device_cookie_is_not_a_kiosk(client: FlaskClient, enrol_kiosk) -> None:
    enrol_kiosk(client)
    cookie = client.get_cookie("portal_kiosk")
    assert cookie is not None
    client.set_cookie("portal_kiosk", cookie.value[:-3] + "abc")
    page = client.get("/kiosk/")
    assert "touch screens in our liaison offices" in page.text
    assert client.get_cookie("portal_kiosk") is None  # the stale cookie is removed


def test_staff_pages_are_unreachable_from_a_kiosk(client: FlaskClient, enrol_kiosk) -> None:
    enrol_kiosk(client)
    assert client.get("/staff/login").status_code == 404
    assert client.get("/staff/").status_code == 404


def test_an_admin_registers_and_revokes_a_kiosk_and_the_screen_falls_back(
    app: Flask, client: FlaskClient, login_as, db: Session
) -> None:
    login_as("admin")
    response = submit(client, "/staff/kiosks/", {"name": "Hall, left", "office": ""})
    assert response.status_code == 200
    path = "/kiosk/enrol/" + response.text.split("/kiosk/enrol/")[1].split("<")[0]
    screen = app.test_client()
    screen.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert submit(screen, path, {}).status_code == 303
    assert "data-kiosk-idle" in screen.get("/kiosk/").text

    kiosk = db.scalar(select(Kiosk).where(Kiosk.name == "Hall, left"))
    assert kiosk is not None
    listing = client.get("/staff/kiosks/")
    assert "In use since" in listing.text
    assert submit(client, "/staff/kiosks/", {}, follow_redirects=False) is not None
    token = listing.text.split('name="csrf_token" value="')[1].split('"')[0]
    revoked = client.post(f"/staff/kiosks/{kiosk.id}/revoke", data={"csrf_token": token})
    assert revoked.status_code == 303
    # The screen's next request gets the ordinary site.
    page = screen.get("/kiosk/")
    assert "touch screens in our liaison offices" in page.text
    assert "data-kiosk-idle" not in screen.get("/").text


def test_other_staff_cannot_manage_kiosks(client: FlaskClient, login_as) -> None:
    login_as("moderator")
    assert client.get("/staff/kiosks/").status_code == 403


def test_the_command_line_prints_a_working_enrolment_link(app: Flask) -> None:
    runner = CliRunner()
    from portal.kiosk.cli import kiosk_cli

    with app.app_context():
        result = runner.invoke(kiosk_cli, ["enrol", "Lobby"], obj=None)
    assert result.exit_code == 0, result.output
    url = result.output.strip().splitlines()[-1]
    assert "/kiosk/enrol/" in url
    path = "/kiosk/enrol/" + url.split("/kiosk/enrol/")[1]
    screen = app.test_client()
    assert submit(screen, path, {}).status_code == 303
    assert "data-kiosk-idle" in screen.get("/kiosk/").text
