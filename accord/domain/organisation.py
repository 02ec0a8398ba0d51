"""Organisations: the ministries, civil-society groups, auditors and stewards behind accounts."""

from __future__ import annotations

from enum import StrEnum
from typing import Any
from uuid import UUID, uuid4

from accord.domain.base import AccordAggregate
from accord.domain.countries import country_code
from accord.domain.errors import N_, InvalidValue
from accord.domain.values import REASON_MAX, Party, required_text

NAME_MAX = 200


class OrganisationKind(StrEnum):
    """What an organisation is, which decides what its members may do."""

    GOVERNMENT = "government"
    CIVIL_SOCIETY = "civil_society"
    AUDITOR = "auditor"
    STEWARD = "steward"
    REVIEWER = "reviewer"
    """An independent reviewer, such as the OGP's Independent Reporting Mechanism."""

    @property
    def party(self) -> Party | None:
        """The party this kind of organisation reports as, if it reports at all."""
        return {
            OrganisationKind.GOVERNMENT: Party.GOVERNMENT,
            OrganisationKind.CIVIL_SOCIETY: Party.CIVIL_SOCIETY,
            OrganisationKind.REVIEWER: Party.INDEPENDENT_REVIEWER,
        }.get(self)


class Organisation(AccordAggregate):
    """An organisation, the countries it may report on, and whether a steward vouches for it."""

    name: str
    kind: OrganisationKind
    countries: list[str]
    verified: bool
    suspended: bool

    def __init__(self) -> None:
        """State is set by the created event's ``apply``."""

    class Registered(AccordAggregate.Created):
        name: str
        kind: str
        countries: list[str]

        def apply(self, aggregate: Any) -> None:
            aggregate.name = self.name
            aggregate.kind = OrganisationKind(self.kind)
            aggregate.countries = list(self.countries)
            aggregate.verified = False
            aggregate.suspended = False

    class Renamed(AccordAggregate.Event):
        name: str

        def apply(self, aggregate: Any) -> None:
            aggregate.name = self.name

    class ScopeChanged(AccordAggregate.Event):
        countries: list[str]

        def apply(self, aggregate: Any) -> None:
            aggregate.countries = list(self.countries)

    class Verified(AccordAggregate.Event):
        def apply(self, aggregate: Any) -> None:
            aggregate.verified = True

    class Suspended(AccordAggregate.Event):
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.suspended = True

    class Reinstated(AccordAggregate.Event):
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.suspended = False

    @classmethod
    def register(
        cls,
        *,
        name: str,
        kind: OrganisationKind,
        countries: list[str],
        organisation_id: UUID | None = None,
    ) -> Organisation:
        """Register an organisation; a government reports on exactly one country."""
        organisation: Organisation = cls._create(
            cls.Registered,
            id=organisation_id or uuid4(),
            name=required_text(name, field="name", maximum=NAME_MAX),
            kind=kind.value,
            countries=scope(kind, countries),
        )
        return organisation

    def rename(self, name: str) -> None:
        """Give the organisation a new name."""
        new_name = required_text(name, field="name", maximum=NAME_MAX)
        if new_name == self.name:
            raise InvalidValue(N_("The organisation already has this name."), field="name")
        self.trigger_event(self.Renamed, name=new_name)

    def change_scope(self, countries: list[str]) -> None:
        """Change the countries the organisation may report on."""
        codes = scope(self.kind, countries)
        if set(codes) == set(self.countries):  # a scope is a set: reordering changes nothing
            raise InvalidValue(N_("The organisation already reports on these countries."),
                               field="countries")
        self.trigger_event(self.ScopeChanged, countries=codes)

    def verify(self) -> None:
        """Record that a steward vouches for the organisation."""
        if self.verified:
            raise InvalidValue(N_("The organisation is already verified."))
        self.trigger_event(self.Verified)

    def suspend(self, reason: str) -> None:
        """Stop every member from doing anything; existing claims stay visible."""
        if self.suspended:
            raise InvalidValue(N_("The organisation is already suspended."))
        self.trigger_event(self.Suspended,
                           reason=required_text(reason, field="reason", maximum=REASON_MAX))

    def reinstate(self, reason: str) -> None:
        """Lift a suspension."""
        if not self.suspended:
            raise InvalidValue(N_("The organisation is not suspended."))
        self.trigger_event(self.Reinstated,
                           reason=required_text(reason, field="reason", maximum=REASON_MAX))


def scope(kind: OrganisationKind, countries: list[str]) -> list[str]:
    """The countries an organisation of ``kind`` may report on, validated and without repeats."""
    codes = list(dict.fromkeys(country_code(code) for code in countries if code.strip()))
    if kind is OrganisationKind.GOVERNMENT and len(codes) != 1:
        raise InvalidValue(N_("A government reports on exactly one country."), field="countries")
    if kind is OrganisationKind.CIVIL_SOCIETY and not codes:
        raise InvalidValue(N_("A civil-society organisation reports on at least one country."),
                           field="countries")
    return codes
