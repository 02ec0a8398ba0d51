"""Access to the services wired into the running application."""

from __future__ import annotations

from flask import current_app, g

from accord.projections.read_models import ReadModels
from accord.services import Services


def services() -> Services:
    """The services of the current application."""
    wired: Services = current_app.extensions["accord"]
    return wired


def reads() -> ReadModels:
    """The read models a public page shows: today's, or a past moment's for ``?as_of=``."""
    historical: ReadModels | None = g.get("reads")
    return historical if historical is not None else services().reads
