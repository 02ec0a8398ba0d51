"""The generator of the benchmark's data set, at a tiny scale: its shape and its determinism."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from accord.domain.account import Account
from accord.domain.commitment import Commitment
from accord.domain.organisation import Organisation
from benchmarks.generate import Shape, generate
from tests.scenario import popo_application

SCALE = 0.001  # 3 countries, 30 commitments, 600 claims


def recorded(seed: int) -> list[Any]:
    """Every event the generator records with ``seed``, on the in-memory store."""
    app = popo_application()
    generate(app, SCALE, seed)
    last = app.max_notification_id()
    return [event for _, event in app.read_events(after=0, upto=last, limit=last + 1)]


def comparable(event: Any) -> tuple[Any, ...]:
    """An event without its timestamp, the one thing that differs between two runs."""
    state = {name: value for name, value in vars(event).items() if name != "timestamp"}
    return type(event).__qualname__, event.originator_id, event.originator_version, state


@pytest.fixture(scope="module")
def events() -> list[Any]:
    return recorded(seed=7)


def test_the_tiny_data_set_has_the_shape_it_is_scaled_to(events: list[Any]) -> None:
    shape = Shape.at(SCALE)
    kinds = Counter(type(event).__qualname__ for event in events)
    assert (shape.countries, shape.commitments, shape.claims) == (3, 30, 600)
    assert kinds["Commitment.Registered"] == shape.commitments
    assert kinds["Commitment.StatusClaimed"] == shape.claims
    countries = {e.country for e in events if isinstance(e, Commitment.Registered)}
    assert len(countries) == shape.countries
    governments = [e for e in events if isinstance(e, Organisation.Registered)
                   and e.kind == "government"]
    assert len(governments) == shape.countries
    assert kinds["ActionPlan.Registered"] >= 2 * shape.countries
    # Withdrawals and responses come on top of the claims, in smaller numbers.
    assert 0 < kinds["Commitment.ClaimWithdrawn"] < kinds["Commitment.StatusClaimed"] / 10
    assert 0 < kinds["Commitment.ChallengeResponded"] < kinds["Commitment.StatusClaimed"] / 4


def test_claims_come_in_every_kind_from_both_sides(events: list[Any]) -> None:
    claims = [e for e in events if isinstance(e, Commitment.StatusClaimed)]
    parties = Counter(claim.party for claim in claims)
    assert parties["government"] > parties["independent_reviewer"] > 0
    assert parties["civil_society"] > parties["independent_reviewer"]
    assert sum(1 for c in claims if c.endorses) > 0
    assert sum(1 for c in claims if c.challenges) > 0
    assert sum(1 for c in claims if c.replaces) > 0
    assert sum(1 for c in claims if c.milestone) > 0
    frameworks = {e.framework_id for e in events if isinstance(e, Commitment.Registered)}
    assert len(frameworks) == 2  # OGP commitments and Summit pledges


def test_every_claim_is_made_by_an_account_of_the_claiming_organisation(
        events: list[Any]) -> None:
    members = {str(e.originator_id): e.organisation_id for e in events
               if isinstance(e, Account.Invited)}
    claims = [e for e in events if isinstance(e, Commitment.StatusClaimed)]
    assert all(members[claim.actor_id] == claim.organisation_id for claim in claims)
    registrations = [e for e in events if isinstance(e, Commitment.Registered)]
    assert {e.actor_id for e in registrations} == {"system"}


def test_the_same_seed_gives_the_same_data_set_and_another_seed_another(
        events: list[Any]) -> None:
    assert [comparable(e) for e in recorded(seed=7)] == [comparable(e) for e in events]
    assert [comparable(e) for e in recorded(seed=8)] != [comparable(e) for e in events]
