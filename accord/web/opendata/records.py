"""Commitments as open data: the one shape of a listed commitment that the JSON download and
the API share, and the addresses they link to."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Protocol

from flask import g, url_for

from accord.domain.countries import country_name
from accord.projections.change_queries import in_utc
from accord.projections.queries import CommitmentRow, StatusLabel
from accord.web.context import services


class Linker(Protocol):
    """Builds the address of an endpoint: absolute in documents that leave Accord (downloads,
    feeds), root-relative in the API (whose clients know which host they asked)."""

    def __call__(self, endpoint: str, /, **values: Any) -> str: ...


def absolute(endpoint: str, /, **values: Any) -> str:
    """The address of ``endpoint`` under Accord's public base address (ACCORD_BASE_URL), so
    that it does not depend on the Host header a request happened to carry."""
    return services().settings.base_url.rstrip("/") + url_for(endpoint, **values)


ID_SAFE = re.compile(r"[0-9A-Za-z-]+")
"""Ids made of these characters stand in an address as they are, with nothing escaped."""
PLACEHOLDER = "ID-IN-ADDRESS"


def by_template(link: Linker) -> Linker:
    """``link``, building each endpoint's address once per ``commitment_id``-only endpoint and
    putting each id in its place: the same addresses, without a URL build per row."""
    templates: dict[str, tuple[str, str] | None] = {}

    def linked(endpoint: str, /, **values: Any) -> str:
        identifier = values.get("commitment_id")
        if len(values) != 1 or not isinstance(identifier, str) or not ID_SAFE.fullmatch(
                identifier):
            return link(endpoint, **values)
        if endpoint not in templates:
            parts = link(endpoint, commitment_id=PLACEHOLDER).split(PLACEHOLDER)
            templates[endpoint] = (parts[0], parts[1]) if len(parts) == 2 else None
        template = templates[endpoint]
        if template is None:
            return link(endpoint, **values)
        return template[0] + identifier + template[1]

    return linked


def root_relative(endpoint: str, /, **values: Any) -> str:
    """The address of ``endpoint`` from the root of the site, such as ``/api/v1/countries``."""
    return url_for(endpoint, **values)


def timestamp(moment: datetime) -> str:
    """An RFC 3339 time in UTC, to the second: ``2024-05-01T09:30:00Z``."""
    return in_utc(moment).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def day(value: date | None) -> str | None:
    """An ISO 8601 date, or None."""
    return value.isoformat() if value else None


def status(label: StatusLabel | None) -> dict[str, str] | None:
    """A status as its code and its label."""
    return None if label is None else {"code": label.code, "label": label.label}


def commitment_links(commitment_id: str, link: Linker) -> dict[str, str]:
    """Where to read a commitment: its page, its API record, its history and its feed."""
    # Each address is built once per request and linker, then filled in with the id.
    templated: dict[Linker, Linker] = g.setdefault("commitment_linkers", {})
    if link not in templated:
        templated[link] = by_template(link)
    link = templated[link]
    return {
        "page": link("public.commitment", commitment_id=commitment_id),
        "api": link("api.commitment", commitment_id=commitment_id),
        "history": link("api.history", commitment_id=commitment_id),
        "feed": link("feeds.commitment", commitment_id=commitment_id),
    }


def commitment_record(row: CommitmentRow, link: Linker) -> dict[str, Any]:
    """A listed commitment: who leads it, when it is due, where each side stands."""
    return {
        "id": row.commitment_id,
        "country": row.country,
        "country_name": country_name(row.country),
        "action_plan": row.action_plan_id,
        "reference": row.reference,
        "title": row.title,
        "lead_institution": row.lead_institution,
        "end_date": day(row.end_date),
        "overdue": row.overdue,
        "agreement": row.agreement.value,
        "government_status": status(row.government_status),
        "civil_society_statuses": [status(label) for label in row.civil_society_statuses],
        "civil_society_reports": row.civil_society_reports,
        "reviewer_status": status(row.reviewer_status),
        "last_change": timestamp(row.last_change_at),
        "links": commitment_links(row.commitment_id, link),
    }

