"""A claim as people really make it: the form, a draft kept on the server, check your answers,
and only then the claim is recorded."""

from __future__ import annotations

import hashlib

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from accord.domain.attachments import Attachment
from accord.services import Services
from accord.web.drafting import draft_key
from tests.scenario import World, claim
from tests.web.claim_helpers import (
    ANSWERS,
    CLAIM_FORM,
    CSV,
    PDF,
    PNG,
    browser_fields,
    claim_form,
    error_links,
    new_claim_url,
    record,
    sign_out,
    submit,
)
from tests.web.conftest import html, sign_in, text

DASH = "\N{EN DASH}"


def check_answers(soup: BeautifulSoup) -> dict[str, str]:
    """The check page's rows: question -> answer."""
    return {text(row, "dt"): text(row, "dd") for row in soup.select(".check-answers__row")}


def change_links(soup: BeautifulSoup) -> dict[str, str]:
    """The check page's rows: question -> where its "Change" link leads."""
    return {text(row, "dt"): str(link["href"]) for row in soup.select(".check-answers__row")
            if (link := row.select_one(".check-answers__change a")) is not None}


def sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def draft_of(services: Services, world: World, key: str) -> dict[str, object] | None:
    return services.drafts.load(world.government.actor.account_id, key)


def test_a_claim_is_checked_before_it_is_recorded_and_shows_at_once(
        client: FlaskClient, services: Services, world: World) -> None:
    commitment_id, new = world.commitment_id, new_claim_url(world.commitment_id)
    # the government member fills in the form, in French, with a PDF and a table
    sign_in(client, world.government)
    fields = claim_form(client, commitment_id, language="fr")
    before = services.app.max_notification_id()
    response = submit(client, commitment_id, fields, (PDF, "audit.pdf"), (CSV, "awards.csv"))
    # "Continue" leads to the check page, and nothing is recorded yet
    assert response.status_code == 303
    assert response.location == f"/commitments/{commitment_id}/claims/check"
    assert services.app.max_notification_id() == before
    assert services.app.commitment(commitment_id).claims == {}
    # the check page shows every answer, each with a link back to its field in the form
    soup = html(client.get(response.location))
    assert text(soup, "h1") == "Check your answers before recording the claim"
    assert check_answers(soup) == {
        "Organisation": "Ministry of Integrity", "About": "The commitment as a whole",
        "Status": "Limited", "Reporting period": f"Jan 1, 2024 {DASH} Jun 30, 2024",
        "Explanation": "Contract awards are published.", "Language": "French",
        "Evidence links": "https://example.org/awards https://example.org/register",
        "Evidence files": f"audit.pdf ({len(PDF)} Bytes) awards.csv ({len(CSV)} Bytes)"}
    # (not the organisation, nor what it is about: this commitment has no milestones)
    assert change_links(soup) == {
        "Status": f"{new}#status", "Reporting period": f"{new}#period_start",
        "Explanation": f"{new}#narrative", "Language": f"{new}#language",
        "Evidence links": f"{new}#evidence", "Evidence files": f"{new}#files"}
    form = html(client.get(new))
    for anchor in ("status", "period_start", "narrative", "language", "evidence", "files"):
        assert form.select_one(f"{CLAIM_FORM} #{anchor}") is not None, anchor
    # "Record the claim" records it, and leads to the commitment
    response = record(client, f"/commitments/{commitment_id}/claims/check")
    assert response.status_code == 303
    assert response.location == f"/commitments/{commitment_id}#current-claims"
    assert services.app.max_notification_id() == before + 1
    recorded = services.app.commitment(commitment_id).claims[fields["claim_id"]]
    assert (recorded.status, recorded.language, recorded.evidence) == (
        "limited", "fr", ("https://example.org/awards", "https://example.org/register"))
    assert recorded.attachments == (
        Attachment("audit.pdf", len(PDF), "application/pdf", sha(PDF)),
        Attachment("awards.csv", len(CSV), "text/csv", sha(CSV)))
    # at once, the page shows the claim and the new agreement state
    page = html(client.get(response.location))
    assert text(page, ".notice") == "Your claim has been recorded."
    assert text(page, ".side--government .status") == "Limited"
    assert text(page, "#current-claims-title .tag") == "Awaiting civil society"
    assert page.select_one(f"#claim-{fields['claim_id']} .claim__narrative")["lang"] == "fr"
    # its files are listed with their kind and size, each a link that downloads it
    files = page.select(".side--government .evidence a[download]")
    assert [(a["href"], text(a.parent, ".meta")) for a in files] == [
        (f"/files/{sha(PDF)}/audit.pdf", f"(PDF document, {len(PDF)} Bytes)"),
        (f"/files/{sha(CSV)}/awards.csv", f"(CSV data, {len(CSV)} Bytes)")]
    with client.get(str(files[0]["href"])) as download:
        assert (download.get_data(), download.headers["Content-Disposition"]) == (
            PDF, "attachment; filename=audit.pdf")
    # the draft is gone: the check page sends back to an empty form
    assert draft_of(services, world, draft_key(str(commitment_id))) is None
    assert client.get(f"/commitments/{commitment_id}/claims/check").location == new
    assert browser_fields(html(client.get(new)), CLAIM_FORM)["narrative"] == ""


def test_change_brings_the_form_back_filled_in_with_the_draft_and_its_files(
        client: FlaskClient, services: Services, world: World) -> None:
    commitment_id = world.commitment_id
    sign_in(client, world.government)
    fields = claim_form(client, commitment_id, status="substantial", language="es")
    submit(client, commitment_id, fields, (PDF, "audit.pdf"), (PNG, "site.png"))
    # the member follows "Change" beside the explanation
    check = html(client.get(f"/commitments/{commitment_id}/claims/check"))
    soup = html(client.get(change_links(check)["Explanation"]))
    # the form is filled in with the draft, the same claim id included
    restored = browser_fields(soup, CLAIM_FORM)
    assert {name: restored[name] for name in fields} == {**fields,
                                                         "csrf_token": restored["csrf_token"]}
    # the files already attached are offered to keep, both ticked
    keep = soup.select(f"{CLAIM_FORM} input[name=keep_files]")
    assert [(box["value"], box.has_attr("checked")) for box in keep] == [
        (sha(PDF), True), (sha(PNG), True)]
    assert [text(box.parent, "label") for box in keep] == [
        f"audit.pdf ({len(PDF)} Bytes)", f"site.png ({len(PNG)} Bytes)"]
    # the member rewrites the explanation, keeps the PDF only, and continues
    data = {**restored, "narrative": "Most awards are online.",
            "keep_files": sha(PDF)}
    assert submit(client, commitment_id, data).status_code == 303
    check = html(client.get(f"/commitments/{commitment_id}/claims/check"))
    assert check_answers(check)["Explanation"] == "Most awards are online."
    assert check_answers(check)["Evidence files"] == f"audit.pdf ({len(PDF)} Bytes)"
    # what is recorded is what was checked
    record(client, f"/commitments/{commitment_id}/claims/check")
    recorded = services.app.commitment(commitment_id).claims[fields["claim_id"]]
    assert (recorded.status, recorded.narrative, recorded.language) == (
        "substantial", "Most awards are online.", "es")
    assert recorded.attachments == (Attachment(
        name="audit.pdf", size=len(PDF), media_type="application/pdf",
        sha256=sha(PDF)),)


def test_what_is_typed_is_kept_while_typing_and_survives_signing_out(
        client: FlaskClient, services: Services, world: World) -> None:
    commitment_id = world.commitment_id
    draft_url = f"/commitments/{commitment_id}/claims/draft"
    sign_in(client, world.government)
    fields = browser_fields(html(client.get(new_claim_url(commitment_id))), CLAIM_FORM)
    token = fields.pop("csrf_token")
    # while the member types, htmx sends the form (no token field: the header carries it)
    typed = {**fields, "status": "limited", "narrative": "Half the awards are",
             "period_start": "2024-07-01", "period_end": "",
             "evidence": "ftp://example.org/not-checked-yet"}
    before = services.app.max_notification_id()
    response = client.post(draft_url, data=typed,
                           headers={"HX-Request": "true", "X-CSRFToken": token})
    # it is kept as it is, unchecked, with nothing to swap and nothing recorded
    assert response.status_code == 204
    assert response.get_data() == b""
    assert services.app.max_notification_id() == before
    draft = draft_of(services, world, draft_key(str(commitment_id)))
    assert draft is not None
    assert (draft["narrative"], draft["evidence"], draft["period_end"]) == (
        "Half the awards are", "ftp://example.org/not-checked-yet", "")
    # without the token, nothing is kept
    refused = client.post(draft_url, data={**typed, "narrative": "Lost"},
                          headers={"HX-Request": "true"})
    assert refused.status_code == 400
    # answers not checked since they were typed are neither shown for checking nor recorded:
    # the check page sends back to the form
    check_url = f"/commitments/{commitment_id}/claims/check"
    assert client.get(check_url).location == new_claim_url(commitment_id)
    assert client.post(check_url, data={"csrf_token": token}).location == new_claim_url(
        commitment_id)
    assert services.app.max_notification_id() == before
    # the member is signed out, then signs in again and opens the form: it is filled in
    sign_out(client)
    assert client.get(new_claim_url(commitment_id)).status_code == 302
    sign_in(client, world.government)
    restored = browser_fields(html(client.get(new_claim_url(commitment_id))), CLAIM_FORM)
    assert {name: restored[name] for name in ("status", "narrative", "period_start",
                                              "period_end", "evidence", "claim_id")} == {
        "status": "limited", "narrative": "Half the awards are", "period_start": "2024-07-01",
        "period_end": "", "evidence": "ftp://example.org/not-checked-yet",
        "claim_id": fields["claim_id"]}
    # another member has no draft of theirs
    assert services.drafts.load(world.civil_society.actor.account_id,
                                draft_key(str(commitment_id))) is None


def test_the_form_on_the_commitment_page_carries_on_the_draft(
        client: FlaskClient, services: Services, world: World) -> None:
    commitment_id = world.commitment_id
    sign_in(client, world.government)
    fields = claim_form(client, commitment_id, narrative="Awards are online.")
    submit(client, commitment_id, fields, (PDF, "audit.pdf"))
    # the member leaves the check page for the commitment page: its form holds the draft
    soup = html(client.get(f"/commitments/{commitment_id}"))
    inline = browser_fields(soup, CLAIM_FORM)
    assert (inline["narrative"], inline["claim_id"], inline["keep_files"]) == (
        "Awards are online.", fields["claim_id"], sha(PDF))
    # so typing there (saved while typing) keeps the draft and its file
    response = client.post(f"/commitments/{commitment_id}/claims/draft",
                           data={**inline, "narrative": "Awards are online since May."},
                           headers={"HX-Request": "true", "X-CSRFToken": inline["csrf_token"]})
    assert response.status_code == 204
    draft = draft_of(services, world, draft_key(str(commitment_id)))
    assert draft is not None
    assert draft["narrative"] == "Awards are online since May."
    assert [item["name"] for item in draft["attachments"]] == ["audit.pdf"]


def test_an_error_found_when_checking_the_form_shows_on_the_form(
        client: FlaskClient, services: Services, world: World) -> None:
    sign_in(client, world.government)
    fields = claim_form(client, world.commitment_id, evidence="ftp://example.org/file")
    before = services.app.max_notification_id()
    # the platform's rules are applied when the form is sent, before the check page
    response = submit(client, world.commitment_id, fields)
    soup = html(response)
    assert response.status_code == 422
    assert error_links(soup) == {"#evidence": (
        "Each evidence link must be a web address starting with https:// or http:// "
        "(not valid: ftp://example.org/file).")}
    assert browser_fields(soup, CLAIM_FORM)["evidence"] == "ftp://example.org/file"
    assert services.app.max_notification_id() == before
    assert draft_of(services, world, draft_key(str(world.commitment_id))) is None


def test_an_error_found_only_when_recording_shows_on_the_check_page(
        client: FlaskClient, services: Services, world: World) -> None:
    first = claim(services.app, world.government, world.commitment_id, "limited").id
    # the government member revises its claim, up to the check page
    sign_in(client, world.government)
    revise = client.get(f"/commitments/{world.commitment_id}/claims/{first}/revise")
    assert revise.location == new_claim_url(world.commitment_id, replaces=first)
    fields = claim_form(client, world.commitment_id, url=revise.location,
                        status="substantial", revision_reason="The audit came out.")
    check_url = submit(client, world.commitment_id, fields).location
    assert check_url == f"/commitments/{world.commitment_id}/claims/check?replaces={first}"
    assert check_answers(html(client.get(check_url)))["Why you revise your claim"] == (
        "The audit came out.")
    # meanwhile, a colleague revises the same claim
    claim(services.app, world.government, world.commitment_id, "complete", replaces=first,
          revision_reason="Finished.")
    before = services.app.max_notification_id()
    # recording is refused on the check page, which still shows the answers
    response = record(client, check_url)
    soup = html(response)
    assert response.status_code == 422
    assert error_links(soup) == {
        new_claim_url(world.commitment_id, replaces=first):
            "This claim has already been withdrawn or revised."}
    assert check_answers(soup)["Status"] == "Substantial"
    # nothing is recorded, and the draft is kept
    assert services.app.max_notification_id() == before
    assert fields["claim_id"] not in services.app.commitment(world.commitment_id).claims
    key = draft_key(str(world.commitment_id), replaces=first)
    assert draft_of(services, world, key) is not None


@pytest.mark.parametrize(("status", "agreement"), [
    ("limited", "Agreed"), ("substantial", "Contested"),
])
def test_a_claim_from_the_commitment_page_makes_the_commitment_agreed_or_contested(
        client: FlaskClient, services: Services, world: World, status: str,
        agreement: str) -> None:
    claim(services.app, world.government, world.commitment_id, "limited")
    # a civil-society group claims a status through the form on the commitment page itself
    sign_in(client, world.civil_society)
    page = html(client.get(f"/commitments/{world.commitment_id}"))
    fields = {**browser_fields(page, CLAIM_FORM), **ANSWERS, "status": status}
    response = record(client, submit(client, world.commitment_id, fields).location)
    # the commitment page and the country page both show where the two sides stand
    assert text(html(client.get(response.location)), "#current-claims-title .tag") == agreement
    country = html(client.get("/countries/GHA"))
    row = country.find("a", string="Commitment GH0001").find_parent("tr")
    assert text(row, ".tag") == agreement
