"""Claiming, revising and withdrawing a status through the forms on the commitment page."""

from __future__ import annotations

import uuid
from uuid import UUID

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from accord.services import Services
from tests.scenario import PASSWORD, World, claim
from tests.web.conftest import form_fields, html, sign_in, text

ANSWERS = {"status": "limited", "period_start": "2024-01-01", "period_end": "2024-06-30",
           "narrative": "Contract awards are published.",
           "evidence": "https://example.org/awards\nhttps://example.org/register"}


def claim_form(client: FlaskClient, commitment_id: UUID, **answers: str) -> dict[str, str]:
    """The claim form as the commitment page serves it, filled in with valid answers."""
    page = html(client.get(f"/commitments/{commitment_id}"))
    return {**form_fields(page, "form[action$='/claims']"), **ANSWERS, **answers}


def csrf_token(client: FlaskClient) -> str:
    """The session's CSRF token, from the sign-out form that every signed-in page has."""
    return form_fields(html(client.get("/")), "form[action='/logout']")["csrf_token"]


def error_links(soup: BeautifulSoup) -> dict[str, str]:
    """The error summary's links (target -> message); each target must be on the page."""
    links = {a["href"]: a.get_text(strip=True) for a in soup.select(".error-summary a")}
    for target in links:
        assert soup.select_one(target) is not None, f"the error summary links to no {target}"
    return links


def timeline(soup: BeautifulSoup) -> list[str]:
    """The timeline's entries, newest first, as their text."""
    return [" ".join(entry.get_text(" ").split())
            for entry in soup.select("#timeline .timeline__entry")]


def test_a_government_member_records_a_claim_through_the_form(
        client: FlaskClient, world: World) -> None:
    # the government member signs in and fills in the form on the commitment page
    sign_in(client, world.government)
    response = client.post(f"/commitments/{world.commitment_id}/claims",
                           data=claim_form(client, world.commitment_id))
    # they are sent back to the commitment, to where the two sides stand
    assert response.status_code == 303
    assert response.location == f"/commitments/{world.commitment_id}#current-claims"
    # at once (no waiting) the page shows the claim, its evidence and the new agreement state
    soup = html(client.get(response.location))
    assert text(soup, ".notice") == "Your claim has been recorded."
    government = soup.select_one(".side--government")
    assert text(government, ".claim__who") == "Ministry of Integrity"
    assert text(government, ".status") == "Limited"
    assert [a["href"] for a in government.select(".evidence a")] == [
        "https://example.org/awards", "https://example.org/register"]
    assert text(soup, "#current-claims-title .tag") == "Awaiting civil society"
    assert timeline(soup)[0].endswith("Ministry of Integrity (Government) claimed: Limited. "
                                      "Read the claim")


def test_an_htmx_claim_ends_on_the_commitment_detail(client: FlaskClient, world: World) -> None:
    # htmx posts the form and follows the redirect, as a browser does
    sign_in(client, world.government)
    response = client.post(f"/commitments/{world.commitment_id}/claims",
                           data=claim_form(client, world.commitment_id),
                           headers={"HX-Request": "true"}, follow_redirects=True)
    # what it receives has the part of the page it swaps in, already showing the claim
    soup = html(response)
    assert response.status_code == 200
    assert text(soup, "#commitment-detail .side--government .status") == "Limited"


@pytest.mark.parametrize(("status", "agreement"), [
    ("limited", "Agreed"), ("substantial", "Contested"),
])
def test_a_civil_society_claim_makes_the_commitment_agreed_or_contested(
        client: FlaskClient, services: Services, world: World, status: str,
        agreement: str) -> None:
    # the government has claimed "limited"
    claim(services.app, world.government, world.commitment_id, "limited")
    # a civil-society group claims a status through the form
    sign_in(client, world.civil_society)
    response = client.post(f"/commitments/{world.commitment_id}/claims",
                           data=claim_form(client, world.commitment_id, status=status))
    assert response.status_code == 303
    # the commitment page and the country page both show where the two sides stand
    assert text(html(client.get(response.location)), "#current-claims-title .tag") == agreement
    country = html(client.get("/countries/GHA"))
    row = country.find("a", string="Commitment GH0001").find_parent("tr")
    assert text(row, ".tag") == agreement


def test_revising_a_claim_starts_from_it_and_needs_a_reason(
        client: FlaskClient, services: Services, world: World) -> None:
    first = claim(services.app, world.government, world.commitment_id, "limited")
    # the government member follows the revise link on their claim
    sign_in(client, world.government)
    page = html(client.get(f"/commitments/{world.commitment_id}"))
    link = page.find("a", string="Revise this claim")["href"]
    fields = form_fields(html(client.get(link)), "form[action$='/claims']")
    # the form is filled in with the claim, with a new id and the claim it replaces
    assert {k: fields[k] for k in ("status", "period_start", "period_end", "evidence",
                                   "replaces", "revision_reason")} == {
        "status": "limited", "period_start": "2024-01-01", "period_end": "2024-06-30",
        "evidence": "https://example.org/evidence", "replaces": first.id, "revision_reason": ""}
    assert fields["narrative"] == "Ministry of Integrity reports limited."
    assert fields["claim_id"] not in ("", first.id)
    # without a reason, the revision is refused and nothing is recorded
    before = services.app.max_notification_id()
    response = client.post(f"/commitments/{world.commitment_id}/claims",
                           data={**fields, "status": "substantial"})
    assert response.status_code == 422
    assert list(error_links(html(response))) == ["#revision_reason"]
    assert services.app.max_notification_id() == before
    # with a reason, the revision replaces the claim and the timeline says why
    response = client.post(f"/commitments/{world.commitment_id}/claims", data={
        **fields, "status": "substantial", "revision_reason": "The audit came out."})
    assert response.status_code == 303
    soup = html(client.get(response.location))
    assert text(soup, ".side--government .status") == "Substantial"
    assert "Revises an earlier claim because: The audit came out." in text(
        soup, ".side--government .claim")
    assert ("Ministry of Integrity (Government) revised its claim to: Substantial. "
            "Why: The audit came out.") in timeline(soup)[0]


def test_withdrawing_a_claim_needs_a_reason_and_shows_in_the_timeline(
        client: FlaskClient, services: Services, world: World) -> None:
    claim(services.app, world.government, world.commitment_id, "limited")
    # the government member follows the withdraw link on their claim
    sign_in(client, world.government)
    page = html(client.get(f"/commitments/{world.commitment_id}"))
    link = page.find("a", string="Withdraw this claim")["href"]
    fields = form_fields(html(client.get(link)), "form[action$='/withdraw']")
    # without a reason, nothing is withdrawn
    before = services.app.max_notification_id()
    response = client.post(link, data=fields)
    assert response.status_code == 422
    assert list(error_links(html(response))) == ["#reason"]
    assert services.app.max_notification_id() == before
    # with a reason, the claim no longer counts and the timeline records why
    response = client.post(link, data={**fields, "reason": "Reported for the wrong period."})
    assert response.status_code == 303
    soup = html(client.get(response.location))
    assert text(soup, ".notice") == "Your claim has been withdrawn."
    assert text(soup, ".side--government .empty") == "No current claim."
    assert text(soup, "#current-claims-title .tag") == "Not reported"
    assert timeline(soup)[0].endswith("Ministry of Integrity (Government) withdrew its claim "
                                      "of Limited. Why: Reported for the wrong period.")


@pytest.mark.parametrize("commitment_id", [str(uuid.uuid4()), "not-a-commitment"])
def test_a_claim_on_an_unknown_commitment_is_not_found(
        client: FlaskClient, services: Services, world: World, commitment_id: str) -> None:
    sign_in(client, world.government)
    fields = claim_form(client, world.commitment_id)
    before = services.app.max_notification_id()
    response = client.post(f"/commitments/{commitment_id}/claims", data=fields)
    assert response.status_code == 404
    assert text(html(response), "main .lead") == "There is no commitment at this address."
    assert services.app.max_notification_id() == before


@pytest.mark.parametrize("status", ["ongoing", "bogus"])
def test_a_status_outside_the_framework_is_refused_naming_it(
        client: FlaskClient, services: Services, world: World, status: str) -> None:
    # a tampered form claims a status the OGP scale does not have
    sign_in(client, world.government)
    fields = claim_form(client, world.commitment_id, status=status)
    before = services.app.max_notification_id()
    response = client.post(f"/commitments/{world.commitment_id}/claims", data=fields)
    # the form comes back naming the status, and nothing is recorded
    assert response.status_code == 422
    assert error_links(html(response)) == {
        "#status": f"{status} is not a status of this commitment's framework."}
    assert services.app.max_notification_id() == before


@pytest.mark.parametrize("who", ["foreign_civil_society", "foreign_government", "auditor"])
def test_members_who_do_not_report_on_the_commitment_are_forbidden(
        client: FlaskClient, services: Services, world: World, who: str) -> None:
    # a member of an organisation that does not report on Ghana sends a claim anyway
    sign_in(client, getattr(world, who))
    page = html(client.get(f"/commitments/{world.commitment_id}"))
    assert page.select_one("form[action$='/claims']") is None
    fields = {**ANSWERS, "csrf_token": csrf_token(client), "claim_id": str(uuid.uuid4())}
    before = services.app.max_notification_id()
    response = client.post(f"/commitments/{world.commitment_id}/claims", data=fields)
    # it is refused, and nothing is recorded
    assert response.status_code == 403
    assert text(html(response), "h1") == "You cannot do this"
    assert services.app.max_notification_id() == before


def test_an_anonymous_claim_is_sent_to_sign_in(
        client: FlaskClient, services: Services, world: World) -> None:
    # a visitor whose session has a CSRF token, but who is not signed in, posts a claim
    token = form_fields(html(client.get("/login")), "form[method=post]")["csrf_token"]
    before = services.app.max_notification_id()
    response = client.post(f"/commitments/{world.commitment_id}/claims",
                           data={**ANSWERS, "csrf_token": token})
    # they are sent to sign in, and nothing is recorded
    assert response.status_code in (302, 303)
    assert response.location.startswith("/login")
    assert services.app.max_notification_id() == before
    # signing in there leads to a page that works, not back to an address that only takes POST
    login = html(client.get(response.location))
    fields = form_fields(login, "form[method=post]")
    fields.update(email=world.government.email, password=PASSWORD)
    landing = client.post(login.select_one("form[method=post]")["action"], data=fields,
                          follow_redirects=True)
    assert landing.status_code == 200
    assert text(html(landing), ".notice") == "You are signed in."


@pytest.mark.parametrize(("answers", "errors"), [
    ({"narrative": "  "}, {"#narrative": "Enter the explanation."}),
    ({"narrative": ""}, {"#narrative": "Explain the status you claim."}),
    ({"period_start": "", "period_end": ""}, {
        "#period_start": "Enter the first day of the reporting period.",
        "#period_end": "Enter the last day of the reporting period."}),
    ({"period_start": "2024-07-01", "period_end": "2024-06-30"},
     {"#period_end": "The reporting period must end on or after the day it starts."}),
    ({"narrative": "x" * 20_001},
     {"#narrative": "The explanation must be 20000 characters or fewer."}),
    ({"evidence": "https://example.org/ok\nftp://example.org/file"}, {"#evidence": (
        "Each evidence link must be a web address starting with https:// or http:// "
        "(not valid: ftp://example.org/file).")}),
    ({"evidence": "javascript:alert(1)"}, {"#evidence": (
        "Each evidence link must be a web address starting with https:// or http:// "
        "(not valid: javascript:alert(1)).")}),
])
def test_invalid_answers_come_back_with_an_error_summary_linking_to_each_field(
        client: FlaskClient, services: Services, world: World, answers: dict[str, str],
        errors: dict[str, str]) -> None:
    # the government member sends the form with something wrong in it
    sign_in(client, world.government)
    fields = claim_form(client, world.commitment_id, **answers)
    before = services.app.max_notification_id()
    response = client.post(f"/commitments/{world.commitment_id}/claims", data=fields)
    soup = html(response)
    # the form comes back with a summary linking to each field in error, and an inline error
    assert response.status_code == 422
    assert error_links(soup) == errors
    for target, message in errors.items():
        assert message in text(soup, f"{target}-error")
    # what they typed is kept, and nothing is recorded
    assert form_fields(soup, "form[action$='/claims']")["claim_id"] == fields["claim_id"]
    assert services.app.max_notification_id() == before
    assert soup.select(".side--government .claim") == []


def test_a_claim_without_the_csrf_token_is_refused(
        client: FlaskClient, services: Services, world: World) -> None:
    sign_in(client, world.government)
    fields = claim_form(client, world.commitment_id)
    del fields["csrf_token"]
    before = services.app.max_notification_id()
    response = client.post(f"/commitments/{world.commitment_id}/claims", data=fields)
    assert response.status_code == 400
    assert "security token" in text(html(response), "main .lead")
    assert services.app.max_notification_id() == before


def test_another_organisations_claim_cannot_be_revised_or_withdrawn(
        client: FlaskClient, services: Services, world: World) -> None:
    government_claim = claim(services.app, world.government, world.commitment_id).id
    base = f"/commitments/{world.commitment_id}/claims"
    # a civil-society member sees no revise or withdraw link on the government's claim
    sign_in(client, world.civil_society)
    page = html(client.get(f"/commitments/{world.commitment_id}"))
    assert page.select(".claim__actions") == []
    token, before = csrf_token(client), services.app.max_notification_id()
    # the revise and withdraw pages and actions are not found for them
    for response in (
        client.get(f"{base}/{government_claim}/revise"),
        client.get(f"{base}/{government_claim}/withdraw"),
        client.post(f"{base}/{government_claim}/withdraw",
                    data={"csrf_token": token, "reason": "Not true."}),
        client.post(base, data=claim_form(client, world.commitment_id,
                                          replaces=government_claim, revision_reason="No.")),
        client.post(base, data=claim_form(client, world.commitment_id,
                                          replaces=government_claim, narrative="")),
    ):
        assert response.status_code == 404
        assert text(html(response), "h1") == "Page not found"
    # and the government's claim stands
    assert services.app.max_notification_id() == before
    assert services.app.commitment(world.commitment_id).claims[government_claim].active


def test_submitting_the_same_form_twice_records_one_claim(
        client: FlaskClient, services: Services, world: World) -> None:
    # the member presses the button twice on a slow connection
    sign_in(client, world.government)
    fields = claim_form(client, world.commitment_id)
    before = services.app.max_notification_id()
    first = client.post(f"/commitments/{world.commitment_id}/claims", data=fields)
    second = client.post(f"/commitments/{world.commitment_id}/claims", data=fields)
    # both end on the commitment page, and one claim is recorded
    assert first.status_code == second.status_code == 303
    assert services.app.max_notification_id() == before + 1
    soup = html(client.get(second.location))
    assert len(soup.select(f"#timeline #claim-{fields['claim_id']}")) == 1
    assert len(soup.select("#timeline .claim")) == 1
    assert sum("claimed: Limited" in entry for entry in timeline(soup)) == 1
