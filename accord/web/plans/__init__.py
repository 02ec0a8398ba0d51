"""Action plans: a plan's page, and the government's update of many of its commitments at once.

The update is a table (a status, a note per commitment and one reporting period), then a
check-your-answers page, then one submission that records every claim or none. The answers
are kept as a server-side draft between the steps, so a session that times out loses nothing.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from accord.domain.action_plan import PlanStatus
from accord.domain.errors import ClaimAlreadyRecorded, DomainError
from accord.platform.errors import NotPermitted
from accord.platform.policy import Action, Resource, permits
from accord.projections.plan_queries import PlanPage
from accord.web.access import allow, current_actor
from accord.web.context import reads, services
from accord.web.errors import render_error
from accord.web.i18n import error_message
from accord.web.plans.update import PlanUpdate, claimable_statuses, draft_key
from accord.web.public.lists import render_list

blueprint = Blueprint("plans", __name__)

INVALID = 422

PLAN_STATUS_LABELS = {
    PlanStatus.DEVELOPMENT: _l("In development"),
    PlanStatus.IMPLEMENTATION: _l("Being implemented"),
    PlanStatus.ENDED: _l("Ended"),
}


def plan_resource(args: dict[str, Any]) -> Resource | None:
    """The country of the plan a route names (None if there is no such plan)."""
    services().caught_up()
    page = services().plans.plan(str(args.get("plan_id", "")))
    return Resource(country=page.plan.country) if page else None


@blueprint.get("/plans/<plan_id>")
@allow(Action.READ_PUBLIC)
def plan(plan_id: str) -> ResponseReturnValue:
    """The plan's number, title, period and status, and where each of its commitments stands
    (filtered, sorted and a page at a time, as on every list)."""
    services().caught_up()
    page = reads().plans.plan(plan_id)
    if page is None:
        return render_error(404, _("There is no action plan at this address."))
    may_update = permits(current_actor(), Action.UPDATE_PLAN,
                         Resource(country=page.plan.country))
    return render_list("plans/plan.html",
                       fixed={"plan": page.plan.plan_id, "country": page.plan.country},
                       page=page, may_update=may_update, PLAN_STATUS_LABELS=PLAN_STATUS_LABELS)


@blueprint.route("/plans/<plan_id>/update", methods=["GET", "POST"])
@allow(Action.UPDATE_PLAN, plan_resource)
def update(plan_id: str) -> ResponseReturnValue:
    """The table of the plan's commitments; its answers become the draft, then are checked."""
    page = services().plans.plan(plan_id)
    if page is None:
        return render_error(404, _("There is no action plan at this address."))
    key, account_id = draft_key(page.plan.plan_id), current_user.actor.account_id
    earlier = _draft(account_id, key)
    if request.method == "GET":
        return _table(page, earlier or PlanUpdate())
    answers = PlanUpdate.from_form(request.form, page.commitments, earlier)
    # Kept before it is checked: what was typed survives whatever happens next.
    services().drafts.save(account_id, key, answers.payload())
    errors = answers.errors(page.commitments, _choices(page))
    if errors:
        return _table(page, answers, errors, INVALID)
    return redirect(url_for("plans.check", plan_id=page.plan.plan_id), 303)


@blueprint.route("/plans/<plan_id>/update/check", methods=["GET", "POST"])
@allow(Action.UPDATE_PLAN, plan_resource)
def check(plan_id: str) -> ResponseReturnValue:
    """Every answer once more, then one submission that records all the claims or none."""
    page = services().plans.plan(plan_id)
    if page is None:
        return render_error(404, _("There is no action plan at this address."))
    key, account_id = draft_key(page.plan.plan_id), current_user.actor.account_id
    answers = _draft(account_id, key)
    if answers is None:
        if request.method == "POST":
            flash(_("There was nothing to record: give the new statuses first."))
        return redirect(url_for("plans.update", plan_id=page.plan.plan_id), 303)
    errors = answers.errors(page.commitments, _choices(page))
    if errors:
        return _table(page, answers, errors, INVALID if request.method == "POST" else 200)
    if request.method == "GET":
        return _check_page(page, answers)
    if request.form.get("fingerprint") != answers.fingerprint():
        # The draft changed in another window after this page was shown.
        return _check_page(page, answers, _("Your answers changed in another window. Check "
                                            "them again before recording them."), 409)
    return _record(page, answers, account_id, key)


def _record(page: PlanPage, answers: PlanUpdate, account_id: str, key: str
            ) -> ResponseReturnValue:
    claims = answers.claims(page.commitments)
    try:
        recorded = services().app.claim_statuses(current_user.actor, claims)
    except ClaimAlreadyRecorded:
        # The same answers were submitted twice (a double click): the first submission won.
        services().drafts.delete(account_id, key)
        flash(_("These claims had already been recorded."))
        return _to_plan(page)
    except NotPermitted as refusal:
        return _check_page(page, answers, error_message(refusal), 403)
    except DomainError as refusal:
        return _check_page(page, answers, error_message(refusal), INVALID)
    services().drafts.delete(account_id, key)
    services().caught_up(recorded.position)
    flash(ngettext("%(num)d claim has been recorded.", "%(num)d claims have been recorded.",
                   len(claims)))
    return _to_plan(page)


def _draft(account_id: str, key: str) -> PlanUpdate | None:
    payload = services().drafts.load(account_id, key)
    return PlanUpdate.from_payload(payload) if payload is not None else None


def _choices(page: PlanPage) -> dict[str, list[tuple[str, str]]]:
    return claimable_statuses(c.framework_id for c in page.commitments)


def _table(page: PlanPage, answers: PlanUpdate, errors: dict[str, str] | None = None,
           status: int = 200) -> ResponseReturnValue:
    return render_template("plans/update.html", page=page, answers=answers,
                           errors=errors or {}, choices=_choices(page)), status


def _check_page(page: PlanPage, answers: PlanUpdate, refusal: str | None = None,
                status: int = 200) -> ResponseReturnValue:
    labels = {(framework_id, code): label for framework_id, choices in _choices(page).items()
              for code, label in choices}
    return render_template("plans/check.html", page=page, answers=answers,
                           claimed=answers.claimed(page.commitments), period=answers.period(),
                           labels=labels, refusal=refusal), status


def _to_plan(page: PlanPage) -> ResponseReturnValue:
    return redirect(url_for("plans.plan", plan_id=page.plan.plan_id), 303)
