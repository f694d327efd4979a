"""Lottery mode: entries during the window, a draw after it, reproducible from its seed."""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from portal.audit import AuditEntry
from portal.booking import services
from portal.booking.models import Booking, OpenDay

from ..helpers import csrf_token, submit
from .factories import resident_id


def _enter(app, open_day, n: int) -> None:
    visitor = app.test_client()
    visitor.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = submit(
        visitor,
        f"/open-days/{open_day.id}/book",
        {
            "session_id": str(open_day.sessions[0].id),
            "name": "参与者",
            "id_type": "resident_card",
            "id_number": resident_id(),
            "phone": "13912345678",
            "email": f"entrant{n}@example.com",
        },
    )
    assert response.status_code == 302
    assert "Entered in the draw" in visitor.get("/open-days/booking").text


def _close_registration(db, open_day) -> None:
    db.rollback()
    db.execute(
        update(OpenDay)
        .where(OpenDay.id == open_day.id)
        .values(closes_at=datetime.now(UTC) - timedelta(minutes=1))
    )
    db.commit()


def test_a_draw_confirms_up_to_capacity_and_can_be_reproduced_from_its_seed(
    client, app, db, login_as, create_open_day, mailbox, deliver_mail
):
    open_day = create_open_day(allocation="lottery", sessions=[{"capacity": 3}])
    for n in range(8):
        _enter(app, open_day, n)
    db.rollback()
    assert {b.status for b in db.scalars(select(Booking))} == {"entered"}

    login_as("events_coordinator")
    path = f"/staff/open-days/{open_day.id}"
    early = client.post(f"{path}/draw", data={"csrf_token": csrf_token(client, path)})
    assert early.status_code == 302
    assert "only after registration closes" in client.get(path).text

    _close_registration(db, open_day)
    client.post(f"{path}/draw", data={"csrf_token": csrf_token(client, path)})
    results = client.get(f"/open-days/{open_day.id}/draw")
    seed = re.search(r'data-testid="seed">([0-9a-f]+)<', results.text).group(1)
    published = [int(n) for n in re.findall(r"<tr><td>\d+</td><td>(\d+)</td>", results.text)]

    db.rollback()
    entries = [b.id for b in db.scalars(select(Booking))]
    # Anyone can redo the draw from the published seed and the algorithm on the page.
    redone = sorted(
        entries,
        key=lambda n: hmac.new(seed.encode(), str(n).encode(), hashlib.sha256).hexdigest(),
    )
    assert published == redone
    by_id = {b.id: b for b in db.scalars(select(Booking))}
    assert [by_id[n].status for n in redone] == ["confirmed"] * 3 + ["waitlisted"] * 5
    assert [by_id[n].queue_rank for n in redone] == list(range(1, 9))
    deliver_mail()
    assert len(mailbox.messages) == 8
    audit_entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "booking.lottery_run"))
    assert audit_entry.details["seed"] == seed

    again = client.post(f"{path}/draw", data={"csrf_token": csrf_token(client, path)})
    assert again.status_code == 302
    assert "already been made" in client.get(path).text


def test_the_draw_order_is_a_pure_function_of_seed_and_entries():
    entries = list(range(1, 50))
    assert services.draw_order("abc", entries) == services.draw_order("abc", entries[::-1])
    assert services.draw_order("abc", entries) != services.draw_order("abd", entries)


def test_waitlisted_people_after_a_draw_are_promoted_in_draw_order(
    app, db, create_open_day, create_staff
):
    open_day = create_open_day(allocation="lottery", sessions=[{"capacity": 1}])
    for n in range(3):
        _enter(app, open_day, n)
    _close_registration(db, open_day)
    staff = create_staff("events_coordinator")
    with app.test_request_context():
        from portal.db import get_session

        session = get_session()
        day = session.get(OpenDay, open_day.id)
        services.run_lottery(session, day, session.merge(staff), now=datetime.now(UTC), seed="s")
        session.commit()
        order = services.draw_order("s", [b.id for b in session.scalars(select(Booking))])
        winner = session.get(Booking, order[0])
        promoted = services.cancel_booking(session, winner, now=datetime.now(UTC))
        session.commit()
        assert [b.id for b in promoted] == [order[1]]
