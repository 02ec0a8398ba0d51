"""What the open-data answers read: caught-up read models and the one list query."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from accord.projections.listing import Listing
from accord.web.context import caught_up, reads
from accord.web.filters import ListRequest, list_request


def fresh_read_models() -> None:
    """Answers hold every event recorded so far, whichever worker or command recorded it
    (checked once per request: the memory of pages may have checked already)."""
    caught_up()


def listing() -> Listing:
    """The list query the list pages use, with the search projection's full-text search."""
    return reads().listing


def requested(args: Mapping[str, str]) -> ListRequest:
    """The list a download or the API is asked for, read as the list pages read it, with the
    action plan named as it was registered (``ap_gha01`` finds AP_GHA01). A status or plan
    that nothing has gives an empty list rather than an error: a program may ask before any
    commitment has one. Raises BadFilter as ``list_request`` does."""
    wanted = list_request(args)
    plan = wanted.filters.plan
    registered = reads().plans.plan_id(plan) if plan else None
    if registered is None:
        return wanted
    return replace(wanted, filters=wanted.filters.but(plan=registered))
