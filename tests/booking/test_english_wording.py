"""Open days in English: staff write the English beside the Chinese; English pages fall
back to the Chinese, marked as Chinese; Chinese pages always show the Chinese."""

from __future__ import annotations

from sqlalchemy import select

from portal.booking.models import OpenDay

from ..helpers import submit


def test_staff_write_english_wording_and_english_pages_show_it(
    client, db, login_as, create_open_day
):
    open_day = create_open_day()
    login_as("events_coordinator")
    page = client.get(f"/staff/open-days/{open_day.id}/edit")
    assert 'name="title_en"' in page.text and 'lang="en"' in page.text
    data = {
        "office_id": str(open_day.office_id),
        "title": open_day.title,
        "title_en": "Open day: the trial chamber",
        "description": open_day.description,
        "description_en": "",
        "what_to_bring": open_day.what_to_bring,
        "what_to_bring_en": "Please arrive 15 minutes early.",
        "opens_at": "2030-05-01T09:00",
        "closes_at": "2030-05-10T18:00",
        "min_age": "10",
        "max_age": "80",
        "id_types": ["resident_card"],
        "max_party": "1",
        "allocation": "fcfs",
        "waitlist_limit": "50",
    }
    assert submit(client, f"/staff/open-days/{open_day.id}/edit", data).status_code == 302
    db.rollback()
    assert db.scalar(select(OpenDay.title_en)) == "Open day: the trial chamber"

    public = f"/open-days/{open_day.id}"
    client.set_cookie("portal_lang", "en")
    english = client.get(public).text
    assert "<h1>Open day: the trial chamber</h1>" in english
    assert '<div class="prose" lang="zh-Hans"><p>参观办案区' in english
    assert "<p>Please arrive 15 minutes early.</p>" in english
    client.set_cookie("portal_lang", "zh_Hans")
    chinese = client.get(public).text
    assert f"<h1>{open_day.title}</h1>" in chinese and "trial chamber" not in chinese
    assert "<p>请提前 15 分钟到达。</p>" in chinese
