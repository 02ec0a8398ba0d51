"""Commitments as CSV: stable, documented columns (docs/open-data.md), safe to open in a
spreadsheet.

The file is UTF-8 with a byte order mark, so that spreadsheet programs read accented names
correctly instead of guessing a legacy encoding; programs reading it should use the
``utf-8-sig`` codec (or skip the mark). Rows end with CRLF, as RFC 4180 says.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from accord.domain.countries import country_name
from accord.projections.queries import CommitmentRow, StatusLabel
from accord.web.opendata.records import Linker, by_template, day, timestamp

BOM = "\ufeff"

COLUMNS = (
    "id", "country", "country_name", "action_plan", "reference", "title", "lead_institution",
    "end_date", "overdue", "agreement", "government_status", "government_status_label",
    "civil_society_statuses", "civil_society_status_labels", "civil_society_reports",
    "reviewer_status", "reviewer_status_label", "last_change", "url",
)
"""The header row. Columns are only ever added at the end, so that readers relying on their
positions keep working."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet program would take as the start of a formula (or strip before one)."""

SEPARATOR = "; "
"""Between the statuses of several civil-society reporters in one cell."""


def neutralised(value: str) -> str:
    """``value`` as a cell that no spreadsheet runs as a formula: a leading quote makes
    programs show the text as it is."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def commitment_cells(row: CommitmentRow, link: Linker) -> list[str]:
    """The cells of one commitment, in the order of ``COLUMNS``."""
    return [
        row.commitment_id, row.country, country_name(row.country), row.action_plan_id or "",
        row.reference, row.title, row.lead_institution, day(row.end_date) or "",
        "yes" if row.overdue else "no", row.agreement.value,
        _code(row.government_status), _label(row.government_status),
        SEPARATOR.join(label.code for label in row.civil_society_statuses),
        SEPARATOR.join(label.label for label in row.civil_society_statuses),
        str(row.civil_society_reports),
        _code(row.reviewer_status), _label(row.reviewer_status),
        timestamp(row.last_change_at), link("public.commitment", commitment_id=row.commitment_id),
    ]


def commitments_csv(rows: Iterable[CommitmentRow], link: Linker) -> str:
    """The whole file: the mark, the header row, then one row per commitment."""
    return "".join(commitments_csv_chunks(rows, link))


def commitments_csv_chunks(rows: Iterable[CommitmentRow], link: Linker, *,
                           rows_per_chunk: int = 200) -> Iterator[str]:
    """The same file in pieces of ``rows_per_chunk`` rows, to send as they are made."""
    link = by_template(link)
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for count, row in enumerate(rows, start=1):
        writer.writerow([neutralised(cell) for cell in commitment_cells(row, link)])
        if count % rows_per_chunk == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def _code(label: StatusLabel | None) -> str:
    return label.code if label else ""


def _label(label: StatusLabel | None) -> str:
    return label.label if label else ""
