"""One commitment's reporting over the years, for the generated data set.

Each reporting round (half a year) the government assesses itself, civil-society
organisations write shadow reports, endorse or challenge the government's claim, the
government answers some challenges, the independent reviewer rates some commitments, and now
and then a party revises or withdraws what it said. Every claim goes through the commitment's
own methods, inside ``acting_as`` one of the claiming organisation's accounts.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta
from uuid import UUID

from accord.domain.actor import SYSTEM_ACTOR, acting_as
from accord.domain.commitment import Commitment
from accord.domain.framework import Framework, Vocabulary
from accord.domain.values import Party, ReportingPeriod
from benchmarks import vocabulary as words

PROGRESS = {
    "ogp-irm-completion": (["not_started", "limited", "substantial", "complete"],
                           ["no_evidence", "withdrawn"]),
    "ti-pledge-tracker": (["no_data", "inactive", "underway", "ongoing", "complete"],
                          ["overdue", "dropped"]),
}
"""Per framework: the statuses a commitment goes through in order, and the occasional others."""

ACTIONS = {"self-assessment": 32, "shadow report": 20, "endorsement": 16, "challenge": 12,
           "government revision": 4, "civil-society revision": 4, "reviewer rating": 3}
"""How often each kind of claim is made, where it can be."""

WITHDRAWN = 0.02
"""The share of claims withdrawn by their organisation soon after they are made."""
ANSWERED = 0.5
"""The share of challenges the government responds to."""


@dataclass(frozen=True)
class Member:
    """An organisation and its accounts."""

    organisation_id: str
    accounts: list[str]
    countries: list[str]
    party: Party | None


class Reporter:
    """Makes exactly ``budget`` status claims on one commitment, a few per round."""

    def __init__(self, commitment: Commitment, government: Member, civil_society: list[Member],
                 reviewer: Member, vocabulary: Vocabulary, budget: int, rng: random.Random
                 ) -> None:
        self.commitment, self.vocabulary, self.rng = commitment, vocabulary, rng
        self.government, self.civil_society, self.reviewer = government, civil_society, reviewer
        self.remaining = budget
        self.round = 0
        self.ogp = commitment.framework_id == Framework.create_id("ogp-irm-completion")
        self.steps, self.others = PROGRESS["ogp-irm-completion" if self.ogp
                                           else "ti-pledge-tracker"]
        self.claims_by: dict[tuple[str, str | None], list[str]] = {}
        start = commitment.start_date or date(2016, 1, 1)
        self.first = date(start.year, 1 if start.month < 7 else 7, 1)
        self.institution = commitment.lead_institution or "government"

    def play_round(self) -> None:
        """This round's claims, and now and then a revision of the commitment's details."""
        rng = self.rng
        if self.round == 2 and self.commitment.end_date and rng.random() < 0.03:
            with acting_as(SYSTEM_ACTOR):
                self.commitment.revise_details(
                    end_date=self.commitment.end_date + timedelta(days=183))
        if self.round == 3 and self.commitment.milestones and rng.random() < 0.05:
            self._postpone_milestone()
        for _ in range(min(self.remaining, rng.choice([1, 1, 2, 2, 3, 4]))):
            self._claim()
        self.round += 1

    def _claim(self) -> None:
        rng = self.rng
        scope = None
        if self.commitment.milestones and rng.random() < 0.3:
            scope = rng.choice(sorted(self.commitment.milestones))
        cso = rng.choice(self.civil_society)
        target = self._active(self.government, scope)
        possible = {"self-assessment", "shadow report"}
        if target:
            possible |= {"endorsement", "challenge", "government revision"}
        if self._active(cso, scope):
            possible.add("civil-society revision")
        if self.ogp and scope is None:
            possible.add("reviewer rating")
        kinds = [kind for kind in ACTIONS if kind in possible]
        kind = rng.choices(kinds, [ACTIONS[k] for k in kinds])[0]
        member = {"self-assessment": self.government, "government revision": self.government,
                  "reviewer rating": self.reviewer}.get(kind, cso)
        claim_id = self._make(kind, member, scope, target)
        self.remaining -= 1
        if kind == "challenge" and rng.random() < ANSWERED:
            self._respond(claim_id)
        elif rng.random() < WITHDRAWN:
            self._withdraw(member, claim_id)

    def _make(self, kind: str, member: Member, scope: str | None, target: str | None) -> str:
        rng = self.rng
        claim_id = str(UUID(int=rng.getrandbits(128), version=4))
        replaces = self._active(member, scope) if kind.endswith("revision") else None
        endorses = target if kind == "endorsement" else None
        challenges = target if kind == "challenge" else None
        if endorses:
            status = self.commitment.claims[endorses].status
            narrative = rng.choice(words.ENDORSEMENTS)
        elif challenges:
            status = self._other_status(self.commitment.claims[challenges].status)
            narrative = rng.choice(words.CHALLENGES).format(
                activity=words.activity(rng, self.institution))
        else:
            status = self._status(member.party)
            narrative = words.narrative(rng, self.institution)
        assert member.party is not None
        with acting_as(rng.choice(member.accounts)):
            self.commitment.claim_status(
                claim_id=claim_id, party=member.party, organisation_id=member.organisation_id,
                status=status, vocabulary=self.vocabulary, narrative=narrative,
                evidence=words.evidence(rng, self.commitment.country), period=self._period(),
                replaces=replaces,
                revision_reason=rng.choice(words.REVISION_REASONS) if replaces else None,
                milestone=scope, language="en", endorses=endorses, challenges=challenges)
        self.claims_by.setdefault((member.organisation_id, scope), []).append(claim_id)
        return claim_id

    def _respond(self, challenge_id: str) -> None:
        with acting_as(self.rng.choice(self.government.accounts)):
            self.commitment.respond(
                response_id=str(UUID(int=self.rng.getrandbits(128), version=4)),
                challenge_id=challenge_id, organisation_id=self.government.organisation_id,
                narrative=self.rng.choice(words.RESPONSES), evidence=[], language="en")

    def _withdraw(self, member: Member, claim_id: str) -> None:
        with acting_as(self.rng.choice(member.accounts)):
            self.commitment.withdraw_claim(claim_id=claim_id,
                                           organisation_id=member.organisation_id,
                                           reason=self.rng.choice(words.WITHDRAWAL_REASONS))

    def _active(self, member: Member, scope: str | None) -> str | None:
        """The organisation's latest claim in this scope that is still active."""
        for claim_id in reversed(self.claims_by.get((member.organisation_id, scope), [])):
            if self.commitment.claims[claim_id].active:
                return claim_id
        return None

    def _status(self, party: Party | None) -> str:
        rng = self.rng
        if party is Party.INDEPENDENT_REVIEWER:
            return rng.choice([*self.steps, "unclear", "no_evidence"])
        if rng.random() < 0.03:
            return rng.choice(self.others)
        behind = 1 if party is Party.CIVIL_SOCIETY and rng.random() < 0.3 else 0
        level = self.round // 2 + rng.choice([-1, 0, 0, 1]) - behind
        return self.steps[max(0, min(len(self.steps) - 1, level))]

    def _other_status(self, status: str) -> str:
        """A challenge's status: usually one step behind the government's."""
        level = self.steps.index(status) if status in self.steps else 1
        return self.steps[level - 1] if level > 0 else self.steps[level + 1]

    def _period(self) -> ReportingPeriod:
        """The half-year of this round, never one that has not ended yet."""
        today = date.today()
        months = 6 * self.round
        while months > 0 and _month(self.first, months + 6) > today:
            months -= 6
        return ReportingPeriod(_month(self.first, months),
                               _month(self.first, months + 6) - timedelta(days=1))

    def _postpone_milestone(self) -> None:
        reference = self.rng.choice(sorted(self.commitment.milestones))
        current = self.commitment.milestones[reference]
        if current.due_date is not None:
            with acting_as(SYSTEM_ACTOR):
                self.commitment.revise_milestone(
                    replace(current, due_date=current.due_date + timedelta(days=90)))


def _month(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)
