"""Kiosk use is counted per office and day, without anything about the visitor."""

from __future__ import annotations

import threading

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.booking.models import Office
from portal.kiosk.models import KioskUsage


def _office(db: Session, name: str) -> int:
    office = Office(name=name, address="示例路 1 号")
    db.add(office)
    db.commit()
    return office.id


def test_staff_see_visits_and_services_per_office_and_day(
    app: Flask, client: FlaskClient, db: Session, enrol_kiosk, login_as
) -> None:
    office = _office(db, "东城联络站")
    screen = app.test_client()
    enrol_kiosk(screen, office_id=office)
    screen.get("/kiosk/go/inquiry")
    screen.get("/kiosk/go/booking")  # the same visit chooses a second service
    screen.post("/kiosk/end")
    screen.get("/kiosk/go/documents")  # a second visit

    login_as("admin")
    page = client.get("/staff/kiosks/").text
    row = page.rsplit("东城联络站</td>", 1)[1].split("</tr>")[0]  # the usage table is last
    cells = [c.split("</td>")[0] for c in row.split("<td>")[1:]]
    assert cells[:3] == ["2", "0", "1"]  # started, completed, abandoned
    assert "Case inquiry 1" in cells[3] and "Open days 1" in cells[3]
    assert "Published documents 1" in cells[3]


def test_concurrent_visits_never_lose_a_count(app: Flask, db: Session, enrol_kiosk) -> None:
    screens = []
    for n in range(4):
        screen = app.test_client()
        enrol_kiosk(screen, name=f"screen {n}")
        screens.append(screen)
    shared = screens[0]
    errors: list[str] = []

    def tap(screen: FlaskClient) -> None:
        for _ in range(15):
            response = screen.get("/kiosk/go/guides")
            if response.status_code != 303:
                errors.append(str(response.status_code))

    threads = [threading.Thread(target=tap, args=(s,)) for s in screens + [shared]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    total = db.scalar(
        select(func.sum(KioskUsage.count)).where(
            KioskUsage.service == "guides", KioskUsage.event == "used"
        )
    )
    assert total == 15 * 5


def test_counts_hold_no_personal_data(app: Flask, db: Session, enrol_kiosk) -> None:
    screen = app.test_client()
    enrol_kiosk(screen)
    screen.get("/kiosk/go/inquiry")
    columns = {c.name for c in KioskUsage.__table__.columns}
    assert columns == {"id", "kiosk_id", "day", "service", "event", "count"}


def test_an_ordinary_browser_is_not_counted(client: FlaskClient, db: Session) -> None:
    assert client.get("/kiosk/go/inquiry").status_code == 303
    assert db.scalar(select(func.count()).select_from(KioskUsage)) == 0
