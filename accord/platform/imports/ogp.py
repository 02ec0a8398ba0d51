"""Importing the OGP commitments dataset in its official layout.

Each row registers (or revises) its action plan and its commitment, and records the IRM's
completion ratings as claims of the independent reviewer. Ids are derived from the data, so
importing the same file again records nothing, and a changed row records only its changes.
See docs/imports.md.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid5

from accord.domain.action_plan import ActionPlan
from accord.domain.claims import Claim
from accord.domain.commitment import Commitment
from accord.domain.errors import N_, InvalidValue
from accord.domain.framework import Framework
from accord.domain.ids import ACCORD_NAMESPACE
from accord.domain.organisation import Organisation, OrganisationKind
from accord.domain.values import REASON_MAX, Party
from accord.platform.base import UseCases
from accord.platform.errors import NotFound
from accord.platform.imports.common import Progress, WorkingSet, run_import
from accord.platform.imports.ogp_row import COLUMNS, OgpRow, Rating, parse_row
from accord.platform.imports.report import ImportReport, RowMessage
from accord.platform.imports.table import Record, read_table
from accord.platform.policy import Actor

FRAMEWORK_CODE = "ogp-irm-completion"
IRM_ORGANISATION = uuid5(ACCORD_NAMESPACE, "organisation:ogp-irm")
IRM_NAME = "OGP Independent Reporting Mechanism"
SOURCE_NAME_MAX = 200


def import_ogp(app: UseCases, actor: Actor, data: bytes, *, skip_invalid: bool = False,
               source_name: str = "", progress: Progress | None = None,
               today: date | None = None) -> ImportReport:
    """Import the OGP commitments dataset (CSV bytes, official layout); see ``run_import``."""
    table = read_table(data, required=COLUMNS)
    day = today or date.today()

    def importer(work: WorkingSet, report: ImportReport) -> OgpImporter:
        return OgpImporter(work, report, today=day, source_name=source_name)

    return run_import(app, actor, table, importer, kind="ogp", skip_invalid=skip_invalid,
                      progress=progress)


def irm_claim_id(commitment_id: UUID, kind: str, status: str, replaces: str | None) -> str:
    """The IRM's claim of ``status`` in one report; a revision also names what it replaces."""
    return str(uuid5(ACCORD_NAMESPACE,
                     f"ogp-irm-claim:{commitment_id}:{kind}:{status}:{replaces or ''}"))


class OgpImporter:
    """Applies the rows of one pass over the dataset to the working set."""

    def __init__(self, work: WorkingSet, report: ImportReport, *, today: date,
                 source_name: str) -> None:
        self.work = work
        self.report = report
        self.today = today
        self.source = " ".join(source_name.split())[:SOURCE_NAME_MAX] or "an OGP dataset file"
        framework = work.get(Framework, Framework.create_id(FRAMEWORK_CODE))
        if framework is None:
            raise NotFound(N_("The %(code)s framework is not defined."), code=FRAMEWORK_CODE)
        self.framework = framework
        self.lines: dict[str, int] = {}
        self.plans: dict[str, tuple[int, dict[str, Any]]] = {}

    def row(self, record: Record) -> None:
        """Record the row's plan, commitment and ratings (in memory)."""
        row = parse_row(record, self.today)
        self._first_mention(row.reference.upper(), record.line)
        if row.plan_id:
            self._plan(row, record.line)
        commitment = self._commitment(row)
        for rating in row.ratings:
            self._rating(commitment, rating, row.evidence)
        self.report.notes += [RowMessage(record.line, note) for note in row.notes]

    def _first_mention(self, reference: str, line: int) -> None:
        if reference in self.lines:
            raise InvalidValue(N_("The commitment %(reference)s is already on line %(line)s."),
                               field="reference", reference=reference[:40],
                               line=self.lines[reference])
        self.lines[reference] = line

    def _plan(self, row: OgpRow, line: int) -> None:
        seen = self.plans.get(row.plan_id.upper())
        if seen is not None:
            if seen[1] != row.plan:
                raise InvalidValue(N_("The action plan %(plan)s is described otherwise on line "
                                      "%(line)s (country, number or years)."),
                                   field="action_plan_id", plan=row.plan_id[:40], line=seen[0])
            return
        plan = self.work.get(ActionPlan, ActionPlan.create_id(row.plan_id))
        if plan is None:
            plan = ActionPlan.register(plan_id=row.plan_id, **row.plan)
            self.work.add(plan)
            self.report.plans.touched(plan.plan_id, new=True)
        else:
            self.report.plans.touched(plan.plan_id, changed=plan.revise(**row.plan))
        self.plans[row.plan_id.upper()] = (line, row.plan)

    def _commitment(self, row: OgpRow) -> Commitment:
        commitment = self.work.get(Commitment, Commitment.create_id(row.country, row.reference))
        if commitment is None:
            details = dict(row.commitment)
            commitment = Commitment.register(country=row.country, reference=row.reference,
                                             title=details.pop("title"),
                                             framework_id=self.framework.id, **details)
            self.work.add(commitment)
            self.report.commitments.touched(str(commitment.id), new=True)
            return commitment
        if commitment.framework_id != self.framework.id:
            raise InvalidValue(N_("The commitment %(reference)s is registered under another "
                                  "framework."), field="reference", reference=row.reference)
        changed = commitment.revise_details(**row.commitment)
        self.report.commitments.touched(str(commitment.id), changed=changed)
        return commitment

    def _rating(self, commitment: Commitment, rating: Rating, evidence: list[str]) -> None:
        kind = rating.report.kind
        current = self._current(commitment, kind)
        if current is not None and current.status == rating.status:
            return
        replaces = current.claim_id if current else None
        claim_id = irm_claim_id(commitment.id, kind, rating.status, replaces)
        if claim_id in commitment.claims:
            return
        vocabulary = self.framework.current
        label = vocabulary.require(rating.status).label
        commitment.claim_status(
            claim_id=claim_id, party=Party.INDEPENDENT_REVIEWER,
            organisation_id=str(self._irm().id), status=rating.status, vocabulary=vocabulary,
            narrative=_narrative(rating, label), evidence=evidence, period=rating.period,
            replaces=replaces, language="en",
            revision_reason=None if current is None else self._reason(rating, label, current))
        self.report.claims += 1

    def _current(self, commitment: Commitment, kind: str) -> Claim | None:
        """The IRM's active claim of one report, found by following its chain of revisions."""
        if not commitment.claims:
            return None
        firsts = (irm_claim_id(commitment.id, kind, status.code, None)
                  for status in self.framework.current.statuses)
        claim = next((commitment.claims[i] for i in firsts if i in commitment.claims), None)
        while claim is not None and claim.replaced_by is not None:
            claim = commitment.claims.get(claim.replaced_by)
        return claim if claim is not None and claim.active else None

    def _irm(self) -> Organisation:
        organisation = self.work.get(Organisation, IRM_ORGANISATION)
        if organisation is None:
            organisation = Organisation.register(name=IRM_NAME, kind=OrganisationKind.REVIEWER,
                                                 countries=[], organisation_id=IRM_ORGANISATION)
            self.work.add(organisation)
        return organisation

    def _reason(self, rating: Rating, label: str, current: Claim) -> str:
        previous = self.framework.current.get(current.status)
        reason = (f"The import of {self.source} on {self.today.isoformat()} gives the IRM's "
                  f"{rating.report.name} rating as {label} (it was "
                  f"{previous.label if previous else current.status}).")
        return reason[:REASON_MAX]


def _narrative(rating: Rating, label: str) -> str:
    published = (f", published in {rating.published}" if rating.published
                 else " (year of publication not given)")
    return (f"The OGP Independent Reporting Mechanism (IRM) rated this commitment {label} in "
            f"its {rating.report.name}{published}. Imported from the OGP commitments dataset.")
