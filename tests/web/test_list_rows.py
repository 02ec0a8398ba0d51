"""The rows of a list of commitments, which Python writes (accord/web/list_rows.py) from the
parts its template makes once per list."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from bs4 import BeautifulSoup
from flask import Flask, render_template_string
from markupsafe import Markup

from accord.domain.agreement import Agreement
from accord.projections.commitment_queries import StatusLabel
from accord.projections.queries import CommitmentRow
from accord.web.i18n import ROW_VALUE, per_row
from accord.web.list_rows import RowParts


def label(text: str) -> StatusLabel:
    return StatusLabel(text.lower(), text, "", 1, False)


ROW = CommitmentRow(
    commitment_id="c-1", country="GHA", action_plan_id="AP<1>", reference='R&"1',
    title="<b>Open</b> contracts", lead_institution="", framework_id="ogp",
    agreement=Agreement.CONTESTED, government_status=label("Limited <b>&</b> slow"),
    civil_society_statuses=[label("Substantial"), None],  # type: ignore[list-item]
    civil_society_reports=2, last_change_at=datetime(2024, 1, 1, tzinfo=UTC),
    reviewer_status=None, end_date=date(2020, 6, 30), overdue=True)
QUIET = replace(ROW, commitment_id="c-2", reference="R2", action_plan_id=None,
                government_status=None, civil_society_statuses=[], civil_society_reports=0,
                reviewer_status=label("Complete"), agreement=Agreement.NOT_REPORTED,
                overdue=False)
ONE_REPORT = replace(QUIET, commitment_id="c-3", reference="R3",
                     civil_society_statuses=[label("Started")], civil_society_reports=1)
PARTS = RowParts(
    show_country=True, show_plan=True,
    address=lambda commitment_id: f"/commitments/{commitment_id}?a=1&b=2",
    plan=per_row(Markup("Action plan <i>%s</i>") % ROW_VALUE),
    overdue=Markup('<strong class="tag tag--overdue">Overdue</strong>'),
    due=per_row(f"due {ROW_VALUE}"),
    no_report=Markup('<span class="status status--none">No report</span>'),
    agreement_tags={state: Markup('<strong class="tag">%s</strong>') % state
                    for state in Agreement})


def rows(app: Flask, parts: RowParts = PARTS) -> tuple[str, list[list[BeautifulSoup]]]:
    with app.test_request_context("/"):
        written = render_template_string("<table>{{ commitment_rows(rows, parts) }}</table>",
                                         rows=[ROW, QUIET, ONE_REPORT], parts=parts)
    soup = BeautifulSoup(written, "html.parser")
    return written, [row.find_all("td") for row in soup.find_all("tr")]


def text(cell: BeautifulSoup) -> str:
    return " ".join(cell.get_text(" ").split())


def test_each_row_shows_its_values_escaped_with_the_lists_parts(app: Flask) -> None:
    written, (first, second, third) = rows(app)
    assert written.count("<tr ") == 3  # markup, not escaped again by the template
    assert [text(cell) for cell in first] == [
        'R&"1', "<b>Open</b> contracts Ghana Action plan AP<1> Overdue due Jun 30, 2020",
        "Limited <b>&</b> slow", "Substantial , No report 2 reports", "No report", "contested"]
    link = first[1].find("a")
    assert link["href"] == "/commitments/c-1?a=1&b=2"
    assert link.find("b") is None  # the title is text
    assert first[1].find("i").get_text() == "AP<1>"
    assert first[1].find("strong", class_="tag--overdue") is not None
    assert first[2].find("b") is None  # so is a status's label
    assert [text(cell) for cell in second] == [
        "R2", "<b>Open</b> contracts Ghana", "No report", "No report", "Complete",
        "not_reported"]
    assert text(third[3]) == "Started"  # one report is not counted


def test_a_list_that_names_its_country_and_plan_leaves_them_out_of_its_rows(
        app: Flask) -> None:
    _, (first, *_) = rows(app, replace(PARTS, show_country=False, show_plan=False))
    assert text(first[1]) == "<b>Open</b> contracts Overdue due Jun 30, 2020"


def test_rows_are_identified_for_links_to_them(app: Flask) -> None:
    written, _ = rows(app)
    soup = BeautifulSoup(written, "html.parser")
    assert [row["id"] for row in soup.find_all("tr")] == ["commitment-c-1", "commitment-c-2",
                                                            "commitment-c-3"]
