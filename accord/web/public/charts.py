"""Charts drawn on the server as SVG shapes: no script, no inline styles."""

from __future__ import annotations

from dataclasses import dataclass

from accord.domain.agreement import Agreement
from accord.projections.queries import CountryCounts

BAR_WIDTH = 100.0


@dataclass(frozen=True)
class Segment:
    """One agreement state's share of a country's bar."""

    agreement: Agreement
    count: int
    x: float
    width: float


def country_bars(rows: list[CountryCounts]) -> dict[str, list[Segment]]:
    """For each country, its bar split into agreement states, in a fixed order."""
    return {row.country: _segments(row) for row in rows}


def _segments(row: CountryCounts) -> list[Segment]:
    segments, x = [], 0.0
    for agreement in Agreement:
        count = row.count(agreement)
        if count and row.total:
            width = round(BAR_WIDTH * count / row.total, 3)
            segments.append(Segment(agreement, count, round(x, 3), width))
            x += width
    return segments
