"""Staff area: sign-in with a second factor, dashboard, audit log."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff", template_folder="templates")

from . import views  # noqa: E402,F401  (routes register on import)
