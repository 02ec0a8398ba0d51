"""Importing rows of the OGP dataset, on the in-memory event store, with hand-written rows."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest

from accord.domain.action_plan import ActionPlan, PlanStatus
from accord.domain.agreement import Agreement
from accord.domain.commitment import Commitment
from accord.domain.organisation import Organisation, OrganisationKind
from accord.domain.values import Party
from accord.platform.application import AccordApplication
from accord.platform.errors import NotPermitted
from accord.platform.imports.ogp import IRM_ORGANISATION, import_ogp
from accord.platform.imports.ogp_row import COLUMNS
from accord.platform.policy import Actor
from tests.scenario import popo_application

STEWARD = Actor("steward-account", "stewards", OrganisationKind.STEWARD)
TODAY = date(2025, 6, 1)
ALBANIA = Commitment.create_id("ALB", "AL0002")


def row(**values: str) -> dict[str, str]:
    """A plausible row of the dataset, with ``values`` changed (keys with spaces as _)."""
    fields = {column: "0" for column in COLUMNS}
    fields.update({
        "Commitment Unique Identifier": "AL0002", "Country/Locality": "Albania", "Code": "ALB",
        "Action Plan ID": "AP_ALB01", "Action Plan Number": "1", "Year Of Submission": "2012",
        "Action Plan End Year": "2014", "Commitment Title": "E-ACTS", "Short Title": "e-Acts",
        "Full Text": "First paragraph.\n\nSecond paragraph.", "Start Date": "July 2012",
        "End Date": "12/31/2013", "Lead Institution": "Council of Ministers",
        "Anti-Corruption and Integrity": "1", "Open Data": "ND",
        "Completion (Progress Report)": "Limited",
        "Report Publication Year (Progress Report)": "2014",
        "Completion (End Of Term)": "NR", "Report Publication Year (End Of Term)": "NR",
        "URL": "https://opengovpartnership.org/members/albania/commitments/al0002",
        "Latest IRM Report": "NA"})
    fields.update({name.replace("_", " "): value for name, value in values.items()})
    return fields


def dataset(*rows: dict[str, str]) -> bytes:
    """The rows as a CSV file in the dataset's layout."""
    output = io.StringIO()
    writer = csv.DictWriter(output, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return output.getvalue().encode()


@pytest.fixture
def app() -> AccordApplication:
    application = popo_application()
    application.ensure_frameworks()
    return application


def run(app: AccordApplication, *rows: dict[str, str], **options: Any) -> Any:
    return import_ogp(app, STEWARD, dataset(*rows), today=TODAY, source_name="ogp.csv",
                      **options)


def test_a_row_becomes_an_action_plan_a_commitment_and_the_irms_claim(
        app: AccordApplication) -> None:
    # The steward imports one row.
    report = run(app, row())
    assert report.summary() == ("imported 1 commitment (1 new, 0 changed), 1 action plan "
                                "(1 new, 0 changed), 1 claim, 0 rejected rows")
    # The plan: its number, whole years, and ended since 2014 is past.
    plan = app.repository.get(ActionPlan.create_id("AP_ALB01"))
    assert (plan.country, plan.number, plan.status) == ("ALB", 1, PlanStatus.ENDED)
    assert (plan.period_start, plan.period_end) == (date(2012, 1, 1), date(2014, 12, 31))
    # The commitment, with its texts, dates and themes.
    commitment = app.commitment(ALBANIA)
    assert (commitment.title, commitment.action_plan_id) == ("E-ACTS", "AP_ALB01")
    assert commitment.description == "First paragraph.\n\nSecond paragraph."
    assert (commitment.start_date, commitment.end_date) == (date(2012, 7, 1), date(2013, 12, 31))
    assert commitment.themes == ["anti_corruption"]
    # The IRM's rating, as a claim of the independent reviewer, which no side's agreement counts.
    [claim] = commitment.claims.values()
    assert (claim.party, claim.organisation_id, claim.status) == (
        Party.INDEPENDENT_REVIEWER, str(IRM_ORGANISATION), "limited")
    assert (claim.period.start, claim.period.end) == (date(2012, 1, 1), date(2013, 12, 31))
    assert claim.evidence == (row()["URL"],)
    assert "progress report, published in 2014" in claim.narrative
    assert commitment.agreement is Agreement.NOT_REPORTED
    # The reviewer organisation, registered by the import; every event names the steward.
    irm = app.repository.get(IRM_ORGANISATION)
    assert isinstance(irm, Organisation)
    assert irm.kind is OrganisationKind.REVIEWER
    events = [event for _, event in app.read_events(after=0, upto=app.max_notification_id(),
                                                    limit=100)]
    imported = [e for e in events if e.originator_id in (ALBANIA, IRM_ORGANISATION, plan.id)]
    assert {event.actor_id for event in imported} == {STEWARD.account_id}


def test_a_changed_rating_is_recorded_as_a_revision_that_says_which_import(
        app: AccordApplication) -> None:
    run(app, row())
    first = next(iter(app.commitment(ALBANIA).claims))
    # The dataset now says Substantial: a revision replaces the IRM's claim.
    report = run(app, row(**{"Completion (Progress Report)": "Substantial"}))
    assert report.claims == 1
    claims = app.commitment(ALBANIA).claims
    revision = claims[claims[first].replaced_by or ""]
    assert revision.status == "substantial"
    assert revision.replaces == first
    assert "import of ogp.csv on 2025-06-01" in (revision.revision_reason or "")
    assert "(it was Limited)" in (revision.revision_reason or "")
    # Back to Limited: another revision, not a clash with the first claim's id.
    run(app, row())
    current = app.commitment(ALBANIA).current_claims()
    assert [claim.status for claim in current] == ["limited"]
    assert len(app.commitment(ALBANIA).claims) == 3


def test_the_end_of_term_rating_is_a_second_claim_recorded_after_the_progress_one(
        app: AccordApplication) -> None:
    report = run(app, row(**{"Completion (End Of Term)": "Complete",
                             "Report Publication Year (End Of Term)": "2015"}))
    assert report.claims == 2
    claims = list(app.commitment(ALBANIA).claims.values())
    assert [claim.status for claim in claims] == ["limited", "complete"]
    assert claims[1].period.end == date(2014, 12, 31)
    # The IRM's current claim is its latest report.
    assert [c.status for c in app.commitment(ALBANIA).current_claims()] == ["complete"]


def test_an_over_long_title_is_shortened_and_the_report_says_so(app: AccordApplication) -> None:
    report = run(app, row(**{"Commitment Title": "Open contracting " * 40}))
    title = app.commitment(ALBANIA).title
    assert len(title) <= 500
    assert title.endswith("…")
    [note] = report.notes
    assert (note.line, str(note.error)) == (
        2, "The title had 679 characters; it is shortened to 500.")


def test_only_a_steward_may_import(app: AccordApplication) -> None:
    government = Actor("minister", "ministry", OrganisationKind.GOVERNMENT, frozenset({"ALB"}))
    with pytest.raises(NotPermitted):
        import_ogp(app, government, dataset(row()))
    assert not app.exists(ALBANIA)


def test_a_commitment_twice_in_one_file_is_rejected_naming_the_first_line(
        app: AccordApplication) -> None:
    before = app.max_notification_id()
    report = run(app, row(), row(**{"Commitment Title": "Again"}))
    assert not report.applied
    # The first row's text spans lines 2 to 4, so the second row starts on line 5.
    assert [str(message) for message in report.rejected] == [
        "line 5: The commitment AL0002 is already on line 2."]
    # Nothing is recorded.
    assert app.max_notification_id() == before


def test_rows_of_one_plan_must_describe_it_the_same_way(app: AccordApplication) -> None:
    report = run(app, row(), row(**{"Commitment Unique Identifier": "AL0003",
                                    "Action Plan End Year": "2015"}))
    assert [message.line for message in report.rejected] == [5]
    assert "described otherwise on line 2" in str(report.rejected[0].error)


def test_a_rejected_row_leaves_nothing_of_itself_behind_when_the_others_are_recorded(
        app: AccordApplication) -> None:
    run(app, row())
    # The row revises its plan's years, then its commitment ends before it starts.
    broken = row(**{"Action Plan End Year": "2016", "Start Date": "2015",
                    "End Date": "2013"})
    other = row(**{"Commitment Unique Identifier": "AL0010", "Action Plan ID": "AP_ALB02",
                   "Action Plan Number": "2"})
    report = run(app, broken, other, skip_invalid=True)
    assert [message.line for message in report.rejected] == [2]
    assert "must end on or after the day it starts" in str(report.rejected[0].error)
    # The other row is recorded; the plan of the rejected row keeps its years.
    assert app.exists(Commitment.create_id("ALB", "AL0010"))
    plan = app.repository.get(ActionPlan.create_id("AP_ALB01"))
    assert plan.period_end == date(2014, 12, 31)
    assert report.plans.changed == set()
