"""The commitment-progress projection: where each commitment stands, per party and overall.

Events are applied a batch at a time: the rows a batch touches are loaded once (or kept from
the catch-up's earlier batches, see ``projector.Memory``), changed in memory with the domain's
own agreement rules, and written back together with the new position.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from sys import intern
from typing import Any

from eventsourcing.utils import get_topic
from sqlalchemy import Connection

from accord.domain.action_plan import ActionPlan
from accord.domain.commitment import Commitment
from accord.domain.framework import Framework
from accord.domain.values import Party
from accord.projections import tables
from accord.projections.progress_state import Batch, ClaimState, CommitmentState, Remembered
from accord.projections.projector import batch_memory
from accord.projections.source import PositionedEvent

TIMELINE_KINDS = ("registered", "details_revised", "milestone_added", "milestone_revised",
                  "pledge_embedded", "claimed", "revised", "endorsed", "challenged",
                  "withdrawn", "responded")

# -- frameworks and plans ---------------------------------------------------------------------


def framework_defined(batch: Batch, position: int, event: Framework.Defined) -> None:
    framework_id = str(event.originator_id)
    batch.frameworks.add({
        "framework_id": framework_id, "code": event.code, "name": event.name,
        "description": event.description, "current_version": 1,
    })
    batch.status_rows += _status_rows(framework_id, 1, event.statuses)


def vocabulary_revised(batch: Batch, position: int, event: Framework.VocabularyRevised) -> None:
    framework = batch.frameworks.get(str(event.originator_id))
    framework["current_version"] += 1
    batch.status_rows += _status_rows(
        framework["framework_id"], framework["current_version"], event.statuses)


def _status_rows(framework_id: str, version: int, statuses: list[dict[str, Any]]
                 ) -> list[dict[str, Any]]:
    return [
        {"framework_id": framework_id, "version": version, "code": s["code"],
         "label": s["label"], "definition": s["definition"], "rank": s["order"],
         "complete": bool(s.get("complete", False)),
         "claimable": bool(s.get("claimable", True))}
        for s in statuses
    ]


def plan_registered(batch: Batch, position: int, event: ActionPlan.Registered) -> None:
    batch.plans.add({
        "plan_uuid": str(event.originator_id), "plan_id": event.plan_id,
        "country": event.country, "locality": event.locality, "number": event.number,
        "title": event.title, "period_start": _date(event.period_start),
        "period_end": _date(event.period_end), "status": event.status,
    })


def plan_revised(batch: Batch, position: int, event: ActionPlan.Revised) -> None:
    row = batch.plans.get(str(event.originator_id))
    for name, value in event.changes.items():
        row[name] = _date(value) if name in ("period_start", "period_end") else value


# -- commitments ------------------------------------------------------------------------------


def commitment_registered(batch: Batch, position: int, event: Commitment.Registered) -> None:
    commitment_id = str(event.originator_id)
    row = {
        "commitment_id": commitment_id, "registered_position": position,
        "country": event.country, "reference": event.reference, "framework_id": event.framework_id,
        "registered_at": event.timestamp, "last_change_at": event.timestamp,
        "last_position": position,
    }
    _details(row, {name: getattr(event, name) for name in DETAILS})
    state = CommitmentState(row, new=True, themes=list(event.themes))
    batch.registered(state)
    _timeline(batch, state, position, event, kind="registered")


DETAILS = ("action_plan_id", "locality", "title", "description", "lead_institution",
           "start_date", "end_date", "translations")


def details_revised(batch: Batch, position: int, event: Commitment.DetailsRevised) -> None:
    state = _touch(batch, position, event)
    state.details_changed = True
    _details(state.row, {k: v for k, v in event.changes.items() if k in DETAILS})
    if "themes" in event.changes:
        state.themes = list(event.changes["themes"])
    _timeline(batch, state, position, event, kind="details_revised",
              detail=", ".join(sorted(event.changes)))


def _details(row: dict[str, Any], fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        row[name] = _date(value) if name in ("start_date", "end_date") else value


def milestone_added(batch: Batch, position: int, event: Commitment.MilestoneAdded) -> None:
    state = _touch(batch, position, event)
    reference = event.milestone["reference"]
    state.milestones[reference] = {
        "commitment_id": str(event.originator_id), "rank": len(state.milestones) + 1,
        **_milestone(event.milestone), "agreement": "not_reported", "government_status": None,
        "civil_society_statuses": "", "reviewer_status": None, "settled": False,
    }
    state.new_milestones.add(reference)
    _timeline(batch, state, position, event, kind="milestone_added", milestone=reference)


def milestone_revised(batch: Batch, position: int, event: Commitment.MilestoneRevised) -> None:
    state = _touch(batch, position, event)
    reference = event.milestone["reference"]
    state.milestones[reference].update(_milestone(event.milestone))
    state.changed_milestones.add(reference)
    _timeline(batch, state, position, event, kind="milestone_revised", milestone=reference)


def _milestone(data: dict[str, Any]) -> dict[str, Any]:
    return {"reference": data["reference"], "parent": data.get("parent"),
            "title": data["title"], "description": data.get("description", ""),
            "due_date": _date(data.get("due_date")), "due_text": data.get("due_text", ""),
            "translations": data.get("translations") or {}}


def pledge_embedded(batch: Batch, position: int, event: Commitment.PledgeEmbedded) -> None:
    state = _touch(batch, position, event)
    batch.link_rows.append({"pledge_id": event.pledge_id,
                            "commitment_id": state.row["commitment_id"]})
    _timeline(batch, state, position, event, kind="pledge_embedded", related=event.pledge_id)


def status_claimed(batch: Batch, position: int, event: Commitment.StatusClaimed) -> None:
    state = _touch(batch, position, event)
    if event.replaces is not None:
        state.claims[event.replaces].replaced_by = event.claim_id
        state.changed_claims.add(event.replaces)
    commitment_id = state.row["commitment_id"]
    # Interned: a rebuild remembers every claim, and these few values repeat across them.
    claim = ClaimState(
        event.claim_id, position, Party(event.party), intern(event.organisation_id),
        intern(event.status), event.milestone,
        row={"claim_id": event.claim_id, "commitment_id": commitment_id, "position": position,
             "party": event.party, "organisation_id": event.organisation_id,
             "account_id": event.actor_id, "status": event.status,
             "vocabulary_version": event.vocabulary_version, "narrative": event.narrative,
             "evidence": list(event.evidence),
             "period_start": date.fromisoformat(event.period_start),
             "period_end": date.fromisoformat(event.period_end),
             "claimed_at": event.timestamp, "replaces": event.replaces,
             "revision_reason": event.revision_reason, "milestone": event.milestone,
             "language": event.language, "attachments": list(event.attachments),
             "endorses": event.endorses, "challenges": event.challenges})
    batch.claimed(state, claim)
    _attachments(batch, commitment_id, claim.claim_id, event.attachments)
    kind = ("endorsed" if event.endorses else "challenged" if event.challenges
            else "revised" if event.replaces else "claimed")
    _timeline(batch, state, position, event, kind=kind, claim=claim,
              detail=event.revision_reason,
              related=event.endorses or event.challenges or event.replaces)


def claim_withdrawn(batch: Batch, position: int, event: Commitment.ClaimWithdrawn) -> None:
    state = _touch(batch, position, event)
    claim = state.claims[event.claim_id]
    claim.withdrawn_at = event.timestamp
    claim.withdrawal_reason = event.reason
    state.changed_claims.add(event.claim_id)
    _timeline(batch, state, position, event, kind="withdrawn", claim=claim,
              detail=event.reason)


def challenge_responded(batch: Batch, position: int, event: Commitment.ChallengeResponded
                        ) -> None:
    state = _touch(batch, position, event)
    commitment_id = str(event.originator_id)
    batch.response_rows.append({
        "response_id": event.response_id, "commitment_id": commitment_id,
        "position": position, "challenge_id": event.challenge_id,
        "organisation_id": event.organisation_id, "account_id": event.actor_id,
        "narrative": event.narrative, "evidence": list(event.evidence),
        "attachments": list(event.attachments), "language": event.language,
        "responded_at": event.timestamp,
    })
    _attachments(batch, commitment_id, event.response_id, event.attachments)
    challenge = state.claims[event.challenge_id]
    batch.timeline_rows.append(_entry(position, event, "responded", state,
                                      party="government",
                                      organisation_id=event.organisation_id,
                                      claim_id=event.response_id,
                                      related_claim_id=event.challenge_id,
                                      milestone=challenge.milestone))


def _attachments(batch: Batch, commitment_id: str, owner_id: str,
                 items: list[dict[str, Any]]) -> None:
    if items:
        batch.attachment_rows += [
            {**item, "owner_id": owner_id, "commitment_id": commitment_id} for item in items]


def _touch(batch: Batch, position: int, event: Commitment.Event) -> CommitmentState:
    state = batch.commitment(str(event.originator_id))
    row = state.row
    row["last_change_at"], row["last_position"] = event.timestamp, position
    return state


def _timeline(batch: Batch, state: CommitmentState, position: int, event: Commitment.Event,
              *, kind: str, claim: ClaimState | None = None, detail: str | None = None,
              related: str | None = None, milestone: str | None = None) -> None:
    if claim is None:
        batch.timeline_rows.append(_entry(position, event, kind, state, detail=detail,
                                          related_claim_id=related, milestone=milestone))
        return
    batch.timeline_rows.append({
        "position": position, "commitment_id": state.row["commitment_id"],
        "country": state.row["country"], "at": event.timestamp,
        "kind": kind, "claim_id": claim.claim_id, "related_claim_id": related,
        "milestone": claim.milestone, "party": claim.party.value,
        "organisation_id": claim.organisation_id, "status": claim.status, "detail": detail})


def _entry(position: int, event: Commitment.Event, kind: str, state: CommitmentState,
           **fields: Any) -> dict[str, Any]:
    row = {"position": position, "commitment_id": state.row["commitment_id"],
           "country": state.row["country"], "at": event.timestamp, "kind": kind,
           "claim_id": None, "related_claim_id": None, "milestone": None, "party": None,
           "organisation_id": None, "status": None, "detail": None}
    row.update(fields)
    return row


def _date(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


HANDLERS: dict[type[Any], Callable[[Batch, int, Any], None]] = {
    Framework.Defined: framework_defined,
    Framework.VocabularyRevised: vocabulary_revised,
    ActionPlan.Registered: plan_registered,
    ActionPlan.Revised: plan_revised,
    Commitment.Registered: commitment_registered,
    Commitment.DetailsRevised: details_revised,
    Commitment.MilestoneAdded: milestone_added,
    Commitment.MilestoneRevised: milestone_revised,
    Commitment.PledgeEmbedded: pledge_embedded,
    Commitment.StatusClaimed: status_claimed,
    Commitment.ClaimWithdrawn: claim_withdrawn,
    Commitment.ChallengeResponded: challenge_responded,
}


class ProgressProjection:
    """Commitments with each party's current claim and the agreement state; counts per country;
    milestones, action plans, threads of endorsements, challenges and responses."""

    name = "progress"
    version = 7
    metadata = tables.metadata
    topics: Sequence[str] = tuple(get_topic(event_class) for event_class in HANDLERS)

    def apply(self, connection: Connection, events: Sequence[PositionedEvent]) -> None:
        """Apply ``events`` inside the caller's transaction."""
        batch = Batch(connection, _remembered(connection))
        # Commitments registered in this batch have nothing stored yet: looking for them
        # would search tables whose indexes a rebuild has not built yet.
        registered = {event.originator_id for _, event in events
                      if isinstance(event, Commitment.Registered)}
        batch.prefetch(str(commitment_id) for commitment_id in {
            event.originator_id for _, event in events
            if isinstance(event, Commitment.Event)} - registered)
        for position, event in events:
            HANDLERS[type(event)](batch, position, event)
        batch.flush()


def _remembered(connection: Connection) -> Remembered:
    """The commitments the running catch-up remembers from its earlier batches, unless there
    are too many to keep: then they will be read back from the tables, through their
    indexes."""
    memory = batch_memory()
    if memory is None:
        return Remembered()
    if isinstance(memory.state, Remembered) and memory.state.size() > memory.limit:
        memory.build_deferred(connection)
        memory.state = None
    if not isinstance(memory.state, Remembered):
        memory.state = Remembered()
    return memory.state
