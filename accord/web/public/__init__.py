"""Public pages: progress per country, a country's commitments, one commitment."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from accord.domain.agreement import Agreement
from accord.domain.countries import country_code, country_name
from accord.domain.errors import InvalidValue
from accord.domain.themes import THEMES
from accord.platform.policy import Action
from accord.web.access import allow
from accord.web.commitment_view import render_commitment
from accord.web.context import services
from accord.web.errors import render_error
from accord.web.public.charts import country_bars
from accord.web.rendering import page_or_fragment

blueprint = Blueprint("public", __name__)


@blueprint.before_request
def fresh_read_models() -> None:
    """Pages show every event recorded so far, whichever worker or command recorded it."""
    services().caught_up()


@blueprint.get("/healthz")
@allow(Action.READ_PUBLIC)
def health() -> ResponseReturnValue:
    """Liveness and readiness: the databases answer."""
    services().progress.position()
    return {"status": "ok"}


@blueprint.get("/")
@allow(Action.READ_PUBLIC)
def home() -> ResponseReturnValue:
    """Per country, how many commitments are agreed, contested, awaiting a side or unreported."""
    counts = sorted(services().queries.country_counts(),
                    key=lambda row: country_name(row.country))
    return render_template("public/home.html", countries=counts, bars=country_bars(counts))


@blueprint.get("/countries/<code>")
@allow(Action.READ_PUBLIC)
def country(code: str) -> ResponseReturnValue:
    """A country's commitments, filtered by agreement state and theme."""
    try:
        iso = country_code(code)
    except InvalidValue:
        return render_error(404, _("There is no country with the code %(code)s.", code=code))
    counts = services().queries.country(iso)
    if counts is None:
        return render_error(404, _("No commitments are recorded for this country yet."))
    agreement_value = request.args.get("agreement", "")
    theme = request.args.get("theme", "")
    only_overdue = request.args.get("overdue", "") == "yes"
    if agreement_value and agreement_value not in {state.value for state in Agreement}:
        return render_error(400, _("Unknown agreement state: %(value)s.",
                                   value=agreement_value[:40]))
    if theme and theme not in THEMES:
        return render_error(400, _("Unknown theme: %(value)s.", value=theme[:40]))
    agreement = Agreement(agreement_value) if agreement_value else None
    rows = services().queries.commitments(iso, agreement=agreement, theme=theme or None,
                                          only_overdue=only_overdue)
    return page_or_fragment(
        "public/country.html", "public/_commitments.html",
        country=iso, counts=counts, commitments=rows, themes=services().queries.themes(iso),
        selected_agreement=agreement_value, selected_theme=theme, only_overdue=only_overdue,
        plans=services().plans.plans(iso),
    )


@blueprint.get("/commitments/<commitment_id>")
@allow(Action.READ_PUBLIC)
def commitment(commitment_id: str) -> ResponseReturnValue:
    """Both sides side by side, then the full timeline of claims."""
    return render_commitment(commitment_id)
