"""Civil society endorses or challenges a government claim; the government responds."""

from __future__ import annotations

from uuid import UUID, uuid4

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
from accord.web.forms import EndorseForm, RespondForm
from accord.web.uploads import accepts_uploads, stored_attachments

CLAIM = "/commitments/<commitment_id>/claims/<claim_id>"


@blueprint.route(f"{CLAIM}/endorse", methods=["GET", "POST"])
@allow(Action.ANSWER_GOVERNMENT_CLAIM, commitment_resource)
def endorse(commitment_id: str, claim_id: str) -> ResponseReturnValue:
    """Confirm agreement with a government claim (same status, same period)."""
    page, claim = _government_claim(commitment_id, claim_id)
    if page is None or claim is None:
        return render_error(404, _("There is no active government claim at this address."))
    form = EndorseForm()
    if not form.claim_id.data:
        form.claim_id.data = str(uuid4())
    if form.validate_on_submit():
        try:
            recorded = services().app.claim_status(
                current_user.actor, UUID(commitment_id), status=claim.status.code,
                narrative=form.narrative.data or "", evidence=[],
                period_start=claim.period_start, period_end=claim.period_end,
                milestone=claim.milestone, language=form.language.data, endorses=claim_id,
                claim_id=_uuid_or_none(form.claim_id.data))
        except (NotPermitted, NotFound) as refusal:
            return refused(refusal)
        except DomainError as error:
            form.add_error(error)
        else:
            return done(commitment_id, recorded.position, _("Your endorsement has been "
                                                            "recorded."))
    return render_template("claims/endorse.html", page=page, claim=claim, form=form), (
        INVALID if form.errors else 200)


@blueprint.get(f"{CLAIM}/challenge")
@allow(Action.ANSWER_GOVERNMENT_CLAIM, commitment_resource)
def challenge(commitment_id: str, claim_id: str) -> ResponseReturnValue:
    """Challenging starts the claim form, answering the government claim."""
    page, claim = _government_claim(commitment_id, claim_id)
    if page is None or claim is None:
        return render_error(404, _("There is no active government claim at this address."))
    return redirect(url_for(".new", commitment_id=commitment_id, challenges=claim_id), 303)


@blueprint.route(f"{CLAIM}/respond", methods=["GET", "POST"])
@allow(Action.RESPOND_TO_CHALLENGE, commitment_resource)
@accepts_uploads
def respond(commitment_id: str, claim_id: str) -> ResponseReturnValue:
    """The government answers a challenge of its claim."""
    page = fresh_page(commitment_id)
    challenge_claim = page.claims.get(claim_id) if page else None
    challenged = page.claims.get(challenge_claim.challenges or "") if (
        page and challenge_claim) else None
    if page is None or challenge_claim is None or challenged is None or not own_organisation(
            challenged.organisation_id):
        return render_error(404, _("There is no challenge of your organisation's claim at "
                                   "this address."))
    form = RespondForm()
    if not form.response_id.data:
        form.response_id.data = str(uuid4())
    if form.validate_on_submit():
        try:
            recorded = services().app.respond_to_challenge(
                current_user.actor, UUID(commitment_id), challenge_id=claim_id,
                narrative=form.narrative.data, evidence=form.evidence_links(),
                attachments=stored_attachments(form.files.data),
                language=form.language.data,
                response_id=_uuid_or_none(form.response_id.data))
        except (NotPermitted, NotFound) as refusal:
            return refused(refusal)
        except DomainError as error:
            form.add_error(error)
        else:
            return done(commitment_id, recorded.position, _("Your response has been "
                                                            "recorded."))
    return render_template("claims/respond.html", page=page, claim=challenge_claim,
                           challenged=challenged, form=form), INVALID if form.errors else 200


def _government_claim(commitment_id: str, claim_id: str
                      ) -> tuple[CommitmentPage | None, ClaimView | None]:
    page = fresh_page(commitment_id)
    claim = page.claims.get(claim_id) if page else None
    if claim is None or not claim.active or claim.party != "government":
        return page, None
    return page, claim


def _uuid_or_none(value: str | None) -> str | None:
    try:
        return str(UUID(value or ""))
    except ValueError:
        return None
