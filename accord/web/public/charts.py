"""Charts drawn on the server as SVG shapes: no script, no inline styles.

Every bar is a share of a whole, on a scale of 0 to ``BAR_WIDTH``; the templates draw it in a
``viewBox`` of that width and colour it with a CSS class. The numbers are always given in a
table beside the chart as well.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from accord.domain.agreement import Agreement
from accord.projections.queries import CountryCounts
from accord.projections.theme_queries import ThemeCountry

BAR_WIDTH = 100.0


@dataclass(frozen=True)
class Segment:
    """One agreement state's share of a country's bar."""

    agreement: Agreement
    count: int
    x: float
    width: float


@dataclass(frozen=True)
class Bar:
    """One count drawn as a bar: its share of ``BAR_WIDTH``; ``kind`` names its CSS class."""

    kind: str
    count: int
    width: float


def share(count: int, total: int) -> float:
    """``count`` out of ``total`` on the chart's scale."""
    return round(BAR_WIDTH * count / total, 3) if total else 0.0


def totals(rows: Iterable[CountryCounts]) -> CountryCounts:
    """The counts of every country added up."""
    rows = list(rows)
    return CountryCounts(
        country="", **{name: sum(getattr(row, name) for row in rows) for name in (
            "agreed", "contested", "awaiting_government", "awaiting_civil_society",
            "not_reported", "total", "overdue")})


def overall_bars(counts: CountryCounts) -> list[Bar]:
    """One bar per agreement state, then one for the overdue commitments."""
    return [Bar(state.value, counts.count(state), share(counts.count(state), counts.total))
            for state in Agreement] + [
        Bar("overdue", counts.overdue, share(counts.overdue, counts.total))]


def country_bars(rows: list[CountryCounts]) -> dict[str, list[Segment]]:
    """For each country, its bar split into agreement states, in a fixed order."""
    return {row.country: _segments(row) for row in rows}


def overdue_bars(rows: list[CountryCounts]) -> dict[str, Bar]:
    """For each country, the share of its commitments that are overdue."""
    return {row.country: Bar("overdue", row.overdue, share(row.overdue, row.total))
            for row in rows}


def theme_bars(rows: list[ThemeCountry]) -> dict[str, list[Bar]]:
    """For each country, three bars over its commitments on the theme: agreed complete by
    both sides, claimed complete by the government, claimed complete by civil society."""
    return {row.country: [
        Bar("agreed_complete", row.agreed_complete, share(row.agreed_complete, row.total)),
        Bar("government_complete", row.government.complete,
            share(row.government.complete, row.total)),
        Bar("civil_society_complete", row.civil_society.complete,
            share(row.civil_society.complete, row.total)),
    ] for row in rows}


def _segments(row: CountryCounts) -> list[Segment]:
    segments, x = [], 0.0
    for agreement in Agreement:
        count = row.count(agreement)
        if count and row.total:
            width = share(count, row.total)
            segments.append(Segment(agreement, count, round(x, 3), width))
            x += width
    return segments
