"""An aggregate's history read from the event log: what each event changed, field by field,
computed by folding the aggregate's earlier events (on the in-memory store)."""

from __future__ import annotations

from datetime import UTC, date
from uuid import UUID, uuid4

import pytest

from accord.domain.actor import SYSTEM_ACTOR, acting_as
from accord.domain.milestones import Milestone
from accord.platform.errors import NotFound
from accord.platform.history import FieldChange, aggregate_history
from accord.platform.policy import SYSTEM
from tests.scenario import build_world, popo_application


def test_an_accounts_states_follow_from_its_earlier_events() -> None:
    app = popo_application()
    world = build_world(app)
    account_id = UUID(world.government.actor.account_id)
    # deactivated, then let in again: it goes back to the state it had before
    app.deactivate_account(SYSTEM, account_id, "On leave.")
    app.reactivate_account(SYSTEM, account_id)
    history = aggregate_history(app, account_id, "account")
    assert history.kind == "account"
    assert [entry.kind for entry in history.entries] == [
        "account_invited", "account_activated", "account_deactivated", "account_reactivated"]
    invited, activated, deactivated, reactivated = history.entries
    assert FieldChange("state", None, "invited") in invited.changes
    assert activated.changes == (FieldChange("state", "invited", "active"),)
    assert deactivated.changes == (FieldChange("state", "active", "deactivated"),)
    assert deactivated.reason == "On leave."
    assert reactivated.changes == (FieldChange("state", "deactivated", "active"),)
    assert reactivated.reason is None
    # every event names the acting account (the person accepted the invitation themselves)
    # and its time, in UTC
    assert [entry.actor_id for entry in history.entries] == [
        SYSTEM_ACTOR, str(account_id), SYSTEM_ACTOR, SYSTEM_ACTOR]
    assert all(entry.timestamp.tzinfo is UTC for entry in history.entries)
    # the in-memory store cannot say the events' positions cheaply
    assert [entry.position for entry in history.entries] == [None] * 4


def test_a_revised_milestone_shows_only_what_differs_from_the_milestone_before() -> None:
    app = popo_application()
    world = build_world(app)
    app.add_milestone(SYSTEM, world.commitment_id, Milestone("M1", "Draft the law"))
    commitment = app.commitment(world.commitment_id)
    with acting_as(SYSTEM_ACTOR):
        commitment.revise_milestone(Milestone("M1", "Draft the law", due_date=date(2025, 3, 31)))
    app.save(commitment)
    history = aggregate_history(app, world.commitment_id, "commitment")
    added, revised = history.entries[-2:]
    assert (added.kind, added.subject) == ("milestone_added", "M1")
    assert FieldChange("title", None, "Draft the law") in added.changes
    assert (revised.kind, revised.subject) == ("milestone_revised", "M1")
    assert revised.changes == (FieldChange("due_date", None, "2025-03-31"),)


def test_an_organisations_verification_and_scope_are_changes_of_its_fields() -> None:
    app = popo_application()
    world = build_world(app)
    organisation_id = UUID(world.other_civil_society.actor.organisation_id)
    app.verify_organisation(SYSTEM, organisation_id)
    app.change_organisation_scope(SYSTEM, organisation_id, ["GHA"])
    entries = aggregate_history(app, organisation_id).entries
    assert entries[1].changes == (FieldChange("verified", False, True),)
    assert entries[2].changes == (FieldChange("countries", ["GHA", "NGA"], ["GHA"]),)


def test_an_id_of_another_kind_or_of_nothing_is_not_found() -> None:
    app = popo_application()
    world = build_world(app)
    with pytest.raises(NotFound):
        aggregate_history(app, UUID(world.government.actor.account_id), "commitment")
    with pytest.raises(NotFound):
        aggregate_history(app, uuid4())
