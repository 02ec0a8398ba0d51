"""The lists of commitments on the country and action plan pages: filters, orders and pages,
all kept in the address, the same with and without htmx, and a clear refusal of bad values."""

from __future__ import annotations

from uuid import UUID

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from accord.domain.agreement import Agreement
from accord.projections.listing import Filters, Tally
from accord.services import Services
from tests.scenario import World
from tests.web.conftest import html, text
from tests.web.list_helpers import ALL_GHANA, PLAN, ghana, listed, query


@pytest.fixture
def commitments(services: Services, world: World) -> dict[str, UUID]:
    """Ghana's four commitments in four different states."""
    return ghana(services, world)


FILTERS = [
    ({}, ALL_GHANA),
    ({"agreement": "contested"}, ["GH0001"]),
    ({"agreement": "agreed"}, ["GH0003"]),
    ({"agreement": "awaiting_government"}, []),
    ({"status": "substantial"}, ["GH0001"]),
    ({"status": "complete"}, ["GH0003"]),
    ({"theme": "open_contracting"}, ["GH0001", "GH0003"]),
    ({"plan": PLAN}, ["GH0001", "GH0002"]),
    ({"plan": PLAN.lower()}, ["GH0001", "GH0002"]),
    ({"overdue": "yes"}, ["GH0002"]),
    ({"overdue": "no"}, ALL_GHANA),
    ({"q": "budget hearings"}, ["GH0003"]),
    # combined
    ({"theme": "open_contracting", "agreement": "agreed"}, ["GH0003"]),
    ({"plan": PLAN, "overdue": "yes"}, ["GH0002"]),
    ({"q": "commitment", "status": "limited"}, ["GH0001"]),
    ({"theme": "open_data", "agreement": "contested"}, []),
]


def test_each_filter_narrows_a_countrys_list_and_filters_combine(
        client: FlaskClient, commitments: dict[str, UUID]) -> None:
    for filters, references in FILTERS:
        response = client.get("/countries/GHA", query_string=filters)
        assert response.status_code == 200, filters
        assert listed(html(response)) == references, filters


ORDERS = {
    "reference": ALL_GHANA,
    "title": ["GH0002", "GH0003", "GH-ACS-01", "GH0001"],
    "end_date": ["GH0002", "GH0003", "GH-ACS-01", "GH0001"],
    "-end_date": ["GH0003", "GH0002", "GH-ACS-01", "GH0001"],
    "-last_change": ["GH0003", "GH0001", "GH0002", "GH-ACS-01"],
    "last_change": ["GH-ACS-01", "GH0002", "GH0001", "GH0003"],
    "agreement": ["GH0003", "GH0001", "GH-ACS-01", "GH0002"],
}


def test_each_order_sorts_the_list_and_stays_chosen_in_the_form(
        client: FlaskClient, commitments: dict[str, UUID]) -> None:
    for sort, references in ORDERS.items():
        soup = html(client.get("/countries/GHA", query_string={"sort": sort}))
        assert listed(soup) == references, sort
        assert soup.select_one("select#sort option[selected]")["value"] == sort
    # every order the form offers is tested here
    offered = html(client.get("/countries/GHA")).select("select#sort option")
    assert sorted(option["value"] for option in offered) == sorted(ORDERS)


def test_a_list_is_paged_with_a_count_and_links_either_way(
        client: FlaskClient, commitments: dict[str, UUID]) -> None:
    # the first page of two says where the visitor is and links to the next one only
    first = html(client.get("/countries/GHA?per_page=3"))
    assert listed(first) == ALL_GHANA[:3]
    assert text(first, ".result-count") == "4 commitments, page 1 of 2"
    assert first.select_one(".pagination a[rel=prev]") is None
    following = first.select_one(".pagination a[rel=next]")["href"]
    assert query(following) == {"page": "2", "per_page": "3"}
    # the last page holds the rest and links back to the first, whose address has no page
    last = html(client.get(following))
    assert listed(last) == ALL_GHANA[3:]
    assert text(last, ".result-count") == "4 commitments, page 2 of 2"
    assert last.select_one(".pagination a[rel=next]") is None
    assert query(last.select_one(".pagination a[rel=prev]")["href"]) == {"per_page": "3"}
    # a list that fits on one page has no page links
    assert html(client.get("/countries/GHA")).select_one(".pagination") is None


def test_a_page_past_the_end_is_not_found_saying_how_many_there_are(
        client: FlaskClient, commitments: dict[str, UUID]) -> None:
    for address, message in [
            ("/countries/GHA?per_page=3&page=3", "This list has 2 pages: there is no page 3."),
            ("/countries/GHA?page=2", "This list has 1 page: there is no page 2."),
            ("/countries/GHA?agreement=awaiting_government&page=2",
             "This list has 1 page: there is no page 2.")]:
        response = client.get(address)
        assert response.status_code == 404, address
        assert text(html(response), "main .lead") == message


def test_an_empty_list_has_one_page_that_says_so(
        client: FlaskClient, commitments: dict[str, UUID]) -> None:
    soup = html(client.get("/countries/GHA?agreement=awaiting_government"))
    assert text(soup, ".result-count") == "0 commitments"
    assert text(soup, "#commitments .empty") == "No commitments match these filters."


def test_links_and_the_form_keep_every_filter_order_and_page_size(
        client: FlaskClient, commitments: dict[str, UUID]) -> None:
    filters = {"theme": "open_contracting", "status": "complete", "overdue": "no",
               "q": "budget", "sort": "-end_date", "per_page": "1"}
    soup = html(client.get("/countries/GHA", query_string={**filters, "agreement": "agreed"}))
    assert listed(soup) == ["GH0003"]
    # the form shows every choice, so that changing one keeps the others
    form = soup.select_one("form.filters")
    assert form["action"] == "/countries/GHA"
    assert form["hx-get"] == "/countries/GHA"
    assert form["hx-push-url"] == "true"
    assert form["hx-target"] == "#commitments"
    chosen = {select["name"]: select.select_one("option[selected]")["value"]
              for select in form.select("select") if select.select_one("option[selected]")}
    assert chosen == {"agreement": "agreed", "theme": "open_contracting",
                      "status": "complete", "sort": "-end_date"}
    assert form.select_one("input[name=q]")["value"] == "budget"
    assert form.select_one("input[name=per_page]")["value"] == "1"
    assert not form.select_one("input[name=overdue]").has_attr("checked")
    # the country is in the page's own address, so the form does not ask for it again
    assert form.select_one("[name=country]") is None


def test_page_links_keep_the_filters_and_the_order(
        client: FlaskClient, commitments: dict[str, UUID]) -> None:
    soup = html(client.get("/countries/GHA?theme=open_contracting&sort=title&per_page=1"))
    assert listed(soup) == ["GH0003"]
    following = soup.select_one(".pagination a[rel=next]")
    assert query(following["href"]) == {"theme": "open_contracting", "sort": "title",
                                        "page": "2", "per_page": "1"}
    # htmx follows the same address and swaps only the list
    assert following["hx-get"] == following["href"]
    assert following["hx-target"] == "#commitments"
    assert listed(html(client.get(following["href"]))) == ["GH0001"]


@pytest.mark.parametrize("filters", [
    Filters(), Filters(country="GHA"), Filters(q="budget OR commitment OR register"),
    Filters(q="commitment", country="GHA"), Filters(theme="open_contracting"),
    Filters(plan=PLAN, status="limited")])
def test_a_tally_counts_every_agreement_state_and_overdue_as_their_lists_do(
        services: Services, commitments: dict[str, UUID], filters: Filters) -> None:
    services.caught_up()
    tally = services.listing.tally(filters.but(agreement=Agreement.AGREED, overdue=True))
    for agreement in [None, *Agreement]:
        for overdue in (False, True):
            variant = filters.but(agreement=agreement, overdue=overdue)
            assert tally.of(variant) == len(services.listing.all(variant)), variant
    assert tally.count() == sum(tally.count(state) for state in Agreement) > 0


@pytest.mark.parametrize("filters", [
    Filters(), Filters(q="commitment"), Filters(q="budget OR commitment OR register"),
    Filters(q="commitment", agreement=Agreement.CONTESTED, overdue=True),
    Filters(q="commitment", country="COL"), Filters(theme="open_contracting"),
    Filters(status="limited")])
def test_tallies_by_country_are_what_each_country_tallies_alone(
        services: Services, commitments: dict[str, UUID], filters: Filters) -> None:
    services.caught_up()
    tallies = services.listing.tallies(filters)
    for country in ("GHA", "COL", "KEN"):
        alone = services.listing.tally(filters.but(country=country))
        if alone.count() == 0:
            assert country not in tallies, country
            continue
        assert (tallies[country].every, tallies[country].overdue) == (
            alone.every, alone.overdue), country
    everywhere = services.listing.tally(filters.but(country=None))
    total = Tally.total(tallies.values())
    assert (total.every, total.overdue) == (everywhere.every, everywhere.overdue)
    assert set(tallies) <= {"GHA", "COL"}


def test_the_tallied_ghana_is_split_across_states(
        services: Services, commitments: dict[str, UUID]) -> None:
    services.caught_up()
    tally = services.listing.tally(Filters(country="GHA"))
    assert {state: tally.count(state) for state in Agreement if tally.count(state)} == {
        Agreement.AGREED: 1, Agreement.CONTESTED: 1, Agreement.NOT_REPORTED: 2}
    assert tally.count(overdue=True) == tally.count(Agreement.NOT_REPORTED, overdue=True) == 1


def split(soup: BeautifulSoup) -> dict[str, tuple[str, dict[str, str] | None]]:
    """The list's split by agreement state: each state's label and count, and the address
    its link asks for (None where it has no link)."""
    found = {}
    for element in soup.select("#commitments .agreement-split > *"):
        *label, number = element.get_text(" ", strip=True).split()
        found[" ".join(label)] = (number, query(element["href"]) if element.name == "a" else None)
    return found


def test_a_list_says_how_it_splits_by_agreement_each_state_a_link(
        client: FlaskClient, commitments: dict[str, UUID]) -> None:
    assert split(html(client.get("/countries/GHA?sort=title"))) == {
        "Agreed": ("1", {"agreement": "agreed", "sort": "title"}),
        "Contested": ("1", {"agreement": "contested", "sort": "title"}),
        "Awaiting government": ("0", None),
        "Awaiting civil society": ("0", None),
        "Not reported": ("2", {"agreement": "not_reported", "sort": "title"}),
    }
    # Whatever state the list is narrowed to, the split shows the others, and the chosen one
    # without a link; the other filters (overdue here) narrow every count, and a link starts
    # the list again from its first page.
    soup = html(client.get("/countries/GHA?agreement=not_reported&overdue=yes&page=1"))
    assert listed(soup) == ["GH0002"]
    assert split(soup) == {"Agreed": ("0", None), "Contested": ("0", None),
                           "Awaiting government": ("0", None),
                           "Awaiting civil society": ("0", None),
                           "Not reported": ("1", None)}
    assert soup.select_one("#commitments .agreement-split [aria-current]").get_text(
        " ", strip=True) == "Not reported 1"
    words = html(client.get("/search?q=budget+OR+contract&agreement=agreed"))
    assert split(words)["Contested"] == ("1", {"q": "budget OR contract",
                                               "agreement": "contested"})
    assert listed(words) == ["GH0003"]


def test_the_download_links_carry_the_lists_filters(
        client: FlaskClient, commitments: dict[str, UUID]) -> None:
    soup = html(client.get("/countries/GHA?agreement=contested&sort=title&page=1"))
    links = soup.select("#commitments .downloads a")
    assert links, "the list offers its downloads"
    for link in links:
        assert query(link["href"]) == {"country": "GHA", "agreement": "contested",
                                       "sort": "title"}


def test_htmx_gets_the_list_alone_and_a_browser_the_whole_page(
        client: FlaskClient, commitments: dict[str, UUID]) -> None:
    address = "/countries/GHA?agreement=contested"
    # htmx, swapping the list: the fragment alone
    fragment = client.get(address, headers={"HX-Request": "true"})
    soup = html(fragment)
    assert [tag.name for tag in soup.find_all(recursive=False)] == ["section"]
    assert soup.section["id"] == "commitments"
    assert listed(soup) == ["GH0001"]
    assert text(soup, ".result-count") == "1 commitment, page 1 of 1"
    # a boosted link, or htmx restoring its history, and a plain browser: the whole page
    for headers in ({"HX-Request": "true", "HX-Boosted": "true"},
                    {"HX-Request": "true", "HX-History-Restore-Request": "true"}, {}):
        page = html(client.get(address, headers=headers))
        assert page.find("html") is not None
        assert page.select_one("form.filters") is not None
        assert listed(page) == ["GH0001"]
    # caches keep the two answers apart
    assert "HX-Request" in fragment.headers["Vary"]
    assert "HX-Request" in client.get(address).headers["Vary"]


BAD = [
    ({"agreement": "maybe"}, "Unknown agreement state: maybe."),
    ({"theme": "astrology"}, "Unknown theme: astrology."),
    ({"status": "finished"}, "Unknown status: finished."),
    ({"plan": "AP_XYZ99"}, "There is no action plan AP_XYZ99."),
    ({"sort": "sideways"}, "Unknown order: sideways."),
    ({"overdue": "perhaps"}, "The overdue filter is yes or no."),
    ({"page": "0"}, "page is a whole number from 1 to 100000."),
    ({"page": "two"}, "page is a whole number from 1 to 100000."),
    ({"per_page": "100000"}, "per_page is a whole number from 1 to 500."),
    ({"q": "x" * 201}, "Search for at most 200 characters."),
]


def test_a_bad_value_is_refused_with_a_message_naming_it(
        client: FlaskClient, commitments: dict[str, UUID]) -> None:
    for filters, message in BAD:
        for headers in ({}, {"HX-Request": "true"}):
            response = client.get("/countries/GHA", query_string=filters, headers=headers)
            assert response.status_code == 400, filters
            soup = html(response)
            assert text(soup, "main .lead") == message
            assert soup.select_one("#commitments") is None
        # htmx puts the refusal in place of the main content, not inside the list
        assert response.headers["HX-Retarget"] == "#main"


def test_the_plan_page_lists_its_commitments_with_the_same_filters(
        client: FlaskClient, commitments: dict[str, UUID]) -> None:
    # the plan's page lists only its own commitments
    soup = html(client.get(f"/plans/{PLAN}"))
    assert listed(soup) == ["GH0001", "GH0002"]
    # filtered and paged like any list, its plan and country taken from its address
    soup = html(client.get(f"/plans/{PLAN}?overdue=yes"))
    assert listed(soup) == ["GH0002"]
    form = soup.select_one("form.filters")
    assert form["action"] == f"/plans/{PLAN}"
    assert form.select_one("[name=plan]") is None
    assert form.select_one("[name=country]") is None
    page = html(client.get(f"/plans/{PLAN}?per_page=1"))
    assert query(page.select_one(".pagination a[rel=next]")["href"]) == {
        "page": "2", "per_page": "1"}
    # and htmx gets its list alone
    fragment = html(client.get(f"/plans/{PLAN}?agreement=contested",
                               headers={"HX-Request": "true"}))
    assert fragment.find("html") is None
    assert listed(fragment) == ["GH0001"]


def test_the_country_form_offers_the_countrys_plans_and_themes(
        client: FlaskClient, commitments: dict[str, UUID]) -> None:
    form = html(client.get("/countries/GHA")).select_one("form.filters")
    plans = [option["value"] for option in form.select("select#plan option")]
    assert plans == ["", "AP_GHA01", "AP_GHA02"]
    themes = [option["value"] for option in form.select("select#theme option")]
    assert themes == ["", "beneficial_ownership", "open_contracting", "open_data",
                      "public_procurement"]
    # a theme none of its commitments carries still shows as chosen when it is asked for
    soup = html(client.get("/countries/GHA?theme=asset_recovery"))
    assert listed(soup) == []
    assert soup.select_one("select#theme option[selected]")["value"] == "asset_recovery"
