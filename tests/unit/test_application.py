"""The use cases of the platform, on the in-memory event store."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest

from accord.domain.agreement import Agreement
from accord.domain.errors import ClaimAlreadyRecorded, ClaimNotActive, NotOwnClaim, UnknownStatus
from accord.domain.organisation import OrganisationKind
from accord.platform.application import SAVE_ATTEMPTS, AccordApplication
from accord.platform.errors import ConcurrencyConflict, NotFound, NotPermitted
from accord.platform.policy import SYSTEM, Actor
from tests.scenario import OGP, World, build_world, claim, popo_application


class RivalledApplication(AccordApplication):
    """An application in which, before a save, a rival writer may save first.

    Each rival runs as a concurrent request would: between our read of an aggregate and our
    write of it, so that the event store refuses our events.
    """

    def __init__(self) -> None:
        super().__init__(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
        self.rivals: list[Callable[[], object]] = []
        self.attempts = 0
        self._rival_saving = False

    def save(self, *objs: Any, **kwargs: Any) -> Any:
        if not self._rival_saving:
            self.attempts += 1
            if self.rivals:
                self._rival_saving = True
                try:
                    self.rivals.pop(0)()
                finally:
                    self._rival_saving = False
        return super().save(*objs, **kwargs)


@pytest.fixture
def world() -> World:
    return build_world(popo_application())


def refused(world: World, error: type[Exception], command: Callable[[], object]) -> None:
    """Assert that ``command`` is refused with ``error`` and records nothing."""
    before = world.app.max_notification_id()
    with pytest.raises(error):
        command()
    assert world.app.max_notification_id() == before


def inactive(actor: Actor) -> Actor:
    return replace(actor, active=False)


# -- claiming ----------------------------------------------------------------------------------


def test_a_government_claim_is_recorded_for_its_organisation(world: World) -> None:
    recorded = claim(world.app, world.government, world.commitment_id, "substantial")
    recorded_claim = world.app.commitment(world.commitment_id).claims[recorded.id]
    assert recorded_claim.party == "government"
    assert recorded_claim.organisation_id == world.government.actor.organisation_id
    assert recorded_claim.account_id == world.government.actor.account_id
    assert recorded_claim.status == "substantial"
    assert recorded.position == world.app.max_notification_id()


def test_a_civil_society_claim_is_recorded_for_its_organisation(world: World) -> None:
    recorded = claim(world.app, world.other_civil_society, world.commitment_id)
    recorded_claim = world.app.commitment(world.commitment_id).claims[recorded.id]
    assert recorded_claim.party == "civil_society"
    assert recorded_claim.organisation_id == world.other_civil_society.actor.organisation_id
    assert world.app.commitment(world.commitment_id).agreement is (
        Agreement.AWAITING_GOVERNMENT)


@pytest.mark.parametrize(("who", "where"), [
    ("civil_society", "foreign_commitment_id"),
    ("government", "foreign_commitment_id"),
    ("foreign_government", "commitment_id"),
    ("foreign_civil_society", "pledge_id"),
    ("auditor", "commitment_id"),
])
def test_an_account_cannot_claim_where_its_organisation_does_not_report(
    world: World, who: str, where: str
) -> None:
    member = getattr(world, who)
    refused(world, NotPermitted, lambda: claim(world.app, member, getattr(world, where)))


def test_a_steward_cannot_claim_a_status(world: World) -> None:
    # Neither the platform itself nor a member of a stewarding organisation reports.
    forum = world.app.register_organisation(SYSTEM, name="OGP forum",
                                            kind=OrganisationKind.STEWARD, countries=["GHA"])
    member = world.app.invite_account(SYSTEM, organisation_id=UUID(forum.id))
    world.app.activate_account(UUID(member.id))
    for steward in (SYSTEM, world.app.actor(UUID(member.id))):
        refused(world, NotPermitted, lambda steward=steward: world.app.claim_status(
            steward, world.commitment_id, status="limited", narrative="n", evidence=[],
            period_start=date(2024, 1, 1), period_end=date(2024, 6, 30)))


def test_an_inactive_account_can_do_nothing(world: World) -> None:
    app = world.app
    claim_id = claim(app, world.government, world.commitment_id).id
    government = replace(world.government, actor=inactive(world.government.actor))
    # Neither claim, nor revise, nor withdraw.
    refused(world, NotPermitted, lambda: claim(app, government, world.commitment_id))
    refused(world, NotPermitted, lambda: claim(app, government, world.commitment_id,
                                               replaces=claim_id, revision_reason="r"))
    refused(world, NotPermitted, lambda: app.withdraw_claim(
        government.actor, world.commitment_id, claim_id=claim_id, reason="r"))
    # A disabled steward cannot set anything up either.
    refused(world, NotPermitted, lambda: app.register_organisation(
        inactive(SYSTEM), name="Watch", kind=OrganisationKind.CIVIL_SOCIETY, countries=["GHA"]))
    refused(world, NotPermitted, lambda: app.register_commitment(
        inactive(SYSTEM), country="GHA", reference="GH0009", title="t", framework_id=OGP))


def test_only_stewards_set_up_the_platform(world: World) -> None:
    refused(world, NotPermitted, lambda: world.app.register_commitment(
        world.government.actor, country="GHA", reference="GH0009", title="t", framework_id=OGP))
    organisation_id = UUID(str(world.civil_society.actor.organisation_id))
    refused(world, NotPermitted, lambda: world.app.invite_account(
        world.civil_society.actor, organisation_id=organisation_id))


def test_an_unknown_commitment_is_not_found(world: World) -> None:
    refused(world, NotFound, lambda: claim(world.app, world.government, uuid4()))
    refused(world, NotFound, lambda: world.app.withdraw_claim(
        world.government.actor, uuid4(), claim_id="c", reason="r"))
    with pytest.raises(NotFound):
        world.app.commitment(OGP)  # a framework's id is not a commitment's


def test_a_status_from_another_framework_is_refused(world: World) -> None:
    # The pledge is tracked with TI's categories, not OGP's scale.
    refused(world, UnknownStatus, lambda: claim(world.app, world.government, world.pledge_id,
                                                "substantial"))
    assert claim(world.app, world.government, world.pledge_id, "underway").id


def test_revising_and_withdrawing_through_the_application(world: World) -> None:
    app, commitment_id = world.app, world.commitment_id
    # The ministry says "complete"; the watchdog says only "limited".
    first = claim(app, world.government, commitment_id, "complete").id
    watchdog = claim(app, world.civil_society, commitment_id, "limited").id
    assert app.commitment(commitment_id).agreement is Agreement.CONTESTED
    # The ministry revises its claim to "limited": the sides agree.
    revision = claim(app, world.government, commitment_id, "limited", replaces=first,
                     revision_reason="Only some contracts are published.").id
    commitment = app.commitment(commitment_id)
    assert commitment.claims[first].replaced_by == revision
    assert commitment.agreement is Agreement.AGREED
    # Another group cannot withdraw the watchdog's claim; the watchdog can.
    refused(world, NotOwnClaim, lambda: app.withdraw_claim(
        world.other_civil_society.actor, commitment_id, claim_id=watchdog, reason="r"))
    recorded = app.withdraw_claim(world.civil_society.actor, commitment_id,
                                  claim_id=watchdog, reason="Published too early.")
    assert recorded.position == app.max_notification_id()
    assert app.commitment(commitment_id).agreement is Agreement.AWAITING_CIVIL_SOCIETY


def test_a_claim_submitted_twice_is_recorded_once(world: World) -> None:
    # The same form is posted twice, with the same claim id.
    first = claim(world.app, world.government, world.commitment_id, claim_id="form-1")
    second = claim(world.app, world.government, world.commitment_id, claim_id="form-1")
    assert first == second
    assert list(world.app.commitment(world.commitment_id).claims) == ["form-1"]


def test_another_accounts_claim_id_is_refused_not_taken_for_a_resubmission(world: World) -> None:
    # The ministry's claim id is known to the watchdog (it is in every page's forms).
    ministry = claim(world.app, world.government, world.commitment_id, claim_id="form-1")
    # The watchdog's claim under that id is refused, not reported as recorded.
    refused(world, ClaimAlreadyRecorded, lambda: claim(
        world.app, world.civil_society, world.commitment_id, "complete", claim_id=ministry.id))
    recorded = world.app.commitment(world.commitment_id).claims["form-1"]
    assert recorded.organisation_id == world.government.actor.organisation_id


# -- concurrent writers ------------------------------------------------------------------------


def test_a_claim_is_retried_when_another_claim_was_saved_in_between() -> None:
    app = RivalledApplication()
    world = build_world(app)
    # While the ministry's claim is being saved, the watchdog's claim is saved first.
    app.rivals.append(lambda: claim(app, world.civil_society, world.commitment_id, "complete"))
    app.attempts = 0
    recorded = claim(app, world.government, world.commitment_id, "limited")
    # The ministry's save was refused once and retried on top of the watchdog's claim.
    assert app.attempts == 2
    commitment = app.commitment(world.commitment_id)
    assert {c.party for c in commitment.claims.values()} == {"government", "civil_society"}
    assert commitment.agreement is Agreement.CONTESTED
    assert recorded.position == app.max_notification_id()


def test_a_retry_checks_the_rules_again_on_the_other_writers_change() -> None:
    app = RivalledApplication()
    world = build_world(app)
    first = claim(app, world.government, world.commitment_id).id
    # The ministry revises the same claim in two tabs; the other tab saves first.
    app.rivals.append(lambda: claim(app, world.government, world.commitment_id, "complete",
                                    replaces=first, revision_reason="Finished"))
    with pytest.raises(ClaimNotActive):
        claim(app, world.government, world.commitment_id, "substantial", replaces=first,
              revision_reason="Mostly done")
    statuses = [c.status for c in app.commitment(world.commitment_id).current_claims()]
    assert statuses == ["complete"]


def test_a_claim_gives_up_after_every_attempt_is_overtaken() -> None:
    app = RivalledApplication()
    world = build_world(app)
    # Another writer saves a claim before each of the ministry's attempts.
    app.rivals.extend(
        lambda: claim(app, world.civil_society, world.commitment_id)
        for _ in range(SAVE_ATTEMPTS))
    app.attempts = 0
    with pytest.raises(ConcurrencyConflict):
        claim(app, world.government, world.commitment_id, claim_id="ministry")
    # Every rival's claim was recorded; the ministry's was not.
    assert app.attempts == SAVE_ATTEMPTS
    claims = app.commitment(world.commitment_id).claims
    assert "ministry" not in claims
    assert len(claims) == SAVE_ATTEMPTS

