"""The audit chain detects changed, removed and reordered entries."""

from __future__ import annotations

import threading

from sqlalchemy import delete, select, update

from portal import audit
from portal.audit import AuditEntry
from portal.db import get_session


def _append(db, n):
    for i in range(n):
        audit.record(db, action="staff.login", actor="tester", target_type="thing", target_id=i)
    db.commit()


def test_an_untouched_chain_verifies(db):
    _append(db, 5)
    report = audit.verify(db)
    assert report.ok and report.entries == 5


def test_a_changed_entry_is_detected(db):
    _append(db, 5)
    db.execute(update(AuditEntry).where(AuditEntry.seq == 3).values(actor="someone else"))
    db.commit()
    report = audit.verify(db)
    assert not report.ok and report.broken_at == 3 and "altered" in report.reason


def test_a_removed_entry_is_detected(db):
    _append(db, 5)
    db.execute(delete(AuditEntry).where(AuditEntry.seq == 2))
    db.commit()
    assert audit.verify(db).broken_at == 2


def test_removing_the_newest_entries_is_detected(db):
    _append(db, 5)
    db.execute(delete(AuditEntry).where(AuditEntry.seq >= 4))
    db.commit()
    report = audit.verify(db)
    assert not report.ok and "end" in report.reason


def test_cli_verify_exits_non_zero_on_tampering(app, db):
    _append(db, 3)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    db.execute(update(AuditEntry).where(AuditEntry.seq == 1).values(details={"x": 1}))
    db.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "BROKEN at entry 1" in result.output


def test_concurrent_writers_keep_one_unbroken_chain(app):
    """Appends from many threads at once still form a single chain."""
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            with app.app_context():
                db = get_session()
                for i in range(10):
                    audit.record(db, action="staff.login", actor="t", target_id=i)
                    db.commit()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with app.app_context():
        db = get_session()
        report = audit.verify(db)
        assert report.ok, report
        assert report.entries == 60
        assert len(set(db.scalars(select(AuditEntry.hash)))) == 60
