"""`flask demo load` lets whoever runs `make run` try the appointments: the demo
administrator handles a department with demo cases, and its slots are published."""

from __future__ import annotations

from pathlib import Path

import pyotp
from sqlalchemy import func, select

from portal.appointments.models import AppointmentSlot
from portal.cases.models import Case
from portal.cli import DEMO_USERNAME
from portal.db import get_session
from portal.staff import services as staff_services

from ..helpers import sign_in


def test_the_demo_administrator_sees_the_slots_of_a_department_with_demo_cases(app, client):
    runner = app.test_cli_runner()
    for _ in range(2):  # loading again adds nothing
        result = runner.invoke(args=["demo", "load"])
        assert result.exit_code == 0, result.output
    with app.app_context():
        db = get_session()
        admin = staff_services.find_staff(db, DEMO_USERNAME)
        assert admin is not None and admin.department == "第一检察部"
        assert db.scalar(select(Case.id).where(Case.department == admin.department).limit(1))
        assert db.scalar(select(func.count(AppointmentSlot.id))) == 6
        admin.totp_secret = pyotp.random_base32()
        db.commit()
    password = (Path(app.instance_path) / "demo-staff.txt").read_text().split()[1]
    sign_in(client, admin, password)
    page = client.get("/staff/appointments/slots").text
    assert page.count("阅卷室 1") == 3 and page.count("第一会见室") == 3
