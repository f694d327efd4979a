"""The procuratorate's public portal: `create_app` builds it."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from flask import Flask

from . import (
    audit,
    crypto,
    db,
    errors,
    i18n,
    inputs,
    page_cache,
    security,
    template_globals,
)
from .config import PROJECT_ROOT, load_settings
from .extensions import babel, csrf, init_limiter
from .kiosk import device as kiosk_device
from .kiosk import exits as kiosk_exits
from .public_url import PortalFlask

__all__ = ["create_app", "audit"]


def create_app(config: Mapping[str, object] | None = None) -> Flask:
    """Build the app: settings, security defaults, extensions, blueprints, CLI."""
    settings = load_settings(config)
    app = PortalFlask(
        __name__,
        instance_path=str(settings["INSTANCE_PATH"]),
        static_folder=str(PROJECT_ROOT / "static"),
        static_url_path="/static",
    )
    app.config.from_mapping(settings)
    inputs.init_app(app)  # first: routes bind the bounded `int` converter when registered
    app.logger.setLevel(logging.INFO)

    crypto.configure(app.config)
    security.init_app(app)
    db.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    csrf.init_app(app)
    init_limiter(app)
    i18n.init_app(app)
    kiosk_device.init_app(app)  # before the staff checks: a kiosk never reaches /staff
    kiosk_exits.init_app(app)
    template_globals.init_app(app)
    errors.init_app(app)
    page_cache.init_app(app)

    from .answers import bp as answers_bp
    from .answers.staff import bp as answers_staff_bp
    from .appointments.staff import bp as appointments_staff_bp
    from .appointments.views import bp as appointments_bp
    from .booking import bp as booking_bp
    from .booking.staff import bp as booking_staff_bp
    from .cases import bp as cases_bp
    from .cases.staff import bp as cases_staff_bp
    from .core import bp as core_bp
    from .disclosure import bp as disclosure_bp
    from .disclosure import indexing
    from .disclosure.api import bp as api_bp
    from .disclosure.staff import bp as disclosure_staff_bp
    from .judicial_aid.staff import bp as judicial_aid_staff_bp
    from .kiosk import bp as kiosk_bp
    from .kiosk.staff import bp as kiosk_staff_bp
    from .pages import bp as pages_bp
    from .staff import access as staff_access
    from .staff import bp as staff_bp
    from .submissions import bp as submissions_bp
    from .submissions.staff import bp as submissions_staff_bp
    from .surveys import bp as surveys_bp
    from .surveys import sources as surveys_sources
    from .surveys.staff import bp as surveys_staff_bp

    app.register_blueprint(core_bp)
    app.register_blueprint(pages_bp)
    app.register_blueprint(disclosure_bp)
    app.register_blueprint(disclosure_staff_bp)
    app.register_blueprint(api_bp)
    indexing.init_app(app)
    app.register_blueprint(cases_bp)
    app.register_blueprint(cases_staff_bp)
    app.register_blueprint(staff_bp)
    app.register_blueprint(submissions_bp)
    app.register_blueprint(submissions_staff_bp)
    app.register_blueprint(judicial_aid_staff_bp)
    app.register_blueprint(appointments_bp)
    app.register_blueprint(appointments_staff_bp)
    app.register_blueprint(booking_bp)
    app.register_blueprint(booking_staff_bp)
    app.register_blueprint(surveys_bp)
    app.register_blueprint(surveys_staff_bp)
    app.register_blueprint(kiosk_bp)
    app.register_blueprint(kiosk_staff_bp)
    app.register_blueprint(answers_bp)
    app.register_blueprint(answers_staff_bp)
    surveys_sources.init_app(app)
    staff_access.init_app(app)
    staff_access.check_staff_endpoints(app)

    from .cli import register_cli

    register_cli(app)
    return app
