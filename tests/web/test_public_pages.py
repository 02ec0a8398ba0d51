"""The public pages, read by a visitor who has not signed in."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from accord.platform.policy import SYSTEM
from accord.services import Services
from tests.scenario import OGP, World, claim
from tests.web.conftest import html, text
from tests.web.list_helpers import table_rows


def listed_references(soup: BeautifulSoup) -> list[str]:
    """The references of the commitments listed in the ``#commitments`` section."""
    return [row.find("td").get_text(strip=True)
            for row in soup.select("#commitments table tbody tr")]


def test_home_lists_each_country_with_its_counts_and_a_link(
        client: FlaskClient, services: Services, world: World) -> None:
    # Ghana's government reports on one of its two commitments; Colombia's is unreported
    claim(services.app, world.government, world.commitment_id)
    # the visitor opens the overview
    soup = html(client.get("/"))
    rows = table_rows(soup, "#country-counts")
    # each country has a row with its counts per agreement state and its total
    assert rows["Ghana"]["Awaiting civil society"] == "1"
    assert rows["Ghana"]["Not reported"] == "1"
    assert rows["Ghana"]["Agreed"] == rows["Ghana"]["Contested"] == "0"
    assert rows["Ghana"]["Total"] == "2"
    assert rows["Colombia"]["Not reported"] == rows["Colombia"]["Total"] == "1"
    # each country's name links to its page, and each count to the list it counts
    links = {a.get_text(strip=True): a["href"] for a in soup.select("#country-counts tbody th a")}
    assert links == {"Ghana": "/countries/GHA", "Colombia": "/countries/COL"}
    ghana = soup.select_one("#country-counts a[href='/countries/GHA']").find_parent("tr")
    assert [a["href"] for a in ghana.select("td a")] == [
        "/countries/GHA?agreement=awaiting_civil_society",
        "/countries/GHA?agreement=not_reported"]


def test_home_counts_every_country_together_with_the_overdue_ones(
        client: FlaskClient, services: Services, world: World) -> None:
    # Ghana's OGP commitment is agreed; a second Colombian one ended in 2020, unreported
    claim(services.app, world.government, world.commitment_id, "complete")
    claim(services.app, world.civil_society, world.commitment_id, "complete")
    services.app.register_commitment(SYSTEM, country="COL", reference="CO0002",
                                     framework_id=OGP, title="Commitment CO0002",
                                     end_date=date(2020, 12, 31))
    soup = html(client.get("/"))
    # the table of every country together gives each count in numbers
    overall = {row["Commitments"]: row["Number"]
               for row in table_rows(soup, "#overall-counts").values()}
    assert overall == {"Agreed": "1", "Contested": "0", "Awaiting government": "0",
                       "Awaiting civil society": "0", "Not reported": "3", "Overdue": "1",
                       "Total": "4"}
    # the chart above it draws one bar per count, as a share of all commitments
    bars = {text(row, ".chart__label"): row.select("svg rect")[1]["width"]
            for row in soup.select("#overall .chart__row")}
    assert bars["Agreed"] == "25.0"
    assert bars["Not reported"] == "75.0"
    assert bars["Overdue"] == "25.0"
    assert bars["Contested"] == "0.0"
    # and Colombia's overdue commitment is counted, and linked, in its row
    colombia = table_rows(soup, "#country-counts")["Colombia"]
    assert colombia["Overdue"] == "1"
    assert soup.select_one("#country-counts a[href='/countries/COL?overdue=yes']") is not None


def test_the_bar_of_a_country_has_one_rect_per_state_that_is_not_zero(
        client: FlaskClient, services: Services, world: World) -> None:
    # Ghana has one commitment awaiting civil society and one not reported
    claim(services.app, world.government, world.commitment_id)
    soup = html(client.get("/"))
    # Ghana's bar is split in two halves, each named with its count, over an empty overdue bar
    rects = soup.select("#chart-GHA svg rect")
    segments = [r for r in rects if r["class"][0].startswith("bar--")
                and r["class"] != ["bar--overdue"]]
    assert [(r["class"], r["width"]) for r in segments] == [
        (["bar--awaiting_civil_society"], "50.0"), (["bar--not_reported"], "50.0")]
    assert [r.title.get_text() for r in segments] == ["Awaiting civil society: 1",
                                                       "Not reported: 1"]
    assert soup.select_one("#chart-GHA .bar--overdue")["width"] == "0.0"
    # Colombia's bar is one rect over the whole width
    assert [r["width"] for r in soup.select("#chart-COL rect.bar--not_reported")] == ["100.0"]
    # the charts are drawn with classes, and hidden from screen readers, which read the tables
    assert all(rows["aria-hidden"] == "true" for rows in soup.select(".chart__rows"))


def test_home_lists_the_latest_changes_with_who_when_what_and_a_link(
        client: FlaskClient, services: Services, world: World) -> None:
    app, commitment = services.app, world.commitment_id
    # a claim, then its withdrawal with a reason, on Ghana's commitment
    first = claim(app, world.government, commitment, "limited")
    app.withdraw_claim(world.government.actor, commitment, claim_id=first.id,
                       reason="Reported too early.")
    soup = html(client.get("/"))
    entries = soup.select("#latest-changes .changes__entry")
    # newest first: the withdrawal, saying who, why, and when, linking to the commitment
    newest = entries[0]
    assert "Ministry of Integrity (Government) withdrew its claim of Limited." in text(
        newest, ".changes__what")
    assert text(newest, ".timeline__why") == "Why: Reported too early."
    assert newest.select_one("time")["datetime"].startswith(str(date.today().year))
    assert newest.select_one("a")["href"] == f"/commitments/{commitment}"
    assert text(newest, ".changes__commitment").startswith("GH0001: Commitment GH0001")
    # then the claim, then the registrations of the three commitments
    kinds = [entry["class"][1].removeprefix("changes__entry--") for entry in entries]
    assert kinds == ["withdrawn", "claimed", "registered", "registered", "registered"]


def test_home_lists_at_most_twenty_changes(
        client: FlaskClient, services: Services, world: World) -> None:
    # 3 registrations and 25 claims
    for number in range(25):
        claim(services.app, world.government, world.commitment_id,
              "limited" if number % 2 else "substantial")
    soup = html(client.get("/"))
    entries = soup.select("#latest-changes .changes__entry")
    assert len(entries) == 20
    assert {entry["class"][1] for entry in entries} == {"changes__entry--claimed"}


def test_the_country_page_lists_commitments_with_both_sides_and_the_agreement(
        client: FlaskClient, services: Services, world: World) -> None:
    # the two sides disagree on the OGP commitment; nobody reports on the pledge
    claim(services.app, world.government, world.commitment_id, "limited")
    claim(services.app, world.civil_society, world.commitment_id, "substantial")
    # the visitor opens Ghana's page
    soup = html(client.get("/countries/GHA"))
    assert text(soup, "h1") == "Ghana"
    rows = table_rows(soup)
    # the contested commitment shows both sides' statuses and a tag that says so in words
    assert rows["GH0001"]["Government says"] == "Limited"
    assert rows["GH0001"]["Civil society says"] == "Substantial"
    assert rows["GH0001"]["Agreement"] == "Contested"
    # the unreported pledge says so on both sides
    assert rows["GH-ACS-01"]["Government says"] == "No report"
    assert rows["GH-ACS-01"]["Civil society says"] == "No report"
    assert rows["GH-ACS-01"]["Agreement"] == "Not reported"
    # each title links to the commitment's page
    link = soup.find("a", string="Commitment GH0001")
    assert link["href"] == f"/commitments/{world.commitment_id}"


@pytest.mark.parametrize(("query", "selected", "references"), [
    ({"agreement": "awaiting_civil_society"}, ("agreement", "awaiting_civil_society"),
     ["GH0001"]),
    ({"theme": "beneficial_ownership"}, ("theme", "beneficial_ownership"), ["GH-ACS-01"]),
    ({"agreement": "agreed"}, ("agreement", "agreed"), []),
])
def test_filters_narrow_the_list_and_stay_selected_in_the_form(
        client: FlaskClient, services: Services, world: World, query: dict[str, str],
        selected: tuple[str, str], references: list[str]) -> None:
    # the government reports on the OGP commitment only
    claim(services.app, world.government, world.commitment_id)
    # the visitor filters Ghana's commitments
    response = client.get("/countries/GHA", query_string=query)
    soup = html(response)
    # only the matching commitments are listed
    assert listed_references(soup) == references
    # the filter form keeps the choice, so the visitor sees what the list shows
    select, value = selected
    assert soup.select_one(f"select#{select} option[selected]")["value"] == value
    assert response.headers["Vary"].count("HX-Request") == 1


def test_an_htmx_filter_request_gets_only_the_commitments_fragment(
        client: FlaskClient, services: Services, world: World) -> None:
    claim(services.app, world.government, world.commitment_id)
    # htmx asks for the list filtered by theme
    response = client.get("/countries/GHA", query_string={"theme": "open_contracting"},
                          headers={"HX-Request": "true"})
    soup = html(response)
    # the answer is the fragment alone: no page around it, no filter form
    assert [tag.name for tag in soup.find_all(recursive=False)] == ["section"]
    assert soup.section["id"] == "commitments"
    assert soup.find("html") is None
    assert soup.find("form") is None
    assert listed_references(soup) == ["GH0001"]
    # caches keep the page and the fragment apart
    assert "HX-Request" in response.headers["Vary"]


@pytest.mark.parametrize(("name", "value"), [
    ("agreement", "maybe"), ("theme", "astrology"), ("agreement", "AGREED"),
])
def test_an_unknown_filter_value_is_refused_naming_it(
        client: FlaskClient, world: World, name: str, value: str) -> None:
    response = client.get("/countries/GHA", query_string={name: value})
    soup = html(response)
    assert response.status_code == 400
    assert value in text(soup, "main .lead")
    assert soup.select_one("#commitments") is None


@pytest.mark.parametrize("code", ["XYZ", "FRA", "GH", "gha-"])
def test_a_country_that_is_not_tracked_is_not_found(
        client: FlaskClient, world: World, code: str) -> None:
    response = client.get(f"/countries/{code}")
    assert response.status_code == 404
    assert text(html(response), "h1") == "Page not found"


@pytest.mark.parametrize("page", ["/countries/{}", "/countries/{}/changes",
                                  "/feeds/countries/{}.atom"])
def test_a_page_of_no_country_quotes_only_a_codes_length_of_the_address(
        client: FlaskClient, world: World, page: str) -> None:
    code = "Q" * 10 + "not-shown" * 20
    response = client.get(page.format(code))
    assert response.status_code == 404
    assert text(html(response), "main .lead") == (
        f"There is no country with the code {'Q' * 10}.")


def test_a_lower_case_country_code_shows_the_country(client: FlaskClient, world: World) -> None:
    assert text(html(client.get("/countries/gha")), "h1") == "Ghana"


def test_the_commitment_page_shows_both_sides_evidence_and_the_timeline(
        client: FlaskClient, services: Services, world: World) -> None:
    app, commitment = services.app, world.commitment_id
    # the government claims, then revises its claim with a reason
    first = claim(app, world.government, commitment, "limited")
    claim(app, world.government, commitment, "substantial", replaces=first.id,
          revision_reason="The audit report came out.",
          evidence=["https://audit.example.org/report"])
    # one civil-society group agrees; another claims, then withdraws its claim
    claim(app, world.civil_society, commitment, "substantial")
    mistaken = claim(app, world.other_civil_society, commitment, "complete")
    app.withdraw_claim(world.other_civil_society.actor, commitment, claim_id=mistaken.id,
                       reason="Posted on the wrong commitment.")
    # the visitor opens the commitment
    soup = html(client.get(f"/commitments/{commitment}"))
    assert text(soup, "h1") == "Commitment GH0001"
    assert text(soup, "#current-claims-title .tag") == "Agreed"
    # each side's column shows its current claims only, with the evidence links
    government = soup.select_one(".side--government")
    assert text(government, "h3") == "Government"
    assert [text(c, ".status") for c in government.select(".claim")] == ["Substantial"]
    assert [a["href"] for a in government.select(".evidence a")] == [
        "https://audit.example.org/report"]
    civil_society = soup.select_one(".side--civil_society")
    assert text(civil_society, "h3") == "Civil society"
    assert [text(c, ".claim__who") for c in civil_society.select(".claim")] == ["Budget Watch"]
    # the timeline tells the story, newest first, with the reasons
    entries = soup.select("#timeline .timeline__entry")
    kinds = [e["class"][1].removeprefix("timeline__entry--") for e in entries]
    assert kinds == ["withdrawn", "claimed", "claimed", "revised", "claimed", "registered"]
    assert "Open Ledger (Civil society) withdrew its claim of Complete." in entries[0].get_text()
    assert text(entries[0], ".timeline__why") == "Why: Posted on the wrong commitment."
    assert text(entries[3], ".timeline__why") == "Why: The audit report came out."
    assert "revised its claim to: Substantial" in entries[3].get_text()


@pytest.mark.parametrize("commitment_id", ["not-a-uuid", "1234", str(uuid.uuid4())])
def test_a_malformed_or_unknown_commitment_id_is_not_found(
        client: FlaskClient, world: World, commitment_id: str) -> None:
    response = client.get(f"/commitments/{commitment_id}")
    assert response.status_code == 404
    assert text(html(response), "main .lead") == "There is no commitment at this address."


def test_healthz_answers_ok_in_json(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_public_pages_need_no_sign_in_and_offer_no_claim_form(
        client: FlaskClient, world: World) -> None:
    commitment_page = f"/commitments/{world.commitment_id}"
    for path in ("/", "/countries/GHA", commitment_page):
        # an anonymous visitor reads every public page
        response = client.get(path)
        assert response.status_code == 200, path
        soup = html(response)
        # nothing on it lets them record anything; the header offers to sign in
        assert soup.select("form[method=post]") == [], path
        assert soup.select_one(".site-header__account a")["href"] == "/login"
    # the commitment page invites them to sign in and come back
    soup = html(client.get(commitment_page))
    invitation = soup.select_one("#commitment-detail a[href^='/login']")
    assert invitation["href"] == f"/login?next={commitment_page}"
