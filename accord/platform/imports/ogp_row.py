"""One row of the OGP commitments dataset, read into the values Accord records.

Everything here is pure: a row becomes a plan's details, a commitment's details and the IRM's
ratings, or a ``DomainError`` that says what is wrong with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from accord.domain.countries import country_code, country_of_alpha_2
from accord.domain.errors import N_, DomainError, InvalidValue
from accord.domain.values import (
    DESCRIPTION_MAX,
    FIELD_NAMES,
    INSTITUTION_MAX,
    TITLE_MAX,
    ReportingPeriod,
    evidence_links,
)
from accord.platform.imports import ogp_values as values
from accord.platform.imports.dates import parse_date
from accord.platform.imports.table import Record

REFERENCE = "Commitment Unique Identifier"
PLAN_ID = "Action Plan ID"


@dataclass(frozen=True)
class Report:
    """One of the IRM's reports on a commitment, and the columns that give its rating."""

    kind: str
    name: str
    rating_column: str
    year_column: str
    end_of_term: bool


REPORTS = (
    Report("progress", "progress report", "Completion (Progress Report)",
           "Report Publication Year (Progress Report)", end_of_term=False),
    Report("end_of_term", "end-of-term report", "Completion (End Of Term)",
           "Report Publication Year (End Of Term)", end_of_term=True),
)

COLUMNS = (
    REFERENCE, "Country/Locality", "Code", "Action Plan Number", "Year Of Submission",
    "Action Plan End Year", "Commitment Title", "Short Title", "Full Text", "Start Date",
    "End Date", "Lead Institution", "URL", "Latest IRM Report", PLAN_ID,
    *values.THEME_COLUMNS,
    *(column for report in REPORTS for column in (report.rating_column, report.year_column)),
)
"""The columns of the official layout that the import reads (the others are left aside)."""


@dataclass(frozen=True)
class Rating:
    """What the IRM said of the commitment in one report."""

    report: Report
    status: str
    published: int | None
    period: ReportingPeriod


@dataclass(frozen=True)
class OgpRow:
    """A row's values, checked and in the form the aggregates take them."""

    reference: str
    country: str
    plan_id: str
    plan: dict[str, Any]
    commitment: dict[str, Any]
    ratings: list[Rating]
    evidence: list[str]
    notes: list[DomainError] = field(default_factory=list)


def parse_row(record: Record, today: date) -> OgpRow:
    """The values of one row; refuses a row whose values cannot be read."""
    notes: list[DomainError] = []
    country, locality = member(record["Code"], record["Country/Locality"])
    first, last = values.year(record["Year Of Submission"]), values.year(
        record["Action Plan End Year"])
    commitment = {
        "action_plan_id": record[PLAN_ID].strip() or None, "locality": locality,
        "title": _fitted(values.one_line(record["Commitment Title"])
                         or values.one_line(record["Short Title"]), "title", TITLE_MAX, notes),
        "description": _fitted(values.paragraphs(record["Full Text"]), "description",
                               DESCRIPTION_MAX, notes),
        "lead_institution": _fitted(values.one_line(record["Lead Institution"]),
                                    "lead_institution", INSTITUTION_MAX, notes),
        "themes": values.themes(record.values),
        "start_date": parse_date(record["Start Date"], end=False, field="start_date"),
        "end_date": parse_date(record["End Date"], end=True, field="end_date"),
    }
    plan = {
        "country": country, "locality": locality, "number": _number(record["Action Plan Number"]),
        "period_start": date(first, 1, 1) if first else None,
        "period_end": date(last, 12, 31) if last else None,
        "status": values.plan_status(last or first, today).value,
    }
    return OgpRow(record[REFERENCE].strip(), country, record[PLAN_ID].strip(), plan, commitment,
                  ratings(record, first, last), _links(record), notes)


def member(code: str, place: str) -> tuple[str, str | None]:
    """The country of an OGP member's code, and the locality of a local member.

    National members have ISO alpha-3 codes (or XKX); local members, such as ARBA (Buenos
    Aires), start with their country's alpha-2 code.
    """
    text = code.strip().upper()
    if len(text) == 3 or not text:
        return country_code(text), None
    country = country_of_alpha_2(text[:2]) if text[:2].isalpha() else None
    if country is None:
        raise InvalidValue(N_("%(code)s is neither a country code (ISO 3166-1 alpha-3) nor the "
                              "code of a local member (its country's two letters, then the "
                              "locality's)."), field="country", code=code.strip()[:10])
    name = values.one_line(place)
    return country, (name.rsplit(",", 1)[0].strip() if "," in name else name) or text


def ratings(record: Record, first: int | None, last: int | None) -> list[Rating]:
    """The IRM's ratings of the row's commitment, report by report (none for ND, NR, NA)."""
    found = []
    for report in REPORTS:
        status = values.completion(record[report.rating_column])
        if status is None:
            continue
        published = values.year(record[report.year_column])
        found.append(Rating(report, status, published, values.reporting_period(
            first, last, published, end_of_term=report.end_of_term)))
    return found


def _fitted(text: str, name: str, maximum: int, notes: list[DomainError]) -> str:
    """Official data cannot be corrected here: an over-long text is shortened, and said so."""
    if len(text) <= maximum:
        return text
    notes.append(InvalidValue(N_("The %(what)s had %(length)s characters; it is shortened to "
                                 "%(maximum)s."), field=name, what=FIELD_NAMES.get(name, name),
                              length=len(text), maximum=maximum))
    return values.shortened(text, maximum)


def _number(value: str) -> int | str | None:
    text = value.strip().removesuffix(".0")
    if text.upper() in ("", "ND", "NA", "NR"):
        return None
    return int(text) if text.isdigit() else text


def _links(record: Record) -> list[str]:
    """The row's page on the OGP site and the latest IRM report, when they are web links."""
    links = []
    for column in ("URL", "Latest IRM Report"):
        text = record[column].strip()
        if text.lower().startswith(("http://", "https://")):
            try:
                links += evidence_links([text])
            except InvalidValue:
                continue  # a malformed link is not evidence; the rating stands without it
    return links
