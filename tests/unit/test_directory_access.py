"""The directory's use cases enforce the table themselves (on the in-memory event store)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from uuid import UUID

import pytest

from accord.domain.account import AccountState, Role
from accord.domain.framework import StatusDefinition
from accord.domain.organisation import OrganisationKind
from accord.platform.application import AccordApplication
from accord.platform.errors import NotPermitted
from accord.platform.policy import SYSTEM, Actor
from tests.scenario import OGP, World, build_world, claim, popo_application

UseCase = Callable[[AccordApplication, Actor, World], object]


def organisation_of(member_actor: Actor) -> UUID:
    return UUID(str(member_actor.organisation_id))


def account_of(member_actor: Actor) -> UUID:
    return UUID(member_actor.account_id)


PERIOD = {"period_start": date(2024, 1, 1), "period_end": date(2024, 6, 30)}
STATUSES = [StatusDefinition("done", "Done", "It is done.", 1, True)]

DIRECTORY_USE_CASES: dict[str, UseCase] = {
    "define a framework": lambda app, a, w: app.define_framework(
        a, "new-framework", "New", "A framework.", STATUSES),
    "register an organisation": lambda app, a, w: app.register_organisation(
        a, name="Transparencia Activa", kind=OrganisationKind.CIVIL_SOCIETY, countries=["COL"]),
    "rename an organisation": lambda app, a, w: app.rename_organisation(
        a, organisation_of(w.civil_society.actor), "Budget Watch Ghana"),
    "change an organisation's scope": lambda app, a, w: app.change_organisation_scope(
        a, organisation_of(w.civil_society.actor), ["GHA", "TGO"]),
    "verify an organisation": lambda app, a, w: app.verify_organisation(
        a, organisation_of(w.civil_society.actor)),
    "suspend an organisation": lambda app, a, w: app.suspend_organisation(
        a, organisation_of(w.civil_society.actor), "Under review."),
    "reinstate an organisation": lambda app, a, w: app.reinstate_organisation(
        a, organisation_of(w.civil_society.actor), "Cleared."),
    "invite into another organisation": lambda app, a, w: app.invite_account(
        a, organisation_id=organisation_of(w.civil_society.actor)),
    "invite into one's own organisation": lambda app, a, w: app.invite_account(
        a, organisation_id=organisation_of(a)),
    "change a role": lambda app, a, w: app.change_role(
        a, account_of(w.civil_society.actor), Role.ADMINISTRATOR),
    "deactivate an account": lambda app, a, w: app.deactivate_account(
        a, account_of(w.civil_society.actor), "Left."),
    "reactivate an account": lambda app, a, w: app.reactivate_account(
        a, account_of(w.civil_society.actor)),
    "register a commitment": lambda app, a, w: app.register_commitment(
        a, country="GHA", reference="GH0009", title="Open budgets", framework_id=OGP),
}

NON_STEWARDS = ["government", "civil_society", "other_civil_society", "foreign_government",
                "foreign_civil_society", "auditor"]


@pytest.fixture
def world() -> World:
    return build_world(popo_application())


def refused(world: World, command: Callable[[], object]) -> NotPermitted:
    """Assert that ``command`` is refused as not permitted and records nothing."""
    before = world.app.max_notification_id()
    with pytest.raises(NotPermitted) as refusal:
        command()
    assert world.app.max_notification_id() == before
    return refusal.value


def new_member(app: AccordApplication, organisation_id: UUID, role: Role) -> Actor:
    """An account invited and activated in the organisation, as the platform sees it now."""
    account_id = UUID(app.invite_account(SYSTEM, organisation_id=organisation_id, role=role).id)
    app.activate_account(account_id)
    return app.actor(account_id)


def steward(app: AccordApplication) -> Actor:
    """An administrator of a stewarding organisation."""
    stewards = app.register_organisation(SYSTEM, name="Accord stewards",
                                         kind=OrganisationKind.STEWARD, countries=[])
    return new_member(app, UUID(stewards.id), Role.ADMINISTRATOR)


@pytest.mark.parametrize("use_case", list(DIRECTORY_USE_CASES))
@pytest.mark.parametrize("who", NON_STEWARDS)
def test_every_directory_use_case_refuses_an_account_that_is_not_a_steward(
    world: World, who: str, use_case: str
) -> None:
    member = getattr(world, who).actor
    refused(world, lambda: DIRECTORY_USE_CASES[use_case](world.app, member, world))


@pytest.mark.parametrize("use_case", list(DIRECTORY_USE_CASES))
def test_every_directory_use_case_is_open_to_a_steward(world: World, use_case: str) -> None:
    steward_actor = steward(world.app)
    if use_case == "reactivate an account":
        world.app.deactivate_account(SYSTEM, account_of(world.civil_society.actor), "Left.")
    if use_case == "reinstate an organisation":
        world.app.suspend_organisation(SYSTEM, organisation_of(world.civil_society.actor), "r")
    before = world.app.max_notification_id()
    DIRECTORY_USE_CASES[use_case](world.app, steward_actor, world)
    assert world.app.max_notification_id() > before


def test_an_administrator_invites_into_their_own_organisation_only(world: World) -> None:
    app = world.app
    # The ministry's administrator invites a colleague: the event names the administrator.
    ministry = organisation_of(world.government.actor)
    administrator = new_member(app, ministry, Role.ADMINISTRATOR)
    colleague = app.invite_account(administrator, organisation_id=ministry)
    assert app.account(UUID(colleague.id)).organisation_id == ministry
    assert app.account(UUID(colleague.id)).state is AccountState.INVITED
    ((_, invited),) = app.read_events(after=colleague.position - 1, upto=colleague.position,
                                      limit=1)
    assert invited.actor_id == administrator.account_id  # type: ignore[attr-defined]
    # Inviting into the Colombian ministry, or into a watchdog, is refused.
    for other in (world.foreign_government, world.civil_society):
        refusal = refused(world, lambda other=other: app.invite_account(
            administrator, organisation_id=organisation_of(other.actor)))
        assert refusal.message == "Your account may not do this."


def test_an_administrator_manages_no_account_not_even_in_their_own_organisation(
    world: World
) -> None:
    app = world.app
    ministry = organisation_of(world.government.actor)
    administrator = new_member(app, ministry, Role.ADMINISTRATOR)
    colleague = account_of(world.government.actor)
    refused(world, lambda: app.change_role(administrator, colleague, Role.ADMINISTRATOR))
    refused(world, lambda: app.deactivate_account(administrator, colleague, "Left."))
    refused(world, lambda: app.rename_organisation(administrator, ministry, "Ministry"))


def test_a_steward_cannot_change_their_own_role_or_deactivate_themselves(world: World) -> None:
    app = world.app
    steward_actor = steward(app)
    myself = account_of(steward_actor)
    refusal = refused(world, lambda: app.deactivate_account(steward_actor, myself, "Leaving."))
    assert refusal.message == "You cannot change your own role or deactivate yourself."
    refused(world, lambda: app.change_role(steward_actor, myself, Role.MEMBER))
    assert app.actor(myself).active is True
    # Another steward can deactivate them.
    other = new_member(app, organisation_of(steward_actor), Role.ADMINISTRATOR)
    app.deactivate_account(other, myself, "Left the stewards.")
    assert app.actor(myself).active is False


def test_a_steward_cannot_suspend_their_own_organisation(world: World) -> None:
    app = world.app
    steward_actor = steward(app)
    refusal = refused(world, lambda: app.suspend_organisation(
        steward_actor, organisation_of(steward_actor), "Closing down."))
    assert refusal.message == "You cannot suspend your own organisation."
    # Any other organisation they can.
    app.suspend_organisation(steward_actor, organisation_of(world.auditor.actor), "Review.")
    assert app.actor(account_of(world.auditor.actor)).active is False


def test_a_suspended_organisations_members_can_do_nothing_until_reinstated(world: World) -> None:
    app = world.app
    ministry = organisation_of(world.government.actor)
    administrator = new_member(app, ministry, Role.ADMINISTRATOR)
    # A steward suspends the ministry.
    app.suspend_organisation(SYSTEM, ministry, "Reported as compromised.")
    member = app.actor(account_of(world.government.actor))
    administrator = app.actor(account_of(administrator))
    assert (member.active, administrator.active) == (False, False)
    # Its member cannot claim; its administrator cannot invite.
    refusal = refused(world, lambda: app.claim_status(
        member, world.commitment_id, status="limited", narrative="n", evidence=[], **PERIOD))
    assert refusal.message == "This account or its organisation cannot act at the moment."
    refused(world, lambda: app.invite_account(administrator, organisation_id=ministry))
    # Not even a steward can invite anyone into it.
    refusal = refused(world, lambda: app.invite_account(SYSTEM, organisation_id=ministry))
    assert refusal.message == "Nobody can be invited into a suspended organisation."
    # Reinstated, the member acts again.
    app.reinstate_organisation(SYSTEM, ministry, "Cleared.")
    reinstated = replace(world.government, actor=app.actor(account_of(world.government.actor)))
    assert claim(app, reinstated, world.commitment_id).position == app.max_notification_id()


def test_a_deactivated_account_can_do_nothing_but_its_colleagues_can(world: World) -> None:
    app = world.app
    app.deactivate_account(SYSTEM, account_of(world.government.actor), "Left the ministry.")
    deactivated = app.actor(account_of(world.government.actor))
    assert deactivated.active is False
    refused(world, lambda: app.claim_status(
        deactivated, world.commitment_id, status="limited", narrative="n", evidence=[], **PERIOD))
    colleague = new_member(app, organisation_of(world.government.actor), Role.MEMBER)
    assert colleague.active is True


def test_an_invited_account_that_has_not_accepted_cannot_act(world: World) -> None:
    app = world.app
    invited = app.invite_account(SYSTEM, organisation_id=organisation_of(world.government.actor))
    assert app.actor(UUID(invited.id)).active is False
