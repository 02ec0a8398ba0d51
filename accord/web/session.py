"""Who is signed in: flask-login over server-side sessions.

The cookie (and flask-login's remember cookie) carries only the session's random token; every
request looks the session up and rebuilds the account from its events, so a session ended on
the server, a deactivated account or a suspended organisation stops working at once.
"""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from flask import Flask, session
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user

from accord.platform.errors import NotFound
from accord.platform.people import Person
from accord.platform.policy import Actor
from accord.platform.sessions import REMEMBERED_LIFETIME
from accord.web.context import services


class SignedInUser(UserMixin):  # type: ignore[misc]
    """A signed-in account: what it may do (``actor``) and who holds it (``person``)."""

    def __init__(self, token: str, actor: Actor, person: Person) -> None:
        self.token = token
        self.actor = actor
        self.person = person

    @property
    def organisation_name(self) -> str:
        """The organisation's current name (read models caught up: it may be brand new)."""
        services().caught_up()
        organisation = services().directory.organisation(self.actor.organisation_id or "")
        return organisation.name if organisation else ""

    def get_id(self) -> str:
        """What the session cookie keeps: the session token, not the account id."""
        return self.token

    @property
    def is_active(self) -> bool:
        """A deactivated account or suspended organisation cannot use its session."""
        return self.actor.active


def load_user(token: str) -> SignedInUser | None:
    """The user of a live session, or None if the session or the account cannot act."""
    account_id = services().sessions.account_for(token)
    if account_id is None:
        return None
    try:
        actor = services().app.actor(UUID(account_id))
    except NotFound:
        return None
    person = services().people.get(account_id)
    if person is None or not actor.active:
        return None
    return SignedInUser(token, actor, person)


def sign_in(account_id: str, *, remember: bool) -> SignedInUser | None:
    """Start a new server-side session for the account; None if it cannot act.

    A session this browser already had ends on the server: signing in again never leaves an
    older token (perhaps copied) alive.
    """
    if current_user.is_authenticated:
        services().sessions.end(current_user.token)
    token = services().sessions.start(account_id, remember=remember)
    user = load_user(token)
    if user is None:
        services().sessions.end(token)
        return None
    session.clear()  # a new session on every sign-in: nothing carries over
    login_user(user, remember=remember, duration=REMEMBERED_LIFETIME)
    return user


def sign_out(user: SignedInUser) -> None:
    """End the session on the server and in the browser (remember cookie included)."""
    services().sessions.end(user.token)
    session.clear()
    logout_user()  # after clearing: it leaves the note that makes flask-login drop the cookie


def init_app(app: Flask) -> None:
    """Set up flask-login."""
    manager = LoginManager(app)
    manager.user_loader(load_user)
    manager.session_protection = "basic"
    app.permanent_session_lifetime = timedelta(hours=12)
