"""Open days: offices, sessions, bookings with a waiting list or a lottery, and check-in."""

from flask import Blueprint

bp = Blueprint("booking", __name__, url_prefix="/open-days", template_folder="templates")

from . import views  # noqa: E402,F401
