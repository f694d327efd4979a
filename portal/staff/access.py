"""Who may open which staff page.

Every view under /staff declares its roles with `@roles_required(...)` (or
`@staff_public` for the login pages). `check_staff_endpoints` runs when the app
is built and refuses to start if any staff view declares nothing, so a new
page cannot forget its check. One `before_request` hook enforces the
declarations: login, idle timeout, session version, roles.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, abort, current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _

from ..db import get_session
from .labels import ROLE_LABELS
from .models import ROLES, StaffUser
from .services import session_is_live

F = TypeVar("F", bound=Callable[..., Any])

STAFF_PREFIX = "/staff"
ANY_STAFF = "*"


def roles_required(*roles: str) -> Callable[[F], F]:
    """Allow staff holding any of `roles`; with no roles, any signed-in staff."""
    for role in roles:
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")

    def mark(view: F) -> F:
        view.staff_roles = frozenset(roles) or frozenset({ANY_STAFF})  # type: ignore[attr-defined]
        return view

    return mark


def staff_public(view: F) -> F:
    """A staff page open before sign-in (the login steps)."""
    view.staff_roles = frozenset()  # type: ignore[attr-defined]
    return view


def check_staff_endpoints(app: Flask) -> None:
    missing = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(STAFF_PREFIX):
            continue
        view = app.view_functions[rule.endpoint]
        if getattr(view, "staff_roles", None) is None:
            missing.append(rule.endpoint)
    if missing:
        raise RuntimeError(f"staff views without a role check: {', '.join(sorted(missing))}")


def sign_in(user: StaffUser, token: str) -> None:
    """Start a fresh session for `user` (`token` from services.start_session),
    dropping anything from before."""
    session.clear()
    session["staff_id"] = user.id
    session["staff_v"] = user.session_version
    session["staff_t"] = token
    session["staff_seen"] = int(time.time())


def sign_out() -> None:
    session.clear()


def current_staff() -> StaffUser | None:
    return g.get("staff")


def _load_signed_in() -> StaffUser | None:
    staff_id = session.get("staff_id")
    if staff_id is None:
        return None
    seen = int(session.get("staff_seen", 0))
    idle_limit = int(current_app.config["STAFF_IDLE_MINUTES"]) * 60
    if time.time() - seen > idle_limit:
        sign_out()
        flash(_("You were signed out after a period of inactivity. Please sign in again."))
        return None
    user = get_session().get(StaffUser, staff_id)
    if (
        user is None
        or not user.active
        or user.session_version != session.get("staff_v")
        or not session_is_live(get_session(), user, session.get("staff_t", ""))
    ):
        sign_out()
        return None
    session["staff_seen"] = int(time.time())
    return user


def init_app(app: Flask) -> None:
    @app.before_request
    def _enforce_staff_access() -> Any:
        if not request.path.startswith(STAFF_PREFIX) or request.endpoint is None:
            return None
        view = current_app.view_functions.get(request.endpoint)
        required = getattr(view, "staff_roles", None)
        if required is None:
            abort(403)
        user = _load_signed_in()
        g.staff = user
        if not required:
            return None
        if user is None:
            return redirect(url_for("staff.login"))
        if ANY_STAFF not in required and not user.has_any_role(*required):
            abort(403)
        return None

    @app.context_processor
    def _staff_context() -> dict[str, object]:
        return {"current_staff": g.get("staff"), "role_labels": ROLE_LABELS}
