"""Revising and withdrawing one of the organisation's own claims."""

from __future__ import annotations

from uuid import UUID

from flask import redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from accord.domain.errors import DomainError
from accord.platform.errors import NotFound, NotPermitted
from accord.platform.policy import Action
from accord.projections.queries import ClaimView, CommitmentPage
from accord.web.access import allow
from accord.web.claims import INVALID, blueprint, commitment_resource, done, fresh_page, refused
from accord.web.commitment_view import own_organisation
from accord.web.context import services
from accord.web.errors import render_error
from accord.web.forms import WithdrawForm

CLAIM = "/commitments/<commitment_id>/claims/<claim_id>"


@blueprint.get(f"{CLAIM}/revise")
@allow(Action.CLAIM_STATUS, commitment_resource)
def revise(commitment_id: str, claim_id: str) -> ResponseReturnValue:
    """Revising starts the claim form from the claim it replaces."""
    page, claim = _own_claim(commitment_id, claim_id)
    if page is None or claim is None:
        return render_error(404, _("Your organisation has no active claim at this address."))
    return redirect(url_for(".new", commitment_id=commitment_id, replaces=claim_id), 303)


@blueprint.route(f"{CLAIM}/withdraw", methods=["GET", "POST"])
@allow(Action.CLAIM_STATUS, commitment_resource)
def withdraw(commitment_id: str, claim_id: str) -> ResponseReturnValue:
    """Confirm, then withdraw one of the organisation's claims."""
    page, claim = _own_claim(commitment_id, claim_id)
    if page is None or claim is None:
        return render_error(404, _("Your organisation has no active claim at this address."))
    form = WithdrawForm()
    if form.validate_on_submit():
        try:
            recorded = services().app.withdraw_claim(
                current_user.actor, UUID(commitment_id), claim_id=claim_id,
                reason=form.reason.data)
        except (NotPermitted, NotFound) as refusal:
            return refused(refusal)
        except DomainError as error:
            form.add_error(error)
        else:
            return done(commitment_id, recorded.position, _("Your claim has been withdrawn."))
    status = INVALID if form.errors else 200
    return render_template("claims/withdraw.html", page=page, claim=claim, form=form), status


def _own_claim(commitment_id: str, claim_id: str
               ) -> tuple[CommitmentPage | None, ClaimView | None]:
    page = fresh_page(commitment_id)
    claim = page.claims.get(claim_id) if page else None
    if claim is None or not claim.active or not own_organisation(claim.organisation_id):
        return page, None
    return page, claim
