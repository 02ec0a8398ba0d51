"""The audit record itself, on each backend: checkpoints made when due, and verification
that notices a rewritten record, a forged signature or a lost key, not only changed events."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import update

from accord.platform.audit import EVENTS_BETWEEN_CHECKPOINTS, AuditLog
from accord.platform.audit.leaves import event_leaf_hash
from accord.platform.audit.merkle import Frontier, leaf_hash
from accord.platform.audit.tables import audit_checkpoint, audit_leaf, audit_node
from accord.platform.audit.tree import stored_level
from accord.platform.audit.verify import verify
from accord.services import Services
from accord.settings import Settings
from tests.integration.test_audit_cli import EventTable, alter_one_byte
from tests.scenario import World, build_world, claim


@pytest.fixture
def world(services: Services) -> World:
    return build_world(services.app)


@pytest.fixture
def audit(services: Services, world: World) -> Iterator[AuditLog]:
    """The audit log of a world of about twenty events, under one checkpoint."""
    assert services.audit.checkpoint() is not None
    return services.audit


def change(audit: AuditLog, statement: Any) -> None:
    with audit.database.writer.begin() as connection:
        connection.execute(statement)


def test_a_log_as_recorded_verifies_and_newer_events_are_reported_not_refused(
        audit: AuditLog, world: World) -> None:
    report = verify(audit)
    assert report.ok
    assert report.divergence is None
    assert report.events == report.recorded == audit.tree.size() > 15
    claim(world.app, world.government, world.commitment_id)
    report = verify(audit)
    assert report.ok
    assert report.newer == 1


def test_a_rewritten_leaf_of_the_record_is_named_and_fails_the_checkpoint(
        audit: AuditLog) -> None:
    change(audit, update(audit_leaf).where(audit_leaf.c.position == 4)
           .values(leaf_hash=leaf_hash(b"forged")))
    (_, wrong), notification_id = audit.tree.leaf(4), audit.tree.leaf(4)[0]
    report = verify(audit)
    assert report.divergence == notification_id
    assert any(p.startswith("The audit record's leaves do not match the checkpoint")
               for p in report.problems)
    assert wrong == leaf_hash(b"forged")


def test_an_event_rewritten_together_with_the_record_still_fails_the_signed_checkpoint(
        settings: Settings, audit: AuditLog) -> None:
    # Someone alters an event, then rewrites the audit record to match: its leaf and nodes.
    altered = alter_one_byte(EventTable(settings))
    (event,) = audit.app.recorder.select_notifications(start=altered, limit=1)
    change(audit, update(audit_leaf).where(audit_leaf.c.notification_id == altered)
           .values(leaf_hash=event_leaf_hash(event)))
    rebuilt = Frontier(keep=stored_level)
    for batch in audit.tree.leaves():
        for _, leaf in batch:
            rebuilt.append(leaf)
    with audit.database.writer.begin() as connection:
        connection.execute(audit_node.delete())
        connection.execute(audit_node.insert(), [
            {"level": level, "position": position, "node_hash": digest}
            for level, position, digest in rebuilt.completed])
    report = verify(audit)
    # Leaf by leaf the record matches the log, but not the checkpoint they cannot re-sign.
    assert report.divergence is None
    assert not report.ok
    assert report.problems[0] == (
        f"The log diverges from the signed checkpoints between notification ids 1 and "
        f"{audit.tree.leaf(audit.tree.size() - 1)[0]}, and the audit record was rewritten to "
        "match it.")
    assert len(report.problems) == 3  # the events' and the record's roots


def test_a_changed_checkpoint_or_a_lost_key_is_reported(audit: AuditLog) -> None:
    signature = audit.checkpoints()[0].signature
    forged = base64.b64encode(bytes(64)).decode()
    change(audit, update(audit_checkpoint).values(signature=forged))
    assert any("has an invalid signature" in p for p in verify(audit).problems)
    change(audit, update(audit_checkpoint).values(signature=signature, tree_size=3))
    report = verify(audit)
    assert any("has an invalid signature" in p for p in report.problems)
    assert any("do not match the checkpoint made at" in p for p in report.problems)
    change(audit, update(audit_checkpoint).values(tree_size=audit.tree.size()))
    assert verify(audit).ok
    audit.key.path.unlink()
    audit.key._key = None
    assert "The signing key is missing" in verify(audit).problems[0]


def test_a_checkpoint_is_due_when_the_last_is_old_or_far_behind_and_the_log_grew(
        settings: Settings, services: Services, world: World) -> None:
    audit = services.audit
    audit.interval = timedelta(minutes=60)
    # No checkpoint yet: due.
    assert audit.checkpoint(if_due=True) is not None
    # Just made and nothing new: not due, however old.
    assert audit.checkpoint(if_due=True) is None
    make_old(audit)
    assert audit.checkpoint(if_due=True) is None
    # The log grew and the last checkpoint is an hour old: due.
    claim(world.app, world.government, world.commitment_id)
    made = audit.checkpoint(if_due=True)
    assert made is not None
    assert made.tree_size == audit.tree.size()
    # Grown by one event a moment after: not due; without an interval, never by age.
    claim(world.app, world.government, world.commitment_id, status="substantial")
    assert audit.checkpoint(if_due=True) is None
    audit.interval = None
    make_old(audit)
    assert audit.checkpoint(if_due=True) is None
    assert audit.checkpoint_if_due() is None
    assert EVENTS_BETWEEN_CHECKPOINTS == 10_000  # ...or by that many events


def make_old(audit: AuditLog) -> None:
    an_hour_ago = (datetime.now(UTC) - timedelta(minutes=61)).strftime("%Y-%m-%dT%H:%M:%SZ")
    change(audit, update(audit_checkpoint).values(timestamp=an_hour_ago))
