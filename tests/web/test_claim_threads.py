"""Civil society endorses or challenges a government claim, the government responds to a
challenge, and the timeline shows each answer under what it answers."""

from __future__ import annotations

import hashlib

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from accord.services import Services
from tests.scenario import World, claim
from tests.web.claim_helpers import (
    CLAIM_FORM,
    PDF,
    browser_fields,
    claim_form,
    csrf_token,
    error_links,
    new_claim_url,
    post_form,
    record,
    sign_out,
    submit,
)
from tests.web.conftest import form_fields, html, sign_in, text


@pytest.fixture
def government_claim(services: Services, world: World) -> str:
    """The Ghanaian government's claim of "limited" on the world's commitment."""
    return claim(services.app, world.government, world.commitment_id, "limited").id


def thread(soup: BeautifulSoup) -> list[tuple[int, str]]:
    """The timeline's entries in order, each as (how deep it is nested, its sentence)."""
    return [(len(entry.find_parents("li", class_="timeline__entry")),
             " ".join(entry.find("p", class_=False).get_text(" ").split()))
            for entry in soup.select("#timeline .timeline__entry")]


def actions(soup: BeautifulSoup, claim_id: str) -> list[str]:
    """The links offered on a claim's card in the list of every claim."""
    return [a.get_text(strip=True) for a in soup.select(f"#claim-{claim_id} .claim__actions a")]


def test_civil_society_endorses_a_government_claim_and_the_commitment_is_agreed(
        client: FlaskClient, services: Services, world: World, government_claim: str) -> None:
    # a civil-society member follows "Endorse this claim" on the government's claim
    sign_in(client, world.civil_society)
    page = html(client.get(f"/commitments/{world.commitment_id}"))
    link = str(page.select_one(f"#current-{government_claim}").find(
        "a", string="Endorse this claim")["href"])
    # the confirmation page says what endorsing records, and asks for an optional comment
    soup = html(client.get(link))
    assert text(soup, "h1") == "Endorse the claim of Ministry of Integrity"
    assert text(soup, ".lead") == (
        "Ministry of Integrity claims Limited for Jan 1, 2024 to Jun 30, 2024. Endorsing "
        "records that Budget Watch agrees, with the same status and period.")
    fields = browser_fields(soup, "main form")
    before = services.app.max_notification_id()
    response = client.post(link, data={**fields, "narrative": "We checked the register."})
    # the endorsement is recorded with the government's status and period
    assert response.status_code == 303
    assert services.app.max_notification_id() == before + 1
    endorsement = services.app.commitment(world.commitment_id).claims[fields["claim_id"]]
    answered = services.app.commitment(world.commitment_id).claims[government_claim]
    assert (endorsement.endorses, endorsement.status, endorsement.period,
            endorsement.narrative, endorsement.party.value) == (
        government_claim, "limited", answered.period, "We checked the register.",
        "civil_society")
    # at once the two sides agree, and the endorsement shows under the claim it answers
    soup = html(client.get(response.location))
    assert text(soup, ".notice") == "Your endorsement has been recorded."
    assert text(soup, "#current-claims-title .tag") == "Agreed"
    assert thread(soup)[:2] == [
        (0, "Ministry of Integrity (Government) claimed: Limited."),
        (1, "Budget Watch (Civil society) endorsed the claim: Limited.")]
    assert text(soup, f"#claim-{fields['claim_id']} .claim__note") == (
        "Endorses the claim of Ministry of Integrity.")
    # another group endorses without a comment: that is fine too
    sign_out(client)
    sign_in(client, world.other_civil_society)
    assert client.post(link, data=browser_fields(html(client.get(link)), "main form")
                       ).status_code == 303
    assert services.app.max_notification_id() == before + 2


def test_civil_society_challenges_a_government_claim_with_another_status(
        client: FlaskClient, services: Services, world: World, government_claim: str) -> None:
    # "Challenge this claim" opens the claim form, naming the claim it challenges
    sign_in(client, world.civil_society)
    base = f"/commitments/{world.commitment_id}/claims"
    response = client.get(f"{base}/{government_claim}/challenge")
    assert response.location == new_claim_url(world.commitment_id, challenges=government_claim)
    soup = html(client.get(response.location))
    assert text(soup, "h1") == "Challenge the claim of Ministry of Integrity"
    assert "Ministry of Integrity claims Limited." in text(soup, "main")
    fields = browser_fields(soup, CLAIM_FORM)
    assert (fields["challenges"], fields["period_start"], fields["period_end"]) == (
        government_claim, "2024-01-01", "2024-06-30")
    # a challenge claiming the government's own status is refused: endorse it instead
    answers = {**fields, "status": "limited", "narrative": "Half the awards are missing."}
    before = services.app.max_notification_id()
    refused = submit(client, world.commitment_id, answers)
    assert refused.status_code == 422
    assert error_links(html(refused)) == {"#status": (
        "A challenge claims another status than the government's; to agree with it, "
        "endorse it.")}
    # with another status, the check page names the challenged claim, then it is recorded
    check_url = submit(client, world.commitment_id, {**answers, "status": "not_started"}
                       ).location
    assert check_url == f"{base}/check?challenges={government_claim}"
    check = html(client.get(check_url))
    assert "Challenges The claim of Ministry of Integrity: Limited" in text(check, "dl")
    response = record(client, check_url)
    assert services.app.max_notification_id() == before + 1
    challenge = services.app.commitment(world.commitment_id).claims[fields["claim_id"]]
    assert (challenge.challenges, challenge.status) == (government_claim, "not_started")
    # the two sides now disagree, and the challenge shows under the claim it answers
    soup = html(client.get(response.location))
    assert text(soup, "#current-claims-title .tag") == "Contested"
    assert thread(soup)[:2] == [
        (0, "Ministry of Integrity (Government) claimed: Limited."),
        (1, "Budget Watch (Civil society) challenged the claim, claiming: Not Started.")]


def test_the_government_responds_to_a_challenge_with_evidence_and_files(
        client: FlaskClient, services: Services, world: World, government_claim: str) -> None:
    challenge = claim(services.app, world.civil_society, world.commitment_id, "not_started",
                      challenges=government_claim).id
    # the government member follows "Respond to this challenge"
    sign_in(client, world.government)
    page = html(client.get(f"/commitments/{world.commitment_id}"))
    link = str(page.select_one(f"#claim-{challenge}").find(
        "a", string="Respond to this challenge")["href"])
    soup = html(client.get(link))
    assert text(soup, "h1") == "Respond to the challenge of Budget Watch"
    assert text(soup, ".lead") == (
        "Budget Watch challenges your claim of Limited and claims Not Started.")
    fields = form_fields(soup, "main form")
    # a response needs words
    before = services.app.max_notification_id()
    refused = post_form(client, link, fields)
    assert refused.status_code == 422
    assert error_links(html(refused)) == {"#narrative": "Write your response."}
    # with its words, a link and a file, it is recorded
    response = post_form(client, link, {
        **fields, "narrative": "The awards are online since May.",
        "evidence": "https://example.org/awards-may"}, (PDF, "awards.pdf"))
    assert response.status_code == 303
    assert services.app.max_notification_id() == before + 1
    recorded = services.app.commitment(world.commitment_id).responses[fields["response_id"]]
    assert (recorded.challenge_id, recorded.narrative, recorded.evidence) == (
        challenge, "The awards are online since May.", ("https://example.org/awards-may",))
    assert [(a.name, a.sha256) for a in recorded.attachments] == [
        ("awards.pdf", hashlib.sha256(PDF).hexdigest())]
    # the timeline shows it under the challenge, under the claim, with its evidence
    soup = html(client.get(response.location))
    assert text(soup, ".notice") == "Your response has been recorded."
    assert thread(soup)[:3] == [
        (0, "Ministry of Integrity (Government) claimed: Limited."),
        (1, "Budget Watch (Civil society) challenged the claim, claiming: Not Started."),
        (2, "Ministry of Integrity (Government) responded to the challenge.")]
    answer = soup.select_one(".timeline__entry--responded .response")
    assert text(answer, "p") == "The awards are online since May."
    assert [a["href"] for a in answer.select(".evidence a")] == [
        "https://example.org/awards-may",
        f"/files/{hashlib.sha256(PDF).hexdigest()}/awards.pdf"]


@pytest.mark.parametrize(("who", "on_government_claim", "on_challenge"), [
    (None, [], []),
    ("government", ["Revise this claim", "Withdraw this claim"], ["Respond to this challenge"]),
    ("civil_society", ["Endorse this claim", "Challenge this claim"],
     ["Revise this claim", "Withdraw this claim"]),
    ("other_civil_society", ["Endorse this claim", "Challenge this claim"], []),
    ("foreign_civil_society", [], []),
    ("auditor", [], []),
])
def test_the_links_on_each_claim_match_who_is_signed_in(
        client: FlaskClient, services: Services, world: World, government_claim: str,
        who: str | None, on_government_claim: list[str], on_challenge: list[str]) -> None:
    challenge = claim(services.app, world.civil_society, world.commitment_id, "not_started",
                      challenges=government_claim).id
    if who is not None:
        sign_in(client, getattr(world, who))
    soup = html(client.get(f"/commitments/{world.commitment_id}"))
    assert actions(soup, government_claim) == on_government_claim
    assert actions(soup, challenge) == on_challenge


def test_only_civil_society_of_the_country_answers_and_only_the_government_responds(
        client: FlaskClient, services: Services, world: World, government_claim: str) -> None:
    challenge = claim(services.app, world.civil_society, world.commitment_id, "not_started",
                      challenges=government_claim).id
    base = f"/commitments/{world.commitment_id}/claims"
    before = services.app.max_notification_id()
    # the government cannot endorse (its own claim or any other)
    sign_in(client, world.government)
    token = csrf_token(client)
    assert client.get(f"{base}/{government_claim}/endorse").status_code == 403
    assert client.post(f"{base}/{government_claim}/endorse",
                       data={"csrf_token": token}).status_code == 403
    # civil society cannot respond to a challenge
    sign_out(client)
    sign_in(client, world.civil_society)
    token = csrf_token(client)
    assert client.get(f"{base}/{challenge}/respond").status_code == 403
    assert client.post(f"{base}/{challenge}/respond", data={
        "csrf_token": token, "narrative": "We answer ourselves."}).status_code == 403
    # another country's civil society cannot challenge (nor endorse)
    sign_out(client)
    sign_in(client, world.foreign_civil_society)
    fields = {**claim_form(client, world.foreign_commitment_id), "status": "not_started",
              "challenges": government_claim, "csrf_token": csrf_token(client)}
    for response in (client.get(f"{base}/{government_claim}/challenge"),
                     client.get(f"{base}/{government_claim}/endorse"),
                     submit(client, world.commitment_id, fields)):
        assert response.status_code == 403
        assert text(html(response), "h1") == "You cannot do this"
    # and nothing was recorded
    assert services.app.max_notification_id() == before
