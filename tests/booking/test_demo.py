"""The demo open days load once and show on the public list."""

from __future__ import annotations

from portal.booking.demo import load_demo_open_days
from portal.db import get_session, utcnow


def test_demo_open_days_load_once_and_are_listed(app, client):
    with app.app_context():
        db = get_session()
        assert load_demo_open_days(db, utcnow()) == 2
        assert load_demo_open_days(db, utcnow()) == 0
        db.commit()
    page = client.get("/open-days/")
    assert "检察开放日：走进公诉厅" in page.text and "未成年人检察开放日" in page.text
