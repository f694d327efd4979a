"""One visitor at a time: ending a visit leaves nothing on the server, and each kiosk's
use is counted (started, used, completed, abandoned) without anything about the visitor."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from portal.config import PROJECT_ROOT
from portal.db import get_session, utcnow
from portal.kiosk.models import KioskUsage
from portal.kiosk.services import SERVICES
from portal.pages.services import load_pages
from portal.submissions import services as submission_services
from portal.submissions.models import SubmissionDraft, SubmissionFile
from portal.submissions.views import DRAFT_KEY

from ..booking.conftest import booking_data
from ..booking.factories import make_open_day
from ..cases.conftest import PARTY_ID, PARTY_NAME, case_record
from ..files import PDF
from ..helpers import submit
from ..submissions.conftest import ANSWERS, PERSON, codes_on, post_check

NUMBER = "示检刑诉〔2026〕1247号"


def _counts(db: Session) -> dict[tuple[str, str], int]:
    db.rollback()
    rows = db.execute(select(KioskUsage.service, KioskUsage.event, KioskUsage.count)).all()
    return {(service, event): count for service, event, count in rows}


def _draft_with_a_file(app: Flask, client: FlaskClient) -> tuple[str, Path]:
    """A complaint begun in `client` up to the details, with one attachment on disk."""
    assert submit(client, "/submissions/complaint/", {}).status_code == 302
    assert submit(client, "/submissions/complaint/about-you", PERSON).status_code == 302
    with client.session_transaction() as session:
        token = session[DRAFT_KEY]
    with app.app_context():
        db = get_session()
        draft = submission_services.find_draft(db, token, utcnow())
        assert draft is not None
        directory = Path(app.config["SUBMISSIONS_FILES_DIR"])
        item = submission_services.add_draft_file(
            db,
            draft,
            "受案回执.pdf",
            PDF,
            directory=directory,
            max_files=3,
            max_bytes=10**6,
            now=utcnow(),
        )
        stored = directory / item.stored_name
        db.commit()
    assert stored.exists()
    return token, stored


def _inquire(client: FlaskClient) -> str:
    return submit(
        client,
        "/cases/inquiry",
        {"case_number": NUMBER, "name": PARTY_NAME, "id_number": PARTY_ID},
    ).text


def test_ending_a_visit_deletes_the_draft_and_its_files(
    app: Flask, client: FlaskClient, db: Session, enrol_kiosk
) -> None:
    enrol_kiosk(client)
    client.get("/kiosk/go/submit")
    token, stored = _draft_with_a_file(app, client)

    response = client.post("/kiosk/end")
    assert response.status_code == 303 and response.headers["Location"].endswith("/kiosk/")
    db.rollback()
    assert db.scalar(select(SubmissionDraft).where(SubmissionDraft.token == token)) is None
    assert db.scalars(select(SubmissionFile)).all() == []
    assert not stored.exists()
    with client.session_transaction() as session:
        assert dict(session) == {}
    # The next visitor's Back to the form finds nothing to continue.
    assert client.get("/submissions/complaint/about-you").status_code == 302
    assert _counts(db)[("submit", "abandoned")] == 1


def test_a_submission_sent_at_a_kiosk_stays_but_its_draft_goes(
    client: FlaskClient, db: Session, enrol_kiosk
) -> None:
    enrol_kiosk(client)
    client.get("/kiosk/go/submit")
    submit(client, "/submissions/complaint/", {})
    submit(client, "/submissions/complaint/about-you", PERSON)
    submit(client, "/submissions/complaint/details", ANSWERS["complaint"])
    assert post_check(client, "complaint").status_code == 302
    confirmation = client.get("/submissions/confirmation").text
    assert 'action="/kiosk/end"' in confirmation and "data-kiosk-private" in confirmation

    client.post("/kiosk/end")
    db.rollback()
    assert db.scalars(select(SubmissionDraft)).all() == []  # the query code kept there too
    assert client.get("/submissions/confirmation").status_code == 302
    counts = _counts(db)
    assert counts[("submit", "completed")] == 1
    assert ("submit", "abandoned") not in counts


def test_each_event_is_counted_once_per_visit_and_service(
    client: FlaskClient, db: Session, enrol_kiosk, import_records, publish_document
) -> None:
    doc = publish_document()
    import_records(case_record())
    enrol_kiosk(client)

    # A visit that looks a case up, opens a document twice and finishes.
    client.get("/kiosk/go/inquiry")
    assert "陈某峰盗窃案" in _inquire(client)
    client.get("/kiosk/go/documents")
    client.get(f"/documents/{doc.ref}")
    client.get(f"/documents/{doc.ref}")
    client.get("/guide/")  # a list is not the end of a journey
    client.post("/kiosk/end")
    # A visit that chooses the complaint form and walks away.
    client.get("/kiosk/go/submit")
    client.post("/kiosk/end")
    # Ending with no visit (the start screen's End) counts nothing.
    client.post("/kiosk/end")

    assert _counts(db) == {
        ("", "started"): 2,
        ("inquiry", "used"): 1,
        ("inquiry", "completed"): 1,
        ("documents", "used"): 1,
        ("documents", "completed"): 1,
        ("submit", "used"): 1,
        ("submit", "abandoned"): 1,
    }


def test_a_booking_made_or_found_and_a_submission_tracked_are_completions(
    app: Flask, client: FlaskClient, db: Session, enrol_kiosk
) -> None:
    open_day = make_open_day(app, sessions=[{"capacity": 5}])
    enrol_kiosk(client)
    client.get("/kiosk/go/booking")
    booked = submit(client, f"/open-days/{open_day.id}/book", booking_data(open_day))
    assert booked.status_code == 302
    code = re.search(r'data-testid="booking-code">([^<]+)<', client.get("/open-days/booking").text)
    assert code is not None
    client.post("/kiosk/end")
    client.get("/kiosk/go/booking")
    found = submit(client, "/open-days/find", {"code": code.group(1), "phone": "13912345678"})
    assert found.status_code == 302
    client.post("/kiosk/end")

    client.get("/kiosk/go/submit")
    submit(client, "/submissions/complaint/", {})
    submit(client, "/submissions/complaint/about-you", PERSON)
    submit(client, "/submissions/complaint/details", ANSWERS["complaint"])
    receipt = codes_on(post_check(client, "complaint", follow_redirects=True).text)
    client.post("/kiosk/end")
    client.get("/kiosk/go/track")
    tracked = submit(
        client,
        "/submissions/track",
        {"tracking_code": receipt.tracking_code, "query_code": receipt.query_code},
    )
    assert tracked.status_code == 302
    client.post("/kiosk/end")

    counts = _counts(db)
    assert counts[("booking", "completed")] == 2
    assert counts[("track", "completed")] == 1
    assert counts[("", "started")] == 4
    assert not any(event == "abandoned" for _service, event in counts)


def test_a_journey_reached_without_a_tile_still_starts_a_visit(
    client: FlaskClient, db: Session, enrol_kiosk
) -> None:
    load_pages(db, PROJECT_ROOT / "content" / "pages")
    db.commit()
    enrol_kiosk(client)
    guide = re.search(r'href="(/guide/[^"/]+)"', client.get("/guide/").text)
    assert guide is not None
    client.get(guide.group(1))
    client.post("/kiosk/end")
    assert _counts(db) == {
        ("", "started"): 1,
        ("guides", "used"): 1,
        ("guides", "completed"): 1,
    }


def test_the_counts_hold_nothing_about_the_visitor(
    client: FlaskClient, db: Session, enrol_kiosk, import_records
) -> None:
    import_records(case_record())
    enrol_kiosk(client)
    client.get("/kiosk/go/inquiry")
    _inquire(client)
    client.post("/kiosk/end")
    columns = {c["name"] for c in inspect(db.get_bind()).get_columns("kiosk_usage")}
    assert columns == {"id", "kiosk_id", "day", "service", "event", "count"}
    for row in db.scalars(select(KioskUsage)):
        assert row.service in {*SERVICES, ""}
        assert row.event in {"started", "used", "completed", "abandoned"}
        assert PARTY_ID not in repr(vars(row)) and PARTY_NAME not in repr(vars(row))


def test_off_kiosk_nothing_is_counted(
    client: FlaskClient, db: Session, import_records, publish_document
) -> None:
    doc = publish_document()
    import_records(case_record())
    client.get("/kiosk/go/inquiry")
    page = _inquire(client)
    assert "陈某峰盗窃案" in page
    assert 'action="/kiosk/end"' not in page and "data-kiosk-private" not in page
    client.get(f"/documents/{doc.ref}")
    client.post("/kiosk/end")
    assert _counts(db) == {}


def test_pages_with_personal_data_clear_sooner_and_forms_are_not_remembered(
    client: FlaskClient, enrol_kiosk, import_records
) -> None:
    import_records(case_record())
    enrol_kiosk(client)
    form_page = client.get("/cases/inquiry").text
    assert "data-kiosk-private" not in form_page
    assert all('autocomplete="off"' in tag for tag in re.findall(r"<form\b[^>]*>", form_page))
    result = _inquire(client)
    assert 'data-kiosk-private="45"' in result
    assert re.search(r'<form[^>]*action="/kiosk/end"[^>]*>', result)
    assert "<dialog" in result and "Are you still there?" in result


def test_a_start_screen_left_in_the_middle_of_a_visit_clears_itself(
    client: FlaskClient, enrol_kiosk
) -> None:
    enrol_kiosk(client)
    client.post("/kiosk/end")
    assert "data-kiosk-visit-open" not in client.get("/kiosk/").text
    client.get("/kiosk/go/inquiry")
    assert "data-kiosk-visit-open" in client.get("/kiosk/").text
    client.post("/kiosk/end")
    assert "data-kiosk-visit-open" not in client.get("/kiosk/").text
    client.get("/language/en?next=/kiosk/")
    assert "data-kiosk-visit-open" in client.get("/kiosk/").text
