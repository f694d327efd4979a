"""The kiosk's own pages: the start screen, enrolment, choosing a service, ending a visit."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_datetime
from flask_babel import gettext as _

from ..booking.services import local_date
from ..db import get_session, utcnow
from ..extensions import csrf
from ..i18n import LANG_COOKIE, LARGE_TEXT_COOKIE
from ..security import cookies_secure
from ..surveys.services import open_public_questionnaires
from . import bp, services, visit
from .device import current_kiosk, set_device_cookie
from .forms import KioskActionForm

# Where each start-screen tile leads; the key is what usage counts are kept under.
SERVICE_ENDPOINTS = {
    "inquiry": "cases.start",
    "submit": "submissions.index",
    "booking": "booking.list_open_days",
    "track": "submissions.track",
    "documents": "disclosure.search",
    "surveys": "surveys.list_questionnaires",
    "guides": "pages.list_guides",
    "answers": "answers.list_answers",
}


@dataclass(frozen=True)
class Hotline:
    number: str
    label: str
    url: str


def _hotlines() -> list[Hotline]:
    return [
        Hotline("12309", _("National procuratorial service"), "https://www.12309.gov.cn/"),
        Hotline("12388", _("Reports of corruption and misconduct"), "https://www.12388.gov.cn/"),
    ]


@bp.route("/")
def start() -> ResponseReturnValue:
    kiosk = current_kiosk()
    if kiosk is None:
        return render_template("kiosk/unenrolled.html")
    now = utcnow()
    return render_template(
        "kiosk/start.html",
        questionnaires=open_public_questionnaires(get_session(), local_date(now)),
        hotlines=_hotlines(),
        now_iso=now.isoformat(timespec="seconds"),  # HTML allows at most milliseconds
        now_text=format_datetime(now, "medium"),
        visit_open=visit.left_behind(),
    )


@bp.route("/enrol/<token>", methods=["GET", "POST"])
def enrol(token: str) -> ResponseReturnValue:
    """A button to press, so that a link preview or a scanner cannot use the link up."""
    db = get_session()
    try:
        kiosk = services.find_enrolment(db, token, utcnow())
    except services.KioskError:
        return render_template("kiosk/enrol_invalid.html"), 404
    form = KioskActionForm()
    if form.validate_on_submit():
        kiosk, secret = services.claim_enrolment(db, token, utcnow())
        db.commit()
        response = redirect(url_for(".start"), code=303)
        set_device_cookie(response, kiosk.id, secret)
        return response
    return render_template("kiosk/enrol.html", kiosk=kiosk, form=form)


@bp.route("/go/<service>")
def go(service: str) -> ResponseReturnValue:
    endpoint = SERVICE_ENDPOINTS.get(service)
    kiosk = current_kiosk()
    if endpoint is None:
        abort(404)
    if kiosk is not None:
        visit.start_service(kiosk, service)
        get_session().commit()
    return redirect(url_for(endpoint), code=303)


@bp.route("/end", methods=["POST"])
@csrf.exempt
def end() -> ResponseReturnValue:
    """End the visit: the server forgets it, the screen goes back to the start.

    Exempt from the CSRF check on purpose: the idle timer must be able to end a
    visit whose page has stood for longer than a token lives, and a forged
    cross-site POST carries no session cookie (SameSite=Lax), so it could only
    end a visit that does not exist.
    """
    kiosk = current_kiosk()
    if kiosk is not None:
        visit.end_visit(kiosk)
        get_session().commit()
    response = redirect(url_for(".start"), code=303)
    if kiosk is not None:
        # The next visitor starts in the office's default language and text size.
        for name in (LANG_COOKIE, LARGE_TEXT_COOKIE):
            response.delete_cookie(name, httponly=True, samesite="Lax", secure=cookies_secure())
    return response
