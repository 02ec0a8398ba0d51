"""The rules a commitment applies to its details and to claims, kept beside the aggregate."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from accord.domain.claims import Claim
from accord.domain.countries import country_code
from accord.domain.errors import (
    N_,
    ClaimNotActive,
    ClaimNotFound,
    InvalidValue,
    NotOwnClaim,
    UnknownStatus,
)
from accord.domain.framework import Vocabulary
from accord.domain.milestones import checked_translations
from accord.domain.themes import themes as checked_themes
from accord.domain.values import (
    DESCRIPTION_MAX,
    INSTITUTION_MAX,
    TITLE_MAX,
    Party,
    in_range,
    limited_text,
    required_text,
)
from accord.domain.values import reference as checked_reference

if TYPE_CHECKING:
    from accord.domain.commitment import Commitment

DETAIL_FIELDS = ("action_plan_id", "locality", "title", "description", "themes",
                 "lead_institution", "start_date", "end_date", "translations")
"""The details a commitment is registered with and that can be revised later."""

LOCALITY_MAX = 200

DEFAULTS: dict[str, Any] = {
    "action_plan_id": None, "locality": None, "description": "", "themes": [],
    "lead_institution": "", "start_date": None, "end_date": None, "translations": {},
}


def checked_registration(country: str, reference: str, title: str, details: dict[str, Any]
                         ) -> tuple[str, str, dict[str, Any]]:
    """The country code, the reference and every detail, validated, as an event records them."""
    unknown = set(details) - set(DETAIL_FIELDS)
    if unknown:
        raise TypeError(f"unknown commitment details: {sorted(unknown)}")
    fields = checked_details({**DEFAULTS, **details, "title": title})
    _check_dates(fields)
    return country_code(country), checked_reference(reference), fields


def checked_details(details: dict[str, Any]) -> dict[str, Any]:
    """The given details validated, in the form events record them (dates as ISO text)."""
    checks: dict[str, Callable[[Any], Any]] = {
        "action_plan_id": _action_plan,
        "locality": _locality,
        "title": lambda v: required_text(v, field="title", maximum=TITLE_MAX),
        "description": lambda v: limited_text(v, field="description", maximum=DESCRIPTION_MAX),
        "themes": lambda v: checked_themes(list(v or [])),
        "lead_institution": lambda v: limited_text(v, field="lead_institution",
                                                   maximum=INSTITUTION_MAX),
        "start_date": lambda v: _iso(v, "start_date"),
        "end_date": lambda v: _iso(v, "end_date"),
        "translations": lambda v: checked_translations(dict(v or {})),
    }
    return {name: checks[name](value) for name, value in details.items()}


def changed_details(commitment: Commitment, details: dict[str, Any]) -> dict[str, Any]:
    """The validated details that differ from the commitment's current ones."""
    proposed = checked_details(details)
    current = current_details(commitment)
    changes = {name: value for name, value in proposed.items() if current[name] != value}
    _check_dates({**current, **changes})
    return changes


def current_details(commitment: Commitment) -> dict[str, Any]:
    """The commitment's details in the form events record them."""
    return {
        "action_plan_id": commitment.action_plan_id, "locality": commitment.locality,
        "title": commitment.title, "description": commitment.description,
        "themes": list(commitment.themes), "lead_institution": commitment.lead_institution,
        "start_date": commitment.start_date.isoformat() if commitment.start_date else None,
        "end_date": commitment.end_date.isoformat() if commitment.end_date else None,
        "translations": commitment.translations,
    }


def apply_details(commitment: Any, fields: dict[str, Any]) -> None:
    """Set recorded details on the aggregate."""
    for name, value in fields.items():
        if name in ("start_date", "end_date"):
            value = date.fromisoformat(value) if value else None
        elif name == "themes":
            value = list(value)
        elif name == "translations":
            value = dict(value)
        setattr(commitment, name, value)


def check_scope(commitment: Commitment, milestone: str | None) -> None:
    """A claim is about the commitment or one of its milestones."""
    if milestone is not None and milestone not in commitment.milestones:
        raise InvalidValue(N_("This commitment has no milestone %(reference)s."),
                           field="milestone", reference=milestone[:40])


def check_thread(commitment: Commitment, party: Party, status: str, milestone: str | None,
                 endorses: str | None, challenges: str | None) -> None:
    """An endorsement or a challenge answers an active government claim, from civil society."""
    answered = endorses or challenges
    if answered is None:
        return
    if endorses and challenges:
        raise InvalidValue(N_("A claim endorses or challenges another, not both."))
    if party is not Party.CIVIL_SOCIETY:
        raise InvalidValue(N_("Only civil society endorses or challenges a government claim."))
    target = _active_claim(commitment, answered)
    if target.party is not Party.GOVERNMENT:
        raise InvalidValue(N_("Only a government claim can be endorsed or challenged."))
    if target.milestone != milestone:
        raise InvalidValue(N_("An endorsement or a challenge is about the same commitment or "
                              "milestone as the claim it answers."), field="milestone")
    if endorses and status != target.status:
        raise InvalidValue(N_("An endorsement claims the same status as the government."),
                           field="status")
    if challenges and status == target.status:
        raise InvalidValue(N_("A challenge claims another status than the government's; to "
                              "agree with it, endorse it."), field="status")


def check_status(vocabulary: Vocabulary, status: str, party: Party) -> None:
    """The status is in the vocabulary, and open to this party."""
    definition = vocabulary.require(status)
    if not definition.claimable and party is not Party.INDEPENDENT_REVIEWER:
        raise UnknownStatus(N_("%(status)s is a rating only an independent reviewer gives."),
                            field="status", status=definition.label)


def own_active_claim(commitment: Commitment, claim_id: str, organisation_id: str,
                     milestone: str | None) -> Claim:
    """The organisation's active claim, about the same commitment or milestone."""
    claim = commitment.claims.get(claim_id)
    if claim is None:
        raise ClaimNotFound(N_("This commitment has no such claim."), field="replaces")
    if claim.organisation_id != organisation_id:
        raise NotOwnClaim(N_("Only the organisation that made a claim may revise or "
                             "withdraw it."))
    if not claim.active:
        raise ClaimNotActive(N_("This claim has already been withdrawn or revised."))
    if claim.milestone != milestone:
        raise InvalidValue(N_("A revision is about the same commitment or milestone as the "
                              "claim it replaces."), field="milestone")
    return claim


def check_response(commitment: Commitment, challenge_id: str, organisation_id: str) -> None:
    """A response answers a challenge of one of the responding organisation's claims."""
    challenge = commitment.claims.get(challenge_id)
    if challenge is None or challenge.challenges is None:
        raise ClaimNotFound(N_("This commitment has no such challenge."))
    challenged = commitment.claims[challenge.challenges]
    if challenged.organisation_id != organisation_id:
        raise NotOwnClaim(N_("Only the organisation whose claim was challenged may respond."))


def _active_claim(commitment: Commitment, claim_id: str) -> Claim:
    claim = commitment.claims.get(claim_id)
    if claim is None:
        raise ClaimNotFound(N_("This commitment has no such claim."))
    if not claim.active:
        raise ClaimNotActive(N_("This claim has already been withdrawn or revised."))
    return claim


def _check_dates(fields: dict[str, Any]) -> None:
    start, end = fields.get("start_date"), fields.get("end_date")
    if start and end and end < start:
        raise InvalidValue(N_("A commitment must end on or after the day it starts."),
                           field="end_date")


def _iso(value: date | None, field: str) -> str | None:
    return None if value is None else in_range(value, field=field).isoformat()


def _locality(value: str | None) -> str | None:
    return limited_text(value, field="locality", maximum=LOCALITY_MAX) or None if value else None


def _action_plan(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    try:
        return checked_reference(value)
    except InvalidValue:
        raise InvalidValue(N_("The action plan id may use only letters, digits, '.', '_', '/' "
                              "and '-'."), field="action_plan_id") from None
