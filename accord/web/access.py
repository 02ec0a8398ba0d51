"""Every route declares who may use it, with one decorator; a hook enforces it.

A route without a declared rule is refused (and the architecture test names it).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any, TypeVar

from flask import Flask, abort, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

F = TypeVar("F", bound=Callable[..., Any])

ATTRIBUTE = "access_rule"


class Rule(StrEnum):
    """Who may use a route."""

    PUBLIC = "public"
    """Anyone, without an account."""
    SIGNED_IN = "signed_in"
    """Any signed-in account."""
    REPORTER = "reporter"
    """A signed-in member of a government or civil-society organisation."""


def allow(rule: Rule) -> Callable[[F], F]:
    """Declare the access rule of a view function."""

    def declare(view: F) -> F:
        setattr(view, ATTRIBUTE, rule)
        return view

    return declare


def rule_for(app: Flask, endpoint: str) -> Rule | None:
    """The rule the view of ``endpoint`` declared, or None. Flask's static files are public."""
    if endpoint == "static":
        return Rule.PUBLIC
    return getattr(app.view_functions[endpoint], ATTRIBUTE, None)


def init_app(app: Flask) -> None:
    """Enforce the declared rules before every request."""

    @app.before_request
    def enforce() -> ResponseReturnValue | None:
        if request.endpoint is None:
            return None  # no route matched: Flask answers 404 or 405
        rule = rule_for(app, request.endpoint)
        if rule is None:
            abort(403)
        if rule is Rule.PUBLIC:
            return None
        if not current_user.is_authenticated:
            # only a GET can be repeated after signing in; a POST's address may answer 405
            back = request.full_path.rstrip("?") if request.method in ("GET", "HEAD") else None
            return redirect(url_for("auth.login", next=back))
        if rule is Rule.REPORTER and current_user.actor.party is None:
            abort(403)
        return None
