"""Value objects and the validation rules shared by the aggregates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from urllib.parse import urlsplit

from accord.domain.errors import N_, InvalidValue

TITLE_MAX = 500
REFERENCE_MAX = 40
DESCRIPTION_MAX = 30_000
INSTITUTION_MAX = 300
NARRATIVE_MAX = 20_000
REASON_MAX = 2_000
EVIDENCE_LINKS_MAX = 20
LINK_MAX = 2_000
THEMES_MAX = 20

EARLIEST_DATE = date(1990, 1, 1)
LATEST_DATE = date(2100, 12, 31)

_REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*")

FIELD_NAMES: dict[str, str] = {
    "reference": N_("reference"),
    "title": N_("title"),
    "description": N_("description"),
    "lead_institution": N_("lead institution"),
    "start_date": N_("start date"),
    "end_date": N_("end date"),
    "narrative": N_("explanation"),
    "revision_reason": N_("reason for the revision"),
    "reason": N_("reason"),
    "period_start": N_("first day of the reporting period"),
    "period_end": N_("last day of the reporting period"),
    "name": N_("name"),
    "text": N_("text"),
    "due_text": N_("deadline"),
    "due_date": N_("due date"),
    "plan_title": N_("title of the action plan"),
    "label": N_("label"),
    "definition": N_("definition"),
    "note": N_("note"),
}
"""How messages name each field (translated by the web layer, like the messages)."""


def _named(field: str) -> str:
    return FIELD_NAMES.get(field, field)


class Party(StrEnum):
    """Who makes a status claim. The independent reviewer (such as the OGP's IRM) is shown
    beside the two sides but does not count in their agreement."""

    GOVERNMENT = "government"
    CIVIL_SOCIETY = "civil_society"
    INDEPENDENT_REVIEWER = "independent_reviewer"


SIDES = (Party.GOVERNMENT, Party.CIVIL_SOCIETY)
"""The two parties whose claims decide whether a commitment is agreed or contested."""


def required_text(value: str, *, field: str, maximum: int) -> str:
    """Return ``value`` stripped, refusing empty or over-long text."""
    text = value.strip()
    if not text:
        raise InvalidValue(N_("Enter the %(what)s."), field=field, what=_named(field))
    return limited_text(text, field=field, maximum=maximum)


def limited_text(value: str, *, field: str, maximum: int) -> str:
    """Return ``value`` stripped, refusing text longer than ``maximum`` characters."""
    text = value.strip()
    if len(text) > maximum:
        raise InvalidValue(
            N_("The %(what)s must be %(maximum)s characters or fewer."),
            field=field,
            what=_named(field),
            maximum=maximum,
        )
    return text


def reference(value: str) -> str:
    """Return a commitment reference such as ``AL0050``, refusing malformed ones."""
    text = required_text(value, field="reference", maximum=REFERENCE_MAX)
    if not _REFERENCE.fullmatch(text):
        raise InvalidValue(
            N_("The reference may use only letters, digits, '.', '_', '/' and '-'."),
            field="reference",
        )
    return text


def evidence_links(links: list[str]) -> list[str]:
    """Return the evidence links, each an absolute http(s) address, without duplicates."""
    cleaned = list(dict.fromkeys(link.strip() for link in links if link.strip()))
    if len(cleaned) > EVIDENCE_LINKS_MAX:
        raise InvalidValue(
            N_("Give at most %(maximum)s evidence links."),
            field="evidence",
            maximum=EVIDENCE_LINKS_MAX,
        )
    for link in cleaned:
        parts = urlsplit(link)
        if len(link) > LINK_MAX or parts.scheme not in ("http", "https") or not parts.netloc:
            raise InvalidValue(
                N_("Each evidence link must be a web address starting with https:// or "
                   "http:// (not valid: %(link)s)."),
                field="evidence",
                link=link[:100],
            )
    return cleaned


def in_range(value: date, *, field: str) -> date:
    """Refuse dates outside the years a commitment can plausibly concern."""
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise InvalidValue(
            N_("The %(what)s must be between %(earliest)s and %(latest)s."),
            field=field,
            what=_named(field),
            earliest=EARLIEST_DATE.isoformat(),
            latest=LATEST_DATE.isoformat(),
        )
    return value


@dataclass(frozen=True)
class ReportingPeriod:
    """The period of time a status claim reports on, both ends included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        in_range(self.start, field="period_start")
        in_range(self.end, field="period_end")
        if self.end < self.start:
            raise InvalidValue(
                N_("The reporting period must end on or after the day it starts."),
                field="period_end",
            )

    @classmethod
    def parse(cls, start: str, end: str) -> ReportingPeriod:
        """Build a period from ISO dates as they are stored in events."""
        return cls(date.fromisoformat(start), date.fromisoformat(end))
