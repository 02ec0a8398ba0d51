"""Reading an uploaded CSV file: its columns, and each record with the line it starts on."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from accord.domain.errors import N_, InvalidValue

MISSING_SHOWN = 5
"""How many missing column names an error message lists."""


class ImportFileError(InvalidValue):
    """The file as a whole cannot be imported: not CSV, empty, or without the right columns."""


@dataclass(frozen=True)
class Record:
    """One row of the file, by column name, with the line of the file where it starts."""

    line: int
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values.get(column, "")


@dataclass(frozen=True)
class Table:
    """A CSV file: its header and its records, in file order."""

    columns: tuple[str, ...]
    records: list[Record]


def read_table(data: bytes, *, required: Sequence[str], allowed: Sequence[str] | None = None
               ) -> Table:
    """Parse ``data`` as UTF-8 CSV with a header row; refuse a file that is not one.

    ``required`` columns must all be there; with ``allowed``, no other column may be.
    Line numbers count the newlines inside quoted fields, as a text editor does.
    """
    text = _text(data)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            raise ImportFileError(N_("The file is empty."), field="file")
        columns = tuple(cell.strip() for cell in header)
        _check_columns(columns, required, allowed)
        records = list(_records(reader, columns))
    except csv.Error as error:
        raise ImportFileError(N_("The file is not a CSV file that can be read (line %(line)s: "
                                 "%(problem)s)."), field="file", line=reader.line_num,
                              problem=str(error)[:200]) from None
    return Table(columns, records)


def _text(data: bytes) -> str:
    if not data.strip():
        raise ImportFileError(N_("The file is empty."), field="file")
    if b"\x00" in data[:4096]:
        raise ImportFileError(N_("The file is not a CSV file (it looks like a binary file, "
                                 "such as a spreadsheet or a PDF)."), field="file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(N_("The file is not UTF-8 text; save it as \"CSV UTF-8\" and try "
                                 "again."), field="file") from None


def _check_columns(columns: tuple[str, ...], required: Sequence[str],
                   allowed: Sequence[str] | None) -> None:
    missing = [name for name in required if name not in columns]
    if missing:
        shown = ", ".join(missing[:MISSING_SHOWN]) + (", ..." if len(missing) > MISSING_SHOWN
                                                      else "")
        raise ImportFileError(N_("The file does not have the columns of this kind of import: "
                                 "%(count)s missing (%(columns)s)."), field="file",
                              count=len(missing), columns=shown)
    repeated = sorted({name for name in columns if columns.count(name) > 1 and name})
    if repeated:
        raise ImportFileError(N_("The column %(column)s appears more than once."), field="file",
                              column=repeated[0][:60])
    if allowed is not None:
        unknown = [name for name in columns if name and name not in allowed]
        if unknown:
            raise ImportFileError(N_("The file has a column this import does not know: "
                                     "%(column)s."), field="file", column=unknown[0][:60])


def _records(reader: Any, columns: tuple[str, ...]) -> Iterator[Record]:
    line = reader.line_num + 1
    for cells in reader:
        if any(cell.strip() for cell in cells):
            if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns):]):
                raise ImportFileError(N_("Line %(line)s has %(count)s values where the header "
                                         "has %(columns)s columns."), field="file", line=line,
                                      count=len(cells), columns=len(columns))
            yield Record(line, dict(zip(columns, cells, strict=False)))
        line = reader.line_num + 1
