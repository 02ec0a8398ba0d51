"""Status frameworks: the seed vocabularies users already know, and how vocabularies change."""

from __future__ import annotations

import pytest

from accord.domain.actor import acting_as
from accord.domain.errors import InvalidValue, UnknownStatus
from accord.domain.framework import Framework, StatusDefinition, seed_frameworks
from accord.platform.application import AccordApplication
from accord.platform.errors import AlreadyExists
from accord.platform.policy import SYSTEM
from tests.scenario import popo_application

STEWARD = "account-steward"


def seed(code: str) -> Framework:
    """The seed framework with this code, as defined."""
    for framework in seed_frameworks():
        if framework.code == code:
            with acting_as(STEWARD):
                return Framework.define(framework.code, framework.name, framework.description,
                                        framework.statuses)
    raise AssertionError(f"no seed framework {code}")


def status(code: str, order: int, label: str | None = None) -> StatusDefinition:
    return StatusDefinition(code, label or code.title(), f"The {code} status.", order)


# -- the seed frameworks -----------------------------------------------------------------------


def test_accord_starts_with_the_ogp_and_ti_frameworks() -> None:
    assert [f.code for f in seed_frameworks()] == ["ogp-irm-completion", "ti-pledge-tracker"]


def test_the_ogp_irm_completion_scale_in_order() -> None:
    vocabulary = seed("ogp-irm-completion").current
    assert [s.label for s in vocabulary.statuses] == [
        "No Evidence Available", "Not Started", "Limited", "Substantial", "Complete",
        "Withdrawn", "Unclear"]
    assert [s.code for s in vocabulary.statuses if s.complete] == ["complete"]
    # "Unclear" (older IRM data) is a rating that only an independent reviewer gives.
    assert [s.code for s in vocabulary.statuses if not s.claimable] == ["unclear"]


def test_the_ti_pledge_tracker_categories_in_order() -> None:
    vocabulary = seed("ti-pledge-tracker").current
    assert [s.label.upper() for s in vocabulary.statuses] == [
        "COMPLETE", "ONGOING", "UNDERWAY", "NO DATA", "INACTIVE", "OVERDUE", "DROPPED"]
    assert [s.code for s in vocabulary.statuses if s.complete] == ["complete"]


@pytest.mark.parametrize(("code", "phrases"), [
    ("complete", ["has an end date", "evidence", "completed"]),
    ("ongoing", ["no defined end date", "evidence", "activity has started"]),
    ("underway", ["has an end date", "evidence", "activity has started"]),
    ("no_data", ["no data", "progressing"]),
    ("inactive", ["evidence", "no activity has taken place"]),
    ("overdue", ["evidence", "past", "deadline"]),
    ("dropped", ["evidence", "dropped"]),
])
def test_each_ti_category_keeps_the_trackers_definition(code: str, phrases: list[str]) -> None:
    definition = seed("ti-pledge-tracker").current.require(code).definition.lower()
    for phrase in phrases:
        assert phrase in definition, f"{code}: {phrase!r} missing from {definition!r}"


def test_underway_and_ongoing_differ_only_by_having_an_end_date() -> None:
    vocabulary = seed("ti-pledge-tracker").current
    assert "no defined end date" not in vocabulary.require("underway").definition.lower()
    assert "has an end date" not in vocabulary.require("ongoing").definition.lower()


@pytest.mark.parametrize(("code", "phrase"), [
    ("no_evidence", "not enough public evidence"),
    ("not_started", "no activity"),
    ("limited", "some activity"),
    ("substantial", "most of what was promised"),
    ("complete", "everything"),
])
def test_each_ogp_status_says_how_much_was_done(code: str, phrase: str) -> None:
    assert phrase in seed("ogp-irm-completion").current.require(code).definition.lower()


def test_ensure_frameworks_defines_each_seed_framework_once() -> None:
    # Set-up runs twice, as it does when two processes start together.
    app = popo_application()
    app.ensure_frameworks()
    position = app.max_notification_id()
    app.ensure_frameworks()
    # Nothing more is recorded, and both frameworks read back with their statuses.
    assert app.max_notification_id() == position == 2
    ogp = app.framework(Framework.create_id("ogp-irm-completion"))
    assert ogp.current.version == 1
    assert len(ogp.current.statuses) == 7


def test_ensure_frameworks_brings_an_older_vocabulary_up_to_the_seed_once() -> None:
    # An Accord set up when the OGP scale had five statuses...
    app = popo_application()
    older = seed_frameworks()[0]
    app.define_framework(SYSTEM, older.code, older.name, older.description,
                         [s for s in older.statuses if s.code not in ("withdrawn", "unclear")])
    # ...is brought up to the seed by a revision that says why, once.
    app.ensure_frameworks()
    app.ensure_frameworks()
    ogp = app.framework(Framework.create_id(older.code))
    assert [v.version for v in ogp.vocabularies] == [1, 2]
    assert len(ogp.vocabularies[0].statuses) == 5
    assert {"withdrawn", "unclear"} <= {s.code for s in ogp.current.statuses}


# -- versions ----------------------------------------------------------------------------------


def revised_ti(app: AccordApplication) -> Framework:
    """The TI framework after a release that renamed "no_data" and dropped "inactive"."""
    framework = app.framework(Framework.create_id("ti-pledge-tracker"))
    statuses = [s for s in framework.current.statuses if s.code not in ("no_data", "inactive")]
    with acting_as(STEWARD):
        framework.revise_vocabulary([*statuses, status("not_assessed", 8)], note="2018 release")
    app.save(framework)
    return app.framework(framework.id)


def test_revising_a_vocabulary_makes_version_2_and_keeps_version_1_readable() -> None:
    app = popo_application()
    app.ensure_frameworks()
    # A steward publishes the 2018 categories.
    framework = revised_ti(app)
    # The current vocabulary is version 2, with the new category and without the old ones.
    assert framework.current.version == 2
    assert framework.current.get("not_assessed") is not None
    assert framework.current.get("inactive") is None
    # Version 1 still defines the categories that claims made under it used.
    first = framework.vocabularies[0]
    assert first.version == 1
    assert first.require("inactive").label == "Inactive"
    assert len(first.statuses) == 7


def test_a_status_outside_the_vocabulary_is_unknown() -> None:
    with pytest.raises(UnknownStatus) as refused:
        seed("ogp-irm-completion").current.require("ONGOING")
    assert refused.value.field == "status"


def test_duplicate_status_codes_are_refused_when_defining() -> None:
    with acting_as(STEWARD), pytest.raises(InvalidValue) as refused:
        Framework.define("local", "Local", "A local scale.",
                         [status("done", 1), status("done", 2, "Finished")])
    assert refused.value.field == "statuses"


def test_duplicate_status_codes_are_refused_when_revising() -> None:
    framework = seed("ogp-irm-completion")
    with acting_as(STEWARD), pytest.raises(InvalidValue):
        framework.revise_vocabulary([status("limited", 1), status("limited", 2)], note="oops")
    assert len(framework.vocabularies) == 1
    assert len(framework.pending_events) == 1


@pytest.mark.parametrize("code", ["Done", "done now", "1done", "", "d" * 41, "done-now"])
def test_a_status_code_is_lower_case_letters_digits_and_underscores(code: str) -> None:
    with pytest.raises(InvalidValue):
        status(code, 1)


def test_a_framework_needs_a_status_a_valid_code_and_a_revision_note() -> None:
    with acting_as(STEWARD):
        with pytest.raises(InvalidValue):
            Framework.define("local", "Local", "A local scale.", [])
        with pytest.raises(InvalidValue):
            Framework.define("Local Scale", "Local", "A local scale.", [status("done", 1)])
        with pytest.raises(InvalidValue):
            seed("ogp-irm-completion").revise_vocabulary([status("done", 1)], note=" ")


def test_statuses_are_kept_in_scale_order() -> None:
    with acting_as(STEWARD):
        framework = Framework.define("local", "Local", "A local scale.",
                                     [status("done", 3), status("begun", 2), status("idle", 1)])
    assert [s.code for s in framework.current.statuses] == ["idle", "begun", "done"]


def test_a_framework_code_is_defined_only_once() -> None:
    app = popo_application()
    app.ensure_frameworks()
    position = app.max_notification_id()
    first = seed_frameworks()[0]
    with pytest.raises(AlreadyExists):
        app.define_framework(SYSTEM, first.code, "Another name", first.description,
                             first.statuses)
    assert app.max_notification_id() == position
