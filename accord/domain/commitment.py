"""A commitment, its milestones, and the status claims that both sides make about it."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid5

from accord.domain import commitment_rules as rules
from accord.domain.agreement import Agreement, agreement_state, current_claims
from accord.domain.attachments import Attachment
from accord.domain.attachments import attachments as checked_attachments
from accord.domain.base import AccordAggregate
from accord.domain.claims import Claim, Response
from accord.domain.errors import N_, ClaimAlreadyRecorded, InvalidValue
from accord.domain.framework import Vocabulary
from accord.domain.ids import ACCORD_NAMESPACE
from accord.domain.languages import language_code
from accord.domain.milestones import Milestone
from accord.domain.values import (
    NARRATIVE_MAX,
    REASON_MAX,
    Party,
    ReportingPeriod,
    evidence_links,
    limited_text,
    required_text,
)


class Commitment(AccordAggregate):
    """A commitment made by a government, tracked under one status framework."""

    country: str
    locality: str | None
    action_plan_id: str | None
    reference: str
    title: str
    description: str
    themes: list[str]
    lead_institution: str
    start_date: date | None
    end_date: date | None
    framework_id: UUID
    translations: dict[str, dict[str, str]]
    milestones: dict[str, Milestone]
    embedded_pledges: list[str]
    claims: dict[str, Claim]
    responses: dict[str, Response]

    def __init__(self) -> None:
        """State is set by the created event's ``apply``."""

    class Registered(AccordAggregate.Created):
        country: str
        locality: str | None
        action_plan_id: str | None
        reference: str
        title: str
        description: str
        themes: list[str]
        lead_institution: str
        start_date: str | None
        end_date: str | None
        framework_id: str
        translations: dict[str, dict[str, str]]

        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """Commitments registered before localities and translations existed had none."""
            state["locality"] = None
            state["translations"] = {}

        def apply(self, aggregate: Any) -> None:
            aggregate.country = self.country
            aggregate.framework_id = UUID(self.framework_id)
            aggregate.reference = self.reference
            aggregate.milestones = {}
            aggregate.embedded_pledges = []
            aggregate.claims = {}
            aggregate.responses = {}
            rules.apply_details(aggregate, {
                name: getattr(self, name) for name in rules.DETAIL_FIELDS})

    class DetailsRevised(AccordAggregate.Event):
        """Some details changed (by an import of newer data); ``changes`` holds the new values."""

        changes: dict[str, Any]

        def apply(self, aggregate: Any) -> None:
            rules.apply_details(aggregate, self.changes)

    class MilestoneAdded(AccordAggregate.Event):
        milestone: dict[str, Any]

        def apply(self, aggregate: Any) -> None:
            added = Milestone.from_event(self.milestone)
            aggregate.milestones[added.reference] = added

    class MilestoneRevised(AccordAggregate.Event):
        milestone: dict[str, Any]

        def apply(self, aggregate: Any) -> None:
            revised = Milestone.from_event(self.milestone)
            aggregate.milestones[revised.reference] = revised

    class PledgeEmbedded(AccordAggregate.Event):
        """A Summit pledge is carried out through this commitment."""

        pledge_id: str

        def apply(self, aggregate: Any) -> None:
            aggregate.embedded_pledges.append(self.pledge_id)

    class StatusClaimed(AccordAggregate.Event):
        """A party claimed a status; ``actor_id`` is the claiming account."""

        claim_id: str
        party: str
        organisation_id: str
        status: str
        vocabulary_version: int
        narrative: str
        evidence: list[str]
        period_start: str
        period_end: str
        replaces: str | None
        revision_reason: str | None
        milestone: str | None
        language: str
        attachments: list[dict[str, Any]]
        endorses: str | None
        challenges: str | None

        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """Claims made before milestones, languages, files and threads existed."""
            state.update(milestone=None, language="und", attachments=[], endorses=None,
                         challenges=None)

        def apply(self, aggregate: Any) -> None:
            claims: dict[str, Claim] = aggregate.claims
            if self.replaces is not None:
                claims[self.replaces] = claims[self.replaces].replaced(self.claim_id)
            claims[self.claim_id] = Claim(
                claim_id=self.claim_id, party=Party(self.party),
                organisation_id=self.organisation_id, account_id=self.actor_id,
                status=self.status, narrative=self.narrative, evidence=tuple(self.evidence),
                period=ReportingPeriod.parse(self.period_start, self.period_end),
                claimed_at=self.timestamp, replaces=self.replaces,
                revision_reason=self.revision_reason, milestone=self.milestone,
                language=self.language,
                attachments=tuple(Attachment(**item) for item in self.attachments),
                endorses=self.endorses, challenges=self.challenges,
            )

    class ClaimWithdrawn(AccordAggregate.Event):
        """An organisation withdrew one of its claims; ``actor_id`` is the withdrawing account."""

        claim_id: str
        reason: str

        def apply(self, aggregate: Any) -> None:
            claims: dict[str, Claim] = aggregate.claims
            claims[self.claim_id] = claims[self.claim_id].withdrawn(self.timestamp, self.reason)

    class ChallengeResponded(AccordAggregate.Event):
        """The government answered a civil-society challenge of its claim."""

        response_id: str
        challenge_id: str
        organisation_id: str
        narrative: str
        evidence: list[str]
        attachments: list[dict[str, Any]]
        language: str

        def apply(self, aggregate: Any) -> None:
            aggregate.responses[self.response_id] = Response(
                response_id=self.response_id, challenge_id=self.challenge_id,
                organisation_id=self.organisation_id, account_id=self.actor_id,
                narrative=self.narrative, evidence=tuple(self.evidence),
                attachments=tuple(Attachment(**item) for item in self.attachments),
                language=self.language, responded_at=self.timestamp)

    @staticmethod
    def create_id(country: str, reference: str) -> UUID:
        """A commitment is identified by its country and reference, so it is registered once."""
        return uuid5(ACCORD_NAMESPACE, f"commitment:{country}:{reference.upper()}")

    @classmethod
    def register(cls, *, country: str, reference: str, title: str, framework_id: UUID,
                 **details: Any) -> Commitment:
        """Register a commitment; every detail is validated before anything is recorded.

        Details: action_plan_id, locality, description, themes, lead_institution, start_date,
        end_date, translations (see ``commitment_rules.checked_details``).
        """
        country, ref, fields = rules.checked_registration(country, reference, title, details)
        commitment: Commitment = cls._create(
            cls.Registered, id=cls.create_id(country, ref), country=country, reference=ref,
            framework_id=str(framework_id), **fields)
        return commitment

    def revise_details(self, **details: Any) -> bool:
        """Record the details that differ from the current ones; False if none does."""
        changes = rules.changed_details(self, details)
        if changes:
            self.trigger_event(self.DetailsRevised, changes=changes)
        return bool(changes)

    def add_milestone(self, milestone: Milestone) -> None:
        """Add a milestone; its reference is new and its parent, if any, exists."""
        if milestone.reference in self.milestones:
            raise InvalidValue(N_("This commitment already has a milestone %(reference)s."),
                               field="reference", reference=milestone.reference)
        if milestone.parent is not None and milestone.parent not in self.milestones:
            raise InvalidValue(N_("There is no milestone %(reference)s to attach this one to."),
                               field="parent", reference=milestone.parent)
        self.trigger_event(self.MilestoneAdded, milestone=milestone.as_event())

    def revise_milestone(self, milestone: Milestone) -> bool:
        """Record a milestone's new texts or dates; False if nothing differs."""
        current = self.milestones.get(milestone.reference)
        if current is None:
            raise InvalidValue(N_("There is no milestone %(reference)s."), field="milestone",
                               reference=milestone.reference)
        if current == milestone:
            return False
        self.trigger_event(self.MilestoneRevised, milestone=milestone.as_event())
        return True

    def embed_pledge(self, pledge_id: UUID) -> None:
        """Record that a Summit pledge is carried out through this commitment."""
        if pledge_id == self.id:
            raise InvalidValue(N_("A commitment cannot embed itself."), field="pledge")
        if str(pledge_id) in self.embedded_pledges:
            raise InvalidValue(N_("This pledge is already linked to the commitment."),
                               field="pledge")
        self.trigger_event(self.PledgeEmbedded, pledge_id=str(pledge_id))

    def claim_status(
        self, *, claim_id: str, party: Party, organisation_id: str, status: str,
        vocabulary: Vocabulary, narrative: str, evidence: list[str], period: ReportingPeriod,
        replaces: str | None = None, revision_reason: str | None = None,
        milestone: str | None = None, language: str = "und",
        attachments: list[Attachment] | None = None, endorses: str | None = None,
        challenges: str | None = None,
    ) -> None:
        """Record a status claim: a new one, a revision (``replaces``), an endorsement or a
        challenge of a government claim."""
        if claim_id in self.claims:
            raise ClaimAlreadyRecorded(N_("This claim has already been recorded."))
        rules.check_scope(self, milestone)
        rules.check_thread(self, party, status, milestone, endorses, challenges)
        rules.check_status(vocabulary, status, party)
        reason = None
        if replaces is not None:
            rules.own_active_claim(self, replaces, organisation_id, milestone)
            reason = required_text(revision_reason or "", field="revision_reason",
                                   maximum=REASON_MAX)
        self.trigger_event(
            self.StatusClaimed, claim_id=claim_id, party=party.value,
            organisation_id=organisation_id, status=status,
            vocabulary_version=vocabulary.version,
            narrative=(limited_text if endorses else required_text)(
                narrative, field="narrative", maximum=NARRATIVE_MAX),
            evidence=evidence_links(evidence), period_start=period.start.isoformat(),
            period_end=period.end.isoformat(), replaces=replaces, revision_reason=reason,
            milestone=milestone, language=language_code(language),
            attachments=checked_attachments(attachments or []), endorses=endorses,
            challenges=challenges,
        )

    def withdraw_claim(self, *, claim_id: str, organisation_id: str, reason: str) -> None:
        """Withdraw one of the organisation's active claims, saying why."""
        claim = self.claims.get(claim_id)
        rules.own_active_claim(self, claim_id, organisation_id,
                               claim.milestone if claim else None)
        self.trigger_event(self.ClaimWithdrawn, claim_id=claim_id,
                           reason=required_text(reason, field="reason", maximum=REASON_MAX))

    def respond(self, *, response_id: str, challenge_id: str, organisation_id: str,
                narrative: str, evidence: list[str], attachments: list[Attachment] | None = None,
                language: str = "und") -> None:
        """Answer a challenge of one of the organisation's claims."""
        if response_id in self.responses:
            raise ClaimAlreadyRecorded(N_("This response has already been recorded."))
        rules.check_response(self, challenge_id, organisation_id)
        self.trigger_event(
            self.ChallengeResponded, response_id=response_id, challenge_id=challenge_id,
            organisation_id=organisation_id,
            narrative=required_text(narrative, field="narrative", maximum=NARRATIVE_MAX),
            evidence=evidence_links(evidence),
            attachments=checked_attachments(attachments or []),
            language=language_code(language))

    def current_claims(self, milestone: str | None = None) -> list[Claim]:
        """Each organisation's current claim about the commitment (or one milestone)."""
        return current_claims(c for c in self.claims.values() if c.milestone == milestone)

    def agreement_on(self, milestone: str | None = None) -> Agreement:
        """Where the two sides stand on the commitment (or one milestone)."""
        return agreement_state(self.current_claims(milestone))

    @property
    def agreement(self) -> Agreement:
        """Where the two sides stand on the commitment itself."""
        return self.agreement_on(None)
