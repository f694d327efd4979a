"""Staff sign-in: password, second factor, throttling, idle timeout, roles."""

from __future__ import annotations

import time

import pyotp
import pytest
from flask import Blueprint
from sqlalchemy import select, text

from portal.audit import AuditEntry
from portal.staff import services as staff_services
from portal.staff.access import check_staff_endpoints
from portal.staff.models import StaffUser

from .conftest import TEST_PASSWORD
from .helpers import csrf_token, submit, totp_now


def test_first_sign_in_enrols_totp_then_signs_in(client, create_staff, db):
    user = create_staff("editor", enrolled=False)
    response = submit(
        client, "/staff/login", {"username": user.username, "password": TEST_PASSWORD}
    )
    assert response.headers["Location"].endswith("/staff/login/enrol")
    page = client.get("/staff/login/enrol")
    assert "<svg" in page.text  # the QR code is drawn inline
    secret = page.text.split('data-testid="totp-secret">')[1].split("<")[0].replace(" ", "")
    response = submit(client, "/staff/login/enrol", {"code": totp_now(secret)})
    assert response.status_code == 302
    assert client.get("/staff/").status_code == 200
    db.rollback()  # end the read snapshot, then forget loaded state
    db.expire_all()
    actions = db.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)).all()
    assert actions[-2:] == ["staff.enrol_2fa", "staff.login"]


def _session_cookie_contents(client) -> bytes:
    """What anybody holding the browser can read from the signed session cookie."""
    import base64
    import zlib

    value = client.get_cookie("portal_session").value
    compressed = value.startswith(".")
    payload = value.lstrip(".").split(".")[0]
    decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    return zlib.decompress(decoded) if compressed else decoded


def test_enrolment_secret_never_travels_in_the_session_cookie(client, create_staff, db):
    user = create_staff("editor", enrolled=False)
    submit(client, "/staff/login", {"username": user.username, "password": TEST_PASSWORD})
    page = client.get("/staff/login/enrol")
    secret = page.text.split('data-testid="totp-secret">')[1].split("<")[0].replace(" ", "")
    assert len(secret) >= 16
    assert secret.encode() not in _session_cookie_contents(client)
    # Kept on the server, encrypted at rest.
    raw = db.execute(
        text("SELECT pending_totp_secret FROM staff_users WHERE id = :id"), {"id": user.id}
    ).scalar_one()
    assert raw is not None and secret.encode() not in bytes(raw)
    submit(client, "/staff/login/enrol", {"code": totp_now(secret)})
    assert secret.encode() not in _session_cookie_contents(client)
    db.rollback()
    db.expire_all()
    enrolled = db.get(StaffUser, user.id)
    assert enrolled.totp_secret == secret and enrolled.pending_totp_secret is None


def test_sign_in_with_code_opens_dashboard(client, create_staff):
    user = create_staff("moderator")
    submit(client, "/staff/login", {"username": user.username, "password": TEST_PASSWORD})
    response = submit(client, "/staff/login/code", {"code": totp_now(user.totp_secret)})
    assert response.status_code == 302
    dashboard = client.get("/staff/")
    assert dashboard.status_code == 200
    assert user.display_name in dashboard.text


def test_password_alone_does_not_open_staff_pages(client, create_staff):
    user = create_staff("admin")
    submit(client, "/staff/login", {"username": user.username, "password": TEST_PASSWORD})
    assert client.get("/staff/").headers["Location"].endswith("/staff/login")


@pytest.mark.parametrize(
    "username, password",
    [("officer1", "wrong password!"), ("nobody-here", TEST_PASSWORD)],
)
def test_wrong_username_or_password_get_the_same_message(client, create_staff, username, password):
    create_staff("editor", username="officer1")
    response = submit(client, "/staff/login", {"username": username, "password": password})
    assert response.status_code == 200
    assert "The username, password or code is not right" in response.text
    assert "/staff/login/code" not in response.headers.get("Location", "")


def test_wrong_or_replayed_code_is_refused(client, create_staff):
    user = create_staff("editor")
    submit(client, "/staff/login", {"username": user.username, "password": TEST_PASSWORD})
    wrong = submit(client, "/staff/login/code", {"code": "000000"})
    assert "The username, password or code is not right" in wrong.text
    code = totp_now(user.totp_secret)
    assert submit(client, "/staff/login/code", {"code": code}).status_code == 302
    # Sign out, then try the same code again: a replay.
    client.post("/staff/logout", data={"csrf_token": csrf_token(client, "/staff/")})
    submit(client, "/staff/login", {"username": user.username, "password": TEST_PASSWORD})
    replay = submit(client, "/staff/login/code", {"code": code})
    assert replay.status_code == 200
    assert "The username, password or code is not right" in replay.text


def test_code_form_explains_the_expected_format(client, create_staff):
    user = create_staff("editor")
    submit(client, "/staff/login", {"username": user.username, "password": TEST_PASSWORD})
    response = submit(client, "/staff/login/code", {"code": "12ab"})
    assert "The code is 6 digits, like 123456." in response.text
    assert 'href="#code"' in response.text  # the error summary links to the field


def test_sign_in_is_throttled_per_account(client, create_staff):
    user = create_staff("editor")
    for _attempt in range(5):
        response = submit(client, "/staff/login", {"username": user.username, "password": "nope"})
        assert response.status_code == 200
    blocked = submit(client, "/staff/login", {"username": user.username, "password": TEST_PASSWORD})
    assert blocked.status_code == 429
    assert "Too many attempts" in blocked.text


def test_sign_in_is_throttled_per_address(client, create_staff):
    create_staff("editor", username="target")
    for attempt in range(5):
        submit(client, "/staff/login", {"username": f"guess{attempt}", "password": "nope"})
    blocked = submit(client, "/staff/login", {"username": "target", "password": TEST_PASSWORD})
    assert blocked.status_code == 429


def test_successful_sign_ins_do_not_use_up_the_allowance(client, create_staff):
    user = create_staff("editor")
    for _attempt in range(7):
        response = submit(
            client, "/staff/login", {"username": user.username, "password": TEST_PASSWORD}
        )
        assert response.status_code == 302


def test_idle_session_is_signed_out(app, client, login_as):
    login_as("editor")
    assert client.get("/staff/").status_code == 200
    with client.session_transaction() as session:
        session["staff_seen"] = int(time.time()) - 31 * 60
    response = client.get("/staff/")
    assert response.headers["Location"].endswith("/staff/login")
    page = client.get("/staff/login")
    assert "signed out after a period of inactivity" in page.text


def test_sign_out_ends_the_session_even_for_a_copied_cookie(app, client, login_as):
    login_as("editor")
    stolen = client.get_cookie("portal_session").value
    client.post("/staff/logout", data={"csrf_token": csrf_token(client, "/staff/")})
    assert client.get("/staff/").status_code == 302
    other = app.test_client()
    other.set_cookie("portal_session", stolen)
    assert other.get("/staff/").status_code == 302


def test_role_is_required(client, login_as):
    login_as("editor")
    assert client.get("/staff/audit").status_code == 403


def test_admin_reads_the_audit_log(client, login_as):
    login_as("admin")
    page = client.get("/staff/audit")
    assert page.status_code == 200
    assert "staff.login" in page.text


def test_a_staff_view_without_a_role_check_stops_the_app(app):
    extra = Blueprint("forgot", __name__, url_prefix="/staff/forgot")
    extra.add_url_rule("/", "list", lambda: "secret")
    app.register_blueprint(extra)
    with pytest.raises(RuntimeError, match="forgot.list"):
        check_staff_endpoints(app)


def test_totp_codes_from_the_neighbouring_time_steps_are_accepted(app, create_staff, db):
    user = create_staff("editor")
    user = db.merge(user)
    earlier = pyotp.TOTP(user.totp_secret).at(time.time() - 30)
    assert staff_services.verify_totp(db, user, earlier)
    far = pyotp.TOTP(user.totp_secret).at(time.time() + 120)
    assert not staff_services.verify_totp(db, user, far)


def test_cli_creates_staff_and_resets_2fa(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "staff",
            "create",
            "Clerk",
            "--role",
            "editor",
            "--role",
            "moderator",
            "--password",
            "a long enough password",
        ]
    )
    assert result.exit_code == 0, result.output
    user = staff_services.find_staff(db, "clerk")
    assert user.role_set == {"editor", "moderator"}
    user.totp_secret = pyotp.random_base32()
    db.commit()
    result = runner.invoke(args=["staff", "reset-2fa", "clerk"])
    assert result.exit_code == 0, result.output
    db.rollback()  # end the read snapshot, then forget loaded state
    db.expire_all()
    assert staff_services.find_staff(db, "clerk").totp_secret is None
    weak = runner.invoke(args=["staff", "create", "x", "--role", "editor", "--password", "short"])
    assert weak.exit_code != 0


def _second_device(app, user):
    """The same account signed in on another browser (with the next code: each
    code is accepted once)."""
    other = app.test_client()
    submit(other, "/staff/login", {"username": user.username, "password": TEST_PASSWORD})
    response = submit(other, "/staff/login/code", {"code": totp_now(user.totp_secret, 30)})
    assert response.status_code == 302
    return other


def test_sign_out_here_leaves_other_devices_signed_in(app, client, login_as):
    user = login_as("editor")
    phone = _second_device(app, user)
    client.post("/staff/logout", data={"csrf_token": csrf_token(client, "/staff/")})
    assert client.get("/staff/").status_code == 302
    assert phone.get("/staff/").status_code == 200


def test_sign_out_everywhere_ends_every_session(app, client, login_as, db):
    user = login_as("editor")
    phone = _second_device(app, user)
    page = client.get("/staff/sign-out-everywhere").text
    assert "Sign out on every device now" in page
    response = client.post(
        "/staff/logout",
        data={"csrf_token": csrf_token(client, "/staff/"), "everywhere": "1"},
        follow_redirects=True,
    )
    assert "You have signed out on every device." in response.text
    assert phone.get("/staff/").status_code == 302
    scopes = [e.details for e in db.scalars(select(AuditEntry)) if e.action == "staff.logout"]
    assert "everywhere" in str(scopes)


def test_the_staff_shell_shows_who_is_signed_in_without_the_public_footer(client, login_as):
    login_as("moderator", "supervisor")
    page = client.get("/staff/").text
    assert 'data-testid="staff-account"' in page
    assert "Moderator (complaints and reports)" in page and "Supervisor" in page
    assert "Staff sign-in" not in page and "site-footer" not in page
    # Sign-out sits at the foot of the page: it is never the first button.
    first_button = page[page.index("<button") :].split(">", 1)[0]
    assert "sign-out-hint" in first_button
