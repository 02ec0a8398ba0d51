"""Reading an uploaded CSV file, and the values of the action-plan template."""

from __future__ import annotations

import re
from datetime import date

import pytest

from accord.domain.errors import InvalidValue
from accord.platform.imports.table import ImportFileError, read_table
from accord.platform.imports.template import (
    REQUIRED,
    format_period,
    plan_period,
    template_date,
    theme_codes,
)


def test_each_record_knows_the_line_it_starts_on_counting_newlines_inside_fields() -> None:
    data = (b'kind,reference,title_en\r\n'
            b'commitment,C01,"A title"\r\n'
            b'commitment,C02,"A text\non three\nlines"\r\n'
            b'\r\n'
            b'milestone,C02.1,After a blank line\r\n')
    table = read_table(data, required=["kind", "reference"])
    # The header is line 1; the record after the three-line one starts on line 6.
    assert [record.line for record in table.records] == [2, 3, 7]
    assert table.records[1]["title_en"] == "A text\non three\nlines"
    assert table.records[2]["reference"] == "C02.1"
    # A column the file does not have reads as empty.
    assert table.records[0]["due"] == ""


def test_a_byte_order_mark_and_spaces_around_column_names_are_accepted() -> None:
    table = read_table("\ufeffkind , reference\ncommitment,C01\n".encode(),
                       required=["kind", "reference"])
    assert table.columns == ("kind", "reference")
    assert table.records[0]["kind"] == "commitment"


@pytest.mark.parametrize(("data", "message"), [
    (b"", "The file is empty."),
    (b"\n\n", "The file is empty."),
    (b"PK\x03\x04\x00\x00binary", "binary file"),
    ("kind,reference\ncommitment,Café\n".encode("latin-1"), "not UTF-8"),
    (b"name,value\nx,1\n", "2 missing (kind, reference)"),
    (b"kind,reference,kind\nx,y,z\n", "The column kind appears more than once"),
    (b"kind,reference,titel_en\nx,y,z\n", "a column this import does not know: titel_en"),
    (b'kind,reference\ncommitment,"C01\n', "not a CSV file that can be read"),
    (b"kind,reference\ncommitment,C01,extra\n", "Line 2 has 3 values"),
])
def test_a_file_that_cannot_be_imported_is_refused_with_a_clear_message(
        data: bytes, message: str) -> None:
    with pytest.raises(ImportFileError, match=re.escape(message)) as refused:
        read_table(data, required=["kind", "reference"], allowed=["kind", "reference", "due"])
    # The message is about the file, so that a form shows it beside the file field.
    assert refused.value.field == "file"


def test_the_template_requires_only_kind_country_reference_and_english_title() -> None:
    assert REQUIRED == ("kind", "country", "reference", "title_en")


def test_template_dates_are_days_or_months() -> None:
    assert template_date("2020-06-15", end=True, field="due_date") == date(2020, 6, 15)
    # A month: its first day as a start, its last day as a due date.
    assert template_date("2024-02", end=False, field="start_date") == date(2024, 2, 1)
    assert template_date("2024-02", end=True, field="due_date") == date(2024, 2, 29)
    assert template_date(" ", end=True, field="due_date") is None
    for written in ("Fall 2027", "2020-13", "2020-02-30", "15/06/2020"):
        with pytest.raises(InvalidValue, match="YYYY-MM-DD or YYYY-MM"):
            template_date(written, end=True, field="due_date")


def test_a_plan_period_reads_back_as_it_is_written() -> None:
    # Whole years, written as a span of years.
    assert plan_period("2018-2020") == (date(2018, 1, 1), date(2020, 12, 31))
    assert format_period(date(2018, 1, 1), date(2020, 12, 31)) == "2018-2020"
    # Other days, written as two dates; one end may be missing.
    assert plan_period("2018-07-01/2020-06-30") == (date(2018, 7, 1), date(2020, 6, 30))
    for start, end in [(date(2018, 7, 1), date(2020, 6, 30)), (date(2018, 1, 1), None),
                       (None, date(2020, 6, 30)), (None, None)]:
        assert plan_period(format_period(start, end)) == (start, end)
    with pytest.raises(InvalidValue, match="2018-2020"):
        plan_period("two years")


def test_themes_are_separated_by_spaces_or_commas() -> None:
    assert theme_codes("open_data  open_contracting,lobbying") == [
        "open_data", "open_contracting", "lobbying"]
