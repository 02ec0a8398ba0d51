"""What the claim pages refuse, and revising and withdrawing a claim: bad answers, bad files,
the wrong people, forged requests, and one claim however often it is sent."""

from __future__ import annotations

import uuid

import pytest
from flask.testing import FlaskClient

from accord.services import Services
from accord.web.drafting import draft_key
from tests.scenario import PASSWORD, World, claim
from tests.web.claim_helpers import (
    ANSWERS,
    CLAIM_FORM,
    PDF,
    claim_form,
    csrf_token,
    error_links,
    new_claim_url,
    record,
    submit,
    timeline,
)
from tests.web.conftest import form_fields, html, sign_in, text

MEGABYTE = 1024 * 1024


@pytest.mark.parametrize("commitment_id", [str(uuid.uuid4()), "not-a-commitment"])
def test_a_claim_on_an_unknown_commitment_is_not_found(
        client: FlaskClient, services: Services, world: World, commitment_id: str) -> None:
    sign_in(client, world.government)
    fields = claim_form(client, world.commitment_id)
    before = services.app.max_notification_id()
    base = f"/commitments/{commitment_id}/claims"
    for response in (client.get(f"{base}/new"), client.post(base, data=fields),
                     client.post(f"{base}/check", data={"csrf_token": fields["csrf_token"]})):
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
    response = submit(client, world.commitment_id, fields)
    # the form comes back naming the status, and nothing is recorded
    assert response.status_code == 422
    assert error_links(html(response)) == {
        "#status": f"{status} is not a status of this commitment's framework."}
    assert services.app.max_notification_id() == before


@pytest.mark.parametrize("who", ["foreign_civil_society", "foreign_government", "auditor"])
def test_members_who_do_not_report_on_the_commitment_are_forbidden(
        client: FlaskClient, services: Services, world: World, who: str) -> None:
    # a member of an organisation that does not report on Ghana is offered no form
    sign_in(client, getattr(world, who))
    page = html(client.get(f"/commitments/{world.commitment_id}"))
    assert page.select_one(CLAIM_FORM) is None
    # and every step of the journey is refused, with nothing recorded or kept
    fields = {**ANSWERS, "csrf_token": csrf_token(client), "claim_id": str(uuid.uuid4())}
    before = services.app.max_notification_id()
    base = f"/commitments/{world.commitment_id}/claims"
    for response in (client.get(f"{base}/new"), client.post(base, data=fields),
                     client.post(f"{base}/draft", data=fields),
                     client.get(f"{base}/check"), client.post(f"{base}/check", data=fields)):
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
    # the form itself, opened anonymously, sends back to it once signed in
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    response = client.get(new_claim_url(world.commitment_id))
    assert response.status_code == 302
    assert response.location.startswith("/login?next=")


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
    response = submit(client, world.commitment_id, fields)
    soup = html(response)
    # the form comes back with a summary linking to each field in error, and an inline error
    assert response.status_code == 422
    assert error_links(soup) == errors
    for target, message in errors.items():
        assert message in text(soup, f"{target}-error")
    # what they typed is kept, and nothing is recorded nor offered for checking
    assert form_fields(soup, CLAIM_FORM)["claim_id"] == fields["claim_id"]
    assert services.app.max_notification_id() == before
    assert client.get(f"/commitments/{world.commitment_id}/claims/check").status_code == 303


@pytest.mark.parametrize(("files", "message"), [
    ([(b"<html><script>alert(1)</script></html>", "report.pdf")],
     "report.pdf is not a PDF, an image, an office document or a CSV file."),
    ([(b"", "empty.pdf")], "empty.pdf is empty."),
    ([(PDF + bytes(number), f"report {number}.pdf") for number in range(6)],
     "Attach at most 5 files to one claim."),
    ([(PDF + bytes(10 * MEGABYTE - len(PDF) + 1), "large.pdf")],
     "Each file must be at most 10 MB (large.pdf is not)."),
])
def test_refused_files_come_back_as_the_error_of_the_files_field(
        client: FlaskClient, services: Services, world: World,
        files: list[tuple[bytes, str]], message: str) -> None:
    sign_in(client, world.government)
    fields = claim_form(client, world.commitment_id)
    before = services.app.max_notification_id()
    response = submit(client, world.commitment_id, fields, *files)
    soup = html(response)
    assert response.status_code == 422
    assert error_links(soup) == {"#files": message}
    assert message in text(soup, "#files-error")
    assert services.app.max_notification_id() == before


def test_a_claim_without_the_csrf_token_is_refused(
        client: FlaskClient, services: Services, world: World) -> None:
    sign_in(client, world.government)
    fields = claim_form(client, world.commitment_id)
    del fields["csrf_token"]
    before = services.app.max_notification_id()
    # neither the form nor the check page accepts a request without the session's token
    for response in (submit(client, world.commitment_id, fields),
                     client.post(f"/commitments/{world.commitment_id}/claims/check")):
        assert response.status_code == 400
        assert "security token" in text(html(response), "main .lead")
    assert services.app.max_notification_id() == before


def test_revising_a_claim_starts_from_it_and_needs_a_reason(
        client: FlaskClient, services: Services, world: World) -> None:
    first = claim(services.app, world.government, world.commitment_id, "limited")
    # the government member follows the revise link on their claim
    sign_in(client, world.government)
    page = html(client.get(f"/commitments/{world.commitment_id}"))
    link = client.get(page.find("a", string="Revise this claim")["href"]).location
    fields = form_fields(html(client.get(link)), CLAIM_FORM)
    # the form is filled in with the claim, with a new id and the claim it replaces
    assert {k: fields[k] for k in ("status", "period_start", "period_end", "evidence",
                                   "replaces", "revision_reason", "milestone")} == {
        "status": "limited", "period_start": "2024-01-01", "period_end": "2024-06-30",
        "evidence": "https://example.org/evidence", "replaces": first.id,
        "revision_reason": "", "milestone": ""}
    assert fields["narrative"] == "Ministry of Integrity reports limited."
    assert fields["claim_id"] not in ("", first.id)
    # without a reason, the revision is refused and nothing is recorded
    before = services.app.max_notification_id()
    response = submit(client, world.commitment_id, {**fields, "status": "substantial"})
    assert response.status_code == 422
    assert list(error_links(html(response))) == ["#revision_reason"]
    assert services.app.max_notification_id() == before
    # with a reason, the revision replaces the claim and the timeline says why
    response = submit(client, world.commitment_id, {
        **fields, "status": "substantial", "revision_reason": "The audit came out."})
    soup = html(client.get(record(client, response.location).location))
    assert text(soup, ".side--government .status") == "Substantial"
    assert "Revises an earlier claim because: The audit came out." in text(
        soup, ".side--government .claim")
    assert ("Ministry of Integrity (Government) revised its claim to: Substantial. "
            "Why: The audit came out.") in timeline(soup)[0]
    assert not services.app.commitment(world.commitment_id).claims[first.id].active


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


def test_another_organisations_claim_cannot_be_revised_or_withdrawn(
        client: FlaskClient, services: Services, world: World) -> None:
    government_claim = claim(services.app, world.government, world.commitment_id).id
    base = f"/commitments/{world.commitment_id}/claims"
    # a civil-society member is offered no revise or withdraw link on the government's claim
    sign_in(client, world.civil_society)
    page = html(client.get(f"/commitments/{world.commitment_id}"))
    assert page.find("a", string="Revise this claim") is None
    assert page.find("a", string="Withdraw this claim") is None
    fields = claim_form(client, world.commitment_id, replaces=government_claim,
                        revision_reason="No.")
    before = services.app.max_notification_id()
    # the revise and withdraw pages and actions are not found for them
    for response in (
        client.get(f"{base}/{government_claim}/revise"),
        client.get(new_claim_url(world.commitment_id, replaces=government_claim)),
        client.get(f"{base}/{government_claim}/withdraw"),
        client.post(f"{base}/{government_claim}/withdraw",
                    data={"csrf_token": fields["csrf_token"], "reason": "Not true."}),
        submit(client, world.commitment_id, fields),
        submit(client, world.commitment_id, {**fields, "narrative": ""}),
    ):
        assert response.status_code == 404
        assert text(html(response), "h1") == "Page not found"
    # and the government's claim stands
    assert services.app.max_notification_id() == before
    assert services.app.commitment(world.commitment_id).claims[government_claim].active


def test_the_check_page_submitted_twice_records_one_claim(
        client: FlaskClient, services: Services, world: World) -> None:
    sign_in(client, world.government)
    fields = claim_form(client, world.commitment_id)
    check_url = submit(client, world.commitment_id, fields).location
    record_form = form_fields(html(client.get(check_url)), "form[action*='/claims/check']")
    account_id, key = world.government.actor.account_id, draft_key(str(world.commitment_id))
    draft = services.drafts.load(account_id, key)
    assert draft is not None
    before = services.app.max_notification_id()
    # the member presses "Record the claim" twice on a slow connection
    first = client.post(check_url, data=record_form)
    second = client.post(check_url, data=record_form)
    # the first records the claim; the second, the draft gone, goes back to the form
    assert first.status_code == second.status_code == 303
    assert second.location == new_claim_url(world.commitment_id)
    assert services.app.max_notification_id() == before + 1
    # a press that raced the first (its draft still there) records nothing more either
    services.drafts.save(account_id, key, draft)
    again = client.post(check_url, data=record_form)
    assert again.location == first.location
    assert services.app.max_notification_id() == before + 1
    soup = html(client.get(first.location))
    assert len(soup.select(f"#timeline #claim-{fields['claim_id']}")) == 1
    assert sum("claimed: Limited" in entry for entry in timeline(soup)) == 1
