"""Races many people for the seats of one open-day session, through gunicorn.

Run from the repository root::

    .venv/bin/python bench/booking_race.py [--database-url URL] [--attempts 500]
        [--capacity 50] [--workers 4] [--concurrency 50]

It builds a throw-away instance (SQLite in a temporary folder by default; with
`--database-url postgresql+psycopg://...` a PostgreSQL database whose name
contains "bench", whose schema is dropped and rebuilt), creates one open day
with one session of CAPACITY seats and a waiting list of 200, then serves the
portal with gunicorn (several sync workers) on loopback and sends ATTEMPTS
booking forms at once, each as a separate browser (GET the form for its CSRF
token, then POST). Every 20th attempt reuses the identity number of the
attempt before it (the same person trying twice), and every 10th person who
got a booking cancels it at once, while the others are still booking:
cancellations free seats that the waiting list must take up.

Rate limiting is off (PORTAL_RATELIMIT_ENABLED=0): every request comes from
127.0.0.1. Mail is off (PORTAL_MAIL_ENABLED=0): promotion mails stay queued.

It prints the counts and the latency of the booking POSTs (p50, p95, max),
and exits 1 unless: exactly CAPACITY seats are confirmed and the session's
counter agrees, the waiting-list counter agrees with the bookings, no server
error or network failure happened, and no identity number has two active
bookings.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import re
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import web_bench as wb  # noqa: E402

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
WAITLIST = 200


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None, help="default: SQLite in a temp folder")
    parser.add_argument("--attempts", type=int, default=500)
    parser.add_argument("--capacity", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--concurrency", type=int, default=50, help="client threads")
    return parser.parse_args()


def resident_id(n: int) -> str:
    body = f"110101{19700101 + (n % 28) + 10000 * (n // 28 % 30):08d}{n % 1000:03d}"
    total = sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:  # type: ignore[override]
        return None


@dataclass
class Outcome:
    index: int
    status: int  # of the booking POST; 0 for a network failure
    seconds: float
    kind: str  # booked, full, duplicate, other, error
    cancelled: bool = False
    cancel_status: int | None = None


def _open(opener: urllib.request.OpenerDirector, url: str, data: bytes | None = None):
    try:
        reply = opener.open(url, data=data, timeout=120)
        return reply.status, reply.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(errors="replace")


def attempt(base: str, open_day_id: int, session_id: int, index: int) -> Outcome:
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
    )
    opener.addheaders = [("Accept-Language", "en")]  # the messages below are matched in English
    form_url = f"{base}/open-days/{open_day_id}/book"
    number = resident_id(index - 1 if index % 20 == 19 else index)
    try:
        status, page = _open(opener, form_url)
        token = TOKEN.search(page)
        if status != 200 or token is None:
            return Outcome(index, status, 0.0, "error")
        body = urllib.parse.urlencode(
            {
                "csrf_token": token.group(1),
                "session_id": str(session_id),
                "name": f"访客{index}",
                "id_type": "resident_card",
                "id_number": number,
                "phone": f"139{index:08d}",
                "email": f"visitor{index}@example.com",
            }
        ).encode()
        started = time.perf_counter()
        status, page = _open(opener, form_url, body)
        seconds = time.perf_counter() - started
    except OSError:
        return Outcome(index, 0, 0.0, "error")
    if status == 302:
        kind = "booked"
    elif status == 200 and "full and so is its waiting list" in page:
        kind = "full"
    elif status == 200 and "already has a booking" in page:
        kind = "duplicate"
    elif status >= 500:
        kind = "error"
    else:
        kind = "other"
        print(f"unexpected answer {status} to attempt {index}", file=sys.stderr)
    outcome = Outcome(index, status, seconds, kind)
    if kind == "booked" and index % 10 == 3:
        try:
            status, page = _open(opener, f"{base}/open-days/booking")
            token = TOKEN.search(page)
            assert token is not None
            body = urllib.parse.urlencode({"csrf_token": token.group(1)}).encode()
            outcome.cancel_status, _page = _open(opener, f"{base}/open-days/booking/cancel", body)
            outcome.cancelled = outcome.cancel_status == 302
        except (OSError, AssertionError):
            outcome.cancel_status = 0
    return outcome


def prepare(database_url: str, instance: Path, capacity: int) -> tuple[int, int]:
    """Schema by the real migrations, then one open day with one session."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from portal import create_app
    from portal.booking.models import Office, OpenDay, OpenDaySession
    from portal.db import get_session
    from portal.migrate import upgrade

    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":
        if "bench" not in (url.database or ""):
            raise SystemExit("refusing to drop a PostgreSQL database whose name lacks 'bench'")
        engine = create_engine(database_url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    upgrade(database_url)
    app = create_app(
        {"DATABASE_URL": database_url, "INSTANCE_PATH": str(instance), "MAIL_ENABLED": False}
    )
    now = datetime.now(UTC)
    with app.app_context():
        db = get_session()
        office = Office(name="城南检察联络室", address="示例区城南路 8 号")
        db.add(office)
        db.flush()
        open_day = OpenDay(
            office_id=office.id,
            title="检察开放日（压力测试）",
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=5),
            waitlist_limit=WAITLIST,
        )
        db.add(open_day)
        db.flush()
        visit = OpenDaySession(
            open_day_id=open_day.id,
            starts_at=now + timedelta(days=7),
            ends_at=now + timedelta(days=7, hours=2),
            capacity=capacity,
            seats_taken=0,
            waitlisted=0,
        )
        db.add(visit)
        db.commit()
        ids = open_day.id, visit.id
    app.extensions["portal.db"].dispose()
    return ids


def verify(database_url: str, instance: Path, session_id: int) -> dict[str, int]:
    from sqlalchemy import func, select

    from portal import create_app
    from portal.booking.models import Booking, OpenDaySession
    from portal.crypto import keyed_hash
    from portal.db import get_session

    app = create_app({"DATABASE_URL": database_url, "INSTANCE_PATH": str(instance)})
    with app.app_context():
        db = get_session()
        visit = db.get(OpenDaySession, session_id)
        assert visit is not None
        by_status = Counter(
            dict(db.execute(select(Booking.status, func.count()).group_by(Booking.status)).all())
        )
        seats = db.scalar(
            select(func.coalesce(func.sum(Booking.party_size), 0)).where(
                Booking.status == "confirmed"
            )
        )
        active = db.scalars(select(Booking).where(Booking.status != "cancelled")).all()
        hashes = Counter(keyed_hash(b.id_number, "booking-id-number") for b in active)
        promoted = db.scalar(select(func.count()).where(Booking.promoted_at.is_not(None)))
        figures = {
            "confirmed": by_status["confirmed"],
            "confirmed_seats": int(seats or 0),
            "seats_taken": visit.seats_taken,
            "waitlisted": by_status["waitlisted"],
            "waitlist_counter": visit.waitlisted,
            "cancelled": by_status["cancelled"],
            "promoted": int(promoted or 0),
            "ids_booked_twice": sum(1 for count in hashes.values() if count > 1),
        }
    app.extensions["portal.db"].dispose()
    return figures


def main() -> int:
    args = parse_args()
    bin_dir = wb.venv_bin()
    wb.WORKERS = args.workers
    with tempfile.TemporaryDirectory(prefix="booking-race-") as tmp:
        instance = Path(tmp) / "instance"
        instance.mkdir()
        database_url = args.database_url or f"sqlite:///{instance / 'portal.db'}"
        backend = database_url.split(":", 1)[0]
        print(
            f"booking race on {backend}: {args.attempts} attempts for {args.capacity} seats, "
            f"waiting list {WAITLIST}, {args.workers} gunicorn workers, "
            f"{args.concurrency} client threads"
        )
        open_day_id, session_id = prepare(database_url, instance, args.capacity)
        env = wb.child_env(instance)
        env.update(
            {
                "PORTAL_DATABASE_URL": database_url,
                "PORTAL_RATELIMIT_ENABLED": "0",
                "PORTAL_MAIL_ENABLED": "0",
            }
        )
        server = wb.start_gunicorn("portal", bin_dir, "portal:create_app()", env, Path(tmp) / "log")
        try:
            wb.wait_until_ready(server, f"/open-days/{open_day_id}", timeout=180)
            started = time.perf_counter()
            lock = threading.Lock()
            outcomes: list[Outcome] = []

            def run(index: int) -> None:
                result = attempt(server.base, open_day_id, session_id, index)
                with lock:
                    outcomes.append(result)

            with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
                list(pool.map(run, range(args.attempts)))
            elapsed = time.perf_counter() - started
        finally:
            wb.stop_server(server)
        figures = verify(database_url, instance, session_id)

    kinds = Counter(o.kind for o in outcomes)
    cancels = sum(1 for o in outcomes if o.cancelled)
    cancel_errors = sum(1 for o in outcomes if o.cancel_status not in (None, 302))
    errors = kinds["error"] + kinds["other"] + cancel_errors
    latencies = sorted(o.seconds for o in outcomes if o.status)
    p95 = latencies[max(int(len(latencies) * 0.95) - 1, 0)] if latencies else 0.0
    print(f"  wall time           {elapsed:.2f} s ({args.attempts / elapsed:.0f} bookings/s)")
    print(
        f"  booking POST        p50 {statistics.median(latencies) * 1000:.0f} ms, "
        f"p95 {p95 * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms"
    )
    print(
        f"  responses           booked {kinds['booked']}, refused full {kinds['full']}, "
        f"refused same ID {kinds['duplicate']}, errors {errors}"
    )
    print(f"  cancellations       {cancels} (while others booked)")
    print(
        f"  final               confirmed {figures['confirmed']} "
        f"(seats counter {figures['seats_taken']}), waitlisted {figures['waitlisted']} "
        f"(counter {figures['waitlist_counter']}), cancelled {figures['cancelled']}, "
        f"promoted from the waiting list {figures['promoted']}"
    )
    print(f"  IDs booked twice    {figures['ids_booked_twice']}")

    failures = []
    if figures["confirmed_seats"] != args.capacity:
        failures.append(f"{figures['confirmed_seats']} seats confirmed, not {args.capacity}")
    if figures["seats_taken"] != figures["confirmed_seats"]:
        failures.append("the session's seat counter disagrees with the bookings")
    if figures["waitlist_counter"] != figures["waitlisted"]:
        failures.append("the waiting-list counter disagrees with the bookings")
    if errors:
        failures.append(f"{errors} server errors or failed requests")
    if figures["ids_booked_twice"]:
        failures.append(f"{figures['ids_booked_twice']} identity numbers booked twice")
    if kinds["duplicate"] == 0:
        failures.append("no repeated ID number was refused (the check did not run)")
    for failure in failures:
        print(f"FAIL: {failure}", file=sys.stderr)
    if not failures:
        print("OK: capacity exact, no errors, no ID booked twice")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
