"""Organisations: which countries each kind reports on, and for which side."""

from __future__ import annotations

import pytest

from accord.domain.actor import acting_as
from accord.domain.errors import InvalidValue
from accord.domain.organisation import Organisation, OrganisationKind
from accord.domain.values import Party

STEWARD = "account-steward"


def register(kind: OrganisationKind, countries: list[str], name: str = "An organisation"
             ) -> Organisation:
    with acting_as(STEWARD):
        return Organisation.register(name=name, kind=kind, countries=countries)


def test_a_government_reports_on_its_one_country() -> None:
    ministry = register(OrganisationKind.GOVERNMENT, ["gha"])
    assert ministry.countries == ["GHA"]
    assert ministry.kind is OrganisationKind.GOVERNMENT


@pytest.mark.parametrize("countries", [[], ["GHA", "NGA"]])
def test_a_government_reports_on_exactly_one_country(countries: list[str]) -> None:
    with pytest.raises(InvalidValue) as refused:
        register(OrganisationKind.GOVERNMENT, countries)
    assert refused.value.field == "countries"


def test_naming_a_governments_country_twice_still_names_one_country() -> None:
    assert register(OrganisationKind.GOVERNMENT, ["GHA", " gha"]).countries == ["GHA"]


def test_civil_society_reports_on_at_least_one_country() -> None:
    with pytest.raises(InvalidValue) as refused:
        register(OrganisationKind.CIVIL_SOCIETY, [])
    assert refused.value.field == "countries"
    assert register(OrganisationKind.CIVIL_SOCIETY, ["GHA"]).countries == ["GHA"]


def test_an_international_civil_society_organisation_reports_on_several_countries() -> None:
    watchdog = register(OrganisationKind.CIVIL_SOCIETY, ["GHA", "nga", "COL", "GHA"])
    assert watchdog.countries == ["GHA", "NGA", "COL"]


@pytest.mark.parametrize("kind", [OrganisationKind.AUDITOR, OrganisationKind.STEWARD])
def test_auditors_and_stewards_need_no_country(kind: OrganisationKind) -> None:
    assert register(kind, []).countries == []


def test_a_country_that_is_not_iso_3166_alpha_3_is_refused() -> None:
    with pytest.raises(InvalidValue) as refused:
        register(OrganisationKind.CIVIL_SOCIETY, ["GHA", "GH"])
    assert refused.value.field == "country"


@pytest.mark.parametrize("name", ["", "   ", "x" * 201])
def test_an_organisation_needs_a_name_of_at_most_200_characters(name: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        register(OrganisationKind.CIVIL_SOCIETY, ["GHA"], name=name)
    assert refused.value.field == "name"


@pytest.mark.parametrize(("kind", "party"), [
    (OrganisationKind.GOVERNMENT, Party.GOVERNMENT),
    (OrganisationKind.CIVIL_SOCIETY, Party.CIVIL_SOCIETY),
    (OrganisationKind.AUDITOR, None),
    (OrganisationKind.STEWARD, None),
])
def test_each_kind_reports_for_its_party_or_none(kind: OrganisationKind,
                                                 party: Party | None) -> None:
    assert kind.party is party


def test_the_registration_event_records_the_steward_and_the_checked_countries() -> None:
    watchdog = register(OrganisationKind.CIVIL_SOCIETY, ["gha"], name="  Budget Watch ")
    (event,) = watchdog.collect_events()
    assert event.actor_id == STEWARD  # type: ignore[attr-defined]
    assert event.countries == ["GHA"]  # type: ignore[attr-defined]
    assert watchdog.name == "Budget Watch"
