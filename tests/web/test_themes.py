"""Themes: the list of themes, a theme's commitments in every country, and a theme compared
across countries."""

from __future__ import annotations

from uuid import UUID

import pytest
from flask.testing import FlaskClient

from accord.platform.policy import SYSTEM
from accord.services import Services
from tests.scenario import OGP, World, claim
from tests.web.conftest import html, text
from tests.web.list_helpers import ghana, listed, query, table_rows


@pytest.fixture
def commitments(services: Services, world: World) -> dict[str, UUID]:
    """Ghana's four commitments (two on open contracting: GH0001 contested, GH0003 agreed
    complete) and two more Colombian ones on open contracting: CO0002, where the government
    says complete and civil society limited, and CO0003, unreported."""
    ids = ghana(services, world)
    for reference in ("CO0002", "CO0003"):
        ids[reference] = UUID(services.app.register_commitment(
            SYSTEM, country="COL", reference=reference, framework_id=OGP,
            title=f"Open contracts {reference}", themes=["open_contracting"]).id)
    claim(services.app, world.foreign_government, ids["CO0002"], "complete")
    claim(services.app, world.foreign_civil_society, ids["CO0002"], "limited")
    return ids


def test_the_themes_page_lists_the_themes_in_use_with_their_counts(
        client: FlaskClient, commitments: dict[str, UUID]) -> None:
    soup = html(client.get("/themes"))
    assert text(soup, "h1") == "Themes"
    rows = table_rows(soup, "#themes")
    # by name, each with its commitments and countries; themes nobody uses are left out
    assert list(rows) == ["Beneficial ownership", "Open contracting", "Open data",
                          "Public procurement"]
    assert rows["Open contracting"]["Commitments"] == "4"
    assert rows["Open contracting"]["Countries"] == "2"
    assert rows["Open data"]["Commitments"] == "2"
    # each links to its list and its comparison
    row = soup.find("a", string="Open contracting").find_parent("tr")
    assert [a["href"] for a in row.select("a")] == ["/themes/open_contracting",
                                                    "/themes/open_contracting/compare"]


def test_a_theme_page_lists_its_commitments_in_every_country_with_the_filters(
        client: FlaskClient, commitments: dict[str, UUID]) -> None:
    soup = html(client.get("/themes/open_contracting"))
    assert text(soup, "h1") == "Open contracting"
    assert listed(soup) == ["CO0002", "CO0003", "GH0001", "GH0003"]
    # each row names its country, since the list spans several
    row = soup.select_one(f"#commitment-{commitments['CO0002']}")
    assert "Colombia" in text(row, "td:nth-of-type(2)")
    # it links to its comparison
    assert soup.select_one("a[href='/themes/open_contracting/compare']") is not None
    # filters, orders and pages work as on every list, the theme taken from the address
    assert listed(html(client.get("/themes/open_contracting?country=GHA"))) == [
        "GH0001", "GH0003"]
    assert listed(html(client.get("/themes/open_contracting?agreement=contested"))) == [
        "CO0002", "GH0001"]
    assert listed(html(client.get("/themes/open_contracting?sort=-last_change"))) == [
        "CO0002", "CO0003", "GH0003", "GH0001"]
    paged = html(client.get("/themes/open_contracting?per_page=3&country=COL"))
    assert text(paged, ".result-count") == "2 commitments, page 1 of 1"
    form = html(client.get("/themes/open_contracting")).select_one("form.filters")
    assert form["action"] == "/themes/open_contracting"
    assert form.select_one("[name=theme]") is None
    assert form.select_one("select#country") is not None
    many = html(client.get("/themes/open_contracting?per_page=1&overdue=no"))
    assert query(many.select_one(".pagination a[rel=next]")["href"]) == {
        "page": "2", "per_page": "1"}
    # htmx gets the list alone
    fragment = html(client.get("/themes/open_contracting?country=COL",
                               headers={"HX-Request": "true"}))
    assert fragment.find("html") is None
    assert listed(fragment) == ["CO0002", "CO0003"]


def test_an_unknown_theme_is_not_found_and_a_bad_filter_refused(
        client: FlaskClient, commitments: dict[str, UUID]) -> None:
    for address in ("/themes/astrology", "/themes/astrology/compare"):
        response = client.get(address)
        assert response.status_code == 404
        assert text(html(response), "main .lead") == "There is no theme at this address."
    response = client.get("/themes/open_contracting?agreement=sometimes")
    assert response.status_code == 400
    assert text(html(response), "main .lead") == "Unknown agreement state: sometimes."


def test_the_comparison_counts_agreed_complete_and_what_each_side_claims(
        client: FlaskClient, commitments: dict[str, UUID]) -> None:
    soup = html(client.get("/themes/open_contracting/compare"))
    # it says, before anything else, that this is not a ranking
    notice = text(soup, "#not-a-ranking")
    assert "This is not a ranking." in notice
    assert "differ in scope and ambition" in notice
    # one row per country with commitments on the theme, by name
    cells = {text(row, "th"): [td.get_text(strip=True) for td in row.select("td")]
             for row in soup.select("#comparison tbody tr")}
    # commitments, agreed complete, then complete / not yet / no report for each side
    assert cells == {
        "Colombia": ["2", "0", "1", "0", "1", "0", "1", "1"],
        "Ghana": ["2", "1", "1", "1", "0", "1", "1", "0"],
    }
    # each country links to its commitments on the theme
    assert soup.find("a", string="Ghana")["href"] == "/themes/open_contracting?country=GHA"
    # the chart draws three bars per country as shares of its commitments on the theme
    bars = {row["id"]: [(rect["class"][0], rect["width"])
                        for rect in row.select("rect:not(.chart__track)")]
            for row in soup.select(".chart__row")}
    assert bars == {
        "chart-COL": [("bar--agreed_complete", "0.0"), ("bar--government_complete", "50.0"),
                      ("bar--civil_society_complete", "0.0")],
        "chart-GHA": [("bar--agreed_complete", "50.0"), ("bar--government_complete", "50.0"),
                      ("bar--civil_society_complete", "50.0")],
    }


def test_civil_society_says_complete_only_when_every_reporter_does(
        client: FlaskClient, services: Services, world: World,
        commitments: dict[str, UUID]) -> None:
    # on GH0003, agreed complete, a second group now says it is only substantial
    claim(services.app, world.other_civil_society, commitments["GH0003"], "substantial")
    soup = html(client.get("/themes/open_contracting/compare"))
    ghana_row = soup.find("a", string="Ghana").find_parent("tr")
    assert [td.get_text(strip=True) for td in ghana_row.select("td")] == [
        "2", "0", "1", "1", "0", "0", "2", "0"]


def test_a_theme_without_commitments_says_so(
        client: FlaskClient, commitments: dict[str, UUID]) -> None:
    soup = html(client.get("/themes/asset_recovery/compare"))
    assert text(soup, ".empty") == "No commitments on this theme are recorded yet."
    assert soup.select_one("#comparison") is None
    assert "This is not a ranking." in text(soup, "#not-a-ranking")
    assert listed(html(client.get("/themes/asset_recovery"))) == []
