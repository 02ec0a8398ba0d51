"""The real data files for the import tests, and small tools to edit copies of them."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).parents[1].parent / "shared" / "data"
"""``../shared/data`` beside the project: real files that are not part of the project."""

OGP_SAMPLE = "ogp_commitments_sample.csv"
CANADA_TRACKER = "canada_nap_tracker.csv"


def shared_file(name: str) -> Path:
    """The path of a shared real data file, or skip the test, saying why."""
    path = SHARED_DATA / name
    if not path.is_file():
        pytest.skip(f"the real data file {name} is not in {SHARED_DATA} (it is shared beside "
                    "the project, not part of it)")
    return path


Rows = list[dict[str, str]]


def edited(path: Path, edit: Callable[[Rows], None]) -> tuple[bytes, list[int]]:
    """A copy of the CSV file at ``path`` after ``edit`` changed its rows, and the line on
    which each record starts in the copy (newlines inside fields counted)."""
    with path.open(newline="", encoding="utf-8") as source:
        reader = csv.DictReader(source)
        columns = list(reader.fieldnames or [])
        rows = list(reader)
    edit(rows)
    return written(columns, rows)


def written(columns: list[str], rows: Rows) -> tuple[bytes, list[int]]:
    """The rows as CSV, with the line on which each row starts."""
    output = io.StringIO(newline="")
    writer = csv.DictWriter(output, fieldnames=columns)
    writer.writeheader()
    lines = []
    for row in rows:
        lines.append(output.getvalue().count("\n") + 1)
        writer.writerow(row)
    return output.getvalue().encode("utf-8"), lines


def row_index(rows: Rows, reference: str) -> int:
    """The index of the row of the commitment ``reference``."""
    return next(i for i, row in enumerate(rows) if row["Commitment Unique Identifier"] == reference)
