"""Kiosk mode in a real browser: enrolment, the start screen, the unenrolled page."""

from __future__ import annotations

from flask import Flask
from playwright.sync_api import Page, expect

from .conftest import enrol_screen


def test_an_enrolled_portrait_screen_shows_the_start_screen(kiosk_page: Page, app: Flask, a11y):
    page = kiosk_page
    page.goto("/kiosk/")
    a11y.check(page)
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("本页面供本院联络站的自助触摸屏使用")
    enrol_screen(page, app, a11y)
    expect(page.get_by_role("link", name="案件查询").first).to_be_visible()
    expect(page.locator(".kiosk-hotlines")).to_contain_text("12309")
    expect(page.locator(".kiosk-hotlines")).to_contain_text("12388")


def test_the_crawl_reaches_the_services_of_the_start_screen(
    kiosk_page: Page, app: Flask, a11y, publish_document
):
    from .kiosk_crawl import kiosk_pages

    publish_document()
    page = kiosk_page
    enrol_screen(page, app, a11y)
    seen = []
    for path in kiosk_pages(page, limit=25):
        a11y.check(page)
        seen.append(path)
    assert "/cases/" in seen and "/submissions/" in seen and "/open-days/" in seen


def test_a_revoked_kiosk_gets_the_ordinary_site(kiosk_landscape_page: Page, app: Flask, a11y):
    from portal.db import get_session, utcnow
    from portal.kiosk import services
    from portal.kiosk.models import Kiosk

    page = kiosk_landscape_page
    kiosk_id = enrol_screen(page, app, a11y)
    expect(page.locator("html")).to_have_class("large-text kiosk")
    with app.app_context():
        db = get_session()
        kiosk = db.get(Kiosk, kiosk_id)
        services.revoke_kiosk(db, kiosk, actor="test", actor_id=None, now=utcnow())
        db.commit()
    page.goto("/")
    a11y.check(page)
    expect(page.locator("html")).not_to_have_class("large-text kiosk")
    expect(page.get_by_role("link", name="工作人员登录")).to_be_visible()
    page.goto("/kiosk/")
    a11y.check(page)
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("本页面供本院联络站的自助触摸屏使用")
