"""An organisation's life once registered: renamed, re-scoped, verified, suspended, reinstated."""

from __future__ import annotations

from typing import Any

import pytest

from accord.domain.actor import acting_as
from accord.domain.errors import InvalidValue
from accord.domain.organisation import Organisation, OrganisationKind

STEWARD = "account-steward"
OTHER_STEWARD = "account-other-steward"


def registered(kind: OrganisationKind = OrganisationKind.CIVIL_SOCIETY,
               countries: list[str] | None = None) -> Organisation:
    """An organisation just registered by a steward, its registration already collected."""
    with acting_as(STEWARD):
        organisation = Organisation.register(name="Budget Watch", kind=kind,
                                             countries=countries or ["GHA"])
    organisation.collect_events()
    return organisation


def only_event(organisation: Organisation) -> Any:
    (event,) = organisation.collect_events()
    return event


def refused(organisation: Organisation, change: Any, field: str | None = None) -> InvalidValue:
    """Assert that ``change`` is refused with ``InvalidValue`` and triggers no event."""
    with acting_as(STEWARD), pytest.raises(InvalidValue) as refusal:
        change(organisation)
    assert organisation.collect_events() == []
    assert refusal.value.field == field
    return refusal.value


# -- renaming ----------------------------------------------------------------------------------


def test_renaming_records_the_new_name_and_the_steward_who_renamed() -> None:
    organisation = registered()
    with acting_as(OTHER_STEWARD):
        organisation.rename("  Budget Watch Ghana ")
    event = only_event(organisation)
    assert isinstance(event, Organisation.Renamed)
    assert event.name == "Budget Watch Ghana"
    assert event.actor_id == OTHER_STEWARD
    assert organisation.name == "Budget Watch Ghana"


@pytest.mark.parametrize("name", ["", "  ", "x" * 201])
def test_a_new_name_must_be_given_and_at_most_200_characters(name: str) -> None:
    organisation = registered()
    refused(organisation, lambda o: o.rename(name), field="name")
    assert organisation.name == "Budget Watch"


def test_renaming_to_the_same_name_is_refused_as_no_change() -> None:
    organisation = registered()
    error = refused(organisation, lambda o: o.rename(" Budget Watch "), field="name")
    assert "already has this name" in error.message


# -- scope ---------------------------------------------------------------------------------------


def test_a_civil_society_organisation_can_widen_its_scope() -> None:
    organisation = registered(countries=["GHA"])
    with acting_as(STEWARD):
        organisation.change_scope(["gha", "NGA", "NGA"])
    event = only_event(organisation)
    assert isinstance(event, Organisation.ScopeChanged)
    assert event.countries == ["GHA", "NGA"]
    assert event.actor_id == STEWARD
    assert organisation.countries == ["GHA", "NGA"]


def test_a_civil_society_organisation_keeps_at_least_one_country() -> None:
    organisation = registered(countries=["GHA", "NGA"])
    error = refused(organisation, lambda o: o.change_scope([" "]), field="countries")
    assert "at least one country" in error.message
    assert organisation.countries == ["GHA", "NGA"]


def test_a_government_moves_to_another_single_country() -> None:
    organisation = registered(OrganisationKind.GOVERNMENT, ["GHA"])
    with acting_as(STEWARD):
        organisation.change_scope(["COL"])
    assert only_event(organisation).countries == ["COL"]
    assert organisation.countries == ["COL"]


@pytest.mark.parametrize("countries", [[], ["GHA", "COL"]])
def test_a_government_keeps_exactly_one_country(countries: list[str]) -> None:
    organisation = registered(OrganisationKind.GOVERNMENT, ["GHA"])
    error = refused(organisation, lambda o: o.change_scope(countries), field="countries")
    assert "exactly one country" in error.message
    assert organisation.countries == ["GHA"]


def test_a_scope_with_an_unknown_country_code_is_refused() -> None:
    organisation = registered(countries=["GHA"])
    refused(organisation, lambda o: o.change_scope(["GHA", "XXX"]), field="country")


@pytest.mark.parametrize("countries", [["GHA", "NGA"], ["nga", "gha"], ["NGA", "GHA", "GHA"]])
def test_naming_the_same_countries_again_is_refused_as_no_change(countries: list[str]) -> None:
    organisation = registered(countries=["GHA", "NGA"])
    refused(organisation, lambda o: o.change_scope(countries), field="countries")


# -- verification ------------------------------------------------------------------------------


def test_a_steward_verifies_an_organisation_once() -> None:
    organisation = registered()
    assert organisation.verified is False
    with acting_as(STEWARD):
        organisation.verify()
    event = only_event(organisation)
    assert isinstance(event, Organisation.Verified)
    assert event.actor_id == STEWARD
    assert organisation.verified is True
    # Verifying again changes nothing, so it is refused.
    refused(organisation, lambda o: o.verify())


# -- suspension ----------------------------------------------------------------------------------


def test_suspending_and_reinstating_each_record_a_reason() -> None:
    organisation = registered()
    # A steward suspends the organisation, saying why.
    with acting_as(STEWARD):
        organisation.suspend("  Reported as impersonating a real watchdog. ")
    suspended = only_event(organisation)
    assert isinstance(suspended, Organisation.Suspended)
    assert suspended.reason == "Reported as impersonating a real watchdog."
    assert suspended.actor_id == STEWARD
    assert organisation.suspended is True
    # Another steward reinstates it, saying why.
    with acting_as(OTHER_STEWARD):
        organisation.reinstate("Identity confirmed by the registrar.")
    reinstated = only_event(organisation)
    assert isinstance(reinstated, Organisation.Reinstated)
    assert reinstated.reason == "Identity confirmed by the registrar."
    assert reinstated.actor_id == OTHER_STEWARD
    assert organisation.suspended is False


@pytest.mark.parametrize("reason", ["", "   ", "x" * 2001])
def test_a_suspension_needs_a_reason_of_at_most_2000_characters(reason: str) -> None:
    organisation = registered()
    refused(organisation, lambda o: o.suspend(reason), field="reason")
    assert organisation.suspended is False


@pytest.mark.parametrize("reason", ["", "x" * 2001])
def test_a_reinstatement_needs_a_reason_of_at_most_2000_characters(reason: str) -> None:
    organisation = registered()
    with acting_as(STEWARD):
        organisation.suspend("Under review.")
    organisation.collect_events()
    refused(organisation, lambda o: o.reinstate(reason), field="reason")
    assert organisation.suspended is True


def test_suspending_twice_and_reinstating_an_active_organisation_are_refused() -> None:
    organisation = registered()
    # An organisation that is not suspended cannot be reinstated.
    assert "not suspended" in refused(organisation, lambda o: o.reinstate("r")).message
    # Once suspended, it cannot be suspended again.
    with acting_as(STEWARD):
        organisation.suspend("Under review.")
    organisation.collect_events()
    assert "already suspended" in refused(organisation, lambda o: o.suspend("r")).message


def test_a_suspended_organisation_can_still_be_renamed_and_verified() -> None:
    # Suspension stops the members, not the stewards' care of the record.
    organisation = registered()
    with acting_as(STEWARD):
        organisation.suspend("Under review.")
        organisation.rename("Budget Watch (under review)")
        organisation.verify()
    assert organisation.suspended is True
    assert organisation.name == "Budget Watch (under review)"
    assert organisation.verified is True


def test_every_change_carries_only_the_organisations_own_fields() -> None:
    organisation = registered()
    with acting_as(STEWARD):
        organisation.rename("Budget Watch Ghana")
        organisation.change_scope(["GHA", "NGA"])
        organisation.verify()
        organisation.suspend("Under review.")
        organisation.reinstate("Cleared.")
    base = {"originator_id", "originator_version", "timestamp", "actor_id"}
    assert [set(vars(event)) - base for event in organisation.collect_events()] == [
        {"name"}, {"countries"}, set(), {"reason"}, {"reason"},
    ]


def test_the_history_replays_to_the_same_organisation() -> None:
    with acting_as(STEWARD):
        organisation = Organisation.register(name="Budget Watch",
                                             kind=OrganisationKind.CIVIL_SOCIETY,
                                             countries=["GHA"])
        organisation.change_scope(["GHA", "COL"])
        organisation.verify()
        organisation.suspend("Under review.")
    events = organisation.collect_events()
    replayed: Any = None
    for event in events:
        replayed = event.mutate(replayed)
    assert (replayed.name, replayed.countries, replayed.verified, replayed.suspended) == (
        "Budget Watch", ["GHA", "COL"], True, True)
