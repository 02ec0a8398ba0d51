"""The answers of the bulk update of a plan: one period, and a status and note per commitment.

The answers travel as a plain JSON object, the server-side draft, from the table to the
check-your-answers page and on to the one submission that records every claim or none.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any
from uuid import UUID, uuid4

from flask_babel import gettext as _

from accord.domain.errors import InvalidValue
from accord.domain.values import NARRATIVE_MAX, ReportingPeriod
from accord.platform.application import ClaimAnswers
from accord.projections.plan_queries import PlanCommitment
from accord.web.context import services
from accord.web.i18n import error_message

StatusChoice = tuple[str, str]
"""A status offered in a row's list: its code and label."""


def draft_key(plan_id: str) -> str:
    """The purpose under which an account's draft update of this plan is kept."""
    return f"plan-update:{plan_id.upper()}"


def claimable_statuses(framework_ids: Iterable[str]) -> dict[str, list[StatusChoice]]:
    """Per framework, the statuses of its current vocabulary that a party may claim.

    The platform knows which ratings only an independent reviewer gives; the read model
    does not, so the vocabulary is read from the framework itself.
    """
    choices: dict[str, list[StatusChoice]] = {}
    for framework_id in sorted(set(framework_ids)):
        vocabulary = services().app.framework(UUID(framework_id)).current
        choices[framework_id] = [(status.code, status.label) for status in vocabulary.statuses
                                 if status.claimable]
    return choices


@dataclass
class RowAnswer:
    """What was answered for one commitment; an empty status means "no change"."""

    status: str = ""
    note: str = ""
    claim_id: str = ""


@dataclass
class PlanUpdate:
    """The answers of the whole table."""

    period_start: str = ""
    period_end: str = ""
    rows: dict[str, RowAnswer] = field(default_factory=dict)

    @classmethod
    def from_form(cls, form: Mapping[str, str], commitments: list[PlanCommitment],
                  earlier: PlanUpdate | None = None) -> PlanUpdate:
        """The answers as sent from the table; a row keeps the claim id the draft gave it,
        so that submitting the same answers twice records them once."""
        rows = {}
        for commitment in commitments:
            cid = commitment.commitment_id
            status = form.get(f"status-{cid}", "").strip()[:60]
            # Browsers send a textarea's line breaks as CRLF; paragraphs are split on LF.
            note = form.get(f"note-{cid}", "").replace("\r\n", "\n")[:NARRATIVE_MAX + 1_000]
            if status or note.strip():
                before = earlier.rows.get(cid) if earlier else None
                rows[cid] = RowAnswer(status, note,
                                      before.claim_id if before else str(uuid4()))
        return cls(form.get("period_start", "").strip()[:40],
                   form.get("period_end", "").strip()[:40], rows)

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> PlanUpdate:
        """The answers as the draft keeps them."""
        rows = payload.get("rows")
        return cls(
            str(payload.get("period_start", "")), str(payload.get("period_end", "")),
            {str(cid): RowAnswer(str(row.get("status", "")), str(row.get("note", "")),
                                 str(row.get("claim_id", "")))
             for cid, row in (rows.items() if isinstance(rows, dict) else [])
             if isinstance(row, dict)})

    def payload(self) -> dict[str, Any]:
        """The answers as a JSON object, for the draft."""
        return asdict(self)

    def fingerprint(self) -> str:
        """A digest of the answers: the check page confirms exactly the answers it showed."""
        text = json.dumps(self.payload(), sort_keys=True, ensure_ascii=True)
        return hashlib.sha256(text.encode("ascii")).hexdigest()

    def row(self, commitment_id: str) -> RowAnswer:
        """The answer for one commitment (empty when it was left unchanged)."""
        return self.rows.get(commitment_id) or RowAnswer()

    def claimed(self, commitments: list[PlanCommitment]) -> list[PlanCommitment]:
        """The plan's commitments that get a new status, in the plan's order."""
        return [c for c in commitments if self.row(c.commitment_id).status]

    def period(self) -> ReportingPeriod | None:
        """The reporting period, or None while it is not valid."""
        try:
            return ReportingPeriod(date.fromisoformat(self.period_start),
                                   date.fromisoformat(self.period_end))
        except (ValueError, InvalidValue):
            return None

    def errors(self, commitments: list[PlanCommitment],
               choices: Mapping[str, list[StatusChoice]]) -> dict[str, str]:
        """Field id to message, in the order of the page; empty when every answer is valid."""
        errors = self._period_errors()
        for commitment in commitments:
            offered = {code for code, _label in choices.get(commitment.framework_id, [])}
            errors.update(_row_errors(commitment, self.row(commitment.commitment_id), offered))
        if commitments and not self.claimed(commitments):
            errors.setdefault(f"status-{commitments[0].commitment_id}", _(
                "Choose a new status for at least one commitment."))
        return errors

    def _period_errors(self) -> dict[str, str]:
        errors: dict[str, str] = {}
        start, end = _day(self.period_start), _day(self.period_end)
        if not self.period_start:
            errors["period_start"] = _("Enter the first day of the reporting period.")
        elif start is None:
            errors["period_start"] = _("The first day of the reporting period must be a real "
                                       "date, such as 2024-01-31.")
        if not self.period_end:
            errors["period_end"] = _("Enter the last day of the reporting period.")
        elif end is None:
            errors["period_end"] = _("The last day of the reporting period must be a real "
                                     "date, such as 2024-06-30.")
        if start and end:
            try:
                ReportingPeriod(start, end)
            except InvalidValue as error:
                errors[error.field or "period_end"] = error_message(error)
        return errors

    def claims(self, commitments: list[PlanCommitment]) -> list[tuple[UUID, ClaimAnswers]]:
        """What the platform records: one claim per commitment given a status."""
        period = self.period()
        assert period is not None, "claims are made of valid answers only"
        return [
            (UUID(c.commitment_id), ClaimAnswers(
                status=self.row(c.commitment_id).status,
                narrative=self.row(c.commitment_id).note.strip(), evidence=[],
                period_start=period.start, period_end=period.end,
                claim_id=_claim_id(self.row(c.commitment_id).claim_id)))
            for c in self.claimed(commitments)
        ]


def _row_errors(commitment: PlanCommitment, answer: RowAnswer, offered: set[str]
                ) -> dict[str, str]:
    cid, reference = commitment.commitment_id, commitment.reference
    errors = {}
    if answer.status and answer.status not in offered:
        errors[f"status-{cid}"] = _("Choose one of the statuses offered for %(reference)s.",
                                    reference=reference)
    elif not answer.status and answer.note.strip():
        errors[f"status-{cid}"] = _("Choose a status for %(reference)s, or clear its note.",
                                    reference=reference)
    if answer.status and not answer.note.strip():
        errors[f"note-{cid}"] = _("Write a note for %(reference)s saying what has been done "
                                  "and how you know.", reference=reference)
    elif len(answer.note.strip()) > NARRATIVE_MAX:
        errors[f"note-{cid}"] = _("The note for %(reference)s must be %(max)d characters or "
                                  "fewer.", reference=reference, max=NARRATIVE_MAX)
    return errors


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _claim_id(value: str) -> str | None:
    try:
        return str(UUID(value))
    except ValueError:
        return None
