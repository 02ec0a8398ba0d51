"""A claim from form to record: the form, check your answers, then the claim is recorded."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from htmx_flask import request

from accord.domain.attachments import Attachment
from accord.domain.errors import DomainError
from accord.platform.errors import NotFound, NotPermitted
from accord.platform.policy import Action
from accord.projections.queries import CommitmentPage
from accord.web import drafting
from accord.web.access import allow
from accord.web.claims import (
    INVALID,
    blueprint,
    commitment_resource,
    done,
    fresh_page,
    not_found,
    refused,
)
from accord.web.commitment_view import claim_form, own_organisation
from accord.web.context import services
from accord.web.errors import render_error
from accord.web.forms import ClaimForm
from accord.web.uploads import accepts_uploads, stored_attachments

ROUTE = "/commitments/<commitment_id>/claims"


@blueprint.get(f"{ROUTE}/new")
@allow(Action.CLAIM_STATUS, commitment_resource)
def new(commitment_id: str) -> ResponseReturnValue:
    """The claim form on a page of its own, filled in with the draft if there is one."""
    page = fresh_page(commitment_id)
    if page is None:
        return not_found()
    replaces, challenges = request.args.get("replaces"), request.args.get("challenges")
    problem = _target_problem(page, replaces, challenges)
    if problem:
        return problem
    draft = drafting.load(drafting.draft_key(commitment_id, replaces, challenges))
    form = claim_form(page, **(drafting.form_data(draft) if draft else
                                _defaults(page, replaces, challenges)))
    return _form_page(page, form, draft)


@blueprint.post(ROUTE)
@allow(Action.CLAIM_STATUS, commitment_resource)
@accepts_uploads
def submit(commitment_id: str) -> ResponseReturnValue:
    """Check the form, keep it as a draft, then show it back for checking."""
    page = fresh_page(commitment_id)
    if page is None:
        return not_found()
    form = claim_form(page)
    problem = _target_problem(page, form.replaces.data, form.challenges.data)
    if problem:
        return problem
    key = drafting.draft_key(commitment_id, form.replaces.data, form.challenges.data)
    draft = drafting.load(key)
    if form.validate_on_submit():
        try:
            attachments = _kept(page, draft, form) + stored_attachments(form.files.data)
            payload = drafting.payload(form, attachments)
            services().app.check_claim(current_user.actor, UUID(commitment_id),
                                       **vars(drafting.answers(payload)))
        except (NotPermitted, NotFound) as refusal:
            return refused(refusal)
        except DomainError as error:
            form.add_error(error)
        else:
            drafting.save(key, {**payload, drafting.CHECKED: True})
            return redirect(_check_url(commitment_id, form), 303)
    return _form_page(page, form, draft, status=INVALID)


@blueprint.post(f"{ROUTE}/draft")
@allow(Action.CLAIM_STATUS, commitment_resource)
def autosave(commitment_id: str) -> ResponseReturnValue:
    """Keep what is being typed (htmx, while typing), unchecked, so that nothing is lost."""
    page = fresh_page(commitment_id)
    if page is None:
        return not_found()
    form = claim_form(page)
    if _target_problem(page, form.replaces.data, form.challenges.data):
        return "", 204
    key = drafting.draft_key(commitment_id, form.replaces.data, form.challenges.data)
    draft = drafting.load(key)
    drafting.save(key, drafting.payload(form, _kept(page, draft, form)))
    return "", 204


@blueprint.get(f"{ROUTE}/check")
@allow(Action.CLAIM_STATUS, commitment_resource)
def check(commitment_id: str) -> ResponseReturnValue:
    """Check your answers: everything that will be recorded, each with a link to change it."""
    page = fresh_page(commitment_id)
    if page is None:
        return not_found()
    replaces, challenges = request.args.get("replaces"), request.args.get("challenges")
    draft = drafting.load(drafting.draft_key(commitment_id, replaces, challenges))
    if not drafting.checked(draft):
        return redirect(url_for(".new", commitment_id=commitment_id, replaces=replaces,
                                challenges=challenges), 303)
    return render_template("claims/check.html", page=page, draft=draft,
                           change=url_for(".new", commitment_id=commitment_id,
                                          replaces=replaces, challenges=challenges))


@blueprint.post(f"{ROUTE}/check")
@allow(Action.CLAIM_STATUS, commitment_resource)
def record(commitment_id: str) -> ResponseReturnValue:
    """Record the checked claim, then forget the draft."""
    page = fresh_page(commitment_id)
    if page is None:
        return not_found()
    replaces, challenges = request.args.get("replaces"), request.args.get("challenges")
    key = drafting.draft_key(commitment_id, replaces, challenges)
    draft = drafting.load(key)
    change = url_for(".new", commitment_id=commitment_id, replaces=replaces,
                     challenges=challenges)
    if not drafting.checked(draft):
        return redirect(change, 303)
    try:
        recorded = services().app.claim_status(current_user.actor, UUID(commitment_id),
                                               **vars(drafting.answers(draft)))
    except (NotPermitted, NotFound) as refusal:
        return refused(refusal)
    except DomainError as error:
        return render_template("claims/check.html", page=page, draft=draft, change=change,
                               error=error), INVALID
    drafting.delete(key)
    return done(commitment_id, recorded.position, _("Your claim has been recorded."))


def _form_page(page: CommitmentPage, form: ClaimForm, draft: dict[str, Any] | None,
               status: int = 200) -> ResponseReturnValue:
    revised = page.claims.get(form.replaces.data or "")
    candidates = [*(draft.get("attachments", []) if draft else []),
                  *(revised.attachments if revised else [])]
    kept = list({item["sha256"]: item for item in candidates}.values())
    return render_template("claims/new.html", page=page, form=form, kept=kept,
                           target=_target(page, form)), status


def _target(page: CommitmentPage, form: ClaimForm) -> object:
    return page.claims.get(form.replaces.data or form.challenges.data or "")


def _target_problem(page: CommitmentPage, replaces: str | None, challenges: str | None
                    ) -> ResponseReturnValue | None:
    """A revision names one of the organisation's claims; a challenge a government claim."""
    if replaces:
        claim = page.claims.get(replaces)
        if claim is None or not claim.active or not own_organisation(claim.organisation_id):
            return render_error(404, _("Your organisation has no active claim at this "
                                       "address."))
    if challenges:
        claim = page.claims.get(challenges)
        if claim is None or not claim.active or claim.party != "government":
            return render_error(404, _("There is no active government claim at this address."))
    return None


def _defaults(page: CommitmentPage, replaces: str | None, challenges: str | None
              ) -> dict[str, object]:
    """A revision starts from the claim it revises; a challenge from the claim's period."""
    claim = page.claims.get(replaces or challenges or "")
    if claim is None:
        return {"milestone": request.args.get("milestone")}
    data: dict[str, object] = {
        "milestone": claim.milestone, "period_start": claim.period_start,
        "period_end": claim.period_end, "replaces": replaces, "challenges": challenges}
    if replaces:
        data.update(status=claim.status.code, narrative=claim.narrative,
                    evidence="\n".join(claim.evidence), language=claim.language,
                    keep_files=[a["sha256"] for a in claim.attachments])
    return data


def _kept(page: CommitmentPage, draft: dict[str, Any] | None, form: ClaimForm
          ) -> list[Attachment]:
    """The files already attached (to the draft, or to the claim being revised) that the
    member chose to keep."""
    wanted = set(form.keep_files.data or [])
    revised = page.claims.get(form.replaces.data or "")
    candidates = [*(draft.get("attachments", []) if draft else []),
                  *(revised.attachments if revised else [])]
    unique = {item["sha256"]: item for item in candidates}
    return [Attachment(**item) for sha256, item in unique.items() if sha256 in wanted]


def _check_url(commitment_id: str, form: ClaimForm) -> str:
    return url_for(".check", commitment_id=commitment_id, replaces=form.replaces.data or None,
                   challenges=form.challenges.data or None)
