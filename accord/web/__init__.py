"""The web layer: public pages, sign-in, the reporting forms and the directory."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask
from flask_babel import Babel
from flask_wtf.csrf import CSRFProtect
from htmx_flask import Htmx
from werkzeug.middleware.proxy_fix import ProxyFix

from accord.services import Services
from accord.settings import Settings
from accord.web import (
    access,
    as_of,
    caching,
    commitment_parts,
    errors,
    i18n,
    list_rows,
    memo,
    opendata,
    page_cache,
    rendering,
    security,
    session,
    uploads,
)
from accord.web.account import blueprint as account_blueprint
from accord.web.api import blueprint as api_blueprint
from accord.web.audit import blueprint as audit_blueprint
from accord.web.auth import blueprint as auth_blueprint
from accord.web.changes import blueprint as changes_blueprint
from accord.web.claims import blueprint as claims_blueprint
from accord.web.files import blueprint as files_blueprint
from accord.web.history import blueprint as history_blueprint
from accord.web.manage import blueprint as manage_blueprint
from accord.web.plans import blueprint as plans_blueprint
from accord.web.public import blueprint as public_blueprint
from accord.web.themes import blueprint as themes_blueprint

log = logging.getLogger(__name__)

HTMX_FILE = Path(__file__).parent / "static" / "vendor" / "htmx.min.js"


def configure_logging() -> None:
    """Accord's own log lines go to standard error (gunicorn's error log), once."""
    logger = logging.getLogger("accord")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def create_app(settings: Settings | None = None, services: Services | None = None) -> Flask:
    """Build the Flask application from settings (by default, from the environment)."""
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    configure_logging()
    if settings.proxies:
        # Behind reverse proxies, the client's address and scheme come from their headers.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.proxies,  # type: ignore[method-assign]
                                x_proto=settings.proxies, x_host=settings.proxies)
    app.config.update(
        SECRET_KEY=settings.session_secret(),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.https,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=settings.https,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
        BABEL_DEFAULT_TIMEZONE="UTC",
        BABEL_TRANSLATION_DIRECTORIES=str(i18n.TRANSLATIONS),
        MAX_CONTENT_LENGTH=1024 * 1024,
    )
    app.extensions["accord"] = services or Services(settings)
    app.jinja_env.add_extension("jinja2.ext.i18n")
    Babel(app, locale_selector=i18n.select_locale)
    uploads.init_app(app)  # before the CSRF check, which reads the form
    CSRFProtect(app)
    Htmx(app)
    session.init_app(app)
    i18n.init_app(app)
    errors.init_app(app)
    security.init_app(app, https=settings.https)
    caching.init_app(app)  # after security: its hook runs first, then security's
    for blueprint in (public_blueprint, auth_blueprint, account_blueprint, claims_blueprint,
                      manage_blueprint, files_blueprint, plans_blueprint, themes_blueprint,
                      changes_blueprint):
        app.register_blueprint(blueprint)
    app.register_blueprint(api_blueprint)
    app.register_blueprint(audit_blueprint)
    app.register_blueprint(history_blueprint)
    opendata.init_app(app)
    access.init_app(app)
    as_of.init_app(app)  # after access: the rule is checked first
    memo.init_app(app)
    app.add_template_global(rendering.addresses, "addresses")
    app.add_template_global(rendering.rendered_each, "rendered_each")
    app.add_template_global(list_rows.commitment_rows, "commitment_rows")
    app.add_template_global(list_rows.RowParts, "RowParts")
    app.add_template_global(commitment_parts.claim_writer, "claim_writer")
    app.add_template_global(commitment_parts.timeline_writer, "timeline_writer")
    app.add_template_global(commitment_parts.timeline_texts, "timeline_texts")
    page_cache.init_app(app, settings.page_cache_mb)  # last: its after_request runs first
    app.config["HTMX_AVAILABLE"] = HTMX_FILE.exists()
    if not app.config["HTMX_AVAILABLE"]:
        log.warning("htmx is not installed (%s): pages work, without enhancements; "
                    "run `make setup`", HTMX_FILE)
    return app
