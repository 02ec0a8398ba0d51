"""Who is acting: every event records the opaque id of the account that caused it.

The platform sets the acting account once per use case; aggregates read it when they
trigger an event, so no command method needs an extra parameter and no event can be
created without an actor.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

SYSTEM_ACTOR = "system"
"""The actor id of changes made by the platform itself (imports, demo data, set-up)."""

_acting_account: ContextVar[str] = ContextVar("acting_account")


class NoActor(RuntimeError):
    """An event was triggered outside ``acting_as``: a programming error."""


def current_actor() -> str:
    """Return the id of the account on whose behalf events are being triggered."""
    try:
        return _acting_account.get()
    except LookupError:
        raise NoActor("events must be triggered inside acting_as(account_id)") from None


@contextmanager
def acting_as(account_id: str) -> Iterator[None]:
    """Record ``account_id`` as the actor of every event triggered inside the block."""
    token = _acting_account.set(account_id)
    try:
        yield
    finally:
        _acting_account.reset(token)
