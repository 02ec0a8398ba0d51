"""Claiming a status in the name of the user's organisation: new claims, revisions, challenges
and endorsements of government claims, responses to challenges, withdrawals.

A claim goes form -> check your answers -> recorded; what was typed is kept as a draft on the
server (not as an event) from the moment the form is sent, and, with JavaScript, while typing.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from accord.domain.errors import DomainError
from accord.platform.errors import NotPermitted
from accord.platform.policy import Resource
from accord.projections.queries import CommitmentPage
from accord.web.commitment_view import commitment_or_none
from accord.web.context import services
from accord.web.errors import render_error
from accord.web.i18n import error_message

blueprint = Blueprint("claims", __name__)

INVALID = 422


def commitment_resource(args: dict[str, Any]) -> Resource | None:
    """The country of the commitment a route names (None if there is no such commitment)."""
    page = fresh_page(str(args.get("commitment_id", "")))
    return Resource(country=page.commitment["country"]) if page else None


def fresh_page(commitment_id: str) -> CommitmentPage | None:
    """The commitment as recorded up to now (read models caught up), or None."""
    services().caught_up()
    return commitment_or_none(commitment_id)


def refused(refusal: DomainError) -> ResponseReturnValue:
    """A refusal of the platform that is not about a field: 403 or 404 with its message."""
    status = 403 if isinstance(refusal, NotPermitted) else 404
    return render_error(status, error_message(refusal))


def not_found() -> ResponseReturnValue:
    """The page for an unknown commitment."""
    return render_error(404, _("There is no commitment at this address."))


def done(commitment_id: str, position: int, message: str) -> ResponseReturnValue:
    """After recording: show the change at once, say so, back to the commitment (303)."""
    services().caught_up(position)
    flash(message)
    url = url_for("public.commitment", commitment_id=commitment_id, _anchor="current-claims")
    return redirect(url, 303)


from accord.web.claims import changes, journey, threads  # noqa: E402,F401  (routes)
