"""The full history of a commitment, an organisation and an account: who acted, when, what
changed field by field, and why; as a page and as JSON, for those allowed to see it."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid4

from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from accord.domain.account import Role
from accord.domain.actor import SYSTEM_ACTOR, acting_as
from accord.platform.policy import SYSTEM
from accord.services import Services
from tests.scenario import World, claim
from tests.web.conftest import enrol, html, sign_in, steward, text


def entries(soup: BeautifulSoup) -> list[BeautifulSoup]:
    """The events listed on a history page, oldest first."""
    return soup.select("#history > li")


def what(soup: BeautifulSoup) -> list[str]:
    """The label of each event listed, oldest first."""
    return [text(entry, ".history__what") for entry in entries(soup)]


def changes(entry: BeautifulSoup) -> dict[str, tuple[str, str]]:
    """Field label to (before, after), as the event's table shows them."""
    rows = {}
    for row in entry.select(".history__changes tbody tr"):
        cells = [" ".join(cell.get_text(" ").split()) for cell in row.select("th, td")]
        rows[cells[0]] = (cells[1], cells[2])
    return rows


def a_claim_revised_and_withdrawn(services: Services, world: World) -> dict[str, Any]:
    """The government claims, revises its claim with a reason, then withdraws it."""
    first = claim(services.app, world.government, world.commitment_id, status="limited")
    revised = claim(services.app, world.government, world.commitment_id, status="substantial",
                    replaces=first.id, revision_reason="The tender portal went live in May.")
    services.app.withdraw_claim(world.government.actor, world.commitment_id,
                                claim_id=revised.id, reason="Reported on the wrong plan.")
    return {"first": first.id, "revised": revised.id}


def test_a_commitments_history_lists_its_claim_revision_and_withdrawal_with_their_reasons(
        client: FlaskClient, services: Services, world: World) -> None:
    claims = a_claim_revised_and_withdrawn(services, world)
    # anyone, signed in or not, reads the commitment's history
    response = client.get(f"/history/commitments/{world.commitment_id}")
    assert response.status_code == 200
    soup = html(response)
    # it tells the story from the registration on, in the order it happened
    assert what(soup) == ["Commitment registered", "Claim recorded", "Claim revised",
                          "Claim withdrawn"]
    registered, recorded, revised, withdrawn = entries(soup)
    # a creation lists every field it set
    assert changes(registered)["Reference"] == ("—", "GH0001")
    assert changes(registered)["Themes"] == ("—", "Open contracting, Public procurement")
    # the platform itself registered the commitment; the government's account made the claims
    assert "Accord (the platform)" in text(registered, ".history__who")
    assert "Ministry of Integrity" in text(recorded, ".history__who")
    assert changes(recorded)["Status"] == ("—", "Limited")  # the framework's label
    assert changes(recorded)["Organisation"] == ("—", "Ministry of Integrity")
    # the revision shows each field before and after, and why
    assert changes(revised)["Status"] == ("Limited", "Substantial")
    assert changes(revised)["Current claim"] == (claims["first"], claims["revised"])
    assert text(revised, ".timeline__why") == "Why: The tender portal went live in May."
    # the withdrawal says which claim, and why
    assert claims["revised"] in text(withdrawn, ".history__subject")
    assert changes(withdrawn)["Claim"] == ("Current", "Withdrawn")
    assert text(withdrawn, ".timeline__why") == "Why: Reported on the wrong plan."
    # each event names its place in the log, with the way to its inclusion proof
    links = [str(a["href"]) for a in soup.select(".timeline__when a")]
    assert len(links) == 4
    assert all(link.startswith("/audit/proof/inclusion?id=") for link in links)
    positions = [int(link.rsplit("=", 1)[1]) for link in links]
    assert positions == sorted(set(positions))


def test_revised_details_show_each_changed_field_before_and_after(
        client: FlaskClient, services: Services, world: World) -> None:
    # an import of newer data revises the commitment's title and end date
    commitment = services.app.commitment(world.commitment_id)
    with acting_as(SYSTEM_ACTOR):
        assert commitment.revise_details(title="Publish every contract and its amendments",
                                         end_date=date(2026, 12, 31))
    services.app.save(commitment)
    soup = html(client.get(f"/history/commitments/{world.commitment_id}"))
    assert what(soup)[-1] == "Details revised"
    # exactly the fields that changed, each with its value before
    assert changes(entries(soup)[-1]) == {
        "Title": ("Commitment GH0001", "Publish every contract and its amendments"),
        "End date": ("—", "2026-12-31"),
    }
    # the page is titled after the commitment as it is now
    assert "Publish every contract and its amendments" in text(soup, "h1")


def test_an_organisations_history_shows_its_renaming_and_its_suspension_with_the_reason(
        client: FlaskClient, services: Services, world: World) -> None:
    organisation_id = UUID(world.civil_society.actor.organisation_id)
    services.app.rename_organisation(SYSTEM, organisation_id, "Budget Watch Ghana")
    services.app.suspend_organisation(SYSTEM, organisation_id, "Under review by the forum.")
    response = client.get(f"/history/organisations/{organisation_id}")
    assert response.status_code == 200
    soup = html(response)
    assert what(soup) == ["Organisation registered", "Organisation renamed",
                          "Organisation suspended"]
    _, renamed, suspended = entries(soup)
    assert changes(renamed) == {"Name": ("Budget Watch", "Budget Watch Ghana")}
    assert changes(suspended) == {"Suspended": ("No", "Yes")}
    assert text(suspended, ".timeline__why") == "Why: Under review by the forum."
    assert "History of Budget Watch Ghana" in text(soup, "h1")


def test_an_accounts_history_is_shown_to_an_auditor_and_a_steward_with_the_persons_name(
        app: Any, services: Services, world: World) -> None:
    account_id = UUID(world.government.actor.account_id)
    services.app.change_role(SYSTEM, account_id, Role.ADMINISTRATOR)
    services.accounts.deactivate(SYSTEM, account_id, "Left the ministry.")
    the_steward = steward(services)
    for member in (world.auditor, the_steward):
        client = app.test_client()
        sign_in(client, member)
        response = client.get(f"/history/accounts/{account_id}")
        assert response.status_code == 200, member.email
        soup = html(response)
        assert what(soup) == ["Account invited", "Invitation accepted", "Role changed",
                              "Account deactivated"]
        assert "Ministry of Integrity member" in text(soup, "h1")
        assert changes(entries(soup)[2]) == {"Role": ("Member", "Administrator")}
        assert changes(entries(soup)[3]) == {"State": ("Active", "Deactivated")}
        assert text(entries(soup)[3], ".timeline__why") == "Why: Left the ministry."


def test_an_accounts_history_is_refused_to_the_public_and_to_another_organisations_member(
        app: Any, client: FlaskClient, world: World) -> None:
    address = f"/history/accounts/{world.government.actor.account_id}"
    # the public is sent to sign in, for the page and for the JSON
    for url in (address, address + ".json"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.location.startswith("/login")
    # a member of another organisation may not see it
    other = app.test_client()
    sign_in(other, world.civil_society)
    assert other.get(address).status_code == 403
    assert other.get(address + ".json").status_code == 403


def test_an_administrator_reads_the_history_of_own_accounts_but_not_of_others(
        app: Any, services: Services, world: World) -> None:
    administrator = enrol(services, str(world.government.actor.organisation_id), "minister",
                          role=Role.ADMINISTRATOR)
    client = app.test_client()
    sign_in(client, administrator)
    own = client.get(f"/history/accounts/{world.government.actor.account_id}")
    assert own.status_code == 200
    assert "Ministry of Integrity member" in text(html(own), "h1")
    assert client.get(
        f"/history/accounts/{world.civil_society.actor.account_id}").status_code == 403


def test_names_of_people_are_never_shown_to_the_public(
        app: Any, client: FlaskClient, services: Services, world: World) -> None:
    a_claim_revised_and_withdrawn(services, world)
    organisation_id = world.government.actor.organisation_id
    pages = [f"/history/commitments/{world.commitment_id}",
             f"/history/commitments/{world.commitment_id}.json",
             f"/history/organisations/{organisation_id}",
             f"/history/organisations/{organisation_id}.json"]
    for url in pages:
        body = client.get(url).get_data(as_text=True)
        # the organisation is named, its member is not
        assert "Ministry of Integrity" in body, url
        assert "Ministry of Integrity member" not in body, url
    # an auditor sees who made the claims
    auditor = app.test_client()
    sign_in(auditor, world.auditor)
    soup = html(auditor.get(pages[0]))
    assert "Ministry of Integrity member" in text(entries(soup)[1], ".history__who")


def test_an_erased_person_is_shown_as_an_erased_account(
        app: Any, services: Services, world: World) -> None:
    claim(services.app, world.government, world.commitment_id)
    services.people.erase(world.government.actor.account_id)
    client = app.test_client()
    sign_in(client, world.auditor)
    soup = html(client.get(f"/history/commitments/{world.commitment_id}"))
    who = text(entries(soup)[1], ".history__who")
    assert "Erased account" in who
    assert "Ministry of Integrity" in who


def test_the_json_variants_give_the_recorded_values_positions_and_reasons(
        client: FlaskClient, services: Services, world: World) -> None:
    claims = a_claim_revised_and_withdrawn(services, world)
    response = client.get(f"/history/commitments/{world.commitment_id}.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["id"] == str(world.commitment_id)
    assert body["kind"] == "commitment"
    events = body["events"]
    assert [e["event"] for e in events] == ["commitment_registered", "claim_recorded",
                                            "claim_revised", "claim_withdrawn"]
    revised = events[2]
    assert revised["label"] == "Claim revised"
    assert revised["reason"] == "The tender portal went live in May."
    assert {"field": "status", "before": "limited", "after": "substantial"} in revised["changes"]
    assert revised["actor"]["account_id"] == world.government.actor.account_id
    assert revised["actor"]["organisation"] == "Ministry of Integrity"
    assert revised["actor"]["name"] is None  # not for the public
    assert revised["subject"] == claims["revised"]
    assert revised["timestamp"].endswith("Z")
    assert revised["topic"].endswith("Commitment.StatusClaimed")
    assert all(isinstance(e["position"], int) for e in events)
    assert revised["inclusion_proof"] == f"/audit/proof/inclusion?id={revised['position']}"
    # the organisation's history likewise
    organisation = client.get(
        f"/history/organisations/{world.government.actor.organisation_id}.json").get_json()
    assert organisation["kind"] == "organisation"
    assert organisation["events"][0]["changes"][0] == {
        "field": "name", "before": None, "after": "Ministry of Integrity"}


def test_unknown_malformed_and_other_kinds_of_id_are_not_found(
        client: FlaskClient, world: World) -> None:
    account_id = world.government.actor.account_id
    addresses = [f"/history/commitments/{uuid4()}", "/history/commitments/not-an-id",
                 f"/history/commitments/{account_id}",
                 f"/history/organisations/{world.commitment_id}",
                 "/history/organisations/12345"]
    for address in addresses:
        page = client.get(address)
        assert page.status_code == 404, address
        assert "There is no" in text(html(page), "main")
        answer = client.get(address + ".json")
        assert answer.status_code == 404, address
        assert answer.get_json()["error"]["code"] == "not_found"


def test_the_pages_link_to_the_histories(
        app: Any, client: FlaskClient, services: Services, world: World) -> None:
    # the commitment page links to its history
    soup = html(client.get(f"/commitments/{world.commitment_id}"))
    assert soup.select_one(f"a[href='/history/commitments/{world.commitment_id}']")
    # the directory's pages link to an organisation's and an account's history
    the_steward = app.test_client()
    sign_in(the_steward, steward(services))
    organisation_id = world.government.actor.organisation_id
    account_id = world.government.actor.account_id
    soup = html(the_steward.get(f"/manage/organisations/{organisation_id}"))
    assert soup.select_one(f"a[href='/history/organisations/{organisation_id}']")
    soup = html(the_steward.get(f"/manage/accounts/{account_id}"))
    assert soup.select_one(f"a[href='/history/accounts/{account_id}']")
