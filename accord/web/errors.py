"""Error pages: a clear message and the right status, never a stack trace."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, make_response, render_template, request
from flask.typing import ResponseReturnValue
from flask.wrappers import Response
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from accord.web.security_log import log_security_event

log = logging.getLogger(__name__)

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood.")),
    403: (_l("You cannot do this"), _l("Your account is not allowed to do this.")),
    404: (_l("Page not found"), _l("There is nothing at this address.")),
    405: (_l("Method not allowed"), _l("This address does not accept this kind of request.")),
    413: (_l("Too large"), _l("What you sent is larger than Accord accepts.")),
    429: (_l("Too many attempts"), _l("Too many attempts; wait a while and try again.")),
    500: (_l("Something went wrong"),
          _l("Accord could not answer this request. Nothing you sent was recorded.")),
}

FIELD_LABELS = {
    "narrative": _l("What has been done, and how you know"),
    "evidence": _l("Evidence links"),
    "status": _l("Status"),
    "period_start": _l("Reporting period starts"),
    "period_end": _l("Reporting period ends"),
    "revision_reason": _l("Why are you revising this claim?"),
    "reason": _l("Reason"),
    "email": _l("E-mail address"),
    "display_name": _l("Name"),
    "name": _l("Name"),
}
"""Names of the fields whose text a CSRF failure page gives back (others show their key)."""

NEVER_SHOWN = ("csrf_token", "claim_id", "replaces")

API_PREFIX = "/api/"
"""Below this address every answer is JSON, errors included (see ``json_error``)."""

ERROR_CODES = {400: "bad_request", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 413: "too_large", 429: "too_many_requests",
               500: "server_error"}


def render_error(status: int, message: str | None = None,
                 template: str = "errors/error.html", **context: object) -> ResponseReturnValue:
    """The error page for ``status``, with an optional specific message.

    For htmx, the page replaces the main content, whatever part of the page asked.
    """
    title, default = MESSAGES.get(status, MESSAGES[400])
    if request.path.startswith(API_PREFIX):
        return json_error(status, message or str(default))
    response = make_response(
        render_template(template, title=title, message=message or default, **context), status)
    if request.headers.get("HX-Request") == "true":
        response.headers.update({"HX-Retarget": "#main", "HX-Reswap": "outerHTML",
                                 "HX-Reselect": "#main"})
    return response


def json_error(status: int, message: str, *, parameter: str | None = None) -> Response:
    """An error as the API answers it: ``{"error": {"code", "message", "parameter"}}``."""
    code = "bad_parameter" if parameter else ERROR_CODES.get(status, "bad_request")
    response = jsonify(error={"code": code, "message": message, "parameter": parameter})
    response.status_code = status
    return response


def typed_fields() -> list[tuple[str, str]]:
    """What the user typed into the form just sent, without secrets and hidden fields."""
    return [
        (str(FIELD_LABELS.get(name, name)), value)
        for name, value in request.form.items(multi=True)
        if value.strip() and name not in NEVER_SHOWN and "password" not in name
    ]


def _same_site_referrer() -> str | None:
    referrer = request.referrer or ""
    return referrer if referrer.startswith(request.host_url) else None


def init_app(app: Flask) -> None:
    """Register the error handlers."""

    @app.errorhandler(CSRFError)
    def csrf_failed(error: CSRFError) -> ResponseReturnValue:
        account_id = current_user.actor.account_id if current_user.is_authenticated else None
        log_security_event("csrf_failed", account_id=account_id, path=request.path,
                           reason=error.description)
        return render_error(400, str(_l(
            "This form could not be accepted because its security token is missing or has "
            "expired (this happens when a page was open for a long time, or after signing in "
            "elsewhere). Nothing was recorded.")), template="errors/csrf.html",
            typed=typed_fields())

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        response = make_response(render_error(error.code or 500))
        if isinstance(error, MethodNotAllowed) and error.valid_methods:
            response.headers["Allow"] = ", ".join(sorted(error.valid_methods))
        return response

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> ResponseReturnValue:
        log.exception("unhandled error")
        return render_error(500)
