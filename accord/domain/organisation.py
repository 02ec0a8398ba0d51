"""Organisations: the ministries, civil-society groups, auditors and stewards behind accounts."""

from __future__ import annotations

from enum import StrEnum
from typing import Any
from uuid import UUID, uuid4

from accord.domain.base import AccordAggregate
from accord.domain.countries import country_code
from accord.domain.errors import N_, InvalidValue
from accord.domain.values import Party, required_text


class OrganisationKind(StrEnum):
    """What an organisation is, which decides what its members may do."""

    GOVERNMENT = "government"
    CIVIL_SOCIETY = "civil_society"
    AUDITOR = "auditor"
    STEWARD = "steward"

    @property
    def party(self) -> Party | None:
        """The side this kind of organisation reports for, if it reports at all."""
        return {
            OrganisationKind.GOVERNMENT: Party.GOVERNMENT,
            OrganisationKind.CIVIL_SOCIETY: Party.CIVIL_SOCIETY,
        }.get(self)


class Organisation(AccordAggregate):
    """An organisation and the countries it may report on."""

    name: str
    kind: OrganisationKind
    countries: list[str]


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
        codes = list(dict.fromkeys(country_code(code) for code in countries))
        if kind is OrganisationKind.GOVERNMENT and len(codes) != 1:
            raise InvalidValue(N_("A government reports on exactly one country."),
                               field="countries")
        if kind is OrganisationKind.CIVIL_SOCIETY and not codes:
            raise InvalidValue(N_("A civil-society organisation reports on at least one "
                                  "country."), field="countries")
        organisation: Organisation = cls._create(
            cls.Registered,
            id=organisation_id or uuid4(),
            name=required_text(name, field="name", maximum=200),
            kind=kind.value,
            countries=codes,
        )
        return organisation
