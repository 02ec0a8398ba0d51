"""Importing and exporting Accord's action-plan template, on the in-memory event store."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest

from accord.domain.action_plan import ActionPlan, PlanStatus
from accord.domain.actor import acting_as
from accord.domain.commitment import Commitment
from accord.domain.framework import Framework
from accord.platform.application import AccordApplication
from accord.platform.imports.plan import import_plan
from accord.platform.imports.plan_export import export_plan
from accord.platform.imports.report import ImportReport
from accord.platform.policy import SYSTEM
from tests.scenario import popo_application

TODAY = date(2025, 6, 1)
C03 = Commitment.create_id("CAN", "C03")
HEADER = ["kind", "country", "plan_id", "plan_title", "plan_period", "commitment", "reference",
          "parent", "title_en", "title_fr", "text_en", "text_fr", "due", "due_text", "themes"]


def template(*rows: dict[str, str], columns: list[str] | None = None) -> bytes:
    """Rows in the template, with the given columns only (blank cells where a row says none)."""
    output = io.StringIO()
    writer = csv.DictWriter(output, fieldnames=columns or HEADER, restval="",
                            extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return output.getvalue().encode()


COMMITMENT = {"kind": "commitment", "country": "CAN", "plan_id": "CA-NAP4",
              "plan_title": "Fourth plan", "plan_period": "2018-2020", "reference": "C03",
              "title_en": "Open contracting", "title_fr": "Contrats ouverts",
              "text_en": "Publish contracts.\nAll of them.", "due": "2020-06",
              "themes": "open_contracting open_data"}
MILESTONE = {"kind": "milestone", "country": "CAN", "commitment": "C03", "reference": "C03.1",
             "title_en": "A portal", "text_fr": "Un portail", "due": "2019-12-15"}
INDICATOR = {"kind": "milestone", "country": "CAN", "commitment": "C03", "reference": "C03.1.1",
             "parent": "C03.1", "title_en": "Launched", "due_text": "Fall 2019"}


@pytest.fixture
def app() -> AccordApplication:
    application = popo_application()
    application.ensure_frameworks()
    return application


def run(app: AccordApplication, data: bytes, **options: Any) -> ImportReport:
    return import_plan(app, SYSTEM, data, today=TODAY, **options)


def test_commitments_milestones_and_indicators_are_registered_with_their_translations(
        app: AccordApplication) -> None:
    report = run(app, template(COMMITMENT, MILESTONE, INDICATOR))
    assert report.summary() == (
        "imported 1 commitment (1 new, 0 changed), 1 action plan (1 new, 0 changed), "
        "2 milestones (2 new, 0 changed), 0 rejected rows")
    # The commitment: English is the main text, French a translation; a month due is its end.
    commitment = app.commitment(C03)
    assert (commitment.title, commitment.description) == ("Open contracting",
                                                          "Publish contracts.\nAll of them.")
    assert commitment.translations == {"fr": {"title": "Contrats ouverts", "description": ""}}
    assert commitment.end_date == date(2020, 6, 30)
    assert commitment.themes == ["open_contracting", "open_data"]
    assert commitment.framework_id == Framework.create_id("ogp-irm-completion")
    # The milestone and its indicator, a milestone whose parent is the milestone.
    milestone, indicator = commitment.milestones.values()
    assert (milestone.due_date, milestone.translations["fr"]["description"]) == (
        date(2019, 12, 15), "Un portail")
    assert (indicator.parent, indicator.due_text) == ("C03.1", "Fall 2019")
    # The plan, ended since 2020 is past.
    plan = app.repository.get(ActionPlan.create_id("CA-NAP4"))
    assert (plan.title, plan.status, plan.period_end) == ("Fourth plan", PlanStatus.ENDED,
                                                          date(2020, 12, 31))


def test_an_export_imports_back_without_recording_anything(app: AccordApplication) -> None:
    run(app, template(COMMITMENT, MILESTONE, INDICATOR))
    # A Portuguese translation recorded otherwise is not in the template's columns.
    commitment = app.commitment(C03)
    with acting_as(SYSTEM.account_id):
        commitment.revise_details(translations={
            **commitment.translations, "pt": {"title": "Contratos", "description": ""}})
    app.save(commitment)
    before = app.max_notification_id()
    exported = export_plan(app, SYSTEM, country="CAN")
    assert (exported.commitments, exported.milestones) == (1, 2)
    report = run(app, exported.text.encode())
    assert report.summary().startswith("imported 1 commitment (0 new, 0 changed)")
    assert app.max_notification_id() == before
    # Exporting one plan writes the same file.
    assert export_plan(app, SYSTEM, plan_id="CA-NAP4").text == exported.text


def test_a_column_left_out_keeps_the_detail_and_a_blank_cell_clears_it(
        app: AccordApplication) -> None:
    run(app, template(COMMITMENT, MILESTONE))
    # Without the columns text_en and themes, only the title changes.
    columns = ["kind", "country", "reference", "title_en", "due"]
    report = run(app, template({**COMMITMENT, "title_en": "Open contracting for all"},
                               columns=columns))
    assert report.commitments.changed == {str(C03)}
    commitment = app.commitment(C03)
    assert commitment.title == "Open contracting for all"
    assert commitment.description == "Publish contracts.\nAll of them."
    assert commitment.translations["fr"]["title"] == "Contrats ouverts"
    # With the column but a blank cell, the themes are cleared.
    run(app, template({**COMMITMENT, "themes": ""}, columns=[*columns, "themes"]))
    assert app.commitment(C03).themes == []


def test_a_changed_milestone_records_only_its_new_version(app: AccordApplication) -> None:
    run(app, template(COMMITMENT, MILESTONE, INDICATOR))
    before = app.max_notification_id()
    report = run(app, template(COMMITMENT, {**MILESTONE, "due": "2020-01"}, INDICATOR))
    assert report.milestones.changed == {f"{C03}:C03.1"}
    assert app.max_notification_id() == before + 1
    assert app.commitment(C03).milestones["C03.1"].due_date == date(2020, 1, 31)


@pytest.mark.parametrize(("row", "reason"), [
    ({**MILESTONE, "commitment": "C09"}, "There is no commitment C09 of CAN"),
    ({**INDICATOR, "parent": "C03.7"}, "There is no milestone C03.7 to attach this one to"),
    ({**MILESTONE, "commitment": ""}, "Give, in the column commitment"),
    ({**MILESTONE, "themes": "open_data"}, "The column themes is not used on a milestone's row"),
    ({**COMMITMENT, "reference": "C04", "due_text": "Soon"},
     "The column due_text is not used on a commitment's row"),
    ({**COMMITMENT, "reference": "C04", "title_en": "x" * 501},
     "The title must be 500 characters or fewer"),
    ({**COMMITMENT, "reference": "C04", "country": "XYZ"}, "XYZ is not an ISO 3166-1"),
    ({**COMMITMENT, "reference": "C04", "due": "Fall 2027"}, "YYYY-MM-DD or YYYY-MM"),
    ({**COMMITMENT, "reference": "C04", "themes": "happiness"}, "Unknown theme: happiness"),
    ({**COMMITMENT, "reference": "C04", "plan_title": "Other"}, "described otherwise on line 2"),
    ({**COMMITMENT, "kind": "indicator"}, "commitment or milestone (not: indicator)"),
    ({**MILESTONE}, "The milestone C03.1 is already on line 4"),
])
def test_a_bad_row_is_rejected_with_its_line_and_nothing_is_recorded(
        app: AccordApplication, row: dict[str, str], reason: str) -> None:
    before = app.max_notification_id()
    # The bad row comes after a commitment (two lines: its text has a newline) and a milestone.
    report = run(app, template(COMMITMENT, MILESTONE, row))
    [rejected] = report.rejected
    assert rejected.line == 5
    assert reason in str(rejected.error)
    assert not report.applied
    assert app.max_notification_id() == before


def test_with_skip_invalid_the_valid_rows_are_recorded(app: AccordApplication) -> None:
    report = run(app, template(COMMITMENT, {**MILESTONE, "title_en": ""}, INDICATOR),
                 skip_invalid=True)
    # The milestone has no title, so its indicator has no parent: both are rejected.
    assert [(m.line, str(m.error)) for m in report.rejected] == [
        (4, "Enter the title."), (5, "There is no milestone C03.1 to attach this one to.")]
    assert report.applied
    assert app.exists(C03)
    assert app.commitment(C03).milestones == {}


def test_a_bare_plan_id_links_the_commitment_without_registering_a_plan(
        app: AccordApplication) -> None:
    run(app, template({**COMMITMENT, "plan_title": "", "plan_period": ""}))
    assert app.commitment(C03).action_plan_id == "CA-NAP4"
    assert not app.exists(ActionPlan.create_id("CA-NAP4"))


def test_the_framework_of_a_registered_commitment_cannot_change(app: AccordApplication) -> None:
    columns = [*HEADER, "framework"]
    run(app, template(COMMITMENT, columns=columns))
    report = run(app, template({**COMMITMENT, "framework": "ti-pledge-tracker"},
                               columns=columns))
    assert "registered under another framework" in str(report.rejected[0].error)
