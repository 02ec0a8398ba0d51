"""Reading the commitment-progress read model: what the public pages show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, select

from accord.database import Database
from accord.domain.agreement import Agreement
from accord.projections import tables
from accord.projections.commitment_queries import (
    ClaimView,
    CommitmentPage,
    Remember,
    StatusLabel,
    TimelineEntry,
    commitment_page,
    overdue,
    status_label,
)
from accord.projections.day import today

__all__ = ["ClaimView", "CommitmentPage", "CommitmentRow", "CountryCounts", "ProgressQueries",
           "Remember", "StatusLabel", "TimelineEntry"]


@dataclass(frozen=True)
class CountryCounts:
    """How many of a country's commitments are in each agreement state."""

    country: str
    agreed: int
    contested: int
    awaiting_government: int
    awaiting_civil_society: int
    not_reported: int
    total: int
    overdue: int = 0

    def count(self, agreement: Agreement) -> int:
        """The number of commitments in ``agreement``."""
        return int(getattr(self, agreement.value))


@dataclass(frozen=True)
class CommitmentRow:
    """A commitment as listed on a country page."""

    commitment_id: str
    country: str
    action_plan_id: str | None
    reference: str
    title: str
    lead_institution: str
    framework_id: str
    agreement: Agreement
    government_status: StatusLabel | None
    civil_society_statuses: list[StatusLabel]
    civil_society_reports: int
    last_change_at: datetime
    reviewer_status: StatusLabel | None = None
    end_date: date | None = None
    overdue: bool = False


class ProgressQueries:
    """Read-only queries on the progress read model."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def country_counts(self) -> list[CountryCounts]:
        """Counts per country, for every country with commitments."""
        with self.database.reader.connect() as connection:
            rows = connection.execute(select(tables.countries)).mappings().all()
            late = _overdue_counts(connection)
        return [CountryCounts(**row, overdue=late.get(row["country"], 0)) for row in rows]

    def country_codes(self) -> list[str]:
        """Every country with commitments, by code."""
        n = tables.countries
        with self.database.reader.connect() as connection:
            return list(connection.execute(select(n.c.country).order_by(n.c.country)).scalars())

    def country(self, country: str) -> CountryCounts | None:
        """Counts for one country, or None if it has no commitments."""
        with self.database.reader.connect() as connection:
            row = connection.execute(
                select(tables.countries).where(tables.countries.c.country == country)
            ).mappings().first()
            late = _overdue_counts(connection, country)
        return CountryCounts(**row, overdue=late.get(country, 0)) if row else None

    def commitments(self, country: str, *, agreement: Agreement | None = None,
                    theme: str | None = None, only_overdue: bool = False
                    ) -> list[CommitmentRow]:
        """A country's commitments, optionally only those in one agreement state or theme,
        or only the overdue ones."""
        c = tables.commitments
        query = select(c).where(c.c.country == country).order_by(c.c.reference)
        if agreement is not None:
            query = query.where(c.c.agreement == agreement.value)
        if only_overdue:
            query = query.where(is_overdue())
        if theme:
            themed = select(tables.commitment_themes.c.commitment_id).where(
                tables.commitment_themes.c.theme == theme)
            query = query.where(c.c.commitment_id.in_(themed))
        with self.database.reader.connect() as connection:
            rows = connection.execute(query).mappings().all()
            labels = current_labels(connection)
        return [commitment_row(row, labels) for row in rows]

    def themes(self, country: str) -> list[str]:
        """The themes used by a country's commitments."""
        t, c = tables.commitment_themes, tables.commitments
        query = (select(t.c.theme).distinct()
                 .join(c, c.c.commitment_id == t.c.commitment_id)
                 .where(c.c.country == country).order_by(t.c.theme))
        with self.database.reader.connect() as connection:
            return list(connection.execute(query).scalars())

    def commitment_page(self, commitment_id: str, remember: Remember | None = None
                        ) -> CommitmentPage | None:
        """The commitment, both sides' claims and its timeline; None if there is no such one.
        With ``remember``, what many commitments' pages read alike is read once into it
        (see ``commitment_queries.commitment_page``)."""
        with self.database.reader.connect() as connection:
            return commitment_page(connection, commitment_id, remember=remember)


def current_labels(connection: Connection) -> dict[tuple[str, str], StatusLabel]:
    s, f = tables.statuses, tables.frameworks
    rows = connection.execute(
        select(s).join(f, (f.c.framework_id == s.c.framework_id)
                       & (f.c.current_version == s.c.version))
    ).mappings()
    return {(row["framework_id"], row["code"]): status_label(row) for row in rows}


def commitment_row(row: Any, labels: dict[tuple[str, str], StatusLabel]) -> CommitmentRow:
    framework_id = row["framework_id"]

    def label(code: str) -> StatusLabel:
        return labels.get((framework_id, code)) or StatusLabel(code, code, "", 0, False)

    government, reviewer = row["government_status"], row["reviewer_status"]
    return CommitmentRow(
        commitment_id=row["commitment_id"], country=row["country"],
        action_plan_id=row["action_plan_id"], reference=row["reference"], title=row["title"],
        lead_institution=row["lead_institution"], framework_id=framework_id,
        agreement=Agreement(row["agreement"]),
        government_status=label(government) if government else None,
        civil_society_statuses=[label(code) for code in row["civil_society_statuses"].split()],
        civil_society_reports=row["civil_society_reports"],
        last_change_at=row["last_change_at"],
        reviewer_status=label(reviewer) if reviewer else None,
        end_date=row["end_date"], overdue=overdue(row["end_date"], row["settled"]),
    )


def is_overdue() -> Any:
    c = tables.commitments
    return (c.c.end_date < today()) & c.c.settled.is_(False)


def _overdue_counts(connection: Connection, country: str | None = None) -> dict[str, int]:
    c = tables.commitments
    query = select(c.c.country, func.count()).where(is_overdue()).group_by(c.c.country)
    if country is not None:
        query = query.where(c.c.country == country)
    return {row[0]: int(row[1]) for row in connection.execute(query)}
