"""The agreement rules: which claims are current, and where the two sides stand."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from accord.domain.agreement import Agreement, agreement_state, current_claims
from accord.domain.values import SIDES, Party

STATUSES = ["not_started", "limited", "substantial", "complete"]
ORGANISATIONS = ["gov-1", "gov-2", "cso-1", "cso-2", "cso-3"]


@dataclass(frozen=True)
class FakeClaim:
    """The smallest thing the agreement rules accept as a claim."""

    organisation_id: str
    party: Party
    status: str
    active: bool = True
    number: int = 0


def government(status: str, organisation: str = "gov-1", *, active: bool = True,
               number: int = 0) -> FakeClaim:
    return FakeClaim(organisation, Party.GOVERNMENT, status, active, number)


def civil_society(status: str, organisation: str = "cso-1", *, active: bool = True,
                  number: int = 0) -> FakeClaim:
    return FakeClaim(organisation, Party.CIVIL_SOCIETY, status, active, number)


def party_of(organisation: str) -> Party:
    return Party.GOVERNMENT if organisation.startswith("gov") else Party.CIVIL_SOCIETY


statuses = st.sampled_from(STATUSES)


@st.composite
def claims_of(draw: st.DrawFn, party: Party, status: str | None = None,
              min_size: int = 1) -> list[FakeClaim]:
    """Current claims of distinct organisations of one party."""
    prefix = "gov" if party is Party.GOVERNMENT else "cso"
    numbers = draw(st.lists(st.integers(0, 9), min_size=min_size, max_size=4, unique=True))
    return [FakeClaim(f"{prefix}-{n}", party, status or draw(statuses)) for n in numbers]


@st.composite
def current_sets(draw: st.DrawFn) -> list[FakeClaim]:
    """Any set of current claims: at most one per organisation, of either party."""
    return draw(claims_of(Party.GOVERNMENT, min_size=0)) + draw(
        claims_of(Party.CIVIL_SOCIETY, min_size=0))


@st.composite
def histories(draw: st.DrawFn) -> list[FakeClaim]:
    """Claims in the order they were made, some of them since withdrawn or replaced."""
    entries = draw(st.lists(st.tuples(st.sampled_from(ORGANISATIONS), statuses, st.booleans()),
                            max_size=12))
    return [FakeClaim(org, party_of(org), status, active, number)
            for number, (org, status, active) in enumerate(entries)]


# -- examples of each state --------------------------------------------------------------------


def test_a_commitment_nobody_reported_on_is_not_reported() -> None:
    assert agreement_state([]) is Agreement.NOT_REPORTED


def test_government_and_every_civil_society_reporter_claiming_the_same_status_agree() -> None:
    claims = [government("complete"), civil_society("complete"),
              civil_society("complete", "cso-2")]
    assert agreement_state(claims) is Agreement.AGREED


def test_a_civil_society_reporter_disagreeing_with_the_government_contests() -> None:
    claims = [government("complete"), civil_society("limited")]
    assert agreement_state(claims) is Agreement.CONTESTED


def test_one_dissenting_reporter_contests_even_when_the_others_agree() -> None:
    claims = [government("complete"), civil_society("complete"),
              civil_society("not_started", "cso-2")]
    assert agreement_state(claims) is Agreement.CONTESTED


def test_two_civil_society_reporters_who_disagree_contest_without_the_government() -> None:
    claims = [civil_society("complete"), civil_society("limited", "cso-2")]
    assert agreement_state(claims) is Agreement.CONTESTED


def test_only_the_government_reporting_awaits_civil_society() -> None:
    assert agreement_state([government("limited")]) is Agreement.AWAITING_CIVIL_SOCIETY


def test_only_civil_society_reporting_awaits_the_government() -> None:
    claims = [civil_society("limited"), civil_society("limited", "cso-2")]
    assert agreement_state(claims) is Agreement.AWAITING_GOVERNMENT


# -- current claims: examples ------------------------------------------------------------------


def test_an_organisations_current_claim_is_its_latest_active_one() -> None:
    first, second = government("limited", number=1), government("substantial", number=2)
    assert current_claims([first, second]) == [second]


def test_each_organisation_has_its_own_current_claim() -> None:
    ministry, watchdog = government("limited"), civil_society("complete")
    assert set(current_claims([ministry, watchdog])) == {ministry, watchdog}


def test_withdrawn_and_replaced_claims_do_not_count() -> None:
    # Both kinds are inactive: a withdrawn claim and one replaced by a revision look alike here.
    withdrawn = government("complete", active=False, number=1)
    assert current_claims([withdrawn]) == []
    assert agreement_state(current_claims([withdrawn, civil_society("limited")])) is (
        Agreement.AWAITING_GOVERNMENT)


def test_an_older_active_claim_is_current_again_when_the_newer_one_is_withdrawn() -> None:
    # The ministry claimed "limited", then "complete", then withdrew "complete".
    older = government("limited", number=1)
    newer_withdrawn = government("complete", active=False, number=2)
    assert current_claims([older, newer_withdrawn]) == [older]


def test_a_revision_by_one_organisation_leaves_another_organisations_claim_current() -> None:
    watchdog = civil_society("limited", number=1)
    replaced = government("complete", active=False, number=2)
    revision = government("limited", number=3)
    current = current_claims([watchdog, replaced, revision])
    assert set(current) == {watchdog, revision}
    assert agreement_state(current) is Agreement.AGREED


# -- properties --------------------------------------------------------------------------------


@given(st.data())
def test_the_state_does_not_depend_on_the_order_of_current_claims(data: st.DataObject) -> None:
    claims = data.draw(current_sets())
    shuffled = data.draw(st.permutations(claims))
    assert agreement_state(shuffled) is agreement_state(claims)


@given(current_sets(), st.lists(statuses, min_size=2, max_size=2, unique=True),
       st.sampled_from(SIDES), st.sampled_from(SIDES))
def test_two_different_current_statuses_contest_whatever_the_parties(
    others: list[FakeClaim], two: list[str], first: Party, second: Party
) -> None:
    dissenters = [FakeClaim("x-1", first, two[0]), FakeClaim("x-2", second, two[1])]
    assert agreement_state(others + dissenters) is Agreement.CONTESTED


@given(st.data(), statuses)
def test_one_status_from_both_parties_is_agreed(data: st.DataObject, status: str) -> None:
    claims = data.draw(claims_of(Party.GOVERNMENT, status)) + data.draw(
        claims_of(Party.CIVIL_SOCIETY, status))
    assert agreement_state(data.draw(st.permutations(claims))) is Agreement.AGREED


@given(st.data(), statuses)
def test_one_status_from_the_government_only_awaits_civil_society(
    data: st.DataObject, status: str
) -> None:
    claims = data.draw(claims_of(Party.GOVERNMENT, status))
    assert agreement_state(claims) is Agreement.AWAITING_CIVIL_SOCIETY


@given(st.data(), statuses)
def test_one_status_from_civil_society_only_awaits_the_government(
    data: st.DataObject, status: str
) -> None:
    claims = data.draw(claims_of(Party.CIVIL_SOCIETY, status))
    assert agreement_state(claims) is Agreement.AWAITING_GOVERNMENT


@given(histories())
def test_current_claims_are_each_organisations_latest_active_claim(
    history: Sequence[FakeClaim],
) -> None:
    current = current_claims(history)
    organisations = [claim.organisation_id for claim in current]
    assert len(organisations) == len(set(organisations))
    assert all(claim.active for claim in current)
    expected = {claim.organisation_id: claim for claim in history if claim.active}
    assert {claim.organisation_id: claim for claim in current} == expected


@given(histories())
def test_the_current_claims_of_no_claims_at_all_report_nothing(
    history: Sequence[FakeClaim],
) -> None:
    # Withdrawing every claim brings a commitment back to "not reported".
    all_withdrawn = [FakeClaim(c.organisation_id, c.party, c.status, False, c.number)
                     for c in history]
    assert current_claims(all_withdrawn) == []
    assert agreement_state(current_claims(all_withdrawn)) is Agreement.NOT_REPORTED


@given(current_sets(), statuses)
def test_an_independent_reviewer_never_changes_the_agreement(
        claims: list[FakeClaim], status: str) -> None:
    # The reviewer's rating is shown beside the two sides, whatever it says.
    reviewer = FakeClaim("irm", Party.INDEPENDENT_REVIEWER, status, True, 99)
    assert agreement_state([*claims, reviewer]) is agreement_state(claims)
    assert agreement_state([reviewer]) is Agreement.NOT_REPORTED
