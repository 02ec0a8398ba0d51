"""The OGP dataset's values read in Accord's terms: dates, themes, ratings, members, periods."""

from __future__ import annotations

from datetime import date

import pytest

from accord.domain.action_plan import PlanStatus
from accord.domain.errors import InvalidValue
from accord.platform.imports.dates import parse_date
from accord.platform.imports.ogp_row import member
from accord.platform.imports.ogp_values import (
    completion,
    plan_status,
    reporting_period,
    shortened,
    themes,
)


@pytest.mark.parametrize(("written", "start", "end"), [
    ("1/1/2019", date(2019, 1, 1), date(2019, 1, 1)),
    ("12/31/2022", date(2022, 12, 31), date(2022, 12, 31)),
    ("31/12/2014", date(2014, 12, 31), date(2014, 12, 31)),
    ("8/1/18", date(2018, 8, 1), date(2018, 8, 1)),
    ("08/01/2022", date(2022, 8, 1), date(2022, 8, 1)),
    ("July 2016", date(2016, 7, 1), date(2016, 7, 31)),
    ("February 2024", date(2024, 2, 1), date(2024, 2, 29)),
    ("Sept 2014", date(2014, 9, 1), date(2014, 9, 30)),
    ("December 31, 2016", date(2016, 12, 31), date(2016, 12, 31)),
    ("2016-12-31", date(2016, 12, 31), date(2016, 12, 31)),
    ("2014", date(2014, 1, 1), date(2014, 12, 31)),
    ("Quarter 1 2014", date(2014, 1, 1), date(2014, 3, 31)),
    ("Quarter 4 2016", date(2016, 10, 1), date(2016, 12, 31)),
    ("Q2 2020", date(2020, 4, 1), date(2020, 6, 30)),
    ("Spring 2015", date(2015, 3, 1), date(2015, 5, 31)),
    ("7/16/1905", date(2024, 1, 1), date(2024, 12, 31)),
])
def test_a_date_in_any_of_the_datasets_forms_gives_the_first_or_last_day_of_its_span(
        written: str, start: date, end: date) -> None:
    # As a start date, the first day; as an end date, the last.
    assert parse_date(written, end=False) == start
    assert parse_date(written, end=True) == end


@pytest.mark.parametrize("written", ["NA", "ND", "nr", "Underway", "", "  "])
def test_sentinels_and_empty_cells_mean_no_date(written: str) -> None:
    assert parse_date(written, end=False) is None
    assert parse_date(written, end=True) is None


@pytest.mark.parametrize("written", ["soon", "13/13/2020", "Quarter 5 2020", "2/30/2020"])
def test_text_that_is_no_date_is_refused_naming_the_column(written: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        parse_date(written, end=False, field="start_date")
    assert str(refused.value).startswith(f'The start date "{written}"')


def test_the_policy_area_flags_set_to_one_become_theme_codes() -> None:
    # Flags of 1 tag the commitment; 0 and ND do not; two columns may give the same theme.
    flags = {"Anti-Corruption and Integrity": "1", "Beneficial Ownership": "1",
             "Open Contracting": "0", "Whistleblower Protections": "ND",
             "Right To Information": "1", "Access to information": "1",
             "Civic Space and Enabling Environment": "1", "Extractive Industries": "1",
             "Fiscal Openness": "1", "Lobbying": "1", "Open Data": "1",
             "Asset Disclosure": "1", "Public Procurement": "1", "Elections": "1"}
    assert themes(flags) == [
        "anti_corruption", "asset_disclosure", "beneficial_ownership", "lobbying",
        "public_procurement", "access_to_information", "civic_space", "fiscal_openness",
        "open_data", "extractive_industries"]
    # Flags that no theme matches tag nothing.
    assert themes({"Elections": "1", "Open Contracting": "0"}) == []


@pytest.mark.parametrize(("value", "code"), [
    ("Not Started", "not_started"), ("Limited", "limited"), ("Substantial", "substantial"),
    ("Complete", "complete"), ("Withdrawn", "withdrawn"), ("Unclear", "unclear"),
    ("  substantial ", "substantial"), ("No Evidence Available", "no_evidence"),
    ("ND", None), ("NR", None), ("NA", None), ("", None),
])
def test_irm_completion_values_map_to_the_frameworks_codes(value: str, code: str | None
                                                             ) -> None:
    assert completion(value) == code


def test_an_unknown_completion_value_is_refused() -> None:
    with pytest.raises(InvalidValue, match="Partial"):
        completion("Partial")


def test_members_are_countries_and_local_members_belong_to_their_country() -> None:
    # A national member's alpha-3 code, and Kosovo's user-assigned one.
    assert member("ALB", "Albania") == ("ALB", None)
    assert member("xkx", "Kosovo") == ("XKX", None)
    # A local member: the country from its first two letters, the locality from the name.
    assert member("ARBA", "Buenos Aires, Argentina") == ("ARG", "Buenos Aires")
    assert member("NGKD", "Kaduna State, Nigeria") == ("NGA", "Kaduna State")
    # An unknown code is refused.
    with pytest.raises(InvalidValue, match="ZZZ is not an ISO 3166-1 alpha-3"):
        member("ZZZ", "Nowhere")
    with pytest.raises(InvalidValue, match="QQXY is neither"):
        member("QQXY", "Nowhere, Nothing")


def test_a_progress_report_covers_the_plan_until_the_year_before_it_was_published() -> None:
    # Plan 2012-2014, progress report of 2014: 2012 and 2013.
    period = reporting_period(2012, 2014, 2014, end_of_term=False)
    assert (period.start, period.end) == (date(2012, 1, 1), date(2013, 12, 31))
    # Published the year the plan started: its first year only.
    period = reporting_period(2018, 2020, 2018, end_of_term=False)
    assert (period.start, period.end) == (date(2018, 1, 1), date(2018, 12, 31))
    # Published long after the plan: no later than the plan's last year.
    period = reporting_period(2016, 2018, 2021, end_of_term=False)
    assert period.end == date(2018, 12, 31)


def test_an_end_of_term_report_covers_the_whole_plan() -> None:
    period = reporting_period(2012, 2014, 2016, end_of_term=True)
    assert (period.start, period.end) == (date(2012, 1, 1), date(2014, 12, 31))
    # Without the plan's years, the report's year stands in for them.
    period = reporting_period(None, None, 2017, end_of_term=True)
    assert (period.start, period.end) == (date(2017, 1, 1), date(2017, 12, 31))
    with pytest.raises(InvalidValue, match="no year"):
        reporting_period(None, None, None, end_of_term=True)


def test_a_plan_has_ended_once_its_last_year_is_past() -> None:
    today = date(2025, 3, 1)
    assert plan_status(2024, today) is PlanStatus.ENDED
    assert plan_status(2025, today) is PlanStatus.IMPLEMENTATION
    assert plan_status(None, today) is PlanStatus.IMPLEMENTATION


def test_an_over_long_text_is_cut_at_a_word_and_ends_with_an_ellipsis() -> None:
    text = "word " * 200
    cut = shortened(text.strip(), 300)
    assert len(cut) <= 300
    assert cut.endswith("word…")
    assert shortened("short", 300) == "short"
