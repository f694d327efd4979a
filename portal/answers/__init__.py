"""Answers people can find: answered consultations published as questions and answers."""

from flask import Blueprint

bp = Blueprint("answers", __name__, url_prefix="/answers", template_folder="templates")

from . import views  # noqa: E402,F401
