"""The rows of a list of commitments (country, plan, theme and search pages), written in
Python rather than by the template, as ``paragraphs`` writes texts: fifty rows took the
template about 1.5 ms, a quarter of a country page's time.

The template (public/_commitments.html) still decides every text and tag a row shows: it
translates them once per list and passes them here (``RowParts``), and keeps the table
around the rows. Here each row puts them together with its own values, every one escaped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import ngettext
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from accord.domain.countries import country_name
from accord.projections.queries import CommitmentRow
from accord.web.i18n import quick_format_date


@dataclass(frozen=True)
class RowParts:
    """What every row of a list may show, made once for the list by its template."""

    show_country: bool
    show_plan: bool
    address: Callable[[str], str]
    """A commitment's address, from its id."""
    plan: Callable[[object], Markup]
    """"Action plan <id>", from the plan's id."""
    overdue: Markup
    """The overdue tag."""
    due: Callable[[object], Markup]
    """"due <date>", from the date as text."""
    no_report: Markup
    """What a cell says when its party has not reported."""
    agreement_tags: Mapping[Any, Markup]
    """Each agreement state's tag, by state."""


@pass_context
def commitment_rows(context: Context, rows: Iterable[CommitmentRow], parts: RowParts
                    ) -> Markup:
    """The ``<tr>`` of each row, as public/_commitments.html lays out its table."""
    reports: dict[int, str] = {}
    written: list[str] = []
    add = written.append
    for row in rows:
        add(f'\n      <tr id="commitment-{escape(row.commitment_id)}">\n'
            f"        <td>{escape(row.reference)}</td>\n"
            f'        <td><a href="{escape(parts.address(row.commitment_id))}">'
            f"{escape(row.title)}</a>")
        if parts.show_country:
            add(f'<br><span class="meta">{escape(country_name(row.country))}</span>')
        if row.action_plan_id and parts.show_plan:
            add(f'<br><span class="meta">{parts.plan(row.action_plan_id)}</span>')
        if row.overdue:
            due = quick_format_date(context, row.end_date)
            add(f'<br>{parts.overdue} <span class="meta">{parts.due(due)}</span>')
        add('</td>\n        <td class="col-government">')
        add(_status(row.government_status, parts.no_report))
        add('</td>\n        <td class="col-civil-society">')
        if row.civil_society_statuses:
            add(", ".join(_status(label, parts.no_report)
                          for label in row.civil_society_statuses))
            number = row.civil_society_reports
            if number > 1:
                text = reports.get(number)
                if text is None:
                    text = reports[number] = str(escape(
                        ngettext("%(num)d report", "%(num)d reports", number)))
                add(f'<br><span class="meta">{text}</span>')
        else:
            add(parts.no_report)
        add('</td>\n        <td class="col-reviewer">')
        add(_status(row.reviewer_status, parts.no_report))
        add(f'</td>\n        <td class="col-agreement">{parts.agreement_tags[row.agreement]}'
            "</td>\n      </tr>")
    return Markup("".join(written))  # noqa: S704 (every value is escaped above)


def _status(label: Any, no_report: Markup) -> str:
    return f'<span class="status">{escape(label.label)}</span>' if label else no_report
