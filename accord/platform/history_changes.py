"""What each event changed, field by field: the aggregate's earlier events give the "before".

Events record new values only (a revision's ``changes`` holds what it changed to), so the
values before an event come from folding the same aggregate's earlier events, in order, into
the fields as events record them. Nothing here reads names: events carry none.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from accord.domain.account import Account
from accord.domain.action_plan import ActionPlan
from accord.domain.commitment import Commitment
from accord.domain.framework import Framework
from accord.domain.organisation import Organisation

EVENT_KEYS = frozenset({"originator_id", "originator_version", "timestamp", "actor_id",
                        "originator_topic"})
"""What every event records about itself rather than about the aggregate."""

REASON_FIELDS = ("reason", "revision_reason", "withdrawal_reason", "note")
"""The fields in which an event says why it happened."""

HIDDEN = "_"
"""Fields folded under names starting with this are kept for later events, never shown."""


@dataclass(frozen=True)
class FieldChange:
    """One field an event set: its value before (None when it had none) and after."""

    field: str
    before: Any
    after: Any


@dataclass
class Fold:
    """The fields an aggregate's events have recorded so far, as the events record them."""

    fields: dict[str, Any] = field(default_factory=dict)
    claims: dict[str, dict[str, Any]] = field(default_factory=dict)
    milestones: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class Described:
    """What one event did: its kind (a stable code), what it is about, and its changes."""

    kind: str
    subject: str | None
    changes: tuple[FieldChange, ...]


Handler = Callable[[dict[str, Any], Fold], Described]


def recorded_fields(event: object) -> dict[str, Any]:
    """The event's own fields, without those every event has."""
    return {name: value for name, value in vars(event).items() if name not in EVENT_KEYS}


def reason_of(fields: dict[str, Any]) -> str | None:
    """Why the event happened, if it says."""
    return next((fields[name] for name in REASON_FIELDS if fields.get(name)), None)


def describe(event: object, fold: Fold) -> Described:
    """What ``event`` changed, given the fold of the aggregate's earlier events (updated)."""
    fields = {name: value for name, value in recorded_fields(event).items()
              if name not in REASON_FIELDS}
    handler = HANDLERS.get(type(event))
    if handler is None:
        return _set(_code(type(event)))(fields, fold)
    return handler(fields, fold)


def creation_kinds() -> dict[type, str]:
    """The event that creates each kind of aggregate, and the kind's name."""
    return {Commitment.Registered: "commitment", Organisation.Registered: "organisation",
            Account.Invited: "account", ActionPlan.Registered: "action_plan",
            Framework.Defined: "framework"}


def _code(event_class: type) -> str:
    """A code for an event class no handler knows, such as ``organisation.renamed``."""
    return event_class.__qualname__.lower().replace(".", "_")


def _changed(fold: Fold, updates: dict[str, Any]) -> tuple[FieldChange, ...]:
    changes = tuple(FieldChange(name, fold.fields.get(name), value)
                    for name, value in updates.items() if not name.startswith(HIDDEN))
    fold.fields.update(updates)
    return changes


def _created(kind: str, initial: dict[str, Any] | None = None) -> Handler:
    """A creation: every field is new (with the state the aggregate starts in)."""

    def handle(fields: dict[str, Any], fold: Fold) -> Described:
        return Described(kind, None, _changed(fold, {**fields, **(initial or {})}))

    return handle


def _set(kind: str) -> Handler:
    """An event whose fields are the aggregate's new values of the same fields."""

    def handle(fields: dict[str, Any], fold: Fold) -> Described:
        return Described(kind, None, _changed(fold, fields))

    return handle


def _revised(kind: str) -> Handler:
    """An event whose ``changes`` holds the new values of the fields it changed."""

    def handle(fields: dict[str, Any], fold: Fold) -> Described:
        return Described(kind, None, _changed(fold, dict(fields.get("changes") or {})))

    return handle


def _derived(kind: str, updates: Callable[[Fold], dict[str, Any]]) -> Handler:
    """An event without fields that moves the aggregate to another state."""

    def handle(fields: dict[str, Any], fold: Fold) -> Described:
        return Described(kind, None, _changed(fold, {**fields, **updates(fold)}))

    return handle


def _claim(fields: dict[str, Any], fold: Fold) -> Described:
    """A claim: new (every field), or a revision (each field against the replaced claim)."""
    claim_id, replaces = fields["claim_id"], fields.get("replaces")
    values = {name: value for name, value in fields.items()
              if name not in ("claim_id", "replaces") and value is not None}
    fold.claims[claim_id] = values
    replaced = fold.claims.get(replaces) if replaces else None
    if replaced is None:
        kind = ("claim_endorsed" if fields.get("endorses") else
                "claim_challenged" if fields.get("challenges") else "claim_recorded")
        return Described(kind, claim_id, tuple(FieldChange(n, None, v) for n, v in
                                               values.items()))
    changes = [FieldChange("claim_id", replaces, claim_id)]
    changes += [FieldChange(name, replaced.get(name), values.get(name))
                for name in dict.fromkeys([*replaced, *values])
                if replaced.get(name) != values.get(name)]
    return Described("claim_revised", claim_id, tuple(changes))


def _withdrawal(fields: dict[str, Any], fold: Fold) -> Described:
    claim_id = fields["claim_id"]
    return Described("claim_withdrawn", claim_id,
                     (FieldChange("claim_state", "active", "withdrawn"),))


def _milestone(kind: str) -> Handler:
    """A milestone added (every field) or revised (each field against the earlier one)."""

    def handle(fields: dict[str, Any], fold: Fold) -> Described:
        milestone = dict(fields["milestone"])
        reference = str(milestone.get("reference"))
        before = fold.milestones.get(reference, {})
        fold.milestones[reference] = milestone
        return Described(kind, reference, tuple(
            FieldChange(name, before.get(name), value) for name, value in milestone.items()
            if name != "reference" and before.get(name) != value))

    return handle


def _pledge(fields: dict[str, Any], fold: Fold) -> Described:
    pledges = list(fold.fields.get("embedded_pledges") or [])
    return Described("pledge_embedded", fields["pledge_id"], _changed(
        fold, {"embedded_pledges": [*pledges, fields["pledge_id"]]}))


def _response(fields: dict[str, Any], fold: Fold) -> Described:
    return Described("challenge_answered", fields["response_id"], tuple(
        FieldChange(name, None, value) for name, value in fields.items()
        if name != "response_id"))


def _reactivated(fold: Fold) -> dict[str, Any]:
    return {"state": "active" if fold.fields.get("_activated") else "invited"}


HANDLERS: dict[type, Handler] = {
    Commitment.Registered: _created("commitment_registered"),
    Commitment.DetailsRevised: _revised("commitment_details_revised"),
    Commitment.MilestoneAdded: _milestone("milestone_added"),
    Commitment.MilestoneRevised: _milestone("milestone_revised"),
    Commitment.PledgeEmbedded: _pledge,
    Commitment.StatusClaimed: _claim,
    Commitment.ClaimWithdrawn: _withdrawal,
    Commitment.ChallengeResponded: _response,
    Organisation.Registered: _created("organisation_registered",
                                      {"verified": False, "suspended": False}),
    Organisation.Renamed: _set("organisation_renamed"),
    Organisation.ScopeChanged: _set("organisation_scope_changed"),
    Organisation.Verified: _derived("organisation_verified", lambda _: {"verified": True}),
    Organisation.Suspended: _derived("organisation_suspended", lambda _: {"suspended": True}),
    Organisation.Reinstated: _derived("organisation_reinstated",
                                      lambda _: {"suspended": False}),
    Account.Invited: _created("account_invited", {"state": "invited"}),
    Account.Activated: _derived("account_activated",
                                lambda _: {"state": "active", "_activated": True}),
    Account.RoleChanged: _set("account_role_changed"),
    Account.Deactivated: _derived("account_deactivated", lambda _: {"state": "deactivated"}),
    Account.Reactivated: _derived("account_reactivated", _reactivated),
    ActionPlan.Registered: _created("action_plan_registered"),
    ActionPlan.Revised: _revised("action_plan_revised"),
    Framework.Defined: _created("framework_defined"),
    Framework.VocabularyRevised: _set("framework_vocabulary_revised"),
}
"""How to describe each event class; an unknown one is read as setting its fields."""
