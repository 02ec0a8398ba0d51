"""Claim drafts: what a member typed, kept on the server until the claim is recorded."""

from __future__ import annotations

from datetime import date
from typing import Any, TypeGuard

from flask_login import current_user

from accord.domain.attachments import Attachment
from accord.platform.application import ClaimAnswers
from accord.web.context import services
from accord.web.forms import ClaimForm

FIELDS = ("milestone", "status", "narrative", "language", "evidence", "replaces", "challenges",
          "revision_reason", "claim_id")


CHECKED = "checked"
"""Set in a draft once the platform has checked it (sending the form); saving while typing
clears it, so that the check page only ever shows, and records, answers that were checked."""


def draft_key(commitment_id: str, replaces: str | None = None,
              challenges: str | None = None) -> str:
    """One draft per member, commitment and kind of claim (new, revision, challenge)."""
    if replaces:
        return f"claim:{commitment_id}:revises:{replaces}"
    if challenges:
        return f"claim:{commitment_id}:challenges:{challenges}"
    return f"claim:{commitment_id}:new"


def load(key: str) -> dict[str, Any] | None:
    """The signed-in member's draft, or None."""
    return services().drafts.load(current_user.actor.account_id, key)


def save(key: str, payload: dict[str, Any]) -> None:
    """Keep the draft (replacing an older one)."""
    services().drafts.save(current_user.actor.account_id, key, payload)


def delete(key: str) -> None:
    """Forget the draft, once recorded."""
    services().drafts.delete(current_user.actor.account_id, key)


def checked(draft: dict[str, Any] | None) -> TypeGuard[dict[str, Any]]:
    """Whether the draft holds answers checked since they were last typed."""
    return bool(draft and draft.get(CHECKED))


def payload(form: ClaimForm, attachments: list[Attachment]) -> dict[str, Any]:
    """What the form holds, as a draft."""
    data: dict[str, Any] = {name: getattr(form, name).data or "" for name in FIELDS}
    for name in ("period_start", "period_end"):
        value = getattr(form, name).data
        data[name] = value.isoformat() if isinstance(value, date) else ""
    data["attachments"] = [item.as_dict() for item in attachments]
    return data


def form_data(draft: dict[str, Any]) -> dict[str, Any]:
    """A draft as keyword arguments for the claim form."""
    data = {name: draft.get(name) or None for name in FIELDS}
    for name in ("period_start", "period_end"):
        data[name] = date.fromisoformat(draft[name]) if draft.get(name) else None
    data["keep_files"] = [item["sha256"] for item in draft.get("attachments", [])]
    return data


def answers(draft: dict[str, Any]) -> ClaimAnswers:
    """A complete draft as the answers of a claim."""
    return ClaimAnswers(
        status=draft["status"], narrative=draft["narrative"],
        evidence=[line.strip() for line in draft["evidence"].splitlines() if line.strip()],
        period_start=date.fromisoformat(draft["period_start"]),
        period_end=date.fromisoformat(draft["period_end"]),
        replaces=draft["replaces"] or None, revision_reason=draft["revision_reason"] or None,
        claim_id=draft["claim_id"] or None, milestone=draft["milestone"] or None,
        language=draft["language"] or "und",
        attachments=[Attachment(**item) for item in draft.get("attachments", [])],
        challenges=draft["challenges"] or None,
    )
