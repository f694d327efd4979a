"""Time limits: 7 days, 3 months, 15 days in person; working days; overdue lists."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from portal.submissions.deadlines import Calendar, Limits, due_dates

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _limits(working: bool, holidays: set[date] = frozenset(), extra: set[date] = frozenset()):
    return Limits(7, 15, 3, 2, Calendar(working, frozenset(holidays), frozenset(extra), SHANGHAI))


def _local(value: datetime) -> date:
    return value.astimezone(SHANGHAI).date()


def test_calendar_days():
    received = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # Monday morning in Shanghai
    procedural, result = due_dates(received, "online", _limits(False))
    assert _local(procedural) == date(2026, 3, 9)
    assert _local(result) == date(2026, 6, 2)


def test_working_days_skip_weekends_and_holidays_and_count_adjusted_weekends():
    received = datetime(2026, 9, 28, 2, 0, tzinfo=UTC)  # Monday
    holidays = {date(2026, 10, d) for d in (1, 2, 5, 6, 7)}
    procedural, _ = due_dates(received, "online", _limits(True, holidays, {date(2026, 10, 10)}))
    # 29, 30 Sep; 8, 9, 10 (adjusted Saturday), 12, 13 Oct
    assert _local(procedural) == date(2026, 10, 13)


def test_in_person_petitions_have_15_days():
    received = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    procedural, _ = due_dates(received, "in_person", _limits(False))
    assert _local(procedural) == date(2026, 3, 17)


def test_month_end_is_clamped():
    received = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
    _, result = due_dates(received, "online", _limits(False))
    assert _local(result) == date(2027, 2, 28)


def test_the_holiday_file_is_read(app):
    from portal.submissions.deadlines import limits_from_config

    limits = limits_from_config({**app.config, "SUBMISSIONS_DAY_MODE": "working"})
    assert date(2026, 10, 1) in limits.calendar.holidays
    assert limits.calendar.is_working_day(date(2026, 10, 10))


def test_overdue_and_due_soon_on_the_dashboard(client, login_as, make_submission):
    now = datetime.now(UTC)
    _i, late, _q = make_submission(now=now - timedelta(days=8))
    _i, soon, _q = make_submission(now=now - timedelta(days=6))
    _i, fresh, _q = make_submission(now=now)
    login_as("moderator")
    page = client.get("/staff/").text
    assert "Overdue: 1" in page and "Due soon: 1" in page
    assert late in page and fresh not in page
    queue = client.get("/staff/submissions/?due=overdue").text
    assert late in queue and soon not in queue and fresh not in queue


def test_a_procedural_reply_stops_the_seven_day_clock(app, make_submission, create_staff):
    from portal.db import get_session
    from portal.submissions import services
    from portal.submissions.deadlines import limits_from_config
    from portal.submissions.models import Submission

    now = datetime.now(UTC)
    sub_id, _t, _q = make_submission(now=now - timedelta(days=8))
    staff = create_staff("moderator")
    with app.test_request_context():
        db = get_session()
        limits = limits_from_config(app.config)
        assert [i.submission.id for i in services.due_report(db, now, limits).overdue] == [sub_id]
        sub = db.get(Submission, sub_id)
        services.change_status(db, sub, "accepted", "受理", db.merge(staff), now)
        db.commit()
        assert services.due_report(db, now, limits).overdue == []
        # Three months later the result is overdue.
        later = now + timedelta(days=95)
        [item] = services.due_report(db, later, limits).overdue
        assert item.clock == "result"


def test_cli_prints_the_overdue_list(app, make_submission):
    _i, late, _q = make_submission(now=datetime.now(UTC) - timedelta(days=10))
    result = app.test_cli_runner().invoke(args=["submissions", "overdue"])
    assert result.exit_code == 0
    assert "Overdue: 1" in result.output and late in result.output
    assert "王小明" not in result.output


def test_a_transferred_matter_runs_no_clock(app, make_submission, create_staff):
    from portal.db import get_session
    from portal.submissions import services
    from portal.submissions.deadlines import limits_from_config
    from portal.submissions.models import Submission

    now = datetime.now(UTC)
    sub_id, _t, _q = make_submission(now=now - timedelta(days=8))
    staff = create_staff("moderator")
    with app.test_request_context():
        db = get_session()
        services.change_status(
            db, db.get(Submission, sub_id), "transferred", "移送公安机关", db.merge(staff), now
        )
        db.commit()
        later = services.due_report(db, now + timedelta(days=120), limits_from_config(app.config))
        assert later.overdue == [] and later.due_soon == []
