"""Security on every response: headers, and refusal of cross-site state changes."""

from __future__ import annotations

from flask import Flask, request
from flask.typing import ResponseReturnValue
from flask.wrappers import Response
from flask_babel import gettext as _
from flask_login import current_user

from accord.web.access import current_actor
from accord.web.errors import render_error
from accord.web.security_log import log_security_event

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def init_app(app: Flask, *, https: bool) -> None:
    """Add the headers to every response and check where unsafe requests come from."""

    @app.before_request
    def refuse_cross_site_requests() -> ResponseReturnValue | None:
        if request.method in SAFE_METHODS or same_site():
            return None
        actor = current_actor()
        log_security_event("cross_site_request_refused", path=request.path,
                           account_id=actor.account_id if actor else None)
        return render_error(403, _("Accord accepts changes only from its own pages. Go back to "
                                   "Accord and send the form from there."))

    @app.after_request
    def add_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if https:
            headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
        if current_user.is_authenticated:
            headers["Cache-Control"] = "no-store"
            response.vary.add("Cookie")
        return response


def same_site() -> bool:
    """Whether an unsafe request comes from Accord's own pages, as far as the browser says.

    Browsers send ``Sec-Fetch-Site``; older ones at least send ``Origin`` on a cross-site
    POST. A request with neither (a command-line client) is left to the CSRF token.
    """
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site in ("same-origin", "none")
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    return origin == request.host_url.rstrip("/")
