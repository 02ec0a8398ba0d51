"""The OGP dataset's values in Accord's terms: policy areas, IRM ratings, periods, texts."""

from __future__ import annotations

import re
from datetime import date

from accord.domain.action_plan import PlanStatus
from accord.domain.errors import N_, InvalidValue
from accord.domain.values import EARLIEST_DATE, LATEST_DATE, ReportingPeriod

THEME_COLUMNS: dict[str, str] = {
    "Anti-Corruption and Integrity": "anti_corruption",
    "Asset Disclosure": "asset_disclosure",
    "Beneficial Ownership": "beneficial_ownership",
    "Lobbying": "lobbying",
    "Open Contracting": "open_contracting",
    "Public Procurement": "public_procurement",
    "Right To Information": "access_to_information",
    "Whistleblower Protections": "whistleblower_protection",
    "Civic Space and Enabling Environment": "civic_space",
    "Fiscal Openness": "fiscal_openness",
    "Open Data": "open_data",
    "Extractive Industries": "extractive_industries",
    "Access to information": "access_to_information",
}
"""Policy-area flag column to Accord theme code; a flag of 1 tags the commitment."""

COMPLETION: dict[str, str] = {
    "no evidence available": "no_evidence",
    "not started": "not_started",
    "limited": "limited",
    "substantial": "substantial",
    "complete": "complete",
    "completed": "complete",
    "withdrawn": "withdrawn",
    "unclear": "unclear",
}
"""IRM completion value (lower case) to the status code of the ogp-irm-completion framework."""

NOT_RATED = frozenset({"", "nd", "nr", "na", "n/a"})
"""No data, not reviewed, not applicable: the IRM gave no rating."""

FLAG_SET = frozenset({"1", "1.0", "yes", "true"})

ELLIPSIS = "…"


def themes(flags: dict[str, str]) -> list[str]:
    """The theme codes of the policy-area flags set to 1, in a fixed order, without repeats."""
    codes = [code for column, code in THEME_COLUMNS.items()
             if flags.get(column, "").strip().lower() in FLAG_SET]
    return list(dict.fromkeys(codes))


def completion(value: str) -> str | None:
    """The status code of an IRM completion value; None when the IRM gave none."""
    text = " ".join(value.split()).lower()
    if text in NOT_RATED:
        return None
    code = COMPLETION.get(text)
    if code is None:
        raise InvalidValue(N_("\"%(value)s\" is not an IRM completion rating (Not Started, "
                              "Limited, Substantial, Complete, Withdrawn, Unclear, or ND, NR, "
                              "NA for none)."), field="status", value=value.strip()[:40])
    return code


def year(value: str) -> int | None:
    """A year number, or None when the cell holds none (ND, NR, empty)."""
    text = value.strip().removesuffix(".0")
    if re.fullmatch(r"\d{4}", text) and EARLIEST_DATE.year <= int(text) <= LATEST_DATE.year:
        return int(text)
    return None


def plan_status(last_year: int | None, today: date) -> PlanStatus:
    """An action plan has ended once its last year is past; until then it is implemented."""
    if last_year is not None and last_year < today.year:
        return PlanStatus.ENDED
    return PlanStatus.IMPLEMENTATION


def reporting_period(first: int | None, last: int | None, published: int | None, *,
                     end_of_term: bool) -> ReportingPeriod:
    """The period an IRM report covers, from the plan's years and the report's year.

    It starts on 1 January of the plan's first year. A progress report covers the plan up to
    the end of the year before it was published (it is written during the plan); an
    end-of-term report covers the whole plan. Neither ends before the first year nor after
    the last. A year that is not given is taken from the others.
    """
    first = first or last or published
    if first is None:
        raise InvalidValue(N_("The row gives no year for the action plan or the IRM report, so "
                              "the period of the rating is unknown."), field="period_start")
    last = max(last or first, first)
    end = last if end_of_term else min(max((published or first + 1) - 1, first), last)
    return ReportingPeriod(date(first, 1, 1), date(end, 12, 31))


def one_line(value: str) -> str:
    """A text on one line: newlines and runs of spaces become single spaces."""
    return " ".join(value.split())


def paragraphs(value: str) -> str:
    """A text with Unix newlines, without trailing spaces on its lines."""
    lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


def shortened(value: str, maximum: int) -> str:
    """``value`` cut at a word boundary to at most ``maximum`` characters, ending with "…"."""
    if len(value) <= maximum:
        return value
    cut = value[:maximum - len(ELLIPSIS)]
    if " " in cut[maximum // 2:]:
        cut = cut[:cut.rindex(" ")]
    return cut.rstrip(" ,;:.-") + ELLIPSIS
