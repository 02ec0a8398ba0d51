"""Dates as the OGP dataset writes them, in all their forms.

A value names a day or a span (a month, a quarter, a season, a year). A start date takes the
first day of the span and an end date its last day. Sentinels (NA, ND, NR, "Underway"...) mean
no date. Numeric dates are month/day/year, as the dataset mostly writes them, unless the first
number cannot be a month (31/12/2014 is day/month/year). Two-digit years are 20xx. A day in
July 1905 is a year number that a spreadsheet turned into a date (7/16/1905 is day 2024 of
Excel's calendar): it stands for that year.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from accord.domain.errors import N_, InvalidValue
from accord.domain.values import FIELD_NAMES

NO_DATE = frozenset({"", "na", "n/a", "nd", "nr", "none", "underway", "ongoing", "tbd",
                     "not specified", "-"})
"""Values that say there is no date."""

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9

SEASONS = {"spring": (3, 5), "summer": (6, 8), "fall": (9, 11), "autumn": (9, 11),
           "winter": (1, 2)}
"""Months of each season (northern hemisphere; winter is the start of the year)."""

EXCEL_EPOCH = date(1899, 12, 30)
"""Day 0 of a spreadsheet's date serial numbers."""

_NUMERIC = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?")
_YEAR = re.compile(r"(?:19|20)\d\d")
_MONTH_YEAR = re.compile(r"([a-z]+)\.?,?\s+(\d{4})")
_MONTH_DAY_YEAR = re.compile(r"([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})\s+([a-z]+)\.?,?\s+(\d{4})")
_QUARTER = re.compile(r"(?:quarter\s*([1-4])|q([1-4])|([1-4])(?:st|nd|rd|th)\s+quarter),?\s+"
                      r"(?:of\s+)?(\d{4})")
_SEASON = re.compile(r"(spring|summer|fall|autumn|winter),?\s+(?:of\s+)?(\d{4})")

Span = tuple[date, date]


def parse_date(value: str, *, end: bool, field: str = "date") -> date | None:
    """The date ``value`` stands for: the first day of its span, or the last with ``end``.

    None for a sentinel; refuses text that is not a date in any form the dataset uses.
    """
    text = " ".join(value.split()).lower()
    if text in NO_DATE:
        return None
    span = _span(text)
    if span is None:
        raise InvalidValue(N_("The %(what)s \"%(value)s\" is not a date this import "
                              "understands."), field=field, what=FIELD_NAMES.get(field, field),
                           value=value.strip()[:40])
    return span[1] if end else span[0]


def _span(text: str) -> Span | None:
    for parse in (_numeric, _iso, _named, _quarter, _season, _year):
        span = parse(text)
        if span is not None:
            return span
    return None


def _numeric(text: str) -> Span | None:
    match = _NUMERIC.fullmatch(text)
    if match is None:
        return None
    first, second, year = int(match[1]), int(match[2]), int(match[3])
    if year < 100:
        year += 2000
    month, day = (second, first) if first > 12 else (first, second)
    day_given = _day(year, month, day)
    if day_given is not None and day_given.year == 1905:
        return _from_serial(day_given)
    return None if day_given is None else (day_given, day_given)


def _from_serial(day: date) -> Span | None:
    """A year typed into a date column, shown back as a day of 1905."""
    year = (day - EXCEL_EPOCH).days
    return _year_span(year) if 1990 <= year <= 2100 else (day, day)


def _iso(text: str) -> Span | None:
    match = _ISO.fullmatch(text)
    if match is None:
        return None
    year, month = int(match[1]), int(match[2])
    if match[3] is None:
        return _month_span(year, month)
    day = _day(year, month, int(match[3]))
    return None if day is None else (day, day)


def _named(text: str) -> Span | None:
    match = _MONTH_YEAR.fullmatch(text)
    if match is not None and match[1] in MONTHS:
        return _month_span(int(match[2]), MONTHS[match[1]])
    for pattern, month_at, day_at in ((_MONTH_DAY_YEAR, 1, 2), (_DAY_MONTH_YEAR, 2, 1)):
        match = pattern.fullmatch(text)
        if match is not None and match[month_at] in MONTHS:
            day = _day(int(match[3]), MONTHS[match[month_at]], int(match[day_at]))
            return None if day is None else (day, day)
    return None


def _quarter(text: str) -> Span | None:
    match = _QUARTER.fullmatch(text)
    if match is None:
        return None
    quarter = int(match[1] or match[2] or match[3])
    return _months_span(int(match[4]), 3 * quarter - 2, 3 * quarter)


def _season(text: str) -> Span | None:
    match = _SEASON.fullmatch(text)
    if match is None:
        return None
    first, last = SEASONS[match[1]]
    return _months_span(int(match[2]), first, last)


def _year(text: str) -> Span | None:
    return _year_span(int(text)) if _YEAR.fullmatch(text) else None


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _year_span(year: int) -> Span:
    return date(year, 1, 1), date(year, 12, 31)


def _month_span(year: int, month: int) -> Span | None:
    return _months_span(year, month, month) if 1 <= month <= 12 else None


def _months_span(year: int, first: int, last: int) -> Span:
    following = date(year + (last == 12), last % 12 + 1, 1)
    return date(year, first, 1), following - timedelta(days=1)
