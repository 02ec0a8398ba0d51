"""Accord's action-plan template: its columns, and how its values are written and read.

One row per commitment or milestone; see docs/imports.md for the full description.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from accord.domain.errors import N_, InvalidValue
from accord.domain.values import FIELD_NAMES

LANGUAGES = ("fr", "es")
"""The languages besides English that the template has columns for."""

PLAN_COLUMNS = ("plan_title", "plan_period", "plan_status")
COMMITMENT_ONLY = ("locality", "plan_id", *PLAN_COLUMNS, "start", "lead_institution", "themes",
                   "framework")
MILESTONE_ONLY = ("parent", "due_text")

COLUMNS = (
    "kind", "country", "locality", "plan_id", "plan_title", "plan_period", "plan_status",
    "commitment", "reference", "parent",
    "title_en", "title_fr", "title_es", "text_en", "text_fr", "text_es",
    "start", "due", "due_text", "lead_institution", "themes", "framework",
)
"""Every column, in the order an export writes them."""

REQUIRED = ("kind", "country", "reference", "title_en")
"""The columns a file must have; a missing optional column leaves that detail as it is."""

DEFAULT_FRAMEWORK = "ogp-irm-completion"

_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_YEARS = re.compile(r"(\d{4})\s*[-\u2013]\s*(\d{4})")  # a hyphen or an en dash


def template_date(value: str, *, end: bool, field: str) -> date | None:
    """A date written YYYY-MM-DD, or YYYY-MM (its first day, or its last with ``end``)."""
    text = value.strip()
    if not text:
        return None
    day, month = _DAY.fullmatch(text), _MONTH.fullmatch(text)
    try:
        if day:
            return date(int(day[1]), int(day[2]), int(day[3]))
        if month:
            year, number = int(month[1]), int(month[2])
            return date(year, number, calendar.monthrange(year, number)[1] if end else 1)
    except ValueError:
        pass
    raise InvalidValue(N_("Give the %(what)s as YYYY-MM-DD or YYYY-MM (not: %(value)s)."),
                       field=field, what=FIELD_NAMES.get(field, field), value=text[:40])


def plan_period(value: str) -> tuple[date | None, date | None]:
    """An action plan's period: 2018-2020 (whole years), or 2018-07-01/2020-06-30."""
    text = value.strip()
    years = _YEARS.fullmatch(text)
    if years:
        return date(int(years[1]), 1, 1), date(int(years[2]), 12, 31)
    if "/" in text:
        start, _, end = text.partition("/")
        return (template_date(start, end=False, field="period_start"),
                template_date(end, end=True, field="period_end"))
    if text:
        raise InvalidValue(N_("Give the action plan's period as 2018-2020, or as "
                              "2018-07-01/2020-06-30 (not: %(value)s)."), field="plan_period",
                           value=text[:40])
    return None, None


def format_period(start: date | None, end: date | None) -> str:
    """The period as ``plan_period`` reads it back."""
    if start is None and end is None:
        return ""
    if start and end and (start.month, start.day) == (1, 1) and (end.month, end.day) == (12, 31):
        return f"{start.year}-{end.year}"
    return f"{start.isoformat() if start else ''}/{end.isoformat() if end else ''}"


def theme_codes(value: str) -> list[str]:
    """Theme codes separated by spaces (or commas)."""
    return value.replace(",", " ").split()
