"""Every route declares, with one decorator, the action of the policy table it performs.

A hook checks the declared action before the view runs: first whether the route is open to the
visitor at all, then, when the route names a thing (a commitment, an organisation), whether
the condition of the table holds for it. The platform checks the same table again.
A route without a declared rule is refused (and the architecture test names it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, abort, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from accord.platform.policy import ANY, Action, Actor, Resource, permits
from accord.web.security_log import log_security_event

F = TypeVar("F", bound=Callable[..., Any])

ATTRIBUTE = "access_rule"
PARTIES = "reporting_parties"
"""The attribute naming the parties to which ``only`` narrows a view."""

ResourceOf = Callable[[dict[str, Any]], Resource | None]
"""From a route's arguments, the thing acted on (None when there is no such thing)."""


@dataclass(frozen=True)
class AccessRule:
    """The action a route performs, and how to find what it acts on."""

    action: Action
    resource: ResourceOf | None = None


def allow(action: Action, resource: ResourceOf | None = None) -> Callable[[F], F]:
    """Declare the action a view performs (and, optionally, what it acts on)."""

    def declare(view: F) -> F:
        setattr(view, ATTRIBUTE, AccessRule(action, resource))
        return view

    return declare


def rule_for(app: Flask, endpoint: str) -> AccessRule | None:
    """The rule the view of ``endpoint`` declared, or None. Flask's static files are public."""
    if endpoint == "static":
        return AccessRule(Action.READ_PUBLIC)
    return getattr(app.view_functions[endpoint], ATTRIBUTE, None)


def current_actor() -> Actor | None:
    """The signed-in account, or None for the public."""
    return current_user.actor if current_user.is_authenticated else None


def init_app(app: Flask) -> None:
    """Enforce the declared rules before every request."""

    @app.before_request
    def enforce() -> ResponseReturnValue | None:
        if request.endpoint is None:
            return None  # no route matched: Flask answers 404 or 405
        rule = rule_for(app, request.endpoint)
        actor = current_actor()
        if rule is not None and permits(actor, rule.action):
            resource = rule.resource(request.view_args or {}) if rule.resource else None
            if resource is None or permits(actor, rule.action, resource):
                return None
        elif actor is None and rule is not None:
            # Only a GET can be repeated after signing in; a POST's address may answer 405.
            back = request.full_path.rstrip("?") if request.method in ("GET", "HEAD") else None
            return redirect(url_for("auth.login", next=back))
        log_security_event("authorisation_failed", account_id=actor.account_id if actor else None,
                           action=rule.action.value if rule else None, path=request.path)
        abort(403)


def open_to_current_user(action: Action, resource: Resource = ANY) -> bool:
    """For templates: whether to offer a link or a form for ``action``."""
    return permits(current_actor(), action, resource)
