"""Error pages: a clear message and the right status, never a stack trace."""

from __future__ import annotations

import logging

from flask import Flask, render_template
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood.")),
    403: (_l("You cannot do this"), _l("Your account is not allowed to do this.")),
    404: (_l("Page not found"), _l("There is nothing at this address.")),
    405: (_l("Method not allowed"), _l("This address does not accept this kind of request.")),
    413: (_l("Too large"), _l("What you sent is larger than Accord accepts.")),
    500: (_l("Something went wrong"),
          _l("Accord could not answer this request. Nothing you sent was recorded.")),
}


def render_error(status: int, message: str | None = None) -> ResponseReturnValue:
    """The error page for ``status``, with an optional specific message."""
    title, default = MESSAGES.get(status, MESSAGES[400])
    return render_template("errors/error.html", title=title, message=message or default), status


def init_app(app: Flask) -> None:
    """Register the error handlers."""

    @app.errorhandler(CSRFError)
    def csrf_failed(error: CSRFError) -> ResponseReturnValue:
        return render_error(400, str(_l(
            "This form could not be accepted because its security token is missing or has "
            "expired. Go back, reload the page and send it again.")))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        return render_error(error.code or 500)

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> ResponseReturnValue:
        log.exception("unhandled error")
        return render_error(500)
