"""Guide pages: service guides, the privacy notice, the accessibility statement."""

from flask import Blueprint

bp = Blueprint("pages", __name__, url_prefix="/guide", template_folder="templates")

from . import views  # noqa: E402,F401
