"""The action plan the plan tests build on, and how they fill in and read its pages."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from accord.platform.policy import SYSTEM
from accord.services import Services
from tests.scenario import OGP, TI, World, claim
from tests.web.conftest import form_fields, html, text

PLAN = "AP_GHA01"
UPDATE, CHECK = f"/plans/{PLAN}/update", f"/plans/{PLAN}/update/check"
DASH = "\N{EN DASH}"
PERIOD = {"period_start": "2024-01-01", "period_end": "2024-06-30"}


def register_plan(services: Services, world: World) -> dict[str, UUID]:
    """Ghana's first action plan: the world's GH0001, an overdue GH0002 and a settled GH0003
    (tracked under the pledge tracker); the world's pledge is in no plan."""
    services.app.register_action_plan(
        SYSTEM, plan_id=PLAN, country="GHA", number=1, title="Ghana's first action plan",
        period_start=date(2023, 1, 1), period_end=date(2025, 12, 31), status="implementation")

    def commitment(reference: str, framework: UUID, **fields: Any) -> UUID:
        return UUID(services.app.register_commitment(
            SYSTEM, country="GHA", reference=reference, framework_id=framework,
            title=f"Commitment {reference}", action_plan_id=PLAN, **fields).id)

    ids = {"GH0001": world.commitment_id,
           "GH0002": commitment("GH0002", OGP, end_date=date(2020, 6, 30)),
           "GH0003": commitment("GH0003", TI, end_date=date(2020, 12, 31))}
    for member in (world.government, world.civil_society):
        claim(services.app, member, ids["GH0003"], status="complete")
    return ids


def rows(soup: BeautifulSoup) -> dict[str, BeautifulSoup]:
    """The plan page's table rows, by commitment reference."""
    return {text(row, "td"): row for row in soup.select("#plan-commitments tbody tr")}


def error_links(soup: BeautifulSoup) -> dict[str, str]:
    """The error summary's links (target -> message); each target must be on the page."""
    links = {str(a["href"]): a.get_text(strip=True) for a in soup.select(".error-summary a")}
    for target in links:
        assert soup.select_one(target) is not None, f"the error summary links to no {target}"
    return links


def table_form(client: FlaskClient) -> dict[str, str]:
    """What the browser sends for the update table as it is served (selects included)."""
    soup = html(client.get(UPDATE))
    fields = form_fields(soup, "form.plan-update")
    for select in soup.select("form.plan-update select"):
        chosen = select.select_one("option[selected]")
        fields[str(select["name"])] = str(chosen["value"]) if chosen else ""
    return fields


def answer(client: FlaskClient, plan: dict[str, UUID], **rows: tuple[str, str]) -> dict[str, str]:
    """The table filled in: the period, and (status, note) for the given references."""
    fields = {**table_form(client), **PERIOD}
    for reference, (status, note) in rows.items():
        fields[f"status-{plan[reference]}"] = status
        fields[f"note-{plan[reference]}"] = note
    return fields


def record(client: FlaskClient) -> TestResponse:
    """Press "Record these claims" on the check page as it is served."""
    return client.post(CHECK, data=form_fields(html(client.get(CHECK)), "form.record-form"))


def government_claims(services: Services, commitment_id: UUID) -> list[tuple[str, str]]:
    """The government's claims on the commitment, as (status, narrative)."""
    commitment = services.app.commitment(commitment_id)
    return [(c.status, c.narrative) for c in commitment.claims.values()
            if c.party.value == "government"]
