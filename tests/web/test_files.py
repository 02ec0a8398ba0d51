"""Evidence files served back: only those attached to a recorded claim or response, as
downloads under their recorded name and type, and never once their content is damaged."""

from __future__ import annotations

import io
import logging
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from accord.domain.attachments import Attachment
from accord.services import Services
from accord.web.files import IMMUTABLE
from tests.scenario import World, claim
from tests.web.conftest import html, sign_in, text

REPORT = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def attached(services: Services, world: World, name: str = "audit report.pdf",
             content: bytes = REPORT, *, catch_up: bool = True) -> Attachment:
    """A file stored and attached to a government claim about the Ghanaian commitment."""
    attachment = services.blobs.put(io.BytesIO(content), name)
    claim(services.app, world.government, world.commitment_id, attachments=[attachment])
    if catch_up:
        services.caught_up()
    return attachment


def address(attachment: Attachment, name: str | None = None) -> str:
    return f"/files/{attachment.sha256}/{quote(name or attachment.name)}"


def fetch(client: FlaskClient, url: str, **headers: str) -> TestResponse:
    """GET ``url`` and read the whole answer (a file is streamed from disk until closed)."""
    with client.get(url, headers=headers) as response:
        response.get_data()
    return response


def test_a_recorded_file_is_served_as_a_download_with_its_recorded_name_and_type(
        client: FlaskClient, services: Services, world: World) -> None:
    # the government attached a PDF to its claim
    attachment = attached(services, world)
    # anyone who follows the link gets the file itself
    response = fetch(client, address(attachment))
    assert response.status_code == 200
    assert response.get_data() == REPORT
    # as a download, never shown in the page, under its recorded name and type
    assert response.headers["Content-Disposition"] == 'attachment; filename="audit report.pdf"'
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"].endswith("; sandbox")
    assert response.headers["Content-Length"] == str(len(REPORT))
    # its address names its content, so caches may keep it for good
    assert response.headers["Cache-Control"] == IMMUTABLE
    assert response.headers["ETag"] == f'"{attachment.sha256}"'


def test_the_recorded_name_is_sent_whatever_the_address_says(
        client: FlaskClient, services: Services, world: World) -> None:
    # a file recorded under a name in French
    attachment = attached(services, world, name="Rapport d\u2019ex\u00e9cution 2024.pdf")
    # reached through an address naming it otherwise
    response = fetch(client, address(attachment, name="renamed.html"))
    assert response.status_code == 200
    # the download keeps the recorded name: exactly in filename*, in ASCII for old browsers
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert 'filename="Rapport dexecution 2024.pdf"' in disposition
    assert "filename*=UTF-8''Rapport%20d%E2%80%99ex%C3%A9cution%202024.pdf" in disposition
    assert response.headers["Content-Type"] == "application/pdf"


def test_a_file_attached_to_a_response_is_served(
        client: FlaskClient, services: Services, world: World) -> None:
    # civil society challenges the government's claim, and the government responds with a file
    contested = claim(services.app, world.government, world.commitment_id, status="complete")
    challenge = claim(services.app, world.civil_society, world.commitment_id,
                      challenges=contested.id)
    table = services.blobs.put(io.BytesIO(b"contract,published\nC-1,yes\n"), "contracts.csv")
    services.app.respond_to_challenge(
        world.government.actor, world.commitment_id, challenge_id=challenge.id,
        narrative="The contracts are published.", evidence=[], attachments=[table])
    services.caught_up()
    response = fetch(client, address(table))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv"
    assert response.get_data() == b"contract,published\nC-1,yes\n"


def test_files_without_links_are_listed_as_evidence_of_their_claim_and_response(
        client: FlaskClient, services: Services, world: World) -> None:
    # a claim, and a response to a challenge of it, each with a file and no link
    report = services.blobs.put(io.BytesIO(REPORT), "audit report.pdf")
    contested = claim(services.app, world.government, world.commitment_id, status="complete",
                      evidence=[], attachments=[report])
    challenge = claim(services.app, world.civil_society, world.commitment_id,
                      challenges=contested.id, evidence=[])
    table = services.blobs.put(io.BytesIO(b"contract,published\nC-1,yes\n"), "contracts.csv")
    services.app.respond_to_challenge(
        world.government.actor, world.commitment_id, challenge_id=challenge.id,
        narrative="The contracts are published.", evidence=[], attachments=[table])
    services.caught_up()
    page = html(client.get(f"/commitments/{world.commitment_id}"))
    # each file is a download under the evidence of what it came with
    listed = page.select_one(f"#claim-{contested.id} .evidence")
    assert listed is not None
    assert [a["href"] for a in listed.select("a[download]")] == [address(report)]
    answered = page.select_one(".response .evidence")
    assert answered is not None
    assert [a["href"] for a in answered.select("a[download]")] == [address(table)]
    # the challenge brought no evidence, and lists none
    assert page.select(f"#claim-{challenge.id} .evidence") == []


def test_a_file_attached_a_moment_ago_is_served_before_anything_caught_up(
        client: FlaskClient, services: Services, world: World) -> None:
    # the claim was recorded (by another worker, say) and no read model has seen it yet
    attachment = attached(services, world, catch_up=False)
    # the route catches up before saying there is no such file
    assert fetch(client, address(attachment)).status_code == 200


@pytest.mark.parametrize("sha256", ["0" * 64, "not-a-hash", "A" * 64])
def test_an_unknown_hash_is_not_found(
        client: FlaskClient, world: World, sha256: str) -> None:
    response = client.get(f"/files/{sha256}/report.pdf")
    assert response.status_code == 404
    assert "No recorded claim has a file" in text(html(response), "main")


def test_a_stored_file_that_no_recorded_claim_attaches_is_not_found(
        client: FlaskClient, services: Services, world: World) -> None:
    # a file was uploaded, but the claim it was meant for was never recorded
    orphan = services.blobs.put(io.BytesIO(REPORT), "draft.pdf")
    services.caught_up()
    response = fetch(client, address(orphan))
    assert response.status_code == 404
    assert REPORT not in response.get_data()


def test_a_damaged_file_is_refused_and_logged(
        client: FlaskClient, services: Services, world: World,
        caplog: pytest.LogCaptureFixture) -> None:
    attachment = attached(services, world)
    # the stored bytes change on disk
    damaged = REPORT.replace(b"Catalog", b"Catalop")
    services.blobs.path(attachment.sha256).write_bytes(damaged)
    with caplog.at_level(logging.ERROR, logger="accord"):
        response = fetch(client, address(attachment))
    # an error page says why, and nothing of the file is sent
    assert response.status_code == 500
    assert response.mimetype == "text/html"
    assert "Content-Disposition" not in response.headers
    assert "failed its integrity check" in text(html(response), "main")
    body = response.get_data()
    assert damaged not in body
    assert b"%PDF" not in body
    # and the operators are told which file it is
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert any(attachment.sha256 in message and "integrity" in message for message in errors)


def test_a_file_missing_from_the_store_is_a_server_error_that_is_logged(
        client: FlaskClient, services: Services, world: World,
        caplog: pytest.LogCaptureFixture) -> None:
    attachment = attached(services, world)
    services.blobs.path(attachment.sha256).unlink()
    with caplog.at_level(logging.ERROR, logger="accord"):
        response = fetch(client, address(attachment))
    assert response.status_code == 500
    assert "missing" in text(html(response), "main")
    assert any(attachment.sha256 in r.getMessage() for r in caplog.records)


def test_the_route_is_public_and_signed_in_members_get_the_file_too(
        client: FlaskClient, services: Services, world: World) -> None:
    attachment = attached(services, world)
    # the public needs no account
    assert fetch(client, address(attachment)).status_code == 200
    # a member of another country's organisation gets it as well, kept out of shared caches
    sign_in(client, world.foreign_civil_society)
    response = fetch(client, address(attachment))
    assert response.status_code == 200
    assert response.get_data() == REPORT
    assert response.headers["Cache-Control"] == "no-store"


def test_a_browser_that_has_the_file_is_told_so_and_may_ask_for_part_of_it(
        client: FlaskClient, services: Services, world: World) -> None:
    attachment = attached(services, world)
    # a browser that kept the file asks whether it changed: it cannot have
    etag = f'"{attachment.sha256}"'
    unchanged = fetch(client, address(attachment), **{"If-None-Match": etag})
    assert unchanged.status_code == 304
    assert unchanged.get_data() == b""
    # a download resumed part-way gets the rest
    part = fetch(client, address(attachment), Range="bytes=5-")
    assert part.status_code == 206
    assert part.get_data() == REPORT[5:]
