"""Every route, fed a fixed set of hostile inputs, answers without a server error.

The crawl walks `app.url_map`: each route with out-of-range ids (past the
database's integer range), NUL bytes, `../`, long and Chinese path parts; each
GET with bundles of hostile query parameters; each POST with forms whose every
field holds NUL bytes, full-width or Arabic-Indic digits, superscripts or huge
numbers. It runs anonymously and as a staff member holding every role, with
CSRF on as in production: a valid token is read from a page, as a browser
would. Rate limits are switched off so that each request reaches the code
behind them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import quote, urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import IntegerConverter, Rule

from portal.cases.importer import import_cases
from portal.db import get_session
from portal.extensions import limiter
from portal.staff import services as staff_services
from portal.staff.models import ROLES
from portal.surveys.demo import build_sample

from .booking.conftest import booking_data
from .booking.factories import make_open_day
from .cases.conftest import case_record, jsonl
from .conftest import TEST_PASSWORD
from .helpers import csrf_token, submit, totp_now
from .submissions.conftest import ANSWERS, PERSON, create_complaint

INT_VALUES = (str(2**31), str(2**63), "-1", "１", "٣")
TEXT_VALUES = ("%00", "a%00b", "..%2F..%2Fetc", "x" * 300, quote("起诉书"), "%0A")
BENIGN = {"kind": "complaint", "feed": "all", "state": "on", "code": "en", "slug": "x"}

QUERY_BUNDLES = (
    {"page": str(10**20), "per_page": str(10**20), "office": "²", "month": "9999-12"},
    {"page": "²", "office": str(10**20), "month": "0000-00", "year": "-1", "q": "*:*"},
    {"year": str(10**20), "year_from": "-1", "year_to": "99999", "q": "(((((", "sort": "x"},
    {"type": "unknown", "session": "²", "status": "²", "kind": "²", "template": "²", "lang": "²"},
    {"page": "１２", "office": "١", "month": "２０２６-１２", "year": "٢٠٢٦", "session": "１"},
    {"q": "a\x00b", "page": "\x00", "month": "\x01", "next": "/\x00", "change": "1"},
)
FORM_VALUES = ("a\x00b", "１２３４５６", "١٢٣٤٥٦", "²", str(10**20), "\x07", "中文" * 500)
# Fields some POST-only endpoints read, not shown on any page of an empty portal.
EXTRA_FIELDS = ("ids", "action", "decision", "key", "rating_id", "undo", "assignee", "reason")
# Ending or restarting the signed-in session would make the rest of the crawl anonymous.
SESSION_ENDPOINTS = {"staff.logout", "staff.login", "staff.login_code", "staff.enrol"}
_FIELD_NAME = re.compile(r'name="([^"]+)"')


@pytest.fixture
def seeded(app: Flask, publish_document) -> None:
    """One of each thing an id can name, so that id 1 reaches the code behind the lookup."""
    make_open_day(app)
    publish_document()
    with app.app_context():
        db = get_session()
        author = staff_services.create_staff(
            db, username="author", password=TEST_PASSWORD, roles=["surveys"], actor="test"
        )
        build_sample(db, author)
        create_complaint(db, app.config)
        import_cases(db, jsonl(case_record()), filename="crawl.jsonl", actor="test")
        db.commit()


def _rules(app: Flask) -> list[Rule]:
    return sorted(
        (r for r in app.url_map.iter_rules() if r.endpoint != "static"), key=lambda r: r.rule
    )


def _fill(rule: Rule, overrides: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        converter, name = match.group(1), match.group(2)
        if name in overrides:
            return overrides[name]
        return "1" if converter == "int" else BENIGN.get(name, "x")

    return re.sub(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>", value, rule.rule)


def _paths(rule: Rule) -> Iterator[str]:
    """The route with benign arguments, then with each argument made hostile in turn."""
    yield _fill(rule, {})
    for name, converter in rule._converters.items():  # noqa: SLF001 - the rule's own arguments
        numeric = isinstance(converter, IntegerConverter)
        for raw in INT_VALUES if numeric else TEXT_VALUES:
            yield _fill(rule, {name: raw})


def _crawl(app: Flask, client: FlaskClient, skip: set[str], queried: str = "/") -> list[str]:
    """Findings of one crawl; query bundles go to the routes under `queried`."""
    failures: list[str] = []
    token = csrf_token(client, "/cases/code")
    rules = [r for r in _rules(app) if r.endpoint not in skip]

    def send(method: str, url: str, label: str | None = None, **kwargs: object):  # type: ignore[no-untyped-def]
        """The response, or None after recording a server error (raised, as TESTING does)."""
        label = label or repr(url)
        try:
            response = client.open(url, method=method, **kwargs)
        except Exception as error:  # noqa: BLE001 - every error is a finding
            failures.append(f"{method} {label} raised {type(error).__name__}: {error}"[:300])
            return None
        if response.status_code >= 500:
            failures.append(f"{method} {label} -> {response.status_code}")
        return response

    names: set[str] = set(EXTRA_FIELDS)
    for rule in rules:
        if "GET" not in rule.methods:  # type: ignore[operator]
            continue
        for path in _paths(rule):
            response = send("GET", path)
            if response is not None and "html" in response.content_type:
                names.update(_FIELD_NAME.findall(response.text))
        base = _fill(rule, {})
        for bundle in QUERY_BUNDLES if base.startswith(queried) else ():
            url = f"{base}?{urlencode(bundle)}"
            send("GET", url)
    names -= {"csrf_token", "viewport", "description", "referrer", "robots"}
    for rule in rules:
        if "POST" not in rule.methods:  # type: ignore[operator]
            continue
        paths = list(_paths(rule))
        for value in FORM_VALUES:
            data = {name: value for name in names}
            data["csrf_token"] = token
            send("POST", paths[0], f"{paths[0]} (all fields {value[:12]!r})", data=data)
        for path in paths[1:]:
            send("POST", path, data={"csrf_token": token})
    return failures


@pytest.fixture
def unlimited(app: Flask) -> Iterator[None]:
    limiter.enabled = False
    yield
    limiter.enabled = True


@pytest.mark.usefixtures("seeded", "unlimited")
def test_no_route_fails_for_an_anonymous_visitor(app: Flask, client: FlaskClient) -> None:
    failures = _crawl(app, client, skip=set())
    assert not failures, "\n".join(failures)


@pytest.mark.usefixtures("seeded", "unlimited")
def test_no_route_fails_for_staff_with_every_role(
    app: Flask, client: FlaskClient, login_as
) -> None:
    login_as(*ROLES)
    # Public pages read the same parameters for staff: their query bundles ran anonymously.
    failures = _crawl(app, client, skip=SESSION_ENDPOINTS, queried="/staff/")
    assert not failures, "\n".join(failures)
    assert client.get("/staff/").status_code == 200, "the crawl ended the staff session"


@pytest.mark.usefixtures("seeded", "unlimited")
def test_no_route_fails_at_a_kiosk(app: Flask, client: FlaskClient, enrol_kiosk) -> None:
    """Kiosk mode changes pages (shell, no uploads, QR codes): the same crawl there."""
    enrol_kiosk(client)
    failures = _crawl(app, client, skip=set())
    assert not failures, "\n".join(failures)
    assert "data-kiosk-idle" in client.get("/kiosk/").text, "the crawl undid the enrolment"


# --- what a visitor notices, one defect at a time ---------------------------------------

CONTROL_MESSAGE = "held an invisible control character"
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def test_ids_past_the_database_range_name_nothing(client: FlaskClient, login_as) -> None:
    for path in ("/open-days/2147483648", "/questionnaires/9223372036854775808"):
        assert client.get(path).status_code == 404
    login_as("events_coordinator")
    assert client.get("/staff/open-days/2147483648").status_code == 404
    assert client.get("/staff/open-days/2147483647").status_code == 404


def test_odd_query_values_are_ignored(client: FlaskClient, login_as) -> None:
    assert client.get("/open-days/?office=²").status_code == 200
    calendar = client.get("/open-days/calendar?month=9999-12")
    this_month = client.get("/open-days/calendar")
    heading = re.compile(r"<h1[^>]*>.*?</h1>", re.S)
    assert calendar.status_code == 200
    assert heading.search(calendar.text).group() == heading.search(this_month.text).group()
    assert client.get("/api/v1/documents?year=²").status_code == 400
    login_as("admin")
    assert client.get(f"/staff/audit?page={10**20}").status_code == 200


def test_control_characters_in_the_address_are_refused(client: FlaskClient) -> None:
    assert client.get("/documents/a%00b").status_code == 404
    assert client.get("/guide/%00").status_code == 404
    assert client.get("/documents/search?q=a%00b").status_code == 400


def test_a_nul_in_a_field_is_explained_at_the_field_and_the_rest_is_kept(
    client: FlaskClient,
) -> None:
    response = submit(client, "/open-days/find", {"code": "ABCD\x002345", "phone": "13912345678"})
    assert response.status_code == 200
    assert CONTROL_MESSAGE in response.text
    assert 'value="ABCD2345"' in response.text and 'value="13912345678"' in response.text


@pytest.mark.usefixtures("unlimited")
def test_a_questionnaire_answer_with_a_nul_keeps_every_answer(
    app: Flask, client: FlaskClient
) -> None:
    from .surveys.conftest import answer_fields

    with app.app_context():
        db = get_session()
        author = staff_services.create_staff(
            db, username="author", password=TEST_PASSWORD, roles=["surveys"], actor="test"
        )
        q = build_sample(db, author)
        db.commit()
        data = answer_fields(
            q, rating="dissatisfied", contact="电话", reason="排队太久\x00了", improve=["办事效率"]
        )
        family_id, rating_option = q.family_id, data[f"q{q.questions[0].id}"]
    path = f"/questionnaires/{family_id}"
    response = client.post(path, data={**data, "csrf_token": csrf_token(client, path)})
    assert response.status_code == 400
    assert CONTROL_MESSAGE in response.text
    assert "排队太久了" in response.text
    assert f'value="{rating_option}" checked' in response.text


@pytest.mark.parametrize("digits", [FULL_WIDTH, ARABIC_INDIC], ids=["full-width", "arabic-indic"])
def test_a_sign_in_code_typed_in_other_digits_is_accepted(
    client: FlaskClient, create_staff, digits: dict[int, str]
) -> None:
    user = create_staff("editor")
    submit(client, "/staff/login", {"username": user.username, "password": TEST_PASSWORD})
    code = totp_now(user.totp_secret).translate(digits)
    response = submit(client, "/staff/login/code", {"code": code})
    assert response.status_code == 302 and response.headers["Location"].startswith("/staff/")


def test_a_phone_typed_in_full_width_digits_finds_the_booking(
    app: Flask, client: FlaskClient
) -> None:
    open_day = make_open_day(app)
    data = booking_data(open_day, phone="13912345678".translate(FULL_WIDTH))
    assert submit(client, f"/open-days/{open_day.id}/book", data).status_code == 302
    page = client.get("/open-days/booking").text
    code = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}", page).group()
    other = app.test_client()
    found = submit(other, "/open-days/find", {"code": code, "phone": "١٣٩١٢٣٤٥٦٧٨"})
    assert found.status_code == 302


def test_a_forged_submit_key_in_any_script_is_refused_cleanly(client: FlaskClient) -> None:
    assert submit(client, "/submissions/complaint/", {}).status_code == 302
    assert submit(client, "/submissions/complaint/about-you", PERSON).status_code == 302
    details = ANSWERS["complaint"]
    assert submit(client, "/submissions/complaint/details", details).status_code == 302
    token = csrf_token(client, "/submissions/complaint/check")
    response = client.post(
        "/submissions/complaint/check", data={"csrf_token": token, "submit_key": "钥匙"}
    )
    assert response.status_code < 500
    assert "This form has expired" in response.text


def test_a_password_is_matched_exactly_as_typed(app: Flask, client: FlaskClient) -> None:
    password = "correct horse ４２ battery staple"
    with app.app_context():
        db = get_session()
        staff_services.create_staff(
            db, username="fullwidth", password=password, roles=["editor"], actor="test"
        )
        db.commit()
    typed = submit(client, "/staff/login", {"username": "fullwidth", "password": password})
    assert typed.status_code == 302 and "/staff/login/" in typed.headers["Location"]
    ascii_digits = password.translate(str.maketrans("４２", "42"))
    other = submit(
        app.test_client(), "/staff/login", {"username": "fullwidth", "password": ascii_digits}
    )
    assert other.status_code == 200, "a password with other digits signed in"
