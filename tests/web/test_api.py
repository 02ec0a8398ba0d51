"""The read-only JSON API: countries, a filtered list a page at a time, one commitment with
both sides' evidence, its history; JSON errors; every answer checked against the OpenAPI
document the API serves."""

from __future__ import annotations

import io
from datetime import date
from typing import Any
from uuid import uuid4

import pytest
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_openapi
from werkzeug.test import TestResponse

from accord.domain.milestones import Milestone
from accord.platform.policy import SYSTEM
from accord.services import Services
from accord.web.api.openapi import document
from tests.scenario import OGP, World, claim
from tests.web.test_files import REPORT


def described(response: TestResponse, path: str) -> Any:
    """The JSON body, after checking it against the schema the OpenAPI document gives for
    ``path`` (as the document writes it) and the response's status."""
    assert response.mimetype == "application/json", response.get_data(as_text=True)[:200]
    body = response.get_json()
    spec = document()
    answer = spec["paths"][path]["get"]["responses"][str(response.status_code)]
    schema = answer["content"]["application/json"]["schema"]
    validator = Draft202012Validator({**schema, "components": spec["components"]},
                                     format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors = [f"{list(error.absolute_path)}: {error.message}"
              for error in validator.iter_errors(body)]
    assert errors == [], f"{response.request.path} does not match {path}"
    return body


def register(services: Services, reference: str, country: str = "GHA", **fields: Any) -> str:
    """Register one more commitment; its id."""
    return services.app.register_commitment(
        SYSTEM, country=country, reference=reference, framework_id=OGP,
        title=f"Commitment {reference}", **fields).id


def test_the_openapi_document_is_valid_openapi_3_1_and_served_as_written(
        client: FlaskClient) -> None:
    spec = document()
    # the description is a valid OpenAPI 3.1 document
    validate_openapi(spec)
    assert spec["openapi"].startswith("3.1")
    # and the API serves it, to anyone
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.get_json() == spec
    # it names the five agreement states exactly
    agreement = spec["components"]["schemas"]["CommitmentSummary"]["properties"]["agreement"]
    assert agreement["enum"] == ["agreed", "contested", "awaiting_government",
                                 "awaiting_civil_society", "not_reported"]


def test_countries_are_listed_with_their_commitments_counted_by_agreement_state(
        client: FlaskClient, services: Services, world: World) -> None:
    # Ghana: one commitment contested, one not reported; Colombia: one awaiting civil society
    claim(services.app, world.government, world.commitment_id, "limited")
    claim(services.app, world.civil_society, world.commitment_id, "substantial")
    claim(services.app, world.foreign_government, world.foreign_commitment_id, "limited")
    body = described(client.get("/api/v1/countries"), "/countries")
    countries = {country["code"]: country for country in body["countries"]}
    assert list(countries) == ["COL", "GHA"]
    assert countries["GHA"]["name"] == "Ghana"
    assert countries["GHA"]["total"] == 2
    assert countries["GHA"]["agreement"] == {
        "agreed": 0, "contested": 1, "awaiting_government": 0, "awaiting_civil_society": 0,
        "not_reported": 1}
    assert countries["COL"]["agreement"]["awaiting_civil_society"] == 1
    # each links to its commitments in the API, its page and its feed
    assert countries["GHA"]["links"] == {"commitments": "/api/v1/commitments?country=GHA",
                                         "page": "/countries/GHA",
                                         "feed": "/feeds/countries/GHA.atom"}


def test_following_next_walks_every_commitment_exactly_once(
        client: FlaskClient, services: Services, world: World) -> None:
    # eleven commitments in all: the world's three and eight more Ghanaian ones
    for number in range(2, 10):
        register(services, f"GH000{number}")
    everyone = described(client.get("/api/v1/commitments?per_page=500"), "/commitments")
    assert everyone["total"] == 11
    # a client follows `next` from the first page, three at a time
    seen: list[str] = []
    url: str | None = "/api/v1/commitments?per_page=3"
    pages = 0
    while url is not None:
        body = described(client.get(url), "/commitments")
        assert body["total"] == 11
        assert body["pages"] == 4
        seen += [item["id"] for item in body["commitments"]]
        url = body["next"]
        pages += 1
    # four pages, every commitment once, in the list's order
    assert pages == 4
    assert len(seen) == len(set(seen)) == 11
    assert seen == [item["id"] for item in everyone["commitments"]]
    # the last page points back, and a page past the end is empty
    last = described(client.get("/api/v1/commitments?per_page=3&page=4"), "/commitments")
    assert last["previous"] == "/api/v1/commitments?page=3&per_page=3"
    past = described(client.get("/api/v1/commitments?per_page=3&page=9"), "/commitments")
    assert past["commitments"] == []
    assert past["next"] is None


def test_the_list_takes_the_same_filters_as_the_pages_and_keeps_them_in_next(
        client: FlaskClient, services: Services, world: World) -> None:
    # Ghana's OGP commitment is contested; a third Ghanaian commitment is not reported
    claim(services.app, world.government, world.commitment_id, "limited")
    claim(services.app, world.civil_society, world.commitment_id, "substantial")
    register(services, "GH0002", themes=["open_contracting"], end_date=date(2020, 6, 30))
    services.app.register_action_plan(SYSTEM, plan_id="AP_GHA01", country="GHA", number=1,
                                      title="Ghana's action plan")

    def references(query: str) -> list[str]:
        body = described(client.get(f"/api/v1/commitments?{query}"), "/commitments")
        return [item["reference"] for item in body["commitments"]]

    assert references("country=GHA") == ["GH-ACS-01", "GH0001", "GH0002"]
    assert references("country=gha&agreement=contested") == ["GH0001"]
    assert references("status=substantial") == ["GH0001"]
    assert references("theme=open_contracting") == ["GH0001", "GH0002"]
    assert references("plan=AP_GHA01") == ["GH0001"]
    assert references("plan=ap_gha01") == ["GH0001"]  # as the plan's page finds it
    # a status or plan that nothing has is no error: nothing has it yet
    assert references("status=dropped") == []
    assert references("plan=AP_XYZ99") == []
    assert references("q=contract+award") == ["GH0001"]
    assert references("country=COL&agreement=not_reported") == ["CO0001"]
    # the list says how the other filters' commitments split by agreement state
    split = described(client.get("/api/v1/commitments?country=GHA&agreement=contested"),
                      "/commitments")["agreement"]
    assert split == {"agreed": 0, "contested": 1, "awaiting_government": 0,
                     "awaiting_civil_society": 0, "not_reported": 2}
    overdue = described(client.get("/api/v1/commitments?country=GHA&overdue=yes"),
                        "/commitments")
    assert overdue["agreement"] == {"agreed": 0, "contested": 0, "awaiting_government": 0,
                                    "awaiting_civil_society": 0, "not_reported": 1}
    # the next page keeps the filters
    body = described(client.get("/api/v1/commitments?theme=open_contracting&per_page=1"),
                     "/commitments")
    assert body["next"] == "/api/v1/commitments?theme=open_contracting&page=2&per_page=1"
    # a listed commitment says where each side stands, and where to read more
    item = described(client.get("/api/v1/commitments?agreement=contested"),
                     "/commitments")["commitments"][0]
    assert item["government_status"] == {"code": "limited", "label": "Limited"}
    assert item["civil_society_statuses"] == [{"code": "substantial", "label": "Substantial"}]
    assert item["links"]["api"] == f"/api/v1/commitments/{world.commitment_id}"
    assert item["links"]["page"] == f"/commitments/{world.commitment_id}"


def test_a_commitment_has_each_partys_current_claims_with_their_evidence_and_files(
        client: FlaskClient, services: Services, world: World) -> None:
    # the government claims with a file, then revises its claim
    attachment = services.blobs.put(io.BytesIO(REPORT), "audit report.pdf")
    first = claim(services.app, world.government, world.commitment_id, "limited")
    revised = claim(services.app, world.government, world.commitment_id, "substantial",
                    replaces=first.id, revision_reason="The portal went live.",
                    attachments=[attachment])
    # civil society disagrees, on the commitment and on one of its milestones
    claim(services.app, world.civil_society, world.commitment_id, "limited",
          evidence=["https://example.org/shadow-report"])
    services.app.add_milestone(SYSTEM, world.commitment_id, Milestone(
        reference="M1", title="Publish the register", due_date=date(2030, 6, 30)))
    claim(services.app, world.civil_society, world.commitment_id, "complete", milestone="M1")
    body = described(client.get(f"/api/v1/commitments/{world.commitment_id}"),
                     "/commitments/{commitment_id}")
    assert body["reference"] == "GH0001"
    assert body["agreement"] == "contested"
    assert body["themes"] == ["open_contracting", "public_procurement"]
    # only the revision is the government's current claim, with its file
    [government] = body["claims"]["government"]
    assert government["id"] == revised.id
    assert government["revises"] == first.id
    assert government["status"] == {"code": "substantial", "label": "Substantial"}
    assert government["period"] == {"start": "2024-01-01", "end": "2024-06-30"}
    assert government["organisation"]["name"] == "Ministry of Integrity"
    assert government["attachments"] == [{
        "name": "audit report.pdf", "size": len(REPORT), "media_type": "application/pdf",
        "sha256": attachment.sha256,
        "url": f"/files/{attachment.sha256}/audit%20report.pdf"}]
    # the file is there to download
    with client.get(government["attachments"][0]["url"]) as download:
        assert download.get_data() == REPORT
    [civil_society] = body["claims"]["civil_society"]
    assert civil_society["evidence"] == ["https://example.org/shadow-report"]
    assert civil_society["narrative"] == "Budget Watch reports limited."
    assert body["claims"]["independent_reviewer"] == []
    # the milestone has its own claims and agreement state
    [milestone] = body["milestones"]
    assert milestone["reference"] == "M1"
    assert milestone["agreement"] == "awaiting_government"
    assert [c["status"]["code"] for c in milestone["claims"]["civil_society"]] == ["complete"]
    # and the commitment links to its history, its page and its feed
    assert body["links"] == {
        "api": f"/api/v1/commitments/{world.commitment_id}",
        "history": f"/api/v1/commitments/{world.commitment_id}/history",
        "page": f"/commitments/{world.commitment_id}",
        "feed": f"/feeds/commitments/{world.commitment_id}.atom"}


def test_the_history_lists_everything_that_happened_oldest_first(
        client: FlaskClient, services: Services, world: World) -> None:
    first = claim(services.app, world.government, world.commitment_id, "limited")
    claim(services.app, world.government, world.commitment_id, "substantial",
          replaces=first.id, revision_reason="The portal went live.")
    history_url = f"/api/v1/commitments/{world.commitment_id}/history"
    body = described(client.get(history_url), "/commitments/{commitment_id}/history")
    changes = body["changes"]
    assert [change["kind"] for change in changes] == ["registered", "claimed", "revised"]
    assert changes[1]["organisation"] == "Ministry of Integrity"
    assert changes[1]["description"] == "Ministry of Integrity (Government) claimed: Limited."
    assert changes[2]["status"] == {"code": "substantial", "label": "Substantial"}
    assert changes[2]["detail"] == "The portal went live."
    assert [change["position"] for change in changes] == sorted(
        change["position"] for change in changes)


@pytest.mark.parametrize(("query", "parameter"), [
    ("country=XYZ", "country"), ("country=Ghana", "country"), ("agreement=agree", "agreement"),
    ("theme=corruption", "theme"), ("overdue=perhaps", "overdue"), ("sort=newest", "sort"),
    ("page=0", "page"), ("page=two", "page"), ("per_page=501", "per_page"),
    ("q=" + "x" * 201, "q"), ("status=" + "s" * 41, "status"), ("plan=" + "p" * 41, "plan"),
    # a NUL or another control character, which PostgreSQL would refuse in any text
    ("q=audit%00", "q"), ("status=%00", "status"), ("plan=AP%1bGHA", "plan"),
])
def test_a_parameter_that_makes_no_sense_is_refused_with_a_json_error_naming_it(
        client: FlaskClient, world: World, query: str, parameter: str) -> None:
    response = client.get(f"/api/v1/commitments?{query}")
    assert response.status_code == 400
    error = described(response, "/commitments")["error"]
    assert error["code"] == "bad_parameter"
    assert error["parameter"] == parameter
    assert error["message"]


def test_unknown_things_are_404_in_json_never_html(
        client: FlaskClient, world: World) -> None:
    # a well-formed id nobody registered, and one that is not an id at all
    for commitment_id in (str(uuid4()), "not-an-id"):
        for path, template in ((f"/api/v1/commitments/{commitment_id}",
                                "/commitments/{commitment_id}"),
                               (f"/api/v1/commitments/{commitment_id}/history",
                                "/commitments/{commitment_id}/history")):
            response = client.get(path)
            assert response.status_code == 404
            assert described(response, template)["error"]["code"] == "not_found"
    # an address the API does not have, and a method it does not accept, answer JSON too
    missing = client.get("/api/v1/pledges")
    assert (missing.status_code, missing.mimetype) == (404, "application/json")
    assert missing.get_json()["error"]["code"] == "not_found"
    refused = client.post("/api/v1/countries")
    assert (refused.status_code, refused.mimetype) == (405, "application/json")
    assert refused.get_json()["error"]["code"] == "method_not_allowed"
    assert refused.headers["Allow"] == "GET, HEAD, OPTIONS"


def test_the_api_needs_no_session_and_keeps_the_security_headers(
        client: FlaskClient, world: World) -> None:
    for url in ("/api/v1/", "/api/v1/countries", "/api/v1/commitments",
                f"/api/v1/commitments/{world.commitment_id}", "/api/v1/commitments?page=0"):
        response = client.get(url)
        # no cookie is set, so nothing ties a client to a session
        assert "Set-Cookie" not in response.headers, url
        assert response.headers["X-Content-Type-Options"] == "nosniff", url
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], url
        # and pages of other sites may read it from the browser
        assert response.headers["Access-Control-Allow-Origin"] == "*", url
    index = described(client.get("/api/v1/"), "/")
    assert index["links"]["openapi"] == "/api/v1/openapi.json"
