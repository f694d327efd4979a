"""Published documents: the register, document pages, search, feeds and the API;
and, for editors, drafting and publishing under the two-person rule."""

from flask import Blueprint

bp = Blueprint("disclosure", __name__, url_prefix="/documents", template_folder="templates")

from . import views  # noqa: E402,F401
