"""Reading action plans from the progress read model: a country's plans, one plan's commitments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, select

from accord.database import Database
from accord.domain.agreement import Agreement
from accord.projections import tables
from accord.projections.day import today
from accord.projections.queries import StatusLabel


@dataclass(frozen=True)
class PlanSummary:
    """An action plan as a country's list of plans shows it."""

    plan_id: str
    country: str
    locality: str | None
    number: int | None
    title: str
    period_start: date | None
    period_end: date | None
    status: str
    commitments: int


@dataclass(frozen=True)
class PlanCommitment:
    """One commitment of a plan: where each side, and the independent reviewer, stand."""

    commitment_id: str
    reference: str
    title: str
    framework_id: str
    end_date: date | None
    agreement: Agreement
    government_status: StatusLabel | None
    civil_society_statuses: list[StatusLabel]
    reviewer_status: StatusLabel | None
    overdue: bool


@dataclass(frozen=True)
class PlanPage:
    """An action plan and its commitments, in reference order."""

    plan: PlanSummary
    commitments: list[PlanCommitment]

    @property
    def overdue(self) -> int:
        """How many of its commitments are overdue."""
        return sum(1 for commitment in self.commitments if commitment.overdue)


class PlanQueries:
    """Read-only queries on action plans and their commitments."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def plans(self, country: str) -> list[PlanSummary]:
        """A country's action plans, newest period first, with how many commitments each has."""
        p = tables.plans
        query = (select(p, _commitment_count()).where(p.c.country == country)
                 .order_by(p.c.period_start.desc().nulls_last(), p.c.plan_id))
        with self.database.reader.connect() as connection:
            rows = connection.execute(query).mappings().all()
        return [_summary(row) for row in rows]

    def plan_id(self, plan_id: str) -> str | None:
        """The id of the plan called ``plan_id`` (in any case) as it was registered, or None
        if there is no such plan."""
        p = tables.plans
        with self.database.reader.connect() as connection:
            found = connection.execute(select(p.c.plan_id).where(
                func.upper(p.c.plan_id) == plan_id.upper())).scalar()
        return None if found is None else str(found)

    def plan(self, plan_id: str, on: date | None = None) -> PlanPage | None:
        """The plan with this id (any case) and its commitments, overdue as of ``on`` (today
        by default); None if no plan has this id."""
        p, c = tables.plans, tables.commitments
        with self.database.reader.connect() as connection:
            row = connection.execute(
                select(p, _commitment_count()).where(func.upper(p.c.plan_id) == plan_id.upper())
            ).mappings().first()
            if row is None:
                return None
            commitments = connection.execute(
                select(c).where(c.c.action_plan_id == row["plan_id"]).order_by(c.c.reference)
            ).mappings().all()
            labels = _current_labels(connection, {r["framework_id"] for r in commitments})
        day = on or today()
        return PlanPage(_summary(row), [_commitment(r, labels, day) for r in commitments])


def _commitment_count() -> Any:
    c = tables.commitments
    return (select(func.count()).where(c.c.action_plan_id == tables.plans.c.plan_id)
            .scalar_subquery().label("commitments"))


def _summary(row: Any) -> PlanSummary:
    return PlanSummary(
        plan_id=row["plan_id"], country=row["country"], locality=row["locality"],
        number=row["number"], title=row["title"], period_start=row["period_start"],
        period_end=row["period_end"], status=row["status"], commitments=row["commitments"])


def _commitment(row: Any, labels: dict[tuple[str, str], StatusLabel], day: date
                ) -> PlanCommitment:
    framework_id = row["framework_id"]

    def label(code: str | None) -> StatusLabel | None:
        if not code:
            return None
        return labels.get((framework_id, code)) or StatusLabel(code, code, "", 0, False)

    end_date = row["end_date"]
    return PlanCommitment(
        commitment_id=row["commitment_id"], reference=row["reference"], title=row["title"],
        framework_id=framework_id, end_date=end_date, agreement=Agreement(row["agreement"]),
        government_status=label(row["government_status"]),
        civil_society_statuses=[label(code) or StatusLabel(code, code, "", 0, False)
                                for code in row["civil_society_statuses"].split()],
        reviewer_status=label(row["reviewer_status"]),
        overdue=end_date is not None and end_date < day and not row["settled"],
    )


def _current_labels(connection: Connection, framework_ids: set[str]
                    ) -> dict[tuple[str, str], StatusLabel]:
    """Each framework's statuses in its current vocabulary, by (framework, code)."""
    s, f = tables.statuses, tables.frameworks
    rows = connection.execute(
        select(s).join(f, (f.c.framework_id == s.c.framework_id)
                       & (f.c.current_version == s.c.version))
        .where(s.c.framework_id.in_(sorted(framework_ids)))
    ).mappings()
    return {(row["framework_id"], row["code"]):
            StatusLabel(row["code"], row["label"], row["definition"], row["rank"],
                        row["complete"])
            for row in rows}
