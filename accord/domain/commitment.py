"""A commitment and the status claims that both sides make about it."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid5

from accord.domain.agreement import Agreement, agreement_state, current_claims
from accord.domain.base import AccordAggregate
from accord.domain.claims import Claim
from accord.domain.countries import country_code
from accord.domain.errors import (
    N_,
    ClaimAlreadyRecorded,
    ClaimNotActive,
    ClaimNotFound,
    InvalidValue,
    NotOwnClaim,
)
from accord.domain.framework import Vocabulary
from accord.domain.ids import ACCORD_NAMESPACE
from accord.domain.themes import themes as checked_themes
from accord.domain.values import (
    DESCRIPTION_MAX,
    INSTITUTION_MAX,
    NARRATIVE_MAX,
    REASON_MAX,
    TITLE_MAX,
    Party,
    ReportingPeriod,
    evidence_links,
    in_range,
    limited_text,
    required_text,
)
from accord.domain.values import reference as checked_reference


class Commitment(AccordAggregate):
    """A commitment made by a government, tracked under one status framework."""

    country: str
    action_plan_id: str | None
    reference: str
    title: str
    description: str
    themes: list[str]
    lead_institution: str
    start_date: date | None
    end_date: date | None
    framework_id: UUID
    claims: dict[str, Claim]


    def __init__(self) -> None:
        """State is set by the created event's ``apply``."""
    class Registered(AccordAggregate.Created):
        country: str
        action_plan_id: str | None
        reference: str
        title: str
        description: str
        themes: list[str]
        lead_institution: str
        start_date: str | None
        end_date: str | None
        framework_id: str

        def apply(self, aggregate: Any) -> None:
            aggregate.country = self.country
            aggregate.action_plan_id = self.action_plan_id
            aggregate.reference = self.reference
            aggregate.title = self.title
            aggregate.description = self.description
            aggregate.themes = list(self.themes)
            aggregate.lead_institution = self.lead_institution
            aggregate.start_date = _date(self.start_date)
            aggregate.end_date = _date(self.end_date)
            aggregate.framework_id = UUID(self.framework_id)
            aggregate.claims = {}

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

        def apply(self, aggregate: Any) -> None:
            claims: dict[str, Claim] = aggregate.claims
            if self.replaces is not None:
                claims[self.replaces] = claims[self.replaces].replaced(self.claim_id)
            claims[self.claim_id] = Claim(
                claim_id=self.claim_id,
                party=Party(self.party),
                organisation_id=self.organisation_id,
                account_id=self.actor_id,
                status=self.status,
                narrative=self.narrative,
                evidence=tuple(self.evidence),
                period=ReportingPeriod.parse(self.period_start, self.period_end),
                claimed_at=self.timestamp,
                replaces=self.replaces,
                revision_reason=self.revision_reason,
            )

    class ClaimWithdrawn(AccordAggregate.Event):
        """An organisation withdrew one of its claims; ``actor_id`` is the withdrawing account."""

        claim_id: str
        reason: str

        def apply(self, aggregate: Any) -> None:
            claims: dict[str, Claim] = aggregate.claims
            claims[self.claim_id] = claims[self.claim_id].withdrawn(self.timestamp, self.reason)

    @staticmethod
    def create_id(country: str, reference: str) -> UUID:
        """A commitment is identified by its country and reference, so it is registered once."""
        return uuid5(ACCORD_NAMESPACE, f"commitment:{country}:{reference.upper()}")

    @classmethod
    def register(
        cls,
        *,
        country: str,
        reference: str,
        title: str,
        framework_id: UUID,
        action_plan_id: str | None = None,
        description: str = "",
        themes: list[str] | None = None,
        lead_institution: str = "",
        start_date: date | None = None,
        end_date: date | None = None,
    ) -> Commitment:
        """Register a commitment; validates every field before anything is recorded."""
        country = country_code(country)
        ref = checked_reference(reference)
        if start_date and end_date and end_date < start_date:
            raise InvalidValue(N_("A commitment must end on or after the day it starts."),
                               field="end_date")
        commitment: Commitment = cls._create(
            cls.Registered,
            id=cls.create_id(country, ref),
            country=country,
            action_plan_id=_action_plan(action_plan_id),
            reference=ref,
            title=required_text(title, field="title", maximum=TITLE_MAX),
            description=limited_text(description, field="description", maximum=DESCRIPTION_MAX),
            themes=checked_themes(themes or []),
            lead_institution=limited_text(
                lead_institution, field="lead_institution", maximum=INSTITUTION_MAX
            ),
            start_date=_iso(start_date, "start_date"),
            end_date=_iso(end_date, "end_date"),
            framework_id=str(framework_id),
        )
        return commitment

    def claim_status(
        self,
        *,
        claim_id: str,
        party: Party,
        organisation_id: str,
        status: str,
        vocabulary: Vocabulary,
        narrative: str,
        evidence: list[str],
        period: ReportingPeriod,
        replaces: str | None = None,
        revision_reason: str | None = None,
    ) -> None:
        """Record a status claim; with ``replaces``, a revision of the organisation's claim."""
        if claim_id in self.claims:
            raise ClaimAlreadyRecorded(N_("This claim has already been recorded."))
        vocabulary.require(status)
        reason = None
        if replaces is not None:
            self._own_active_claim(replaces, organisation_id)
            reason = required_text(revision_reason or "", field="revision_reason",
                                   maximum=REASON_MAX)
        self.trigger_event(
            self.StatusClaimed,
            claim_id=claim_id,
            party=party.value,
            organisation_id=organisation_id,
            status=status,
            vocabulary_version=vocabulary.version,
            narrative=required_text(narrative, field="narrative", maximum=NARRATIVE_MAX),
            evidence=evidence_links(evidence),
            period_start=period.start.isoformat(),
            period_end=period.end.isoformat(),
            replaces=replaces,
            revision_reason=reason,
        )

    def withdraw_claim(self, *, claim_id: str, organisation_id: str, reason: str) -> None:
        """Withdraw one of the organisation's active claims, saying why."""
        self._own_active_claim(claim_id, organisation_id)
        self.trigger_event(
            self.ClaimWithdrawn,
            claim_id=claim_id,
            reason=required_text(reason, field="reason", maximum=REASON_MAX),
        )

    def current_claims(self) -> list[Claim]:
        """Each organisation's current claim."""
        return current_claims(self.claims.values())

    @property
    def agreement(self) -> Agreement:
        """Where the two sides stand now."""
        return agreement_state(self.current_claims())

    def _own_active_claim(self, claim_id: str, organisation_id: str) -> Claim:
        claim = self.claims.get(claim_id)
        if claim is None:
            raise ClaimNotFound(N_("This commitment has no such claim."), field="replaces")
        if claim.organisation_id != organisation_id:
            raise NotOwnClaim(N_("Only the organisation that made a claim may revise or "
                                 "withdraw it."))
        if not claim.active:
            raise ClaimNotActive(N_("This claim has already been withdrawn or revised."))
        return claim


def _action_plan(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    try:
        return checked_reference(value)
    except InvalidValue:
        raise InvalidValue(N_("The action plan id may use only letters, digits, '.', '_', '/' "
                              "and '-'."), field="action_plan_id") from None


def _iso(value: date | None, field: str) -> str | None:
    return None if value is None else in_range(value, field=field).isoformat()


def _date(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)
