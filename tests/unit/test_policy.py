"""The table of who may do what, and the checks that read it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from accord.domain.account import Role
from accord.domain.organisation import OrganisationKind
from accord.domain.values import Party
from accord.platform.errors import NotPermitted
from accord.platform.policy import (
    ANY,
    POLICY,
    SYSTEM,
    Action,
    Actor,
    Resource,
    Who,
    authorize,
    permits,
    reporting_party,
    who_is,
)

A = Action
EVERY_ACTION = set(Action)
SIDES_ONLY = {A.CLAIM_STATUS, A.ANSWER_GOVERNMENT_CLAIM, A.RESPOND_TO_CHALLENGE, A.UPDATE_PLAN}
"""What only a government or civil society does: a steward never speaks for a side."""

EXPECTED_FOR_ADMINISTRATORS: dict[Who, set[Action]] = {
    Who.PUBLIC: {A.READ_PUBLIC},
    Who.GOVERNMENT: {A.READ_PUBLIC, A.MANAGE_OWN_ACCOUNT, A.CLAIM_STATUS, A.READ_DIRECTORY,
                     A.INVITE, A.RESPOND_TO_CHALLENGE, A.UPDATE_PLAN},
    Who.CIVIL_SOCIETY: {A.READ_PUBLIC, A.MANAGE_OWN_ACCOUNT, A.CLAIM_STATUS,
                        A.READ_DIRECTORY, A.INVITE, A.ANSWER_GOVERNMENT_CLAIM},
    Who.AUDITOR: {A.READ_PUBLIC, A.MANAGE_OWN_ACCOUNT, A.READ_DIRECTORY, A.INVITE},
    Who.STEWARD: EVERY_ACTION - SIDES_ONLY,
    Who.REVIEWER: {A.READ_PUBLIC, A.MANAGE_OWN_ACCOUNT},
}
"""The matrix an administrator of each kind of organisation sees, route by route (ANY)."""

EXPECTED_FOR_MEMBERS: dict[Who, set[Action]] = {
    Who.PUBLIC: {A.READ_PUBLIC},
    Who.GOVERNMENT: {A.READ_PUBLIC, A.MANAGE_OWN_ACCOUNT, A.CLAIM_STATUS,
                     A.RESPOND_TO_CHALLENGE, A.UPDATE_PLAN},
    Who.CIVIL_SOCIETY: {A.READ_PUBLIC, A.MANAGE_OWN_ACCOUNT, A.CLAIM_STATUS,
                        A.ANSWER_GOVERNMENT_CLAIM},
    Who.AUDITOR: {A.READ_PUBLIC, A.MANAGE_OWN_ACCOUNT, A.READ_DIRECTORY},
    Who.STEWARD: EVERY_ACTION - SIDES_ONLY,
    Who.REVIEWER: {A.READ_PUBLIC, A.MANAGE_OWN_ACCOUNT},
}
"""The same matrix for plain members: inviting and reading one's own directory need the role."""

COUNTRIES = {
    Who.GOVERNMENT: frozenset({"GHA"}),
    Who.CIVIL_SOCIETY: frozenset({"GHA", "NGA"}),
}


def account(who: Who, role: Role = Role.MEMBER, organisation_id: str = "org-1") -> Actor:
    """A signed-in account of an organisation of the kind ``who``."""
    return Actor(f"account-{who}", organisation_id, OrganisationKind(who.value),
                 COUNTRIES.get(who, frozenset()), role=role)


def actor(who: Who, role: Role = Role.MEMBER, organisation_id: str = "org-1") -> Actor | None:
    """A signed-in account of the kind ``who``, or None for the public."""
    return None if who is Who.PUBLIC else account(who, role, organisation_id)


def refusal(actor: Actor | None, action: Action, resource: Resource = ANY) -> NotPermitted:
    assert not permits(actor, action, resource)
    with pytest.raises(NotPermitted) as refused:
        authorize(actor, action, resource)
    return refused.value


# -- the table itself ----------------------------------------------------------------------------


def test_every_action_has_at_least_one_grant() -> None:
    assert {grant.action for grant in POLICY} == EVERY_ACTION


def test_each_kind_of_visitor_is_granted_each_action_at_most_once() -> None:
    pairs = [(grant.who, grant.action) for grant in POLICY]
    assert len(pairs) == len(set(pairs))


def test_no_grant_lets_a_steward_or_an_auditor_claim_a_status() -> None:
    claimants = {grant.who for grant in POLICY if grant.action is A.CLAIM_STATUS}
    assert claimants == {Who.GOVERNMENT, Who.CIVIL_SOCIETY}


def test_the_public_may_only_read_public_pages() -> None:
    assert [grant.action for grant in POLICY if grant.who is Who.PUBLIC] == [A.READ_PUBLIC]


@pytest.mark.parametrize(("role", "expected"), [
    (Role.ADMINISTRATOR, EXPECTED_FOR_ADMINISTRATORS),
    (Role.MEMBER, EXPECTED_FOR_MEMBERS),
])
@pytest.mark.parametrize("who", list(Who))
def test_what_each_kind_of_account_may_do_somewhere(
    who: Who, role: Role, expected: dict[Who, set[Action]]
) -> None:
    allowed = {action for action in Action if permits(actor(who, role), action, ANY)}
    assert allowed == expected[who]


@pytest.mark.parametrize("kind", list(OrganisationKind))
def test_an_inactive_account_counts_as_the_public(kind: OrganisationKind) -> None:
    inactive = Actor("account-1", "org-1", kind, frozenset({"GHA"}), active=False,
                     role=Role.ADMINISTRATOR)
    assert who_is(inactive) is Who.PUBLIC
    assert {action for action in Action if permits(inactive, action)} == {A.READ_PUBLIC}


def test_an_account_without_an_organisation_kind_counts_as_the_public() -> None:
    # An account that has just accepted its invitation acts only in its own name.
    holder = Actor("account-1", None, None)
    assert who_is(holder) is Who.PUBLIC
    assert who_is(None) is Who.PUBLIC


def test_the_platform_itself_manages_everything_but_claims_nothing() -> None:
    assert who_is(SYSTEM) is Who.STEWARD
    assert {action for action in Action if permits(SYSTEM, action)} == (
        EVERY_ACTION - SIDES_ONLY)


# -- conditions ----------------------------------------------------------------------------------


def test_a_government_claims_only_on_its_own_country() -> None:
    government = actor(Who.GOVERNMENT)
    assert permits(government, A.CLAIM_STATUS, Resource(country="GHA"))
    assert not permits(government, A.CLAIM_STATUS, Resource(country="COL"))
    assert not permits(government, A.CLAIM_STATUS, Resource(country=None))


def test_civil_society_claims_on_every_country_in_its_scope() -> None:
    watchdog = actor(Who.CIVIL_SOCIETY)
    assert permits(watchdog, A.CLAIM_STATUS, Resource(country="GHA"))
    assert permits(watchdog, A.CLAIM_STATUS, Resource(country="NGA"))
    assert not permits(watchdog, A.CLAIM_STATUS, Resource(country="COL"))


def test_any_resource_asks_whether_the_route_is_open_at_all() -> None:
    # A claim form is open to a government of any country; the commitment decides later.
    assert permits(actor(Who.GOVERNMENT), A.CLAIM_STATUS, ANY)
    assert not permits(actor(Who.AUDITOR, Role.ADMINISTRATOR), A.CLAIM_STATUS, ANY)
    assert not permits(actor(Who.GOVERNMENT), A.INVITE, ANY)
    assert permits(actor(Who.GOVERNMENT, Role.ADMINISTRATOR), A.INVITE, ANY)


@pytest.mark.parametrize("who", [Who.GOVERNMENT, Who.CIVIL_SOCIETY, Who.AUDITOR])
def test_an_administrator_invites_into_and_reads_only_their_own_organisation(who: Who) -> None:
    administrator = actor(who, Role.ADMINISTRATOR, organisation_id="org-1")
    for action in (A.INVITE, A.READ_DIRECTORY):
        assert permits(administrator, action, Resource(organisation_id="org-1"))
    assert not permits(administrator, A.INVITE, Resource(organisation_id="org-2"))
    assert refusal(administrator, A.INVITE, Resource(organisation_id="org-2")).message == (
        "Your account may not do this.")


@pytest.mark.parametrize("who", [Who.GOVERNMENT, Who.CIVIL_SOCIETY])
def test_a_member_who_is_not_an_administrator_cannot_invite_even_into_their_own(who: Who) -> None:
    member = actor(who, Role.MEMBER, organisation_id="org-1")
    refusal(member, A.INVITE, Resource(organisation_id="org-1"))
    refusal(member, A.READ_DIRECTORY, Resource(organisation_id="org-1"))


def test_an_auditor_reads_the_whole_directory_whatever_its_role() -> None:
    assert permits(actor(Who.AUDITOR), A.READ_DIRECTORY, Resource(organisation_id="org-2"))


def test_a_steward_invites_into_any_organisation() -> None:
    assert permits(actor(Who.STEWARD), A.INVITE, Resource(organisation_id="org-2"))


# -- refusals and their messages -------------------------------------------------------------------


def test_authorize_returns_quietly_when_the_table_allows() -> None:
    authorize(actor(Who.GOVERNMENT), A.CLAIM_STATUS, Resource(country="GHA"))
    authorize(None, A.READ_PUBLIC)


def test_claiming_on_another_country_names_that_country() -> None:
    refused = refusal(actor(Who.GOVERNMENT), A.CLAIM_STATUS, Resource(country="COL"))
    assert refused.message == "Your organisation does not report on commitments of %(country)s."
    assert refused.params == {"country": "COL"}
    assert str(refused) == "Your organisation does not report on commitments of COL."


def test_an_inactive_account_is_told_that_it_cannot_act_at_the_moment() -> None:
    inactive = replace(account(Who.GOVERNMENT), active=False)
    refused = refusal(inactive, A.CLAIM_STATUS, Resource(country="GHA"))
    assert refused.message == "This account or its organisation cannot act at the moment."
    assert refusal(replace(SYSTEM, active=False), A.MANAGE_ORGANISATIONS).message == (
        refused.message)


@pytest.mark.parametrize(("who", "action"), [
    (Who.PUBLIC, A.MANAGE_OWN_ACCOUNT),
    (Who.PUBLIC, A.CLAIM_STATUS),
    (Who.AUDITOR, A.CLAIM_STATUS),
    (Who.STEWARD, A.CLAIM_STATUS),
    (Who.GOVERNMENT, A.MANAGE_ORGANISATIONS),
    (Who.CIVIL_SOCIETY, A.MANAGE_COMMITMENTS),
    (Who.AUDITOR, A.MANAGE_ACCOUNTS),
])
def test_an_action_outside_the_table_is_refused_plainly(who: Who, action: Action) -> None:
    assert refusal(actor(who), action).message == "Your account may not do this."


def test_the_reporting_party_is_the_organisations_side() -> None:
    assert reporting_party(account(Who.GOVERNMENT), "GHA") is Party.GOVERNMENT
    assert reporting_party(account(Who.CIVIL_SOCIETY), "NGA") is Party.CIVIL_SOCIETY
    with pytest.raises(NotPermitted):
        reporting_party(SYSTEM, "GHA")
