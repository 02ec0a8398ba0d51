"""Who may do what, declared once as data: a table of who x action x condition.

The platform checks every use case against this table whatever the web layer already checked,
and the web layer checks every route against it; the authorisation test is generated from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from accord.domain.account import Role
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
    role: Role = Role.MEMBER

    @property
    def party(self) -> Party | None:
        """The side this account reports for, if any."""
        return self.kind.party if self.kind else None


SYSTEM = Actor(SYSTEM_ACTOR, None, OrganisationKind.STEWARD, role=Role.ADMINISTRATOR)
"""The platform itself: set-up, demo data and command-line administration."""


class Who(StrEnum):
    """The kinds of visitor the table distinguishes."""

    PUBLIC = "public"
    GOVERNMENT = "government"
    CIVIL_SOCIETY = "civil_society"
    AUDITOR = "auditor"
    STEWARD = "steward"
    REVIEWER = "reviewer"


class Action(StrEnum):
    """Everything a visitor can ask Accord to do."""

    READ_PUBLIC = "read_public"
    """Read the public pages."""
    CLAIM_STATUS = "claim_status"
    """Claim, revise and withdraw the organisation's status claims on a commitment."""
    ANSWER_GOVERNMENT_CLAIM = "answer_government_claim"
    """Endorse or challenge a government's claim (civil society)."""
    RESPOND_TO_CHALLENGE = "respond_to_challenge"
    """Answer a challenge of one of the organisation's claims (government)."""
    UPDATE_PLAN = "update_plan"
    """Claim on many commitments of one action plan in one go (government)."""
    MANAGE_OWN_ACCOUNT = "manage_own_account"
    """Change one's own password, sign out everywhere."""
    READ_DIRECTORY = "read_directory"
    """See organisations, their accounts (with names and e-mail addresses) and invitations."""
    INVITE = "invite"
    """Invite a person into an organisation."""
    MANAGE_ORGANISATIONS = "manage_organisations"
    """Register, rename, re-scope, verify, suspend and reinstate organisations."""
    MANAGE_ACCOUNTS = "manage_accounts"
    """Change roles, deactivate and reactivate accounts."""
    MANAGE_FRAMEWORKS = "manage_frameworks"
    """Define frameworks and revise their vocabularies."""
    MANAGE_COMMITMENTS = "manage_commitments"
    """Register commitments."""


class Condition(StrEnum):
    """What must hold of the thing acted on."""

    ALWAYS = "always"
    OWN_COUNTRY = "own_country"
    """The commitment is of a country the organisation reports on."""
    OWN_ORGANISATION_AS_ADMINISTRATOR = "own_organisation_as_administrator"
    """The organisation is the actor's own, and the actor is one of its administrators."""


@dataclass(frozen=True)
class Grant:
    """One row of the table: ``who`` may do ``action`` when ``condition`` holds."""

    who: Who
    action: Action
    condition: Condition


_SIGNED_IN = (Who.GOVERNMENT, Who.CIVIL_SOCIETY, Who.AUDITOR, Who.STEWARD, Who.REVIEWER)
_A = Action
_C = Condition

POLICY: tuple[Grant, ...] = (
    Grant(Who.PUBLIC, _A.READ_PUBLIC, _C.ALWAYS),
    *(Grant(who, _A.READ_PUBLIC, _C.ALWAYS) for who in _SIGNED_IN),
    *(Grant(who, _A.MANAGE_OWN_ACCOUNT, _C.ALWAYS) for who in _SIGNED_IN),
    Grant(Who.GOVERNMENT, _A.CLAIM_STATUS, _C.OWN_COUNTRY),
    Grant(Who.CIVIL_SOCIETY, _A.CLAIM_STATUS, _C.OWN_COUNTRY),
    Grant(Who.CIVIL_SOCIETY, _A.ANSWER_GOVERNMENT_CLAIM, _C.OWN_COUNTRY),
    Grant(Who.GOVERNMENT, _A.RESPOND_TO_CHALLENGE, _C.OWN_COUNTRY),
    Grant(Who.GOVERNMENT, _A.UPDATE_PLAN, _C.OWN_COUNTRY),
    Grant(Who.GOVERNMENT, _A.READ_DIRECTORY, _C.OWN_ORGANISATION_AS_ADMINISTRATOR),
    Grant(Who.CIVIL_SOCIETY, _A.READ_DIRECTORY, _C.OWN_ORGANISATION_AS_ADMINISTRATOR),
    Grant(Who.AUDITOR, _A.READ_DIRECTORY, _C.ALWAYS),
    Grant(Who.STEWARD, _A.READ_DIRECTORY, _C.ALWAYS),
    Grant(Who.GOVERNMENT, _A.INVITE, _C.OWN_ORGANISATION_AS_ADMINISTRATOR),
    Grant(Who.CIVIL_SOCIETY, _A.INVITE, _C.OWN_ORGANISATION_AS_ADMINISTRATOR),
    Grant(Who.AUDITOR, _A.INVITE, _C.OWN_ORGANISATION_AS_ADMINISTRATOR),
    Grant(Who.STEWARD, _A.INVITE, _C.ALWAYS),
    Grant(Who.STEWARD, _A.MANAGE_ORGANISATIONS, _C.ALWAYS),
    Grant(Who.STEWARD, _A.MANAGE_ACCOUNTS, _C.ALWAYS),
    Grant(Who.STEWARD, _A.MANAGE_FRAMEWORKS, _C.ALWAYS),
    Grant(Who.STEWARD, _A.MANAGE_COMMITMENTS, _C.ALWAYS),
)


@dataclass(frozen=True)
class Resource:
    """What an action is done to, as far as the conditions care."""

    country: str | None = None
    organisation_id: str | None = None


ANY = Resource()
"""Stands for "some resource": whether a route is open to the actor at all.

Recognised by identity: a resource built with nothing known (``Resource()``) is not ``ANY``
and satisfies no condition, so a thing whose country or organisation went missing is refused.
"""


def who_is(actor: Actor | None) -> Who:
    """The row of the table an actor falls under; an inactive account counts as the public."""
    if actor is None or not actor.active or actor.kind is None:
        return Who.PUBLIC
    return Who(actor.kind.value)


def permits(actor: Actor | None, action: Action, resource: Resource = ANY) -> bool:
    """Whether the table lets ``actor`` do ``action`` to ``resource``."""
    who = who_is(actor)
    return any(
        grant.who is who and grant.action is action
        and _holds(grant.condition, actor, resource)
        for grant in POLICY
    )


COUNTRY_ACTIONS = frozenset({Action.CLAIM_STATUS, Action.ANSWER_GOVERNMENT_CLAIM,
                             Action.RESPOND_TO_CHALLENGE, Action.UPDATE_PLAN})
"""Actions limited to the countries an organisation reports on."""


def authorize(actor: Actor | None, action: Action, resource: Resource = ANY) -> None:
    """Refuse with ``NotPermitted`` unless the table allows it."""
    if permits(actor, action, resource):
        return
    if actor is not None and not actor.active:
        raise NotPermitted(N_("This account or its organisation cannot act at the moment."))
    if action in COUNTRY_ACTIONS and permits(actor, action):
        raise NotPermitted(
            N_("Your organisation does not report on commitments of %(country)s."),
            country=resource.country or "",
        )
    raise NotPermitted(N_("Your account may not do this."))


def _holds(condition: Condition, actor: Actor | None, resource: Resource) -> bool:
    if condition is Condition.ALWAYS:
        return True
    assert actor is not None
    if condition is Condition.OWN_COUNTRY:
        return resource is ANY or resource.country in actor.countries
    return actor.role is Role.ADMINISTRATOR and (
        resource is ANY or resource.organisation_id == actor.organisation_id
    )


def reporting_party(actor: Actor, country: str) -> Party:
    """The party in whose name ``actor`` may claim on a commitment of ``country``, or refuse."""
    authorize(actor, Action.CLAIM_STATUS, Resource(country=country))
    assert actor.party is not None
    return actor.party
