"""Access to the services wired into the running application."""

from __future__ import annotations

from flask import current_app

from accord.services import Services


def services() -> Services:
    """The services of the current application."""
    wired: Services = current_app.extensions["accord"]
    return wired
