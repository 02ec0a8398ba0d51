"""Every list of commitments as CSV and JSON.

The downloads take the same parameters as the list pages (see accord/web/filters.py), so
that a list's "Download" links give exactly the commitments it shows, on every page of it.
Their columns and fields are documented in docs/open-data.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Response, request
from flask.typing import ResponseReturnValue

from accord.platform.policy import Action
from accord.web.access import allow
from accord.web.errors import json_error, render_error
from accord.web.files import disposition
from accord.web.filters import BadFilter, ListRequest
from accord.web.opendata.reading import fresh_read_models, listing, requested
from accord.web.opendata.records import absolute, commitment_record
from accord.web.opendata.spreadsheet import commitments_csv

blueprint = Blueprint("downloads", __name__)
blueprint.before_request(fresh_read_models)


@blueprint.get("/commitments.csv")
@allow(Action.READ_PUBLIC)
def commitments_as_csv() -> ResponseReturnValue:
    """Every commitment the filters admit, in the list's order, as CSV."""
    try:
        wanted = requested(request.args)
    except BadFilter as error:
        return render_error(400, error.message)
    rows = listing().all(wanted.filters, sort=wanted.sort)
    # One body rather than a stream: the rows are read already, and a whole body gets an
    # ETag and can be answered 304.
    return attachment(commitments_csv(rows, absolute), "text/csv; charset=utf-8",
                      file_name(wanted, "csv"))


@blueprint.get("/commitments.json")
@allow(Action.READ_PUBLIC)
def commitments_as_json() -> ResponseReturnValue:
    """Every commitment the filters admit, in the list's order, as JSON."""
    try:
        wanted = requested(request.args)
    except BadFilter as error:
        return json_error(400, error.message, parameter=error.parameter)
    rows = listing().all(wanted.filters, sort=wanted.sort)
    document: dict[str, Any] = {
        "filters": wanted.query_args(page=None, per_page=None),
        "total": len(rows),
        "commitments": [commitment_record(row, absolute) for row in rows],
    }
    return attachment(json.dumps(document, ensure_ascii=False), "application/json",
                      file_name(wanted, "json"))


def attachment(body: str | Iterator[str], media_type: str, name: str) -> Response:
    """``body`` as a file to save, named ``name``."""
    response = Response(body, content_type=media_type)
    response.headers.set("Content-Disposition", "attachment", **disposition(name))
    return response


def file_name(wanted: ListRequest, extension: str) -> str:
    """A name that says what the file holds and on which day: for instance
    ``accord-commitments-gha-contested-2024-05-01.csv``."""
    f = wanted.filters
    parts = ["accord-commitments", f.country, f.plan, f.theme,
             f.agreement.value if f.agreement else None, f.status,
             "overdue" if f.overdue else None, "search" if f.q else None,
             datetime.now(UTC).date().isoformat()]
    name = "-".join(part for part in parts if part)
    return re.sub(r"[^a-z0-9_.-]+", "_", name.lower()) + "." + extension
