"""The commitments the list tests filter, sort and page through, and how they read a list."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import parse_qs, urlsplit
from uuid import UUID

from bs4 import BeautifulSoup

from accord.platform.policy import SYSTEM
from accord.services import Services
from tests.scenario import OGP, World, claim

PLAN, OTHER_PLAN = "AP_GHA01", "AP_GHA02"
ALL_GHANA = ["GH-ACS-01", "GH0001", "GH0002", "GH0003"]
"""Ghana's commitments in reference order (the hyphen sorts before the digits)."""


def ghana(services: Services, world: World) -> dict[str, UUID]:
    """Ghana's four commitments, by reference, each in a different state:

    - GH0001 (world's; plan AP_GHA01; open contracting, procurement): contested, the
      government says limited, civil society substantial;
    - GH0002 (plan AP_GHA01; open data): ended in 2020, nobody reported: overdue;
    - GH0003 (plan AP_GHA02; open contracting): ended in 2020, both sides say complete;
    - GH-ACS-01 (world's Summit pledge; beneficial ownership): nobody reported.
    """
    app = services.app
    for plan_id, number in ((PLAN, 1), (OTHER_PLAN, 2)):
        app.register_action_plan(SYSTEM, plan_id=plan_id, country="GHA", number=number,
                                 title=f"Ghana's action plan {number}")

    def commitment(reference: str, **fields: Any) -> UUID:
        return UUID(app.register_commitment(
            SYSTEM, country="GHA", reference=reference, framework_id=OGP, **fields).id)

    ids = {"GH0001": world.commitment_id, "GH-ACS-01": world.pledge_id,
           "GH0002": commitment("GH0002", title="An open register of public data",
                                action_plan_id=PLAN, themes=["open_data"],
                                end_date=date(2020, 6, 30)),
           "GH0003": commitment("GH0003", title="Budget hearings in every district",
                                action_plan_id=OTHER_PLAN, themes=["open_contracting"],
                                end_date=date(2020, 12, 31))}
    claim(app, world.government, ids["GH0001"], "limited")
    claim(app, world.civil_society, ids["GH0001"], "substantial")
    for member in (world.government, world.civil_society):
        claim(app, member, ids["GH0003"], "complete")
    return ids


def table_rows(soup: BeautifulSoup, table: str = "table") -> dict[str, dict[str, str]]:
    """Each body row of the table ``table`` selects, keyed by its first cell, as column header
    -> text."""
    headers = [th.get_text(" ", strip=True) for th in soup.select(f"{table} thead th")]
    rows = {}
    for row in soup.select(f"{table} tbody tr"):
        cells = [" ".join(cell.get_text(" ").split()) for cell in row.find_all(["th", "td"])]
        rows[cells[0]] = dict(zip(headers, cells, strict=True))
    return rows


def listed(soup: BeautifulSoup) -> list[str]:
    """The references of the commitments in the page's (or fragment's) list, in order."""
    return [row.find("td").get_text(strip=True)
            for row in soup.select("#commitments table tbody tr")]


def query(href: str) -> dict[str, str]:
    """The parameters of a link's address (each given once)."""
    return {name: values[0] for name, values in parse_qs(urlsplit(href).query).items()}
