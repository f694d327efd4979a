"""Complaints, appeals, reports, consultations and suggestions: submit, track, answer."""

from flask import Blueprint

bp = Blueprint("submissions", __name__, url_prefix="/submissions", template_folder="templates")

from . import views  # noqa: E402,F401  (routes register on the blueprint)
