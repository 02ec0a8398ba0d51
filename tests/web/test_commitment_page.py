"""The commitment page: milestones with their own agreement, overdue tags, the independent
reviewer beside the two sides, Summit pledges, translations and the action plan."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from accord.domain.actor import acting_as
from accord.domain.commitment import Commitment
from accord.domain.milestones import milestone
from accord.domain.organisation import OrganisationKind
from accord.domain.values import Party, ReportingPeriod
from accord.platform.policy import SYSTEM
from accord.services import Services
from accord.web import i18n
from tests.scenario import OGP, World, claim
from tests.web.claim_helpers import CLAIM_FORM, browser_fields, record, submit
from tests.web.conftest import html, sign_in, statements, text


def register(services: Services, reference: str, **details: Any) -> UUID:
    """A Ghanaian commitment under the OGP framework, with any detail the domain accepts
    (the application's use case does not take translations yet)."""
    with acting_as(SYSTEM.account_id):
        commitment = Commitment.register(country="GHA", reference=reference, framework_id=OGP,
                                         title=f"Commitment {reference}", **details)
    services.app.save(commitment)
    return commitment.id


def milestones(soup: BeautifulSoup) -> dict[str, BeautifulSoup]:
    """The milestones listed on the page, by reference."""
    return {str(item["id"]).removeprefix("milestone-"): item
            for item in soup.select("#milestones li.milestone")}


def overdue_tags(soup: BeautifulSoup) -> list[str]:
    """Where the page shows an "Overdue" tag: "commitment" or a milestone's reference."""
    return [str(tag.find_parent("li", class_="milestone")["id"]).removeprefix("milestone-")
            if tag.find_parent("li", class_="milestone") else "commitment"
            for tag in soup.select(".tag--overdue")]


def test_milestones_are_listed_nested_with_due_dates_and_their_own_agreement(
        client: FlaskClient, services: Services, world: World) -> None:
    for step in (milestone(reference="M1", title="Publish the register",
                           due_date=date(2030, 6, 30)),
                 milestone(reference="M1.1", title="Choose the format", parent="M1",
                           due_date=date(2030, 3, 31)),
                 milestone(reference="M2", title="Train the buyers", due_text="Before the end")):
        services.app.add_milestone(SYSTEM, world.commitment_id, step)
    # the page lists the milestones in order, each under its parent, with its due date
    sign_in(client, world.government)
    soup = html(client.get(f"/commitments/{world.commitment_id}"))
    listed = milestones(soup)
    assert list(listed) == ["M1", "M1.1", "M2"]
    assert [item["class"][1] for item in listed.values()] == [
        "milestone--depth-0", "milestone--depth-1", "milestone--depth-0"]
    assert [text(item, "h3") for item in listed.values()] == [
        "M1 Publish the register", "M1.1 Choose the format", "M2 Train the buyers"]
    assert [text(item, ".meta") for item in listed.values()] == [
        "Due Jun 30, 2030 Not reported", "Due Mar 31, 2030 Not reported",
        "Due: Before the end Not reported"]
    # the member claims about M1, from the link under it: the form has it chosen
    link = listed["M1"].find("a", string="Claim a status on this milestone")["href"]
    form = html(client.get(link))
    assert [o["value"] for o in form.select(f"{CLAIM_FORM} select#milestone option")] == [
        "", "M1", "M1.1", "M2"]
    fields = {**browser_fields(form, CLAIM_FORM), "status": "substantial",
              "period_start": "2024-01-01", "period_end": "2024-06-30",
              "narrative": "The register is drafted."}
    assert fields["milestone"] == "M1"
    check_url = submit(client, world.commitment_id, fields).location
    about = html(client.get(check_url)).find("dt", string="About").find_parent("div")
    assert about.dd.get_text(strip=True) == "M1: Publish the register"
    assert about.select_one(".check-answers__change a")["href"] == (
        f"/commitments/{world.commitment_id}/claims/new#milestone")
    response = record(client, check_url)
    # the claim shows under M1, which has its own agreement; the commitment's is unchanged
    soup = html(client.get(response.location))
    m1 = milestones(soup)["M1"]
    assert text(m1, ".side--government .status") == "Substantial"
    assert text(m1, ".tag") == "Awaiting civil society"
    assert text(soup, "#current-claims .side--government .empty") == "No current claim."
    assert text(soup, "#current-claims-title .tag") == "Not reported"
    assert "milestone M1" in text(soup, f"#claim-{fields['claim_id']} .claim__status")
    recorded = services.app.commitment(world.commitment_id)
    assert recorded.claims[fields["claim_id"]].milestone == "M1"
    assert (recorded.agreement_on("M1").value, recorded.agreement.value) == (
        "awaiting_civil_society", "not_reported")


def test_overdue_commitments_and_milestones_are_tagged_until_both_sides_say_complete(
        client: FlaskClient, services: Services, world: World) -> None:
    # a commitment that ended in 2020, with a milestone due then and one due in 2030
    commitment_id = register(services, "GH0009", start_date=date(2019, 1, 1),
                             end_date=date(2020, 6, 30))
    for reference, due in (("M1", date(2020, 3, 31)), ("M2", date(2030, 3, 31))):
        services.app.add_milestone(SYSTEM, commitment_id, milestone(
            reference=reference, title=f"Step {reference}", due_date=due))
    url = f"/commitments/{commitment_id}"
    # with no claims, the commitment and the past milestone are overdue, not the other
    soup = html(client.get(url))
    assert overdue_tags(soup) == ["commitment", "M1"]
    assert "Overdue" in text(soup, ".summary-list")
    # the government says both are complete, civil society that they are not
    period = {"period_start": date(2020, 1, 1), "period_end": date(2020, 6, 30)}
    doubts = {}
    for scope in (None, "M1"):
        claim(services.app, world.government, commitment_id, "complete", milestone=scope,
              **period)
        doubts[scope] = claim(services.app, world.civil_society, commitment_id, "limited",
                              milestone=scope, **period).id
    assert overdue_tags(html(client.get(url))) == ["commitment", "M1"]
    # once civil society agrees that both are complete, neither is overdue any more
    for scope, doubt in doubts.items():
        claim(services.app, world.civil_society, commitment_id, "complete", milestone=scope,
              replaces=doubt, revision_reason="The last report came out.", **period)
    assert overdue_tags(html(client.get(url))) == []
    page = services.queries.commitment_page(str(commitment_id))
    assert page is not None
    assert (page.overdue, [m.overdue for m in page.milestones]) == (False, [False, False])


def test_the_independent_reviewer_is_shown_beside_the_two_sides_and_not_counted(
        client: FlaskClient, services: Services, world: World) -> None:
    # both sides agree on "limited"
    for member in (world.government, world.civil_society):
        claim(services.app, member, world.commitment_id, "limited")
    # the independent reviewer rates the commitment "substantial", as the OGP import does
    # (the policy lets no reviewer account claim through the application)
    reviewer = services.app.register_organisation(
        SYSTEM, name="Independent Reporting Mechanism", kind=OrganisationKind.REVIEWER,
        countries=[])
    commitment = services.app.commitment(world.commitment_id)
    with acting_as(SYSTEM.account_id):
        commitment.claim_status(
            claim_id="irm-rating", party=Party.INDEPENDENT_REVIEWER,
            organisation_id=reviewer.id, status="substantial",
            vocabulary=services.app.framework(OGP).current, narrative="Rated by the IRM.",
            evidence=[], period=ReportingPeriod(date(2024, 1, 1), date(2024, 12, 31)),
            language="en")
    services.app.save(commitment)
    # the page shows the reviewer's rating in its own block, beside the two sides
    sign_in(client, world.civil_society)
    soup = html(client.get(f"/commitments/{world.commitment_id}"))
    block = soup.select_one("#current-claims .reviewer")
    assert text(block, "h3") == ("Independent reviewer (shown beside the two sides; not "
                                 "counted in their agreement)")
    assert (text(block, ".claim__who"), text(block, ".status")) == (
        "Independent Reporting Mechanism", "Substantial")
    assert [text(side, ".status") for side in soup.select("#current-claims .side")] == [
        "Limited", "Limited"]
    # it does not change the agreement, and civil society cannot endorse or challenge it
    assert text(soup, "#current-claims-title .tag") == "Agreed"
    assert block.select(".claim__actions a") == []
    page = services.queries.commitment_page(str(world.commitment_id))
    assert page is not None
    assert ([c.claim_id for c in page.sides.reviewer], page.agreement.value) == (
        ["irm-rating"], "agreed")


def test_an_embedded_summit_pledge_is_linked_from_both_pages(
        client: FlaskClient, services: Services, world: World) -> None:
    services.app.embed_pledge(SYSTEM, world.commitment_id, world.pledge_id)
    # the commitment names the pledge it carries out, and links to it
    soup = html(client.get(f"/commitments/{world.commitment_id}"))
    pledges = soup.find("dt", string="Carries out the Summit pledges").find_next("dd")
    assert [(a["href"], a.get_text()) for a in pledges.select("a")] == [
        (f"/commitments/{world.pledge_id}", "GH-ACS-01: Commitment GH-ACS-01")]
    assert "A Summit pledge was linked to this commitment." in text(soup, "#timeline")
    assert soup.find("dt", string="Embedded in the commitments") is None
    # the pledge names the commitment it is embedded in, and links back
    soup = html(client.get(f"/commitments/{world.pledge_id}"))
    embedded = soup.find("dt", string="Embedded in the commitments").find_next("dd")
    assert [(a["href"], a.get_text()) for a in embedded.select("a")] == [
        (f"/commitments/{world.commitment_id}", "GH0001: Commitment GH0001")]
    assert soup.find("dt", string="Carries out the Summit pledges") is None


def test_a_translated_title_shows_only_in_a_language_accord_offers(
        client: FlaskClient, services: Services, world: World,
        monkeypatch: pytest.MonkeyPatch) -> None:
    commitment_id = register(services, "GH0100", translations={
        "fr": {"title": "Publier chaque contrat"}})
    services.caught_up()
    page = services.queries.commitment_page(str(commitment_id))
    assert page is not None
    assert page.commitment["translations"]["fr"]["title"] == "Publier chaque contrat"
    url, french = f"/commitments/{commitment_id}", {"Accept-Language": "fr"}
    # French is not offered yet (accord.web.i18n.LANGUAGES is English only, until its
    # catalogue arrives): a French browser reads the page, and the title, in English
    soup = html(client.get(url, headers=french))
    assert (soup.html["lang"], text(soup, "h1")) == ("en", "Commitment GH0100")
    # once French is offered, the same browser gets the French title
    monkeypatch.setattr(i18n, "LANGUAGES", ("en", "fr"))
    soup = html(client.get(url, headers=french))
    assert (soup.html["lang"], text(soup, "h1")) == ("fr", "Publier chaque contrat")
    assert text(html(client.get(url)), "h1") == "Commitment GH0100"


def test_the_breadcrumb_links_to_the_action_plan_once_it_is_registered(
        client: FlaskClient, services: Services, world: World) -> None:
    url = f"/commitments/{world.commitment_id}"
    # the commitment names its plan, which is not registered yet: no link to a missing page
    soup = html(client.get(url))
    assert "Action plan AP_GHA01" in text(soup, ".caption")
    assert [a["href"] for a in soup.select(".breadcrumbs a")] == ["/", "/countries/GHA"]
    # once the plan is registered, the breadcrumb leads to it
    services.app.register_action_plan(SYSTEM, plan_id="AP_GHA01", country="GHA", number=1,
                                      title="Ghana's first action plan")
    soup = html(client.get(url))
    assert [(a["href"], a.get_text()) for a in soup.select(".breadcrumbs a")][-1] == (
        "/plans/AP_GHA01", "AP_GHA01")
    assert client.get("/plans/AP_GHA01").status_code == 200


def test_a_commitment_reads_only_the_parts_it_has(
        client: FlaskClient, services: Services, world: World) -> None:
    def read(commitment_id: UUID) -> tuple[BeautifulSoup, set[str], list[str]]:
        with statements(services) as sent:
            soup = html(client.get(f"/commitments/{commitment_id}"))
            themes = client.get(f"/api/v1/commitments/{commitment_id}").get_json()["themes"]
        # (The commitment's own statement asks whether it has them, in subqueries.)
        reads = {"milestones": "SELECT progress_milestone.", "links": "JOIN progress_link"}
        tables = {name for name, marker in reads.items()
                  if any(marker in statement for statement in sent)}
        return soup, tables, themes

    # Neither milestones nor links to Summit pledges: neither is read; the themes in order.
    soup, tables, themes = read(world.commitment_id)
    assert tables == set()
    assert themes == ["open_contracting", "public_procurement"]
    assert soup.find("dt", string="Themes").find_next("dd").get_text() == (
        "Open contracting, Public procurement")
    assert soup.select_one("#milestones") is None

    services.app.add_milestone(SYSTEM, world.commitment_id, milestone(
        reference="M1", title="Publish the first awards", due_date=date(2025, 3, 31)))
    services.app.embed_pledge(SYSTEM, world.commitment_id, world.pledge_id)
    soup, tables, _ = read(world.commitment_id)
    assert tables == {"milestones", "links"}
    assert "Publish the first awards" in text(soup, "#milestones")
    assert "GH-ACS-01" in soup.find("dt", string="Carries out the Summit pledges").find_next(
        "dd").get_text()
    # The pledge has links too (it is embedded), and no milestones.
    soup, tables, themes = read(world.pledge_id)
    assert tables == {"links"}
    assert themes == ["beneficial_ownership"]
