"""Helpers for the account journeys: an organisation, invited people."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import func, select

from accord.domain.account import Role
from accord.domain.organisation import OrganisationKind
from accord.platform.accounts import Invitation
from accord.platform.policy import SYSTEM
from accord.platform.records import people as people_table
from accord.services import Services

GOOD_PASSWORD = "a long passphrase nobody uses"
NEW_PASSWORD = "another long passphrase, changed"


def ministry(services: Services, name: str = "Ministry of Integrity") -> UUID:
    """Register a government organisation reporting on Ghana."""
    recorded = services.app.register_organisation(
        SYSTEM, name=name, kind=OrganisationKind.GOVERNMENT, countries=["GHA"])
    return UUID(recorded.id)


def invite(services: Services, organisation_id: UUID, email: str = "ama@ministry.example",
           name: str = "Ama Mensah", role: Role = Role.MEMBER) -> Invitation:
    """A steward invites a person into the organisation."""
    return services.accounts.invite(SYSTEM, organisation_id=organisation_id, role=role,
                                    email=email, display_name=name)


def member(services: Services, organisation_id: UUID, email: str = "ama@ministry.example",
           name: str = "Ama Mensah") -> str:
    """A person invited who has accepted, with ``GOOD_PASSWORD``; returns the account id."""
    invitation = invite(services, organisation_id, email, name)
    account_id, _ = services.accounts.accept(invitation.token, display_name=name,
                                             password=GOOD_PASSWORD)
    return account_id


def people_rows(services: Services) -> int:
    """How many people the store of personal data holds."""
    with services.database.reader.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(people_table)).scalar())
