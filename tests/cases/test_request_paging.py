"""The access-request list pages through every request instead of stopping at 100."""

from __future__ import annotations

import re
from datetime import timedelta

from portal.cases.models import AccessRequest
from portal.cases.staff import REQUESTS_PER_PAGE
from portal.db import utcnow


def test_every_pending_request_can_be_reached(client, login_as, db):
    count = 2 * REQUESTS_PER_PAGE + 3
    start = utcnow() - timedelta(days=1)
    for n in range(count):
        db.add(
            AccessRequest(
                reference=f"R{n:05d}",
                case_number="示检刑诉〔2026〕1247号",
                number_key="x",
                role="defender",
                relation="辩护人",
                requester_name="周律师",
                id_number="-",
                id_hash="-",
                phone="-",
                email="-",
                created_at=start + timedelta(minutes=n),
            )
        )
    db.commit()
    login_as("case_officer")
    seen: set[str] = set()
    for page in (1, 2, 3):
        text = client.get(f"/staff/cases/requests?page={page}").text
        seen.update(re.findall(r">(R\d{5})</a>", text))
    assert len(seen) == count
    first = client.get("/staff/cases/requests").text
    assert 'aria-label="Page 3"' in first and 'aria-label="Page 4"' not in first
