"""Satisfaction questionnaires and return visits: a builder for staff, answering
for the public (online, at a kiosk, or by invitation), and results."""

from flask import Blueprint

bp = Blueprint("surveys", __name__, url_prefix="/questionnaires", template_folder="templates")

from . import views  # noqa: E402,F401
