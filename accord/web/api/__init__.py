"""The read-only JSON API under /api/v1/, described by the OpenAPI document it serves at
/api/v1/openapi.json.

It reads the same projections and the same list query as the public pages, needs no account,
session or CSRF token, and answers every error as JSON: ``{"error": {"code", "message",
"parameter"}}`` with 400 or 404 (see accord/web/errors.py). Its links are root-relative.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint, Response, jsonify, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from accord.domain.agreement import Agreement
from accord.domain.countries import country_name
from accord.platform.policy import Action
from accord.projections.commitment_queries import current_claims
from accord.web.access import allow
from accord.web.api.detail import change_records, commitment_detail
from accord.web.api.openapi import document
from accord.web.context import caught_up, reads
from accord.web.errors import json_error
from accord.web.filters import BadFilter
from accord.web.memo import memory, tallied
from accord.web.opendata.reading import listing, requested
from accord.web.opendata.records import commitment_record, root_relative

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")


@blueprint.before_request
def fresh_read_models() -> None:
    """Answers hold every event recorded so far, whichever worker or command recorded it."""
    caught_up()


@blueprint.after_request
def readable_from_any_site(response: Response) -> Response:
    """Pages of other sites may read the API from the browser: it is public, read-only and
    never looks at cookies, so there is nothing another site could borrow."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@blueprint.get("/")
@allow(Action.READ_PUBLIC)
def index() -> ResponseReturnValue:
    """Where to start: the API's resources and its description."""
    return jsonify(links={"countries": url_for("api.countries"),
                          "commitments": url_for("api.commitments"),
                          "openapi": url_for("api.openapi")})


@blueprint.get("/openapi.json")
@allow(Action.READ_PUBLIC)
def openapi() -> ResponseReturnValue:
    """The OpenAPI 3.1 description of this API."""
    return jsonify(document())


@blueprint.get("/countries")
@allow(Action.READ_PUBLIC)
def countries() -> ResponseReturnValue:
    """Every country with commitments, with how many are in each agreement state."""
    counts = sorted(reads().queries.country_counts(), key=lambda row: row.country)
    return jsonify(countries=[{
        "code": row.country,
        "name": country_name(row.country),
        "total": row.total,
        "overdue": row.overdue,
        "agreement": {state.value: row.count(state) for state in Agreement},
        "links": {"commitments": url_for("api.commitments", country=row.country),
                  "page": url_for("public.country", code=row.country),
                  "feed": url_for("feeds.country", code=row.country)},
    } for row in counts])


@blueprint.get("/commitments")
@allow(Action.READ_PUBLIC)
def commitments() -> ResponseReturnValue:
    """One page of the commitments the filters admit, with the total and the next page."""
    try:
        wanted = requested(request.args)
    except BadFilter as error:
        return json_error(400, error.message, parameter=error.parameter)
    tally = tallied(wanted.filters)
    page = listing().page(wanted.filters, sort=wanted.sort, page=wanted.page,
                          per_page=wanted.per_page, total=tally.of(wanted.filters),
                          remember=memory())
    split = tally.split(overdue=wanted.filters.overdue)

    def address(number: int) -> str:
        args: dict[str, Any] = wanted.query_args(page=number)
        return url_for("api.commitments", **args)

    body: dict[str, Any] = {
        "total": page.total, "page": page.page, "per_page": page.per_page,
        "pages": page.pages,
        # as many as the other filters admit in each state, whatever ``agreement`` says
        "agreement": {state.value: count for state, count in split.items()},
        "next": address(page.page + 1) if page.has_next else None,
        "previous": address(min(page.page - 1, page.pages)) if page.has_previous else None,
        "commitments": [commitment_record(row, root_relative) for row in page.rows],
    }
    return jsonify(body)


@blueprint.get("/commitments/<commitment_id>")
@allow(Action.READ_PUBLIC)
def commitment(commitment_id: str) -> ResponseReturnValue:
    """A commitment: each party's current claims with their evidence, its milestones, and
    where the two sides stand."""
    page = (current_claims(reads().queries.database, commitment_id, remember=memory())
            if _well_formed(commitment_id) else None)
    if page is None:
        return json_error(404, _("There is no commitment with the id %(id)s.",
                                 id=commitment_id[:40]))
    return jsonify(commitment_detail(page))


@blueprint.get("/commitments/<commitment_id>/history")
@allow(Action.READ_PUBLIC)
def history(commitment_id: str) -> ResponseReturnValue:
    """Everything that happened to a commitment, oldest first."""
    if not _recorded(commitment_id):
        return json_error(404, _("There is no commitment with the id %(id)s.",
                                 id=commitment_id[:40]))
    changes = reads().changes.history(commitment_id)
    return jsonify(commitment=commitment_id,
                   links={"commitment": url_for("api.commitment", commitment_id=commitment_id),
                          "page": url_for("public.commitment", commitment_id=commitment_id),
                          "feed": url_for("feeds.commitment", commitment_id=commitment_id)},
                   changes=change_records(changes))


def _well_formed(commitment_id: str) -> bool:
    """Whether a commitment id is a UUID (a malformed one names no commitment)."""
    try:
        UUID(commitment_id)
    except ValueError:
        return False
    return True


def _recorded(commitment_id: str) -> bool:
    """Whether a commitment has this id (a malformed id names none)."""
    try:
        UUID(commitment_id)
    except ValueError:
        return False
    return reads().changes.commitment(commitment_id) is not None
