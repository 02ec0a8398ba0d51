"""The Accord application: one method per use case, over one event log."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.persistence import IntegrityError

from accord.domain.account import Account
from accord.domain.actor import acting_as
from accord.domain.attachments import Attachment
from accord.domain.commitment import Commitment
from accord.domain.errors import N_, ClaimAlreadyRecorded, InvalidValue
from accord.domain.framework import Framework
from accord.domain.organisation import Organisation
from accord.domain.values import ReportingPeriod
from accord.platform.base import SAVE_ATTEMPTS, Recorded
from accord.platform.directory import Directory
from accord.platform.errors import ConcurrencyConflict
from accord.platform.policy import Action, Actor, Resource, authorize, reporting_party

__all__ = ["SAVE_ATTEMPTS", "AccordApplication", "ClaimAnswers", "Recorded"]


@dataclass(frozen=True)
class ClaimAnswers:
    """What a party answers when it claims a status (the fields of the claim form)."""

    status: str
    narrative: str
    evidence: list[str]
    period_start: date
    period_end: date
    replaces: str | None = None
    revision_reason: str | None = None
    claim_id: str | None = None
    milestone: str | None = None
    language: str = "und"
    attachments: list[Attachment] = field(default_factory=list)
    endorses: str | None = None
    challenges: str | None = None


class AccordApplication(Directory):
    """Records status claims, and everything the directory of organisations and accounts does."""

    name = "Accord"

    def claim_status(self, actor: Actor, commitment_id: UUID, **answers: Any) -> Recorded:
        """Record a status claim in the name of the actor's organisation.

        ``answers`` are those of ``ClaimAnswers``: with ``replaces`` the claim revises one of
        the organisation's active claims; with ``endorses`` or ``challenges`` it answers a
        government claim. ``claim_id`` makes the command idempotent: a form submitted twice
        records one claim.
        """
        claim = ClaimAnswers(**answers)
        claim_id = claim.claim_id or str(uuid4())
        try:
            position = self._change(Commitment, commitment_id, actor,
                                    lambda c: self._claim(actor, c, claim, claim_id)).position
        except ClaimAlreadyRecorded:
            # The same account submitting its form again; another account's claim id is refused.
            if self.commitment(commitment_id).claims[claim_id].account_id != actor.account_id:
                raise
            position = self.max_notification_id()
        return Recorded(claim_id, position)

    def check_claim(self, actor: Actor, commitment_id: UUID, **answers: Any) -> None:
        """Apply every rule of ``claim_status`` without recording anything (for a form that
        shows the answers back before they are recorded)."""
        claim = ClaimAnswers(**answers)
        commitment = self._get(Commitment, commitment_id)
        with acting_as(actor.account_id):
            self._claim(actor, commitment, claim, claim.claim_id or str(uuid4()))

    def claim_statuses(self, actor: Actor, claims: list[tuple[UUID, ClaimAnswers]]
                       ) -> Recorded:
        """Record claims on several commitments at once: all of them, or none.

        The commitments are saved in one transaction; if another writer changed one of them
        meanwhile, every rule is checked again on the new versions and all are saved again.
        """
        if not claims:
            raise InvalidValue(N_("Give a status for at least one commitment."))
        ids = [cid for cid, _ in claims]
        if len(set(ids)) != len(ids):
            raise InvalidValue(N_("Each commitment can be claimed only once in one update."))
        for _ in range(SAVE_ATTEMPTS):
            commitments = [self._get(Commitment, cid) for cid in ids]
            with acting_as(actor.account_id):
                for commitment, (_, answers) in zip(commitments, claims, strict=True):
                    self._claim(actor, commitment, answers, answers.claim_id or str(uuid4()),
                                Action.UPDATE_PLAN)
            try:
                recordings = self.save(*commitments)
            except IntegrityError:
                continue
            return Recorded(",".join(map(str, ids)), recordings[-1].notification.id)
        raise ConcurrencyConflict(
            N_("Others kept changing these commitments at the same time; please try again."))

    def respond_to_challenge(self, actor: Actor, commitment_id: UUID, *, challenge_id: str,
                             narrative: str, evidence: list[str],
                             attachments: list[Attachment] | None = None,
                             language: str = "und", response_id: str | None = None
                             ) -> Recorded:
        """Record the government's answer to a challenge of one of its claims."""
        new_id = response_id or str(uuid4())

        def respond(commitment: Commitment) -> None:
            authorize(actor, Action.RESPOND_TO_CHALLENGE, Resource(country=commitment.country))
            assert actor.organisation_id is not None
            commitment.respond(response_id=new_id, challenge_id=challenge_id,
                               organisation_id=actor.organisation_id, narrative=narrative,
                               evidence=evidence, attachments=attachments, language=language)

        return Recorded(new_id, self._change(Commitment, commitment_id, actor,
                                             respond).position)

    def _claim(self, actor: Actor, commitment: Commitment, answers: ClaimAnswers,
               claim_id: str, action: Action = Action.CLAIM_STATUS) -> None:
        party = reporting_party(actor, commitment.country)
        if answers.endorses or answers.challenges:
            action = Action.ANSWER_GOVERNMENT_CLAIM
        authorize(actor, action, Resource(country=commitment.country))
        framework = self._get(Framework, commitment.framework_id)
        assert actor.organisation_id is not None
        status = answers.status
        if answers.endorses and answers.endorses in commitment.claims:
            status = commitment.claims[answers.endorses].status  # an endorsement agrees
        commitment.claim_status(
            claim_id=claim_id, party=party, organisation_id=actor.organisation_id,
            status=status, vocabulary=framework.current, narrative=answers.narrative,
            evidence=answers.evidence, period=ReportingPeriod(answers.period_start,
                                                              answers.period_end),
            replaces=answers.replaces, revision_reason=answers.revision_reason,
            milestone=answers.milestone, language=answers.language,
            attachments=answers.attachments, endorses=answers.endorses,
            challenges=answers.challenges)

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
