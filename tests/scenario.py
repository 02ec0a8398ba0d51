"""A small world of organisations, accounts and commitments that tests build on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from accord.domain.account import Role
from accord.domain.framework import Framework
from accord.domain.organisation import OrganisationKind
from accord.platform.application import AccordApplication, Recorded
from accord.platform.people import PeopleStore
from accord.platform.policy import SYSTEM, Actor

OGP = Framework.create_id("ogp-irm-completion")
TI = Framework.create_id("ti-pledge-tracker")
PASSWORD = "a long test passphrase"


@dataclass(frozen=True)
class Member:
    """An account of the world, with what it may do and how it signs in."""

    actor: Actor
    email: str
    organisation_name: str


@dataclass(frozen=True)
class World:
    """Ghana's government and two civil-society groups, Colombia's government and one group,
    an auditor; one Ghanaian commitment under each framework and one Colombian commitment."""

    app: AccordApplication
    government: Member
    civil_society: Member
    other_civil_society: Member
    foreign_government: Member
    foreign_civil_society: Member
    auditor: Member
    commitment_id: UUID
    pledge_id: UUID
    foreign_commitment_id: UUID

    @property
    def members(self) -> list[Member]:
        """Every account of the world."""
        return [self.government, self.civil_society, self.other_civil_society,
                self.foreign_government, self.foreign_civil_society, self.auditor]


def build_world(app: AccordApplication, people: PeopleStore | None = None) -> World:
    """Register the world's organisations, accounts and commitments (and people, if given)."""
    app.ensure_frameworks()

    def member(key: str, name: str, kind: OrganisationKind, countries: list[str]) -> Member:
        organisation = app.register_organisation(SYSTEM, name=name, kind=kind,
                                                 countries=countries)
        account = app.invite_account(SYSTEM, organisation_id=UUID(organisation.id),
                                     role=Role.MEMBER)
        app.activate_account(UUID(account.id))
        email = f"{key}@accord.test"
        if people is not None:
            people.save(account.id, email=email, display_name=f"{name} member",
                        password=PASSWORD)
        return Member(app.actor(UUID(account.id)), email, name)

    def commitment(country: str, reference: str, framework: UUID, **fields: Any) -> UUID:
        recorded = app.register_commitment(
            SYSTEM, country=country, reference=reference, framework_id=framework,
            title=f"Commitment {reference}", **fields)
        return UUID(recorded.id)

    return World(
        app=app,
        government=member("government-gha", "Ministry of Integrity", OrganisationKind.GOVERNMENT,
                          ["GHA"]),
        civil_society=member("watch-gha", "Budget Watch", OrganisationKind.CIVIL_SOCIETY,
                             ["GHA"]),
        other_civil_society=member("ledger-gha", "Open Ledger", OrganisationKind.CIVIL_SOCIETY,
                                   ["GHA", "NGA"]),
        foreign_government=member("government-col", "Oficina de Integridad",
                                  OrganisationKind.GOVERNMENT, ["COL"]),
        foreign_civil_society=member("cuentas-col", "Cuentas Claras",
                                     OrganisationKind.CIVIL_SOCIETY, ["COL"]),
        auditor=member("auditor", "Independent Review", OrganisationKind.AUDITOR, []),
        commitment_id=commitment("GHA", "GH0001", OGP, action_plan_id="AP_GHA01",
                                 themes=["open_contracting", "public_procurement"],
                                 description="Publish every contract award."),
        pledge_id=commitment("GHA", "GH-ACS-01", TI, themes=["beneficial_ownership"]),
        foreign_commitment_id=commitment("COL", "CO0001", OGP, themes=["open_data"]),
    )


def claim(app: AccordApplication, member: Member, commitment_id: UUID, status: str = "limited",
          **overrides: Any) -> Recorded:
    """Record a claim with plausible defaults for every field not given."""
    fields: dict[str, Any] = {
        "narrative": f"{member.organisation_name} reports {status}.",
        "evidence": ["https://example.org/evidence"],
        "period_start": date(2024, 1, 1),
        "period_end": date(2024, 6, 30),
    }
    fields.update(overrides)
    return app.claim_status(member.actor, commitment_id, status=status, **fields)


def popo_application() -> AccordApplication:
    """An application on the in-memory event store."""
    return AccordApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
