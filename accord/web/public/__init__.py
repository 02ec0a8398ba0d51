"""Public pages: progress overall and per country, a country's commitments, search, one
commitment."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from accord.domain.countries import country_name
from accord.platform.policy import Action
from accord.web.access import allow
from accord.web.commitment_view import render_commitment
from accord.web.context import caught_up, reads, services
from accord.web.errors import render_error
from accord.web.filters import country_in_path
from accord.web.memo import remembered
from accord.web.public.charts import country_bars, overall_bars, overdue_bars, totals
from accord.web.public.lists import render_list

blueprint = Blueprint("public", __name__)

LATEST = 20
"""How many of the latest changes the home page lists."""


@blueprint.before_request
def fresh_read_models() -> None:
    """Pages show every event recorded so far, whichever worker or command recorded it."""
    caught_up()


@blueprint.get("/healthz")
@allow(Action.READ_PUBLIC)
def health() -> ResponseReturnValue:
    """Liveness and readiness: the databases answer."""
    services().progress.position()
    return {"status": "ok"}


@blueprint.get("/")
@allow(Action.READ_PUBLIC)
def home() -> ResponseReturnValue:
    """How many commitments are agreed, contested, awaiting a side, unreported and overdue,
    overall and per country; then the latest changes everywhere."""
    counts = sorted(reads().queries.country_counts(),
                    key=lambda row: country_name(row.country))
    overall = totals(counts)
    return render_template(
        "public/home.html", countries=counts, overall=overall,
        overall_bars=overall_bars(overall), bars=country_bars(counts),
        overdue_bars=overdue_bars(counts), changes=reads().changes.latest(limit=LATEST))


@blueprint.get("/countries/<code>")
@allow(Action.READ_PUBLIC)
def country(code: str) -> ResponseReturnValue:
    """A country's commitments: filtered, sorted and a page at a time."""
    iso = country_in_path(code)
    counts = remembered(("counts", iso), lambda: reads().queries.country(iso))
    if counts is None:
        return render_error(404, _("No commitments are recorded for this country yet."))
    return render_list("public/country.html", fixed={"country": iso},
                       themes=remembered(("themes", iso), lambda: reads().queries.themes(iso)),
                       country=iso, counts=counts,
                       plans=remembered(("plans", iso), lambda: reads().plans.plans(iso)))


@blueprint.get("/search")
@allow(Action.READ_PUBLIC)
def search() -> ResponseReturnValue:
    """Commitments whose texts, references or institutions hold the words searched for, with
    the same filters as every list."""
    return render_list("public/search.html")


@blueprint.get("/commitments/<commitment_id>")
@allow(Action.READ_PUBLIC)
def commitment(commitment_id: str) -> ResponseReturnValue:
    """Both sides side by side, then the full timeline of claims."""
    return render_commitment(commitment_id)
