"""Extensions created unbound and bound to the app in `create_app`."""

from __future__ import annotations

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect

babel = Babel()
csrf = CSRFProtect()
# No default limits: each endpoint that can be guessed or flooded names its own.
limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=False)
