"""One commitment and its history, as the API answers them."""

from __future__ import annotations

from typing import Any

from flask import url_for

from accord.domain.countries import country_name
from accord.projections.change_queries import Change
from accord.projections.commitment_queries import ClaimView, CommitmentPage, Sides
from accord.web.opendata.feeds import what_happened
from accord.web.opendata.records import (
    commitment_links,
    day,
    root_relative,
    status,
    timestamp,
)


def commitment_detail(page: CommitmentPage) -> dict[str, Any]:
    """The commitment, each party's current claims, its milestones and the agreement."""
    c = page.commitment
    return {
        "id": c["commitment_id"],
        "country": c["country"],
        "country_name": country_name(c["country"]),
        "action_plan": c["action_plan_id"],
        "reference": c["reference"],
        "title": c["title"],
        "description": c["description"],
        "lead_institution": c["lead_institution"],
        "start_date": day(c["start_date"]),
        "end_date": day(c["end_date"]),
        "overdue": page.overdue,
        "themes": page.themes,
        "framework": page.framework_name,
        "agreement": page.agreement.value,
        "claims": claims(page.sides),
        "milestones": [{
            "reference": m.row["reference"],
            "parent": m.row["parent"],
            "title": m.row["title"],
            "due_date": day(m.row["due_date"]),
            "overdue": m.overdue,
            "agreement": m.agreement.value,
            "claims": claims(m.sides),
        } for m in page.milestones],
        "last_change": timestamp(c["last_change_at"]),
        "links": commitment_links(c["commitment_id"], root_relative),
    }


def claims(sides: Sides) -> dict[str, list[dict[str, Any]]]:
    """Each party's current claims."""
    return {"government": [claim(view) for view in sides.government],
            "civil_society": [claim(view) for view in sides.civil_society],
            "independent_reviewer": [claim(view) for view in sides.reviewer]}


def claim(view: ClaimView) -> dict[str, Any]:
    """A claim: who made it, the status, the period, what it says, and its evidence."""
    return {
        "id": view.claim_id,
        "party": view.party,
        "organisation": {"id": view.organisation_id, "name": view.organisation_name,
                         "verified": view.organisation_verified},
        "status": status(view.status),
        "milestone": view.milestone,
        "period": {"start": day(view.period_start), "end": day(view.period_end)},
        "claimed_at": timestamp(view.claimed_at),
        "narrative": view.narrative,
        "language": view.language,
        "evidence": view.evidence,
        "attachments": [{
            "name": file["name"], "size": file["size"], "media_type": file["media_type"],
            "sha256": file["sha256"],
            "url": url_for("files.download", sha256=file["sha256"], name=file["name"]),
        } for file in view.attachments],
        "revises": view.replaces,
        "revision_reason": view.revision_reason,
        "endorses": view.endorses,
        "challenges": view.challenges,
    }


def change_records(changes: list[Change]) -> list[dict[str, Any]]:
    """The entries of a commitment's history."""
    return [change_record(change, what)
            for change, what in zip(changes, what_happened(changes), strict=True)]


def change_record(change: Change, what: str) -> dict[str, Any]:
    """One entry of a commitment's history, ``what`` happened told in a sentence."""
    entry = change.entry
    return {
        "position": entry.position,
        "at": timestamp(entry.at),
        "kind": entry.kind,
        "description": what,
        "party": entry.party,
        "organisation": entry.organisation_name,
        "status": status(entry.status),
        "claim": entry.claim_id,
        "related_claim": entry.related_claim_id,
        "milestone": entry.milestone,
        "detail": entry.detail,
    }
