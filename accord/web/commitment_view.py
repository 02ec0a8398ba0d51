"""The commitment page, shared by the public view and the claim form that re-renders it."""

from __future__ import annotations

from uuid import UUID

from flask import render_template
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from accord.platform.policy import Action, Resource
from accord.projections.queries import CommitmentPage
from accord.web.access import open_to_current_user
from accord.web.context import services
from accord.web.errors import render_error
from accord.web.forms import ClaimForm


def render_commitment(commitment_id: str, form: ClaimForm | None = None,
                      status: int = 200) -> ResponseReturnValue:
    """The commitment page, with the claim form (and its errors, if any)."""
    page = commitment_or_none(commitment_id)
    if page is None:
        return render_error(404, _("There is no commitment at this address."))
    may_claim = open_to_current_user(Action.CLAIM_STATUS,
                                     Resource(country=page.commitment["country"]))
    if may_claim and form is None:
        form = ClaimForm.for_vocabulary(page.vocabulary)
    return render_template("public/commitment.html", page=page, form=form,
                           may_claim=may_claim), status


def commitment_or_none(commitment_id: str) -> CommitmentPage | None:
    """The commitment's page data, or None for a malformed or unknown id."""
    try:
        UUID(commitment_id)
    except ValueError:
        return None
    return services().queries.commitment_page(commitment_id)
