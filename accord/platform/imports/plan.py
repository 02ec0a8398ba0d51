"""Importing Accord's action-plan template: commitments and their milestones, one per row.

A column the file leaves out leaves that detail as it is; a blank cell clears it. English is
the main text; French and Spanish go into the translations. See docs/imports.md.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date
from typing import Any

from accord.domain.action_plan import ActionPlan, PlanStatus
from accord.domain.commitment import Commitment
from accord.domain.countries import country_code
from accord.domain.errors import N_, InvalidValue
from accord.domain.framework import Framework
from accord.domain.milestones import Milestone, milestone
from accord.domain.values import reference as checked_reference
from accord.platform.base import UseCases
from accord.platform.imports import template as tpl
from accord.platform.imports.common import Progress, WorkingSet, run_import
from accord.platform.imports.ogp_values import plan_status
from accord.platform.imports.report import ImportReport
from accord.platform.imports.table import Record, read_table
from accord.platform.policy import Actor


def import_plan(app: UseCases, actor: Actor, data: bytes, *, skip_invalid: bool = False,
                progress: Progress | None = None, today: date | None = None) -> ImportReport:
    """Import a file in the action-plan template (CSV bytes); see ``run_import``."""
    table = read_table(data, required=tpl.REQUIRED, allowed=tpl.COLUMNS)
    day = today or date.today()

    def importer(work: WorkingSet, report: ImportReport) -> PlanImporter:
        return PlanImporter(work, report, columns=table.columns, today=day)

    return run_import(app, actor, table, importer, kind="plan", skip_invalid=skip_invalid,
                      progress=progress)


class PlanImporter:
    """Applies the rows of one pass over a template file to the working set."""

    def __init__(self, work: WorkingSet, report: ImportReport, *, columns: Collection[str],
                 today: date) -> None:
        self.work = work
        self.report = report
        self.columns = frozenset(columns)
        self.today = today
        self.lines: dict[tuple[str, ...], int] = {}
        self.plans: dict[str, tuple[int, dict[str, Any]]] = {}

    def row(self, record: Record) -> None:
        """Record the row's commitment (and its plan) or milestone, in memory."""
        kind = record["kind"].strip().lower()
        if kind == "commitment":
            self._commitment(record)
        elif kind == "milestone":
            self._milestone(record)
        else:
            raise InvalidValue(N_("The kind of a row is commitment or milestone (not: "
                                  "%(kind)s)."), field="kind", kind=kind[:20])

    # -- commitments ---------------------------------------------------------------------------

    def _commitment(self, record: Record) -> None:
        _blank(record, tpl.MILESTONE_ONLY)
        country = country_code(record["country"])
        reference = checked_reference(record["reference"])
        if record["commitment"].strip() not in ("", reference):
            raise InvalidValue(N_("On a commitment's row, the column commitment is empty (or "
                                  "repeats its reference)."), field="commitment")
        self._first_mention(("commitment", country, reference.upper()), record.line)
        if record["plan_id"].strip():
            self._plan(record, country)
        commitment = self.work.get(Commitment, Commitment.create_id(country, reference))
        details = self._details(record, commitment)
        if commitment is None:
            framework = self._framework(record["framework"].strip() or tpl.DEFAULT_FRAMEWORK)
            commitment = Commitment.register(country=country, reference=reference,
                                             title=details.pop("title"),
                                             framework_id=framework.id, **details)
            self.work.add(commitment)
            self.report.commitments.touched(str(commitment.id), new=True)
            return
        code = record["framework"].strip()
        if code and self._framework(code).id != commitment.framework_id:
            raise InvalidValue(N_("The commitment %(reference)s is registered under another "
                                  "framework, which cannot be changed."), field="framework",
                               reference=reference)
        self.report.commitments.touched(str(commitment.id),
                                        changed=commitment.revise_details(**details))

    def _details(self, record: Record, current: Commitment | None) -> dict[str, Any]:
        """The commitment's details that the file's columns give."""
        readers: dict[str, tuple[str, Callable[[str], Any]]] = {
            "plan_id": ("action_plan_id", lambda v: v.strip() or None),
            "locality": ("locality", lambda v: v.strip() or None),
            "title_en": ("title", str), "text_en": ("description", str),
            "start": ("start_date", lambda v: tpl.template_date(v, end=False,
                                                                field="start_date")),
            "due": ("end_date", lambda v: tpl.template_date(v, end=True, field="end_date")),
            "lead_institution": ("lead_institution", str), "themes": ("themes", tpl.theme_codes),
        }
        details = {name: read(record[column]) for column, (name, read) in readers.items()
                   if column in self.columns}
        if self._has_translations():
            details["translations"] = self._translations(
                record, current.translations if current else {})
        return details

    def _plan(self, record: Record, country: str) -> None:
        plan_id = checked_reference(record["plan_id"])
        if not any(record[column].strip() for column in tpl.PLAN_COLUMNS):
            return  # a bare plan id links the commitment to its plan, and describes nothing
        details: dict[str, Any] = {"country": country}
        if "locality" in self.columns:
            details["locality"] = record["locality"].strip() or None
        if "plan_title" in self.columns:
            details["title"] = record["plan_title"]
        if "plan_period" in self.columns:
            details["period_start"], details["period_end"] = tpl.plan_period(
                record["plan_period"])
        if record["plan_status"].strip():
            details["status"] = _status(record["plan_status"])
        self._register_or_revise(plan_id, details, record.line)

    def _register_or_revise(self, plan_id: str, details: dict[str, Any], line: int) -> None:
        seen = self.plans.get(plan_id.upper())
        if seen is not None:
            if seen[1] != details:
                raise InvalidValue(N_("The action plan %(plan)s is described otherwise on line "
                                      "%(line)s."), field="plan_id", plan=plan_id, line=seen[0])
            return
        plan = self.work.get(ActionPlan, ActionPlan.create_id(plan_id))
        if plan is None:
            end = details.get("period_end")
            status = plan_status(end.year if end else None, self.today)
            plan = ActionPlan.register(plan_id=plan_id, **{"status": status, **details})
            self.work.add(plan)
            self.report.plans.touched(plan.plan_id, new=True)
        else:
            self.report.plans.touched(plan.plan_id, changed=plan.revise(**details))
        self.plans[plan_id.upper()] = (line, details)

    def _framework(self, code: str) -> Framework:
        framework = self.work.get(Framework, Framework.create_id(code))
        if framework is None:
            raise InvalidValue(N_("There is no framework %(code)s."), field="framework",
                               code=code[:60])
        return framework

    # -- milestones ----------------------------------------------------------------------------

    def _milestone(self, record: Record) -> None:
        _blank(record, tpl.COMMITMENT_ONLY)
        country = country_code(record["country"])
        owner = record["commitment"].strip()
        if not owner:
            raise InvalidValue(N_("Give, in the column commitment, the reference of the "
                                  "commitment this milestone belongs to."), field="commitment")
        commitment = self.work.get(Commitment, Commitment.create_id(country, owner))
        if commitment is None:
            raise InvalidValue(N_("There is no commitment %(reference)s of %(country)s: register "
                                  "it first, on an earlier row."), field="commitment",
                               reference=owner[:40], country=country)
        reference = checked_reference(record["reference"])
        self._first_mention(("milestone", str(commitment.id), reference), record.line)
        current = commitment.milestones.get(reference)
        proposed = self._milestone_fields(record, reference, current)
        key = f"{commitment.id}:{reference}"
        if current is None:
            commitment.add_milestone(proposed)
            self.report.milestones.touched(key, new=True)
        else:
            self.report.milestones.touched(key, changed=commitment.revise_milestone(proposed))

    def _milestone_fields(self, record: Record, reference: str, current: Milestone | None
                          ) -> Milestone:
        kept = current or Milestone(reference, "")
        present = self.columns.__contains__
        return milestone(
            reference=reference, title=record["title_en"],
            description=record["text_en"] if present("text_en") else kept.description,
            due_date=tpl.template_date(record["due"], end=True, field="due_date")
            if present("due") else kept.due_date,
            due_text=record["due_text"] if present("due_text") else kept.due_text,
            parent=(record["parent"].strip() or None) if present("parent") else kept.parent,
            translations=self._translations(record, kept.translations)
            if self._has_translations() else kept.translations)

    # -- shared --------------------------------------------------------------------------------

    def _has_translations(self) -> bool:
        return any(f"{part}_{language}" in self.columns
                   for part in ("title", "text") for language in tpl.LANGUAGES)

    def _translations(self, record: Record, current: dict[str, dict[str, str]]
                      ) -> dict[str, dict[str, str]]:
        """French and Spanish from the file; other languages as they are recorded."""
        merged = {language: dict(texts) for language, texts in current.items()}
        for language in tpl.LANGUAGES:
            entry = merged.setdefault(language, {"title": "", "description": ""})
            for part, name in (("title", "title"), ("text", "description")):
                if f"{part}_{language}" in self.columns:
                    entry[name] = record[f"{part}_{language}"]
        return merged

    def _first_mention(self, key: tuple[str, ...], line: int) -> None:
        if key in self.lines:
            raise InvalidValue(N_("The %(kind)s %(reference)s is already on line %(line)s."),
                               field="reference", kind=key[0], reference=key[-1][:40],
                               line=self.lines[key])
        self.lines[key] = line


def _blank(record: Record, columns: tuple[str, ...]) -> None:
    filled = [column for column in columns if record[column].strip()]
    if filled:
        raise InvalidValue(N_("The column %(column)s is not used on a %(kind)s's row; leave it "
                              "empty."), field=filled[0], column=filled[0],
                           kind=record["kind"].strip().lower())


def _status(value: str) -> str:
    try:
        return PlanStatus(value.strip().lower()).value
    except ValueError:
        raise InvalidValue(N_("An action plan's status is development, implementation or ended "
                              "(not: %(value)s)."), field="plan_status",
                           value=value.strip()[:20]) from None
