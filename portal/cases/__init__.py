"""Case inquiry: parties, relatives and lawyers look up the procedural status of a case.

The portal is a read-only mirror of the internal case system, fed by export
files (`flask cases import FILE`). Staff views live in `staff.py`.
"""

from flask import Blueprint

bp = Blueprint("cases", __name__, url_prefix="/cases", template_folder="templates")

from . import views  # noqa: E402,F401
