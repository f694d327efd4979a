"""Kiosk mode: enrolled liaison-office touch screens run the same portal in a
shell of their own (one visitor at a time, no exits, large touch targets)."""

from flask import Blueprint

bp = Blueprint("kiosk", __name__, url_prefix="/kiosk", template_folder="templates")

from . import views  # noqa: E402,F401
