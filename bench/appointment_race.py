"""Races case officers accepting many lawyers' requests into one slot.

Run from the repository root::

    .venv/bin/python bench/appointment_race.py [--database-url URL] [--requests 100]
        [--capacity 5] [--officers 100]

It builds a throw-away instance (SQLite in a temporary folder by default; with
`--database-url postgresql+psycopg://...` a PostgreSQL database whose name
contains "bench", or any with --drop-ok, whose schema is dropped and rebuilt),
a known case of one
department, one slot of CAPACITY seats, and REQUESTS lawyers' requests made
through the submissions' own service. Then OFFICERS threads, each with its own
database session as a separate officer's request would have, accept every
request into that slot at once through `appointments.services.accept`.

It prints the counts and the latency of the accepts, and exits 1 unless exactly
CAPACITY requests are accepted, the slot's `taken` is CAPACITY, every other
request is still waiting for an answer, and no accept failed with anything but
"the slot is full".
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CASE_NUMBER = "示检刑诉〔2026〕15号"
DEPARTMENT = "第一检察部"
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None, help="default: SQLite in a temp folder")
    parser.add_argument(
        "--drop-ok",
        action="store_true",
        help="allow dropping the schema of a PostgreSQL database whose name lacks 'bench'",
    )
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--capacity", type=int, default=5)
    parser.add_argument(
        "--officers", type=int, default=100, help="concurrent threads (one per request)"
    )
    return parser.parse_args()


def resident_id(n: int) -> str:
    body = f"110101{19700101 + (n % 28):08d}{n % 1000:03d}"
    total = sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


def prepare(app, requests: int, capacity: int) -> tuple[int, list[int], list[int]]:  # noqa: ANN001
    """A case, a slot, the officers and the requests: (slot id, request ids, officer ids)."""
    from portal.appointments import services
    from portal.appointments.models import AppointmentSlot
    from portal.cases.models import Case
    from portal.cases.numbers import case_number_key
    from portal.db import get_session
    from portal.staff import services as staff_services
    from portal.submissions import services as submissions
    from portal.submissions.deadlines import limits_from_config

    now = datetime.now(UTC)
    with app.test_request_context():
        db = get_session()
        db.add(
            Case(
                number=CASE_NUMBER,
                number_key=case_number_key(CASE_NUMBER),
                name="压力测试案",
                department=DEPARTMENT,
                accepted_on=date(2026, 11, 1),
                source_hash="bench",
            )
        )
        slot = AppointmentSlot(
            department=DEPARTMENT,
            starts_at=now + timedelta(days=3),
            ends_at=now + timedelta(days=3, hours=1),
            room="阅卷室 1",
            capacity=capacity,
            taken=0,
        )
        db.add(slot)
        officers = [
            staff_services.create_staff(
                db,
                username=f"officer{i}",
                password=secrets.token_urlsafe(16),
                roles=["case_officer"],
                department=DEPARTMENT,
                actor="bench",
            )
            for i in range(4)
        ]
        limits = limits_from_config(app.config)
        ids = []
        for n in range(requests):
            created = submissions.create_submission(
                db,
                kind=services.KIND,
                anonymous=False,
                identity={
                    "name": f"律师{n}",
                    "id_number": resident_id(n),
                    "phone": f"139{n:08d}",
                    "email": f"lawyer{n}@example.com",
                },
                answers={
                    "purpose": "file_reading",
                    "applicant_type": "lawyer",
                    "law_firm": "示例律师事务所",
                    "licence": f"{13101201910000000 + n}",
                    "case_number": CASE_NUMBER,
                    "client": "李某",
                },
                language="zh_Hans",
                limits=limits,
                now=now,
            )
            appointment = services.for_submission(db, created.submission)
            assert appointment is not None
            ids.append(appointment.id)
        db.commit()
        return slot.id, ids, [o.id for o in officers]


def accept_one(app, appointment_id: int, slot_id: int, officer_id: int) -> tuple[str, float]:  # noqa: ANN001
    """One officer's accept, in its own session and transaction, as a request would be."""
    from portal.appointments import services
    from portal.appointments.models import Appointment
    from portal.db import get_session
    from portal.staff.models import StaffUser

    with app.test_request_context():
        db = get_session()
        started = time.perf_counter()
        try:
            staff = db.get(StaffUser, officer_id)
            appointment = db.get(Appointment, appointment_id)
            services.accept(
                db,
                staff,
                appointment,
                slot_id,
                datetime.now(UTC),
                lookup_url="http://127.0.0.1/appointments/lookup",
            )
            db.commit()
            outcome = "accepted"
        except services.AppointmentError as exc:
            db.rollback()
            outcome = "full" if exc.field == "slot_id" else "refused"
        except Exception as exc:  # noqa: BLE001 - counted and reported
            db.rollback()
            print(f"error on {appointment_id}: {exc.__class__.__name__}: {exc}", file=sys.stderr)
            outcome = "error"
        return outcome, time.perf_counter() - started


def verify(app, slot_id: int) -> dict[str, int]:  # noqa: ANN001
    from sqlalchemy import func, select

    from portal.appointments.models import Appointment, AppointmentSlot
    from portal.db import get_session

    with app.app_context():
        db = get_session()
        slot = db.get(AppointmentSlot, slot_id)
        assert slot is not None
        counts = Counter(
            dict(
                db.execute(
                    select(Appointment.status, func.count()).group_by(Appointment.status)
                ).all()
            )
        )
        in_slot = db.scalar(select(func.count()).where(Appointment.slot_id == slot_id)) or 0
        return {
            "accepted": counts["accepted"],
            "requested": counts["requested"],
            "taken": slot.taken,
            "in_slot": int(in_slot),
        }


def main() -> int:
    args = parse_args()
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from portal import create_app
    from portal.migrate import upgrade

    with tempfile.TemporaryDirectory(prefix="appointment-race-") as tmp:
        instance = Path(tmp) / "instance"
        instance.mkdir()
        database_url = args.database_url or f"sqlite:///{instance / 'portal.db'}"
        url = make_url(database_url)
        if url.get_backend_name() == "postgresql":
            if "bench" not in (url.database or "") and not args.drop_ok:
                raise SystemExit("refusing to drop a PostgreSQL database whose name lacks 'bench'")
            engine = create_engine(database_url)
            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
            engine.dispose()
        upgrade(database_url)
        app = create_app(
            {
                "DATABASE_URL": database_url,
                "INSTANCE_PATH": str(instance),
                "MAIL_ENABLED": False,
                "SERVER_NAME": "127.0.0.1",
            }
        )
        print(
            f"appointment race on {url.get_backend_name()}: {args.requests} requests into one "
            f"slot of {args.capacity}, {args.officers} officers at once"
        )
        slot_id, ids, officers = prepare(app, args.requests, args.capacity)
        lock = threading.Lock()
        outcomes: list[tuple[str, float]] = []

        def run(index: int) -> None:
            result = accept_one(app, ids[index], slot_id, officers[index % len(officers)])
            with lock:
                outcomes.append(result)

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.officers) as pool:
            list(pool.map(run, range(len(ids))))
        elapsed = time.perf_counter() - started
        figures = verify(app, slot_id)
        app.extensions["portal.db"].dispose()

    kinds = Counter(kind for kind, _seconds in outcomes)
    latencies = sorted(seconds for _kind, seconds in outcomes)
    p95 = latencies[max(int(len(latencies) * 0.95) - 1, 0)]
    print(f"  wall time           {elapsed:.2f} s ({len(ids) / elapsed:.0f} accepts/s)")
    print(
        f"  accept              p50 {statistics.median(latencies) * 1000:.0f} ms, "
        f"p95 {p95 * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms"
    )
    print(
        f"  answers             accepted {kinds['accepted']}, slot full {kinds['full']}, "
        f"other refusals {kinds['refused']}, errors {kinds['error']}"
    )
    print(
        f"  final               accepted {figures['accepted']}, slot taken {figures['taken']}, "
        f"requests in the slot {figures['in_slot']}, still waiting {figures['requested']}"
    )
    failures = []
    if figures["accepted"] != args.capacity or kinds["accepted"] != args.capacity:
        failures.append(f"{figures['accepted']} accepted, not {args.capacity}")
    if figures["taken"] != args.capacity or figures["in_slot"] != args.capacity:
        failures.append(f"the slot's taken is {figures['taken']}, not {args.capacity}")
    if figures["requested"] != len(ids) - args.capacity:
        failures.append("refused accepts did not leave their requests waiting")
    if kinds["error"] or kinds["refused"]:
        failures.append(f"{kinds['error'] + kinds['refused']} accepts failed otherwise")
    for failure in failures:
        print(f"FAIL: {failure}", file=sys.stderr)
    if not failures:
        print("OK: exactly the capacity accepted, the slot's count agrees, no errors")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
