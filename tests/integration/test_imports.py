"""Imports of the real files on both backends: the OGP sample and Canada's tracker."""

from __future__ import annotations

import threading
from collections import Counter
from uuid import UUID

from accord.domain.account import Role
from accord.domain.action_plan import ActionPlan
from accord.domain.actor import acting_as
from accord.domain.agreement import Agreement
from accord.domain.commitment import Commitment
from accord.domain.framework import Framework
from accord.domain.organisation import OrganisationKind
from accord.domain.values import Party
from accord.platform.imports.ogp import IRM_ORGANISATION, import_ogp
from accord.platform.imports.plan import import_plan
from accord.platform.imports.plan_export import export_plan
from accord.platform.policy import SYSTEM
from accord.services import Services
from tests.canada import canada_template
from tests.imports_support import (
    CANADA_TRACKER,
    OGP_SAMPLE,
    Rows,
    edited,
    row_index,
    shared_file,
)
from tests.scenario import Member, claim

SAMPLE_SUMMARY = ("imported 259 commitments (259 new, 0 changed), 107 action plans "
                  "(107 new, 0 changed), 258 claims, 0 rejected rows")


def test_the_real_sample_imports_once_and_a_second_import_records_nothing(
        services: Services) -> None:
    data = shared_file(OGP_SAMPLE).read_bytes()
    # The 259 rows: 259 commitments in 107 plans, 258 IRM ratings (110 progress, 148 end).
    report = import_ogp(services.app, SYSTEM, data, source_name=OGP_SAMPLE)
    assert report.summary() == SAMPLE_SUMMARY
    assert len(report.notes) == 5  # over-long lead institutions, shortened
    services.caught_up(report.position)
    counts = services.queries.country_counts()
    assert sum(row.total for row in counts) == 259
    assert len(counts) == 37  # 38 members; Buenos Aires is in Argentina
    # Local members belong to their country, with their locality.
    kaduna = services.app.commitment(Commitment.create_id("NGA", "KAD0004"))
    assert kaduna.locality == "Kaduna State"
    # The second import records nothing at all.
    position = services.app.max_notification_id()
    again = import_ogp(services.app, SYSTEM, data, source_name=OGP_SAMPLE)
    assert again.summary() == ("imported 259 commitments (0 new, 0 changed), 107 action plans "
                               "(0 new, 0 changed), 0 claims, 0 rejected rows")
    assert services.app.max_notification_id() == position


def test_a_changed_row_records_only_its_changes(services: Services) -> None:
    sample = shared_file(OGP_SAMPLE)
    import_ogp(services.app, SYSTEM, sample.read_bytes(), source_name=OGP_SAMPLE)
    position = services.app.max_notification_id()

    def edit(rows: Rows) -> None:
        row = rows[row_index(rows, "AL0002")]
        row["Commitment Title"] = "e-Acts for every citizen"
        row["Completion (Progress Report)"] = "Complete"

    data, _ = edited(sample, edit)
    # One commitment's title and its progress rating changed: two events, nothing else.
    report = import_ogp(services.app, SYSTEM, data, source_name="ogp_edited.csv")
    assert report.summary() == ("imported 259 commitments (0 new, 1 changed), 107 action plans "
                                "(0 new, 0 changed), 1 claim, 0 rejected rows")
    assert services.app.max_notification_id() == position + 2
    commitment = services.app.commitment(Commitment.create_id("ALB", "AL0002"))
    assert commitment.title == "e-Acts for every citizen"
    [current] = commitment.current_claims()
    assert (current.status, current.replaces is not None) == ("complete", True)
    assert "ogp_edited.csv" in (current.revision_reason or "")


def test_bad_rows_are_reported_with_their_lines_and_nothing_is_recorded(
        services: Services) -> None:
    sample = shared_file(OGP_SAMPLE)
    bad = {}

    def edit(rows: Rows) -> None:
        bad["country"] = row_index(rows, "AL0002")
        rows[bad["country"]]["Code"] = "ZZZ"
        bad["dates"] = row_index(rows, "GH0042")
        rows[bad["dates"]].update({"Start Date": "1/1/2024", "End Date": "6/30/2023"})

    data, lines = edited(sample, edit)
    position = services.app.max_notification_id()
    # By default, two bad rows stop the import: nothing is recorded.
    report = import_ogp(services.app, SYSTEM, data)
    assert report.summary() == "nothing recorded: 257 valid rows, 2 rejected rows"
    assert [(m.line, str(m.error)) for m in report.rejected] == sorted([
        (lines[bad["country"]], "ZZZ is not an ISO 3166-1 alpha-3 country code."),
        (lines[bad["dates"]], "A commitment must end on or after the day it starts.")])
    assert services.app.max_notification_id() == position
    # With skip_invalid, the 257 others are recorded, in one save.
    report = import_ogp(services.app, SYSTEM, data, skip_invalid=True)
    assert report.summary().startswith("imported 257 commitments (257 new, 0 changed)")
    assert report.summary().endswith("2 rejected rows")
    assert not services.app.exists(Commitment.create_id("GHA", "GH0042"))
    assert services.app.exists(Commitment.create_id("GHA", "GH0001"))


def test_the_reviewers_ratings_do_not_count_in_agreement(services: Services) -> None:
    report = import_ogp(services.app, SYSTEM, shared_file(OGP_SAMPLE).read_bytes())
    services.caught_up(report.position)
    # Ghana's commitments carry the IRM's ratings, yet none is reported by either side.
    ghana = services.queries.country("GHA")
    assert ghana is not None
    assert ghana.count(Agreement.NOT_REPORTED) == ghana.total == 23
    rated = [row for row in services.queries.commitments("GHA") if row.reviewer_status]
    assert rated
    # Ghana's government claims a status: the commitment awaits civil society.
    commitment_id = UUID(rated[0].commitment_id)
    ministry = services.app.register_organisation(
        SYSTEM, name="Ministry", kind=OrganisationKind.GOVERNMENT, countries=["GHA"])
    account = services.app.invite_account(SYSTEM, organisation_id=UUID(ministry.id),
                                          role=Role.MEMBER)
    services.app.activate_account(UUID(account.id))
    member = Member(services.app.actor(UUID(account.id)), "m@accord.test", "Ministry")
    recorded = claim(services.app, member, commitment_id, status="complete")
    services.caught_up(recorded.position)
    row = next(r for r in services.queries.commitments("GHA")
               if r.commitment_id == str(commitment_id))
    assert row.agreement is Agreement.AWAITING_CIVIL_SOCIETY
    assert row.reviewer_status is not None
    parties = Counter(c.party for c in services.app.commitment(commitment_id).current_claims())
    assert parties == Counter({Party.GOVERNMENT: 1, Party.INDEPENDENT_REVIEWER: 1})
    assert services.app.exists(IRM_ORGANISATION)


def test_canadas_tracker_imports_through_the_template_and_exports_back(
        services: Services) -> None:
    data = canada_template(shared_file(CANADA_TRACKER))
    # Three plans, 19 commitments, 94 milestones and 306 indicators.
    report = import_plan(services.app, SYSTEM, data)
    assert report.summary() == (
        "imported 19 commitments (19 new, 0 changed), 3 action plans (3 new, 0 changed), "
        "400 milestones (400 new, 0 changed), 0 rejected rows")
    services.caught_up(report.position)
    indicator = services.app.commitment(Commitment.create_id("CAN", "CA-NAP6-C01")
                                        ).milestones["C01.1.1"]
    assert (indicator.parent, indicator.due_text) == ("C01.1", "Fall 2027")
    assert indicator.translations["fr"]["description"].startswith("Rédiger un plan")
    plan = services.app.repository.get(ActionPlan.create_id("CA-NAP5"))
    assert plan.title == "Canada's 5th National Action Plan on Open Government"
    # Exported, then imported again: nothing is recorded.
    position = services.app.max_notification_id()
    exported = export_plan(services.app, SYSTEM, country="CAN")
    assert (exported.commitments, exported.milestones) == (19, 400)
    again = import_plan(services.app, SYSTEM, exported.text.encode())
    assert again.summary().startswith("imported 19 commitments (0 new, 0 changed)")
    assert services.app.max_notification_id() == position


def test_canadas_texts_over_the_limits_are_rejected_unless_fitted(services: Services) -> None:
    # Converted as they are, a 562-character title and a 322-character deadline break the
    # template's limits; the four indicators under that milestone have no parent then.
    data = canada_template(shared_file(CANADA_TRACKER), fit=False)
    report = import_plan(services.app, SYSTEM, data, skip_invalid=True)
    reasons = Counter(str(message.error) for message in report.rejected)
    assert reasons == Counter({
        "The title must be 500 characters or fewer.": 1,
        "The deadline must be 200 characters or fewer.": 1,
        "There is no milestone C04.3 to attach this one to.": 4})
    assert len(report.milestones.new) == 394


def test_an_ogp_import_exports_to_the_template_and_back(services: Services) -> None:
    import_ogp(services.app, SYSTEM, shared_file(OGP_SAMPLE).read_bytes())
    position = services.app.max_notification_id()
    # Argentina's national and local commitments, and one of Ghana's plans.
    for exported in (export_plan(services.app, SYSTEM, country="ARG"),
                     export_plan(services.app, SYSTEM, plan_id="AP_GHA05")):
        report = import_plan(services.app, SYSTEM, exported.text.encode())
        assert report.rejected == []
        assert report.commitments.new == report.commitments.changed == set()
    assert services.app.max_notification_id() == position


def test_one_save_of_many_megabytes_completes(services: Services) -> None:
    # Some 12 MB of new commitments, as a large import saves them, in one transaction.
    framework = Framework.create_id("ogp-irm-completion")
    with acting_as(SYSTEM.account_id):
        commitments = [Commitment.register(country="GHA", reference=f"BIG{number:05d}",
                                           title="A large import", description="x" * 3_000,
                                           framework_id=framework)
                       for number in range(4_000)]
    saved: list[int] = []
    # In a thread, so that a save that never returns fails the test instead of hanging it.
    worker = threading.Thread(target=lambda: saved.append(
        services.app.save(*commitments)[-1].notification.id), daemon=True)
    worker.start()
    worker.join(timeout=120)
    assert saved, "the save did not finish within two minutes"
    assert services.app.exists(Commitment.create_id("GHA", "BIG03999"))
