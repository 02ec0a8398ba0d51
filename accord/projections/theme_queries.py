"""Reading commitments by theme: the themes in use, and one theme compared across countries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import Connection, func, select

from accord.database import Database
from accord.domain.agreement import Agreement
from accord.projections import tables


@dataclass(frozen=True)
class ThemeSummary:
    """A theme in use: how many commitments carry it, in how many countries."""

    theme: str
    commitments: int
    countries: int


@dataclass
class SideCounts:
    """How far one side says a country's commitments have got."""

    complete: int = 0
    other: int = 0  # a status that is not a complete one
    unreported: int = 0

    def add(self, statuses: list[bool]) -> None:
        """Count one commitment from the completeness of the side's current statuses: complete
        when every one is, unreported when there is none."""
        if not statuses:
            self.unreported += 1
        elif all(statuses):
            self.complete += 1
        else:
            self.other += 1


@dataclass
class ThemeCountry:
    """One country's commitments on a theme: agreed complete, and what each side claims."""

    country: str
    total: int = 0
    agreed_complete: int = 0
    government: SideCounts = field(default_factory=SideCounts)
    civil_society: SideCounts = field(default_factory=SideCounts)


class ThemeQueries:
    """Read-only queries on commitments grouped by theme."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def themes(self) -> list[ThemeSummary]:
        """Every theme that at least one commitment carries, by code."""
        t, c = tables.commitment_themes, tables.commitments
        query = (select(t.c.theme, func.count(), func.count(c.c.country.distinct()))
                 .join(c, c.c.commitment_id == t.c.commitment_id)
                 .group_by(t.c.theme).order_by(t.c.theme))
        with self.database.reader.connect() as connection:
            return [ThemeSummary(row[0], int(row[1]), int(row[2]))
                    for row in connection.execute(query)]

    def comparison(self, theme: str) -> list[ThemeCountry]:
        """For each country with commitments on ``theme`` (by code): how many are agreed by
        both sides at a complete status, and how far each side says they have got."""
        t, c = tables.commitment_themes, tables.commitments
        query = (select(c.c.country, c.c.framework_id, c.c.agreement, c.c.government_status,
                        c.c.civil_society_statuses)
                 .join(t, t.c.commitment_id == c.c.commitment_id)
                 .where(t.c.theme == theme).order_by(c.c.country))
        with self.database.reader.connect() as connection:
            rows = connection.execute(query).all()
            complete = _complete_statuses(connection, {row.framework_id for row in rows})
        countries: dict[str, ThemeCountry] = {}
        for row in rows:
            country = countries.setdefault(row.country, ThemeCountry(row.country))
            government = _completeness(row.framework_id, [row.government_status], complete)
            country.total += 1
            country.government.add(government)
            country.civil_society.add(_completeness(
                row.framework_id, row.civil_society_statuses.split(), complete))
            if row.agreement == Agreement.AGREED.value and government == [True]:
                country.agreed_complete += 1
        return list(countries.values())


def _completeness(framework_id: str, codes: Iterable[str | None],
                  complete: set[tuple[str, str]]) -> list[bool]:
    return [(framework_id, code) in complete for code in codes if code]


def _complete_statuses(connection: Connection, framework_ids: set[str]
                       ) -> set[tuple[str, str]]:
    """(framework, code) of every complete status in each framework's current vocabulary."""
    s, f = tables.statuses, tables.frameworks
    query = (select(s.c.framework_id, s.c.code)
             .join(f, (f.c.framework_id == s.c.framework_id)
                   & (f.c.current_version == s.c.version))
             .where(s.c.complete.is_(True), s.c.framework_id.in_(sorted(framework_ids))))
    return {(row[0], row[1]) for row in connection.execute(query)}
