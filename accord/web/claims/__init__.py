"""Claiming, revising and withdrawing a status, in the name of the user's organisation."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from htmx_flask import request

from accord.domain.errors import DomainError
from accord.platform.errors import NotFound, NotPermitted
from accord.platform.policy import Action, Resource
from accord.projections.queries import ClaimView, CommitmentPage
from accord.web.access import allow
from accord.web.commitment_view import commitment_or_none, render_commitment
from accord.web.context import services
from accord.web.errors import render_error
from accord.web.forms import ClaimForm, WithdrawForm
from accord.web.i18n import error_message

blueprint = Blueprint("claims", __name__)


def commitment_resource(args: dict[str, Any]) -> Resource | None:
    """The country of the commitment a route names (None if there is no such commitment)."""
    page = _page(str(args.get("commitment_id", "")))
    return Resource(country=page.commitment["country"]) if page else None

INVALID = 422


@blueprint.post("/commitments/<commitment_id>/claims")
@allow(Action.CLAIM_STATUS, commitment_resource)
def claim(commitment_id: str) -> ResponseReturnValue:
    """Record a claim (or a revision) from the form, then show the commitment."""
    page = _page(commitment_id)
    if page is None:
        return render_error(404, _("There is no commitment at this address."))
    form = ClaimForm.for_vocabulary(page.vocabulary)
    if form.validate_on_submit():
        try:
            recorded = services().app.claim_status(
                current_user.actor, UUID(commitment_id), status=form.status.data,
                narrative=form.narrative.data, evidence=form.evidence_links(),
                period_start=form.period_start.data, period_end=form.period_end.data,
                replaces=form.replaces.data or None,
                revision_reason=form.revision_reason.data or None,
                claim_id=_uuid_or_none(form.claim_id.data),
            )
        except (NotPermitted, NotFound) as refusal:
            return _refused(refusal)
        except DomainError as error:
            form.add_error(error)
        else:
            services().caught_up(recorded.position)
            flash(_("Your claim has been recorded."))
            return _to_commitment(commitment_id)
    return _claim_form_again(page, form)


@blueprint.get("/commitments/<commitment_id>/claims/<claim_id>/revise")
@allow(Action.CLAIM_STATUS, commitment_resource)
def revise(commitment_id: str, claim_id: str) -> ResponseReturnValue:
    """The form to revise one of the organisation's claims, filled in with that claim."""
    page, claim = _own_claim(commitment_id, claim_id)
    if page is None or claim is None:
        return render_error(404, _("Your organisation has no active claim at this address."))
    form = ClaimForm.for_vocabulary(
        page.vocabulary, status=claim.status.code, period_start=claim.period_start,
        period_end=claim.period_end, narrative=claim.narrative,
        evidence="\n".join(claim.evidence), replaces=claim.claim_id,
    )
    return render_template("claims/revise.html", page=page, claim=claim, form=form)


@blueprint.route("/commitments/<commitment_id>/claims/<claim_id>/withdraw",
                 methods=["GET", "POST"])
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
            return _refused(refusal)
        except DomainError as error:
            form.add_error(error)
        else:
            services().caught_up(recorded.position)
            flash(_("Your claim has been withdrawn."))
            return _to_commitment(commitment_id)
    status = INVALID if form.errors else 200
    return render_template("claims/withdraw.html", page=page, claim=claim, form=form), status


def _claim_form_again(page: CommitmentPage, form: ClaimForm) -> ResponseReturnValue:
    if form.replaces.data:
        claim = page.claims.get(form.replaces.data)
        if claim is None:
            return render_error(404, _("This commitment has no such claim."))
        if claim.organisation_id != current_user.actor.organisation_id:
            return render_error(404, _("Your organisation has no active claim at this address."))
        return render_template("claims/revise.html", page=page, claim=claim,
                               form=form), INVALID
    if request.htmx:
        # htmx swaps the commitment page's claim section, errors included, in place.
        return render_commitment(page.commitment["commitment_id"], form=form, status=INVALID)
    # Without JavaScript, a page of its own puts the error summary at the top.
    return render_template("claims/new.html", page=page, form=form), INVALID


def _own_claim(commitment_id: str, claim_id: str
               ) -> tuple[CommitmentPage | None, ClaimView | None]:
    page = _page(commitment_id)
    claim = page.claims.get(claim_id) if page else None
    if claim is None or not claim.active or (
            claim.organisation_id != current_user.actor.organisation_id):
        return page, None
    return page, claim


def _page(commitment_id: str) -> CommitmentPage | None:
    services().caught_up()
    return commitment_or_none(commitment_id)


def _uuid_or_none(value: str | None) -> str | None:
    try:
        return str(UUID(value or ""))
    except ValueError:
        return None


def _refused(refusal: DomainError) -> ResponseReturnValue:
    status = 403 if isinstance(refusal, NotPermitted) else 404
    return render_error(status, error_message(refusal))


def _to_commitment(commitment_id: str) -> ResponseReturnValue:
    url = url_for("public.commitment", commitment_id=commitment_id, _anchor="current-claims")
    return redirect(url, 303)
