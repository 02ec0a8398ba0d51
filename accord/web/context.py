"""Access to the services wired into the running application."""

from __future__ import annotations

from flask import current_app, g

from accord.projections.read_models import ReadModels
from accord.services import Services


def services() -> Services:
    """The services of the current application."""
    wired: Services = current_app.extensions["accord"]
    return wired


def caught_up() -> int:
    """The read models caught up with every event recorded so far, checked once per request:
    the hooks that run before a view (the memory of pages, then the blueprint's) share the
    check. For use before a request records anything; after recording, ask the services."""
    position: int | None = g.get("caught_up_at")
    if position is None:
        position = g.caught_up_at = services().caught_up()
    return position


def reads() -> ReadModels:
    """The read models a public page shows: today's, or a past moment's for ``?as_of=``."""
    historical: ReadModels | None = g.get("reads")
    return historical if historical is not None else services().reads
