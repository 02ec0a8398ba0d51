"""The Accord application: one method per use case, over one event log."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from accord.domain.account import Account
from accord.domain.commitment import Commitment
from accord.domain.errors import ClaimAlreadyRecorded
from accord.domain.framework import Framework
from accord.domain.organisation import Organisation
from accord.domain.values import ReportingPeriod
from accord.platform.base import SAVE_ATTEMPTS, Recorded
from accord.platform.directory import Directory
from accord.platform.policy import Actor, reporting_party

__all__ = ["SAVE_ATTEMPTS", "AccordApplication", "Recorded"]


class AccordApplication(Directory):
    """Records status claims, and everything the directory of organisations and accounts does."""

    name = "Accord"

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
            position = self._change(Commitment, commitment_id, actor, claim).position
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

        position = self._change(Commitment, commitment_id, actor, withdraw).position
        return Recorded(claim_id, position)

    # -- queries ------------------------------------------------------------------------------

    def commitment(self, commitment_id: UUID) -> Commitment:
        """The commitment as it stands now."""
        return self._get(Commitment, commitment_id)

    def framework(self, framework_id: UUID) -> Framework:
        """The framework as it stands now."""
        return self._get(Framework, framework_id)

    def account(self, account_id: UUID) -> Account:
        """The account as it stands now."""
        return self._get(Account, account_id)

    def actor(self, account_id: UUID) -> Actor:
        """The account with what its organisation allows it to do, as of now.

        An account is active only while it is activated and not deactivated, and its
        organisation is not suspended.
        """
        account = self._get(Account, account_id)
        organisation = self._get(Organisation, account.organisation_id)
        return Actor(
            account_id=str(account.id),
            organisation_id=str(organisation.id),
            kind=organisation.kind,
            countries=frozenset(organisation.countries),
            active=account.active and not organisation.suspended,
            role=account.role,
        )
