"""The shell of the site: home page, language and large-text switches, health."""

from flask import Blueprint

bp = Blueprint("core", __name__, template_folder="templates")

from . import views  # noqa: E402,F401
from .areas import AREAS  # noqa: E402


@bp.app_context_processor
def _navigation() -> dict[str, object]:
    return {"nav_areas": AREAS}
