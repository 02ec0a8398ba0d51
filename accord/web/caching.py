"""HTTP caching of public answers: an ETag on each, 304 when it still holds, and a short
shared-cache lifetime for visitors who have not signed in.

- Every successful GET of a public route (pages, downloads, feeds, the API) gets a strong
  ETag, a hash of its body; a request whose ``If-None-Match`` names it gets 304, no body.
- For the public, such answers are ``Cache-Control: public, max-age=60``: a browser or a
  proxy may reuse one for a minute, so a new claim shows everywhere within a minute.
- HTML pages also say ``Vary: Cookie``: a signed-in member sees other links and forms on
  the same address, and those pages are ``no-store`` anyway (accord/web/security.py).
- An answer that depends on the visitor's session (a form with a CSRF token, a new session
  cookie) is ``private, no-cache``: nobody else may be given it.
- Routes that set their own caching (static files, evidence files, named in ``OWN_RULES``)
  and the health check (``UNCACHED``) are left alone or never cached.
"""

from __future__ import annotations

import hashlib

from flask import Flask, g, request, session
from flask.wrappers import Response
from flask_login import current_user

from accord.platform.policy import Action
from accord.web.access import rule_for

PUBLIC = "public, max-age=60"
PRIVATE = "private, no-cache"
OWN_RULES = frozenset({"static", "files.download"})
UNCACHED = frozenset({"public.health"})
CSRF_FIELD = "csrf_token"


def init_app(app: Flask) -> None:
    """Add the caching headers to every public answer."""

    @app.after_request
    def cache_public_answers(response: Response) -> Response:
        if not cacheable(app, response):
            return response
        if request.endpoint in UNCACHED:
            response.headers.setdefault("Cache-Control", "no-cache")
            return response
        if response.mimetype == "text/html":
            response.vary.add("Cookie")
        if session.modified or CSRF_FIELD in g:
            response.headers.setdefault("Cache-Control", PRIVATE)
            return response
        response.headers.setdefault("Cache-Control", PUBLIC)
        response.set_etag(hashlib.sha256(response.get_data()).hexdigest()[:32])
        response.make_conditional(request)
        return response


def cacheable(app: Flask, response: Response) -> bool:
    """Whether ``response`` is a complete, successful public answer to a GET by a visitor
    who has not signed in, from a route that leaves its caching to this module."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return False
    if request.endpoint is None or request.endpoint in OWN_RULES:
        return False
    if response.is_streamed or response.direct_passthrough:
        return False
    rule = rule_for(app, request.endpoint)
    return (rule is not None and rule.action is Action.READ_PUBLIC
            and not current_user.is_authenticated)
