"""`accord audit verify` and `accord audit export`, run as a person would, after someone
changed the event store behind Accord's back: on each backend, one byte of one event, one
event deleted, one inserted, two swapped, each named by its notification id."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import psycopg
import pytest

from accord.services import Services
from accord.settings import Settings
from tests.audit_support import VERIFIER_PATH, verifier
from tests.integration.test_cli import environment
from tests.scenario import build_world, claim

ACCORD = Path(sys.executable).parent / "accord"
TIMEOUT = 180
TAMPERED = 9
"""The notification id of the event tampered with (the log holds about twenty)."""


def run(*command: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(command), env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=TIMEOUT, check=False)


def accord(*arguments: str, settings: Settings, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the installed ``accord`` script on the settings' data, whatever its exit status."""
    return run(str(ACCORD), *arguments, cwd=cwd,
               env=environment(settings.data_dir, settings.database_url))


@pytest.fixture
def checkpointed(settings: Settings, cheap_hashing: None) -> Iterator[Settings]:
    """A log of about twenty events (the scenario's world and two claims), all under a
    signed checkpoint."""
    services = Services(settings)
    try:
        world = build_world(services.app)
        claim(services.app, world.government, world.commitment_id)
        claim(services.app, world.civil_society, world.commitment_id, status="not_started")
        made = services.audit.checkpoint()
        assert made is not None
        assert made.tree_size == services.app.max_notification_id() > 15
    finally:
        services.close()
    return settings


class EventTable:
    """The event store's table, changed directly in SQL, on either backend."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.id = "notification_id" if settings.database_url else "rowid"
        # eventsourcing names the table after the application on PostgreSQL
        self.table = "accord_events" if settings.database_url else "stored_events"

    def execute(self, statement: str, *parameters: Any) -> list[Any]:
        statement = statement.replace("ID", self.id).replace("stored_events", self.table)
        if self.settings.database_url:
            with psycopg.connect(self.settings.database_url, autocommit=True) as connection:
                cursor = connection.execute(statement.replace("?", "%s"), parameters)
                return cursor.fetchall() if cursor.description else []
        path = self.settings.data_dir / "events.sqlite3"
        with closing(sqlite3.connect(path, isolation_level=None)) as connection:
            return connection.execute(statement, parameters).fetchall()

    def row(self, notification_id: int) -> tuple[Any, ...]:
        (found,) = self.execute("SELECT originator_id, originator_version, topic, state "
                                "FROM stored_events WHERE ID = ?", notification_id)
        return tuple(found)


def alter_one_byte(events: EventTable) -> int:
    state = bytearray(events.row(TAMPERED)[3])
    state[len(state) // 2] ^= 0x01
    events.execute("UPDATE stored_events SET state = ? WHERE ID = ?", bytes(state), TAMPERED)
    return TAMPERED


def delete_one(events: EventTable) -> int:
    events.execute("DELETE FROM stored_events WHERE ID = ?", TAMPERED)
    return TAMPERED


def insert_one(events: EventTable) -> int:
    # Make room after the tampered event by shifting every later id up by one, then put a
    # copy of it, as another aggregate's first event, in the gap.
    _, _, topic, state = events.row(TAMPERED)
    events.execute("UPDATE stored_events SET ID = -ID WHERE ID > ?", TAMPERED)
    events.execute("UPDATE stored_events SET ID = 1 - ID WHERE ID < 0")
    forged = uuid.uuid4()
    originator = forged.hex if events.id == "rowid" else forged
    events.execute("INSERT INTO stored_events (ID, originator_id, originator_version, topic, "
                   "state) VALUES (?, ?, 1, ?, ?)", TAMPERED + 1, originator, topic, state)
    return TAMPERED + 1


def swap_two(events: EventTable) -> int:
    events.execute("UPDATE stored_events SET ID = -1 WHERE ID = ?", TAMPERED)
    events.execute("UPDATE stored_events SET ID = ? WHERE ID = ?", TAMPERED, TAMPERED + 3)
    events.execute("UPDATE stored_events SET ID = ? WHERE ID = -1", TAMPERED + 3)
    return TAMPERED


@pytest.mark.parametrize("tamper", [alter_one_byte, delete_one, insert_one, swap_two])
def test_verify_names_the_first_notification_id_where_the_log_was_changed(
        checkpointed: Settings, tmp_path: Path, tamper: Callable[[EventTable], int]) -> None:
    # Someone with access to the database changes the event table directly.
    changed = tamper(EventTable(checkpointed))
    # verify fails, and names the first notification id where the log diverges.
    found = accord("audit", "verify", settings=checkpointed, cwd=tmp_path)
    assert found.returncode == 1
    first_line = found.stdout.splitlines()[0]
    assert first_line.startswith(f"The log diverges at notification id {changed}: "), found.stdout
    # The events no longer match the signed checkpoint either.
    assert "checkpoint made at" in found.stdout
    assert "Error: the log does not verify" in found.stderr


def test_a_log_verifies_as_recorded_and_a_changed_one_is_not_exported(
        checkpointed: Settings, tmp_path: Path) -> None:
    # The log verifies as it was recorded.
    clean = accord("audit", "verify", settings=checkpointed, cwd=tmp_path)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "Every event, leaf, node, root and signature matches." in clean.stdout
    # Once an event is changed, the export refuses, naming it, and leaves no file behind.
    changed = alter_one_byte(EventTable(checkpointed))
    folder = tmp_path / "exports"
    folder.mkdir()
    refused = accord("audit", "export", "log.jsonl", settings=checkpointed, cwd=folder)
    assert refused.returncode == 1
    assert f"diverges from the audit record at notification id {changed}" in refused.stderr
    assert list(folder.iterdir()) == []


def test_an_export_verifies_with_the_stand_alone_verifier_and_a_changed_one_does_not(
        checkpointed: Settings, tmp_path: Path) -> None:
    exported = accord("audit", "export", "log.jsonl", settings=checkpointed, cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    lines = (tmp_path / "log.jsonl").read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    assert header["format"] == "accord-log/1"
    assert header["checkpoint"]["tree_size"] == len(lines) - 1
    event = json.loads(lines[5])
    assert set(event) == {"id", "originator_id", "originator_version", "state", "topic",
                          "leaf_hash", "event"}
    assert event["event"]["actor_id"]  # the decoded state, for people to read
    # The stand-alone verifier, with the key pinned, accepts it.
    python = sys.executable
    checked = run(python, str(VERIFIER_PATH), "log.jsonl", "--public-key",
                  header["public_key"], env={}, cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.startswith(f"OK: {len(lines) - 1} events")

    def verdict(changed_lines: list[str]) -> subprocess.CompletedProcess[str]:
        (tmp_path / "changed.jsonl").write_text("\n".join(changed_lines) + "\n",
                                                encoding="utf-8")
        return run(python, str(VERIFIER_PATH), "changed.jsonl", env={}, cwd=tmp_path)

    # One event's state changed (its stated leaf hash kept): that line is named.
    altered = dict(event, state=event["state"][:-4] + "AAA=")
    result = verdict([*lines[:5], json.dumps(altered), *lines[6:]])
    assert result.returncode == 1
    assert f"INVALID: line 6 (event {event['id']}): the leaf hash does not match" in result.stderr
    # Its leaf hash recomputed too: the root no longer matches the signed checkpoint.
    recomputed = dict(altered, leaf_hash=recompute_leaf_hash(altered))
    result = verdict([*lines[:5], json.dumps(recomputed), *lines[6:]])
    assert result.returncode == 1
    assert "the root hash of the events is not the checkpoint's" in result.stderr
    # Two events swapped, one left out, or the checkpoint's size changed: refused too.
    for changed in ([*lines[:5], lines[6], lines[5], *lines[7:]], lines[:-1],
                    [lines[0].replace('"tree_size":', '"tree_size":1'), *lines[1:]]):
        assert verdict(changed).returncode == 1


def recompute_leaf_hash(line: dict[str, Any]) -> str:
    fields = {key: line[key] for key in ("id", "originator_id", "originator_version", "state",
                                         "topic")}
    return str(verifier.hash_leaf(verifier.canonical(fields)).hex())
