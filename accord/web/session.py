"""Who is signed in: flask-login, backed by the account's events and the store of people."""

from __future__ import annotations

from uuid import UUID

from flask import Flask
from flask_login import LoginManager, UserMixin

from accord.platform.errors import NotFound
from accord.platform.people import Person
from accord.platform.permissions import Actor
from accord.web.context import services


class SignedInUser(UserMixin):  # type: ignore[misc]
    """A signed-in account: what it may do (``actor``) and who holds it (``person``)."""

    def __init__(self, actor: Actor, person: Person, organisation_name: str) -> None:
        self.actor = actor
        self.person = person
        self.organisation_name = organisation_name

    def get_id(self) -> str:
        """The account id kept in the session."""
        return self.actor.account_id

    @property
    def is_active(self) -> bool:
        """A deactivated account cannot use its session."""
        return self.actor.active


def load_user(account_id: str) -> SignedInUser | None:
    """Rebuild the signed-in user from the account id in the session, or None."""
    try:
        actor = services().app.actor(UUID(account_id))
    except (ValueError, NotFound):
        return None
    person = services().people.get(account_id)
    if person is None or not actor.active:
        return None
    organisation = services().queries.organisation_name(actor.organisation_id or "")
    return SignedInUser(actor, person, organisation or "")


def init_app(app: Flask) -> None:
    """Set up flask-login."""
    manager = LoginManager(app)
    manager.user_loader(load_user)
