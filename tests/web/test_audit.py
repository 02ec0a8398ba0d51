"""The audit endpoints, as an outsider uses them: the public key, the checkpoints (JSON and
Atom), and proofs checked with the stand-alone verifier against a signed checkpoint."""

from __future__ import annotations

import base64
import stat
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from flask.testing import FlaskClient

from accord.services import Services
from accord.settings import Settings
from accord.web import create_app
from tests.audit_support import verifier
from tests.scenario import World, claim
from tests.web.conftest import sign_in

ATOM = "{http://www.w3.org/2005/Atom}"


def test_the_public_key_is_published_and_the_private_key_kept_to_its_owner(
        client: FlaskClient, settings: Settings) -> None:
    response = client.get("/audit/public-key")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    raw = base64.b64decode(response.get_data(as_text=True), validate=True)
    assert len(raw) == 32
    Ed25519PublicKey.from_public_bytes(raw)  # a valid Ed25519 key
    # made on first use, in the data dir, readable by its owner only, and kept
    key_file = settings.data_dir / "audit-signing-key.pem"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert client.get("/audit/public-key").get_data() == response.get_data()


def test_checkpoints_are_listed_signed_in_json_and_atom(
        client: FlaskClient, services: Services, world: World) -> None:
    # No checkpoint yet: empty lists, not errors.
    assert client.get("/audit/checkpoints").get_json()["checkpoints"] == []
    assert client.get("/audit/checkpoints.atom").status_code == 200
    first = services.audit.checkpoint()
    claim(services.app, world.government, world.commitment_id)
    second = services.audit.checkpoint()
    assert first is not None
    assert second is not None
    assert second.tree_size == first.tree_size + 1
    listing = client.get("/audit/checkpoints").get_json()
    assert listing["checkpoints"] == [first.as_json(), second.as_json()]
    key = base64.b64decode(listing["public_key"])
    for checkpoint in listing["checkpoints"]:
        verifier.check_checkpoint(checkpoint, key, "listed")  # raises unless signed
    # The feed: newest first, each entry holding the checkpoint's JSON.
    feed = client.get("/audit/checkpoints.atom")
    assert feed.mimetype == "application/atom+xml"
    root = ElementTree.fromstring(feed.get_data())  # noqa: S314 (Accord's own feed)
    entries = root.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}updated") for entry in entries] == [second.timestamp,
                                                                       first.timestamp]
    content = entries[0].findtext(f"{ATOM}content")
    assert content is not None
    assert f'"root_hash": "{second.root_hash}"' in content


def test_inclusion_and_consistency_proofs_verify_against_signed_checkpoints(
        client: FlaskClient, services: Services, world: World) -> None:
    first = services.audit.checkpoint()
    for status in ("limited", "substantial", "complete"):
        claim(services.app, world.government, world.commitment_id, status=status)
    second = services.audit.checkpoint()
    assert first is not None
    assert second is not None
    # Every event of the log is in the latest checkpoint's tree (the default size).
    events = services.app.recorder.select_notifications(start=None, limit=1000)
    for event in events:
        proof = client.get(f"/audit/proof/inclusion?id={event.id}").get_json()
        assert proof["tree_size"] == second.tree_size
        leaf = bytes.fromhex(proof["leaf_hash"])
        assert leaf == verifier.hash_leaf(verifier.canonical({
            "id": event.id, "originator_id": str(event.originator_id),
            "originator_version": event.originator_version, "topic": event.topic,
            "state": base64.b64encode(event.state).decode()}))
        assert verifier.verify_inclusion(leaf, proof["leaf_index"], second.tree_size,
                                         [bytes.fromhex(h) for h in proof["audit_path"]],
                                         bytes.fromhex(second.root_hash))
    # An early event in the first checkpoint's tree, too.
    proof = client.get(f"/audit/proof/inclusion?id={events[2].id}"
                       f"&tree_size={first.tree_size}").get_json()
    assert verifier.verify_inclusion(bytes.fromhex(proof["leaf_hash"]), 2, first.tree_size,
                                     [bytes.fromhex(h) for h in proof["audit_path"]],
                                     bytes.fromhex(first.root_hash))
    # The second checkpoint's tree extends the first's.
    consistency = client.get(f"/audit/proof/consistency?first={first.tree_size}"
                             f"&second={second.tree_size}").get_json()
    assert verifier.verify_consistency(
        first.tree_size, second.tree_size, bytes.fromhex(first.root_hash),
        bytes.fromhex(second.root_hash), [bytes.fromhex(h) for h in
                                          consistency["consistency_path"]])


@pytest.mark.parametrize(("query", "parameter", "message"), [
    ("", "id", "Give id, a whole number."),
    ("id=abc", "id", "id must be a whole number of at least 1."),
    ("id=-3", "id", "id must be a whole number of at least 1."),
    ("id=1&tree_size=0", "tree_size", "tree_size must be a whole number of at least 1."),
    ("id=1&tree_size=99999", "tree_size", "tree_size is 99999, but the audit record holds"),
    ("id=5&tree_size=2", "tree_size", "Event 5 is leaf 4 of the tree"),
])
def test_bad_inclusion_parameters_get_400_with_a_clear_message(
        client: FlaskClient, services: Services, world: World, query: str, parameter: str,
        message: str) -> None:
    services.audit.checkpoint()
    response = client.get(f"/audit/proof/inclusion?{query}")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["parameter"] == parameter
    assert error["message"].startswith(message)


def test_other_bad_proof_requests_get_clear_answers(
        client: FlaskClient, services: Services, world: World) -> None:
    # Before any checkpoint, an inclusion proof needs an explicit size.
    response = client.get("/audit/proof/inclusion?id=1")
    assert response.status_code == 400
    assert "No checkpoint has been made yet" in response.get_json()["error"]["message"]
    services.audit.checkpoint()
    # An id that no event has.
    response = client.get("/audit/proof/inclusion?id=999999")
    assert response.status_code == 404
    assert response.get_json()["error"]["message"].startswith(
        "No event with notification id 999999 is in the audit record")
    # Consistency sizes out of order, missing or too large.
    for query, parameter in [("first=5&second=3", "first"), ("first=2", "second"),
                             ("first=1&second=100000", "second"), ("second=4", "first")]:
        response = client.get(f"/audit/proof/consistency?{query}")
        assert response.status_code == 400, query
        assert response.get_json()["error"]["parameter"] == parameter


def test_a_recorded_change_triggers_a_checkpoint_once_one_is_due(
        settings: Settings, services: Services, world: World) -> None:
    # As with ACCORD_AUDIT_CHECKPOINT_MINUTES=60 (tests build settings without it).
    services.audit.interval = timedelta(minutes=60)
    client = create_app(settings, services).test_client()
    # No checkpoint yet and events recorded: the first successful POST signs one.
    assert services.audit.checkpoints() == []
    assert sign_in(client, world.government).status_code == 303
    made = services.audit.checkpoints()
    assert len(made) == 1
    assert made[0].tree_size == services.audit.tree.size() > 0
    # Another change a moment later: the worker looks again only a minute later.
    claim(services.app, world.government, world.commitment_id)
    assert services.audit.checkpoint_if_due() is None
    assert len(services.audit.checkpoints()) == 1
