"""Status claims: what one party says about a commitment's progress, with its evidence."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from accord.domain.attachments import Attachment
from accord.domain.values import Party, ReportingPeriod


@dataclass(frozen=True)
class Claim:
    """One status claim as recorded, with what happened to it since.

    A claim is about the commitment or, with ``milestone``, about one of its milestones. A
    civil-society claim may ``endorse`` a government claim (same status) or ``challenge`` it
    (another status, with its own evidence).
    """

    claim_id: str
    party: Party
    organisation_id: str
    account_id: str
    status: str
    narrative: str
    evidence: tuple[str, ...]
    period: ReportingPeriod
    claimed_at: datetime
    replaces: str | None = None
    revision_reason: str | None = None
    replaced_by: str | None = None
    withdrawn_at: datetime | None = None
    withdrawal_reason: str | None = None
    milestone: str | None = None
    language: str = "und"
    attachments: tuple[Attachment, ...] = ()
    endorses: str | None = None
    challenges: str | None = None

    @property
    def active(self) -> bool:
        """Neither withdrawn nor replaced by a revision."""
        return self.withdrawn_at is None and self.replaced_by is None

    def replaced(self, by_claim_id: str) -> Claim:
        """This claim, superseded by the revision ``by_claim_id``."""
        return replace(self, replaced_by=by_claim_id)

    def withdrawn(self, at: datetime, reason: str) -> Claim:
        """This claim, withdrawn by its organisation."""
        return replace(self, withdrawn_at=at, withdrawal_reason=reason)


@dataclass(frozen=True)
class Response:
    """A government's answer to a civil-society challenge of its claim."""

    response_id: str
    challenge_id: str
    organisation_id: str
    account_id: str
    narrative: str
    evidence: tuple[str, ...]
    attachments: tuple[Attachment, ...]
    language: str
    responded_at: datetime
