"""Agreed or contested: pure functions from the claims on a commitment to its agreement state.

A party's current claim is its latest claim that is still active (neither withdrawn nor replaced
by a revision). Each organisation reports for itself, so "current" is per organisation.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Protocol, TypeVar

from accord.domain.values import SIDES, Party


class Agreement(StrEnum):
    """Where the two sides stand on a commitment."""

    AGREED = "agreed"
    CONTESTED = "contested"
    AWAITING_GOVERNMENT = "awaiting_government"
    AWAITING_CIVIL_SOCIETY = "awaiting_civil_society"
    NOT_REPORTED = "not_reported"


class ClaimView(Protocol):
    """What the agreement rules need to know of a claim."""

    @property
    def organisation_id(self) -> str: ...

    @property
    def party(self) -> Party: ...

    @property
    def status(self) -> str: ...

    @property
    def active(self) -> bool: ...


C = TypeVar("C", bound=ClaimView)


def current_claims(claims: Iterable[C]) -> list[C]:
    """Each organisation's latest active claim, from ``claims`` in the order they were made."""
    latest: dict[str, C] = {}
    for claim in claims:
        if claim.active:
            latest.pop(claim.organisation_id, None)
            latest[claim.organisation_id] = claim
    return list(latest.values())


def agreement_state(current: Iterable[ClaimView]) -> Agreement:
    """The agreement state of a commitment given its current claims.

    Any two current claims with different statuses make it contested, even on one side (two
    civil-society reporters who disagree). Otherwise it is agreed when both sides report,
    awaiting the silent side when only one does, and not reported when nobody does. An
    independent reviewer's claim is shown beside the sides but never counts here.
    """
    claims = [claim for claim in current if claim.party in SIDES]
    if len({claim.status for claim in claims}) > 1:
        return Agreement.CONTESTED
    parties = {claim.party for claim in claims}
    if parties == {Party.GOVERNMENT, Party.CIVIL_SOCIETY}:
        return Agreement.AGREED
    if parties == {Party.GOVERNMENT}:
        return Agreement.AWAITING_CIVIL_SOCIETY
    if parties == {Party.CIVIL_SOCIETY}:
        return Agreement.AWAITING_GOVERNMENT
    return Agreement.NOT_REPORTED
