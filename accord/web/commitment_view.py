"""The commitment page, and the claim form as the commitment page and the claim pages show it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import g, render_template
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from accord.platform.policy import Action, Resource
from accord.projections.queries import CommitmentPage, Remember
from accord.web import drafting
from accord.web.access import open_to_current_user
from accord.web.context import reads
from accord.web.errors import render_error
from accord.web.forms import ClaimForm
from accord.web.memo import memory


def render_commitment(commitment_id: str) -> ResponseReturnValue:
    """The commitment page, with a claim form for those who may claim."""
    page = commitment_or_none(commitment_id, remember=memory())
    if page is None:
        return render_error(404, _("There is no commitment at this address."))
    form, kept = claim_form_with_draft(page) if may_claim(page) else (None, [])
    g.shown_commitment = commitment_id  # the layout links its feed without looking it up
    return render_template("public/commitment.html", page=page, form=form, kept=kept,
                           may_claim=form is not None)


def claim_form_with_draft(page: CommitmentPage) -> tuple[ClaimForm, list[dict[str, Any]]]:
    """The claim form filled in with the member's draft of a new claim, if there is one, and
    the files attached to it: the form on the commitment page saves into the same draft as
    the claim page, so it must not start empty and overwrite what was typed there."""
    draft = drafting.load(drafting.draft_key(page.commitment["commitment_id"]))
    if draft is None:
        return claim_form(page), []
    return claim_form(page, **drafting.form_data(draft)), list(draft.get("attachments", []))


def may_claim(page: CommitmentPage) -> bool:
    """Whether the visitor may claim on this commitment."""
    return open_to_current_user(Action.CLAIM_STATUS, Resource(country=page.commitment["country"]))


def claim_form(page: CommitmentPage, **data: Any) -> ClaimForm:
    """The claim form for this commitment: its statuses and milestones."""
    milestones = [(m.row["reference"], m.row["title"]) for m in page.milestones]
    return ClaimForm.for_page(page.claimable, milestones, **data)


def commitment_or_none(commitment_id: str, remember: Remember | None = None
                       ) -> CommitmentPage | None:
    """The commitment's page data, or None for a malformed or unknown id; with ``remember``,
    what many commitments' pages read alike is taken from that memory."""
    try:
        UUID(commitment_id)
    except ValueError:
        return None
    return reads().queries.commitment_page(commitment_id, remember)


def own_organisation(claim_organisation_id: str) -> bool:
    """Whether a claim was made by the signed-in member's organisation."""
    return bool(current_user.is_authenticated
                and current_user.actor.organisation_id == claim_organisation_id)
