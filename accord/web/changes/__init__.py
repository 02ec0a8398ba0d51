"""Two moments compared, for a country or an action plan: which commitments changed status or
agreement state, and which claims were made, revised or withdrawn in between."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from accord.platform.policy import Action
from accord.projections.comparison import compare
from accord.projections.read_models import ReadModels
from accord.web.access import allow
from accord.web.as_of import parse_moment
from accord.web.context import services
from accord.web.errors import render_error
from accord.web.filters import country_in_path

blueprint = Blueprint("changes", __name__)


@blueprint.get("/countries/<code>/changes")
@allow(Action.READ_PUBLIC)
def country(code: str) -> ResponseReturnValue:
    """A country's commitments compared between two moments."""
    iso = country_in_path(code)
    return _compared(scope_country=iso, plan_id=None)


@blueprint.get("/plans/<plan_id>/changes")
@allow(Action.READ_PUBLIC)
def plan(plan_id: str) -> ResponseReturnValue:
    """An action plan's commitments compared between two moments."""
    services().caught_up()
    registered = services().plans.plan_id(plan_id)
    if registered is None:
        return render_error(404, _("There is no action plan %(plan)s.", plan=plan_id[:40]))
    return _compared(scope_country=None, plan_id=registered)


def _compared(*, scope_country: str | None, plan_id: str | None) -> ResponseReturnValue:
    first_text = request.args.get("from", "").strip()
    second_text = request.args.get("to", "").strip()
    context: dict[str, object] = {
        "country": scope_country, "plan_id": plan_id, "first_text": first_text,
        "second_text": second_text, "comparison": None}
    if not first_text:
        return render_template("changes/compare.html", **context)
    now = datetime.now(UTC)
    try:
        first = parse_moment(first_text)
        second = parse_moment(second_text) if second_text else now
    except ValueError:
        return render_error(400, _("Give each moment as a date (such as 2025-06-30) or a date "
                                   "and time (such as 2025-06-30T14:00)."))
    if first > now or second > now:
        return render_error(400, _("Both moments must be in the past."))
    if second <= first:
        return render_error(400, _("The second moment must come after the first."))
    history = services().history
    positions = history.position_at(first), history.position_at(second)
    before, after = (ReadModels(history.database(position)) for position in positions)
    comparison = compare(before, after, first=positions[0], second=positions[1],
                         country=scope_country, plan=plan_id)
    context.update(comparison=comparison, first=first, second=second)
    return render_template("changes/compare.html", **context)
