"""Takes PNG screenshots of the main citizen and staff pages, for people to review.

Starts its own portal (gunicorn on a throw-away SQLite instance with the demo
content, as bench/search_quality.py does), adds one submission whose codes it
knows and a signed-in staff account, then opens in Debian's Chromium: the home
page, a complaint form, the tracking page of that submission, the staff queue
and the staff detail page of that submission, 1280 px and 360 px wide, in
Chinese (the citizen pages in English too). Pages are found by URL only, so a
redesign of their markup does not break the script. Prints the files written.

    python bench/screenshots.py [--out build/screenshots]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyotp
import web_bench as wb
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

if str(wb.REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(wb.REPO_ROOT))

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WIDTHS = {"desktop": (1280, 900), "phone": (360, 740)}
LOCALES = {"zh": "zh-CN", "en": "en-GB"}
STAFF_USER = "screenshots"
STAFF_PASSWORD = "screenshots only, a throw-away instance"  # noqa: S105


@dataclass(frozen=True)
class Seeded:
    """What the script added to the demo content, so it can open those pages."""

    submission_id: int
    tracking_code: str
    query_code: str
    totp_secret: str


def seed(env: dict[str, str]) -> Seeded:
    """A complaint with a status change and a reply, and a staff account enrolled in TOTP."""
    os.environ.update({k: v for k, v in env.items() if k.startswith("PORTAL_")})
    from portal import create_app
    from portal.db import get_session, utcnow
    from portal.staff import services as staff_services
    from portal.staff.models import ROLES
    from portal.submissions import services
    from portal.submissions.deadlines import limits_from_config

    app = create_app()
    with app.test_request_context("/"):  # a refused value's message is translated
        db = get_session()
        staff = staff_services.create_staff(
            db, username=STAFF_USER, password=STAFF_PASSWORD, roles=list(ROLES), actor="cli"
        )
        staff.totp_secret = pyotp.random_base32()
        created = services.create_submission(
            db,
            kind="complaint",
            anonymous=False,
            identity={
                "name": "张晓华",
                "id_number": "11010519491231002X",
                "phone": "13900001111",
                "email": "",
            },
            answers={
                "subject": "对某区市场监督管理局行政处罚决定的控告",
                "accused": "示例区市场监督管理局",
                "facts": "2026年4月，我的小店被处以罚款，"
                "执法人员未出示证件，也未告知陈述申辩的权利。",
                "request": "请检察院依法监督。",
            },
            language="zh_Hans",
            limits=limits_from_config(app.config),
            now=utcnow(),
        )
        submission = created.submission
        services.change_status(db, submission, "accepted", "依法受理。", staff, utcnow())
        services.post_reply(
            db,
            submission,
            "您反映的问题已受理，我院将在法定期限内审查并答复。",
            staff,
            utcnow(),
            track_url="/submissions/track",
            new_status="in_progress",
        )
        db.commit()
        assert created.query_code is not None  # a new submission, not a repeated one
        return Seeded(
            submission.id, submission.tracking_code, created.query_code, staff.totp_secret
        )


def start_portal(tmp: Path, servers: list[wb.Server]) -> tuple[str, Seeded]:
    bin_dir = wb.venv_bin()
    env = wb.child_env(tmp)
    env["PORTAL_RATELIMIT_ENABLED"] = "0"  # every page comes from one address
    print(f"Preparing instance {tmp}")
    wb.run_cli(bin_dir, env, "db", "upgrade")
    wb.run_cli(bin_dir, env, "demo", "load")
    seeded = seed(env)
    wb.run_cli(bin_dir, env, "search", "rebuild")
    portal = wb.start_gunicorn("portal", bin_dir, "portal:create_app()", env, tmp / "portal.log")
    servers.append(portal)
    wb.wait_until_ready(portal, "/healthz", timeout=120)
    return portal.base, seeded


def submit_first_form(page: Page) -> None:
    """Send the page's main form as it stands (a start button, a sign-in step)."""
    form = page.locator("main form:has(input[name=csrf_token])").first
    with page.expect_navigation():
        form.evaluate("f => f.requestSubmit()")


def sign_in(page: Page, seeded: Seeded) -> None:
    page.goto("/staff/login")
    page.locator("input[name=username]").fill(STAFF_USER)
    page.locator("input[name=password]").fill(STAFF_PASSWORD)
    submit_first_form(page)
    page.locator("input[name=code]").fill(pyotp.TOTP(seeded.totp_secret).now())
    submit_first_form(page)
    if "/staff/login" in page.url:
        raise wb.BenchError(
            f"the staff sign-in did not succeed (still on {page.url}):\n"
            + page.locator("main").inner_text()[:500]
        )


def track(page: Page, seeded: Seeded) -> None:
    page.goto("/submissions/track")
    page.locator("input[name=tracking_code]").fill(seeded.tracking_code)
    page.locator("input[name=query_code]").fill(seeded.query_code)
    submit_first_form(page)


def shoot(page: Page, out: Path, name: str, written: list[Path]) -> None:
    page.wait_for_load_state("load")
    path = out / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    written.append(path)


def citizen_pages(context: BrowserContext, out: Path, tag: str, seeded: Seeded) -> list[Path]:
    written: list[Path] = []
    page = context.new_page()
    page.goto("/")
    shoot(page, out, f"home-{tag}", written)
    page.goto("/submissions/complaint/")
    submit_first_form(page)  # starts a draft: the first question page follows
    shoot(page, out, f"complaint-form-{tag}", written)
    track(page, seeded)
    shoot(page, out, f"tracking-{tag}", written)
    return written


def staff_pages(context: BrowserContext, out: Path, tag: str, seeded: Seeded) -> list[Path]:
    written: list[Path] = []
    page = context.new_page()
    page.goto("/staff/submissions/")
    shoot(page, out, f"staff-queue-{tag}", written)
    page.goto(f"/staff/submissions/{seeded.submission_id}")
    shoot(page, out, f"staff-detail-{tag}", written)
    return written


def take_all(browser: Browser, base: str, seeded: Seeded, out: Path) -> list[Path]:
    def context(width_name: str, locale: str, **extra: Any) -> BrowserContext:
        width, height = WIDTHS[width_name]
        made = browser.new_context(
            base_url=base,
            locale=locale,
            viewport={"width": width, "height": height},
            has_touch=width_name == "phone",
            is_mobile=width_name == "phone",
            **extra,
        )
        made.set_default_timeout(15_000)
        return made

    # One sign-in for every staff page: a code is accepted once.
    signing_in = context("desktop", LOCALES["zh"])
    sign_in(signing_in.new_page(), seeded)
    staff_state = signing_in.storage_state()
    signing_in.close()

    written: list[Path] = []
    for width_name, (width, _) in WIDTHS.items():
        for language, locale in LOCALES.items():
            citizen = context(width_name, locale)
            written += citizen_pages(citizen, out, f"{language}-{width}", seeded)
            citizen.close()
        staff = context(width_name, LOCALES["zh"], storage_state=staff_state)
        written += staff_pages(staff, out, f"zh-{width}", seeded)
        staff.close()
    return written


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="build/screenshots", help="folder for the PNG files")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="portal-screenshots-"))
    servers: list[wb.Server] = []
    try:
        with wb.sigterm_as_exit():
            base, seeded = start_portal(tmp, servers)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
                )
                written = take_all(browser, base, seeded, out)
                browser.close()
    except wb.BenchError as exc:
        print(f"\nERROR: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nInterrupted.", file=sys.stderr)
        return 130
    finally:
        for server in servers:
            wb.stop_server(server)
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\n{len(written)} screenshots in {out}:")
    for path in written:
        print(f"  {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
