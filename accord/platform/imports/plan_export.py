"""Exporting commitments and milestones in the action-plan template, from the event log.

What an export writes, an import of the template reads back without recording anything.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from uuid import UUID

from eventsourcing.utils import get_topic

from accord.domain.action_plan import ActionPlan
from accord.domain.commitment import Commitment
from accord.domain.countries import country_code
from accord.domain.errors import N_, InvalidValue
from accord.domain.framework import Framework
from accord.domain.milestones import Milestone
from accord.platform.base import UseCases
from accord.platform.errors import NotFound
from accord.platform.imports import template as tpl
from accord.platform.policy import Action, Actor, authorize

PAGE = 1_000
"""How many registrations are read from the log at a time."""


@dataclass(frozen=True)
class PlanExport:
    """The CSV text of an export, and how many commitments and milestones it holds."""

    text: str
    commitments: int
    milestones: int


def export_plan(app: UseCases, actor: Actor, *, country: str | None = None,
                plan_id: str | None = None) -> PlanExport:
    """A country's commitments, or one action plan's, with their milestones, as CSV."""
    authorize(actor, Action.READ_PUBLIC)
    if (country is None) == (plan_id is None):
        raise InvalidValue(N_("Export either a country's commitments or one action plan's."))
    plan = None
    if plan_id is not None:
        plan = _plan(app, plan_id)
        if plan is None:
            raise NotFound(N_("There is no action plan %(plan)s."), plan=plan_id[:40])
        country = plan.country
    assert country is not None
    commitments = [c for c in _commitments(app, country_code(country))
                   if plan is None or (c.action_plan_id or "").upper() == plan.plan_id.upper()]
    commitments.sort(key=lambda c: ((c.action_plan_id or "").upper(), c.reference.upper()))
    output = io.StringIO()
    writer = csv.DictWriter(output, fieldnames=tpl.COLUMNS)
    writer.writeheader()
    frameworks: dict[UUID, str] = {}
    plans: dict[str, ActionPlan | None] = {}
    for commitment in commitments:
        if commitment.framework_id not in frameworks:
            framework: Framework = app.repository.get(commitment.framework_id)
            frameworks[commitment.framework_id] = framework.code
        plan_key = commitment.action_plan_id or ""
        if plan_key not in plans:
            plans[plan_key] = _plan(app, plan_key) if plan_key else None
        writer.writerow(_commitment_row(commitment, frameworks[commitment.framework_id],
                                        plans[plan_key]))
        writer.writerows(_milestone_row(commitment, item)
                         for item in commitment.milestones.values())
    return PlanExport(output.getvalue(), len(commitments),
                      sum(len(commitment.milestones) for commitment in commitments))


def _commitments(app: UseCases, country: str) -> Iterator[Commitment]:
    """Every commitment of ``country``, found by its registration in the log."""
    topic = get_topic(Commitment.Registered)
    after, upto = 0, app.max_notification_id()
    while after < upto:
        events = app.read_events(after=after, upto=upto, limit=PAGE, topics=[topic])
        if not events:
            return
        for _, event in events:
            if isinstance(event, Commitment.Registered) and event.country == country:
                yield app.repository.get(event.originator_id)
        after = events[-1][0]


def _plan(app: UseCases, plan_id: str) -> ActionPlan | None:
    plan_uuid = ActionPlan.create_id(plan_id.strip())
    if not app.exists(plan_uuid):
        return None
    plan: ActionPlan = app.repository.get(plan_uuid)
    return plan


def _commitment_row(commitment: Commitment, framework: str, plan: ActionPlan | None
                    ) -> dict[str, str]:
    row = {
        "kind": "commitment", "country": commitment.country,
        "locality": commitment.locality or "", "plan_id": commitment.action_plan_id or "",
        "reference": commitment.reference, "title_en": commitment.title,
        "text_en": commitment.description,
        "start": commitment.start_date.isoformat() if commitment.start_date else "",
        "due": commitment.end_date.isoformat() if commitment.end_date else "",
        "lead_institution": commitment.lead_institution, "themes": " ".join(commitment.themes),
        "framework": framework, **_translations(commitment.translations),
    }
    if plan is not None:
        row.update(plan_title=plan.title, plan_status=plan.status.value,
                   plan_period=tpl.format_period(plan.period_start, plan.period_end))
    return row


def _milestone_row(commitment: Commitment, item: Milestone) -> dict[str, str]:
    return {
        "kind": "milestone", "country": commitment.country, "commitment": commitment.reference,
        "reference": item.reference, "parent": item.parent or "", "title_en": item.title,
        "text_en": item.description,
        "due": item.due_date.isoformat() if item.due_date else "", "due_text": item.due_text,
        **_translations(item.translations),
    }


def _translations(translations: dict[str, dict[str, str]]) -> dict[str, str]:
    cells = {}
    for language in tpl.LANGUAGES:
        texts = translations.get(language, {})
        cells[f"title_{language}"] = texts.get("title", "")
        cells[f"text_{language}"] = texts.get("description", "")
    return cells
