"""Extensions created unbound and bound to the app in `create_app`."""

from __future__ import annotations

from flask import Flask
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect

from . import ratelimit

babel = Babel()
csrf = CSRFProtect()
# No default limits: each endpoint that can be guessed or flooded names its own,
# with a decorator that checks its limits when the view is called.
limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=False)


def init_limiter(app: Flask) -> None:
    """Bind the limiter, without the before-request check it adds for every request.

    That check serves default, application-wide and blueprint limits, which this
    app does not use: each limit is a decorator on its view and is checked in the
    view's wrapper. Skipping it saves about a quarter of a cached page's time.
    """
    # A failing counter store must not take the site down: count per worker meanwhile.
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    limiter.init_app(app)
    ratelimit.init_app(app)
    if not (app.config.get("RATELIMIT_DEFAULT") or app.config.get("RATELIMIT_APPLICATION")):
        hooks = app.before_request_funcs.get(None, [])
        app.before_request_funcs[None] = [
            hook for hook in hooks if getattr(hook, "__func__", None) is not _middleware_check
        ]


_middleware_check = Limiter._check_request_limit
