"""The web layer: public pages, sign-in and the reporting forms."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask
from flask_babel import Babel
from flask_wtf.csrf import CSRFProtect
from htmx_flask import Htmx

from accord.services import Services
from accord.settings import Settings
from accord.web import access, errors, i18n, session
from accord.web.auth import blueprint as auth_blueprint
from accord.web.claims import blueprint as claims_blueprint
from accord.web.public import blueprint as public_blueprint

log = logging.getLogger(__name__)

HTMX_FILE = Path(__file__).parent / "static" / "vendor" / "htmx.min.js"


def create_app(settings: Settings | None = None, services: Services | None = None) -> Flask:
    """Build the Flask application from settings (by default, from the environment)."""
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.session_secret(),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
        BABEL_DEFAULT_TIMEZONE="UTC",
        BABEL_TRANSLATION_DIRECTORIES=str(i18n.TRANSLATIONS),
        MAX_CONTENT_LENGTH=1024 * 1024,
    )
    app.extensions["accord"] = services or Services(settings)
    app.jinja_env.add_extension("jinja2.ext.i18n")
    Babel(app, locale_selector=i18n.select_locale)
    CSRFProtect(app)
    Htmx(app)
    session.init_app(app)
    i18n.init_app(app)
    errors.init_app(app)
    app.register_blueprint(public_blueprint)
    app.register_blueprint(auth_blueprint)
    app.register_blueprint(claims_blueprint)
    access.init_app(app)
    app.config["HTMX_AVAILABLE"] = HTMX_FILE.exists()
    if not app.config["HTMX_AVAILABLE"]:
        log.warning("htmx is not installed (%s): pages work, without enhancements; "
                    "run `make setup`", HTMX_FILE)
    return app
