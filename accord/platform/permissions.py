"""Who may do what. The platform checks these rules whatever the web layer already checked."""

from __future__ import annotations

from dataclasses import dataclass, field

from accord.domain.actor import SYSTEM_ACTOR
from accord.domain.errors import N_
from accord.domain.organisation import OrganisationKind
from accord.domain.values import Party
from accord.platform.errors import NotPermitted


@dataclass(frozen=True)
class Actor:
    """The account on whose behalf a use case runs, with what its organisation allows."""

    account_id: str
    organisation_id: str | None
    kind: OrganisationKind | None
    countries: frozenset[str] = field(default_factory=frozenset)
    active: bool = True

    @property
    def party(self) -> Party | None:
        """The side this account reports for, if any."""
        return self.kind.party if self.kind else None


SYSTEM = Actor(SYSTEM_ACTOR, None, OrganisationKind.STEWARD)
"""The platform itself: set-up, demo data and command-line administration."""


def reporting_party(actor: Actor, country: str) -> Party:
    """The party in whose name ``actor`` may claim on a commitment of ``country``, or refuse."""
    if not actor.active:
        raise NotPermitted(N_("This account is not active."))
    party = actor.party
    if party is None or actor.organisation_id is None:
        raise NotPermitted(
            N_("Only government and civil-society organisations can claim a status.")
        )
    if country not in actor.countries:
        raise NotPermitted(
            N_("Your organisation does not report on commitments of %(country)s."),
            country=country,
        )
    return party


def ensure_steward(actor: Actor) -> None:
    """Refuse unless ``actor`` manages the platform."""
    if not actor.active or actor.kind is not OrganisationKind.STEWARD:
        raise NotPermitted(N_("Only stewards can do this."))
