"""The Accord application: one method per use case, over one event log."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from typing import TypeVar
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import IntegrityError

from accord.domain.account import Account, Role
from accord.domain.actor import acting_as
from accord.domain.base import AccordAggregate
from accord.domain.commitment import Commitment
from accord.domain.errors import N_, ClaimAlreadyRecorded
from accord.domain.framework import Framework, StatusDefinition, seed_frameworks
from accord.domain.organisation import Organisation, OrganisationKind
from accord.domain.values import ReportingPeriod
from accord.platform.errors import AlreadyExists, ConcurrencyConflict, NotFound
from accord.platform.permissions import SYSTEM, Actor, ensure_steward, reporting_party

A = TypeVar("A", bound=AccordAggregate)

SAVE_ATTEMPTS = 20
"""How often a change is retried when other writers keep saving the same aggregate first."""


@dataclass(frozen=True)
class Recorded:
    """What a command recorded: the id of the thing it made or changed, and the log position.

    ``position`` is the notification id of the last event recorded; a page that must show the
    change catches its projections up to it.
    """

    id: str
    position: int


class AccordApplication(Application[UUID]):
    """Registers frameworks, organisations, accounts and commitments, and records status claims."""

    name = "Accord"

    # -- set-up -------------------------------------------------------------------------------

    def ensure_frameworks(self) -> None:
        """Define the seed frameworks that are not defined yet (safe to run concurrently)."""
        for code, name, description, statuses in seed_frameworks():
            if self.exists(Framework.create_id(code)):
                continue
            with suppress(AlreadyExists):  # another process may define it at the same time
                self.define_framework(SYSTEM, code, name, description, statuses)

    def define_framework(
        self, actor: Actor, code: str, name: str, description: str,
        statuses: list[StatusDefinition],
    ) -> Recorded:
        """Define a status framework; refuse a code that is already defined."""
        ensure_steward(actor)
        with acting_as(actor.account_id):
            framework = Framework.define(code, name, description, statuses)
        return self._save_new(framework, N_("A framework with this code already exists."))

    def register_organisation(
        self, actor: Actor, *, name: str, kind: OrganisationKind, countries: list[str],
        organisation_id: UUID | None = None,
    ) -> Recorded:
        """Register an organisation and the countries it reports on."""
        ensure_steward(actor)
        with acting_as(actor.account_id):
            organisation = Organisation.register(
                name=name, kind=kind, countries=countries, organisation_id=organisation_id
            )
        return self._save_new(organisation, N_("This organisation is already registered."))

    def open_account(
        self, actor: Actor, *, organisation_id: UUID, role: Role = Role.MEMBER,
        account_id: UUID | None = None,
    ) -> Recorded:
        """Open an account in an existing organisation."""
        ensure_steward(actor)
        self._get(Organisation, organisation_id)
        with acting_as(actor.account_id):
            account = Account.open(organisation_id=organisation_id, role=role,
                                   account_id=account_id)
        return self._save_new(account, N_("This account already exists."))

    def register_commitment(
        self, actor: Actor, *, country: str, reference: str, title: str, framework_id: UUID,
        action_plan_id: str | None = None, description: str = "",
        themes: list[str] | None = None, lead_institution: str = "",
        start_date: date | None = None, end_date: date | None = None,
    ) -> Recorded:
        """Register a commitment under an existing framework."""
        ensure_steward(actor)
        self._get(Framework, framework_id)
        with acting_as(actor.account_id):
            commitment = Commitment.register(
                country=country, reference=reference, title=title, framework_id=framework_id,
                action_plan_id=action_plan_id, description=description, themes=themes,
                lead_institution=lead_institution, start_date=start_date, end_date=end_date)
        return self._save_new(
            commitment, N_("A commitment with this reference is already registered.")
        )

    # -- reporting ----------------------------------------------------------------------------

    def claim_status(
        self, actor: Actor, commitment_id: UUID, *, status: str, narrative: str,
        evidence: list[str], period_start: date, period_end: date,
        replaces: str | None = None, revision_reason: str | None = None,
        claim_id: str | None = None,
    ) -> Recorded:
        """Record a status claim in the name of the actor's organisation.

        With ``replaces``, the claim revises one of the organisation's active claims.
        ``claim_id`` makes the command idempotent: a form submitted twice records one claim.
        """
        period = ReportingPeriod(period_start, period_end)
        new_claim_id = claim_id or str(uuid4())

        def claim(commitment: Commitment) -> None:
            party = reporting_party(actor, commitment.country)
            framework = self._get(Framework, commitment.framework_id)
            assert actor.organisation_id is not None
            commitment.claim_status(
                claim_id=new_claim_id, party=party, organisation_id=actor.organisation_id,
                status=status, vocabulary=framework.current, narrative=narrative,
                evidence=evidence, period=period, replaces=replaces,
                revision_reason=revision_reason,
            )

        try:
            position = self._change(commitment_id, actor, claim)
        except ClaimAlreadyRecorded:
            # The same account submitting its form again; another account's claim id is refused.
            if self.commitment(commitment_id).claims[new_claim_id].account_id != actor.account_id:
                raise
            position = self.max_notification_id()
        return Recorded(new_claim_id, position)

    def withdraw_claim(
        self, actor: Actor, commitment_id: UUID, *, claim_id: str, reason: str
    ) -> Recorded:
        """Withdraw one of the actor's organisation's active claims, saying why."""

        def withdraw(commitment: Commitment) -> None:
            reporting_party(actor, commitment.country)
            assert actor.organisation_id is not None
            commitment.withdraw_claim(
                claim_id=claim_id, organisation_id=actor.organisation_id, reason=reason
            )

        return Recorded(claim_id, self._change(commitment_id, actor, withdraw))

    # -- queries ------------------------------------------------------------------------------

    def commitment(self, commitment_id: UUID) -> Commitment:
        """The commitment as it stands now."""
        return self._get(Commitment, commitment_id)

    def framework(self, framework_id: UUID) -> Framework:
        """The framework as it stands now."""
        return self._get(Framework, framework_id)

    def actor(self, account_id: UUID) -> Actor:
        """The account with what its organisation allows it to do."""
        account = self._get(Account, account_id)
        organisation = self._get(Organisation, account.organisation_id)
        return Actor(
            account_id=str(account.id),
            organisation_id=str(organisation.id),
            kind=organisation.kind,
            countries=frozenset(organisation.countries),
            active=account.active,
        )

    def exists(self, aggregate_id: UUID) -> bool:
        """Whether anything is recorded under this id."""
        return aggregate_id in self.repository

    def max_notification_id(self) -> int:
        """The position of the last event in the log (0 when empty)."""
        return self.recorder.max_notification_id() or 0

    def read_events(
        self, *, after: int, upto: int, limit: int, topics: Sequence[str] = ()
    ) -> list[tuple[int, DomainEventProtocol[UUID]]]:
        """Events after position ``after`` up to ``upto``, in log order, with their positions."""
        notifications = self.recorder.select_notifications(
            start=after, limit=limit, stop=upto, topics=topics, inclusive_of_start=False
        )
        return [(n.id, self.mapper.to_domain_event(n)) for n in notifications]

    # -- helpers ------------------------------------------------------------------------------

    def _get(self, kind: type[A], aggregate_id: UUID) -> A:
        aggregate: object = None
        with suppress(AggregateNotFoundError):
            aggregate = self.repository.get(aggregate_id)
        if not isinstance(aggregate, kind):
            raise NotFound(N_("No %(kind)s has this id."), kind=kind.__name__.lower())
        return aggregate

    def _save_new(self, aggregate: AccordAggregate, message: str) -> Recorded:
        try:
            recordings = self.save(aggregate)
        except IntegrityError:
            raise AlreadyExists(message) from None
        return Recorded(str(aggregate.id), recordings[-1].notification.id)

    def _change(
        self, commitment_id: UUID, actor: Actor, change: Callable[[Commitment], None]
    ) -> int:
        """Apply ``change`` to the latest version of the commitment and save it.

        A concurrent writer may save the same commitment between our read and our write; the
        event store then refuses our events (optimistic concurrency), and we start again from
        the commitment as the other writer left it, re-checking every rule.
        """
        for _ in range(SAVE_ATTEMPTS):
            commitment = self._get(Commitment, commitment_id)
            with acting_as(actor.account_id):
                change(commitment)
            try:
                recordings = self.save(commitment)
            except IntegrityError:
                continue
            return recordings[-1].notification.id
        raise ConcurrencyConflict(
            N_("Others kept changing this commitment at the same time; please try again.")
        )
