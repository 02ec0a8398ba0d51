"""Registering a commitment and the rules every status claim on it must follow."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import uuid4

import pytest

from accord.domain.account import Account
from accord.domain.actor import NoActor, acting_as
from accord.domain.agreement import Agreement
from accord.domain.commitment import Commitment
from accord.domain.errors import (
    ClaimAlreadyRecorded,
    ClaimNotActive,
    ClaimNotFound,
    InvalidValue,
    NotOwnClaim,
    UnknownStatus,
)
from accord.domain.framework import Framework, Vocabulary, seed_frameworks
from accord.domain.values import Party, ReportingPeriod

OGP = Framework.create_id("ogp-irm-completion")
STEWARD = "account-steward"
MINISTRY = ("account-ministry", "org-ministry", Party.GOVERNMENT)
WATCHDOG = ("account-watchdog", "org-watchdog", Party.CIVIL_SOCIETY)
PERIOD = ReportingPeriod(date(2024, 1, 1), date(2024, 6, 30))
PERSONAL_FIELDS = {"email", "e_mail", "name", "display_name", "full_name", "password",
                   "password_hash", "phone"}


def vocabulary() -> Vocabulary:
    statuses = seed_frameworks()[0].statuses
    return Vocabulary(1, tuple(statuses))


def register(**overrides: Any) -> Commitment:
    fields: dict[str, Any] = {"country": "GHA", "reference": "GH0001",
                              "title": "Publish every contract award", "framework_id": OGP}
    fields.update(overrides)
    with acting_as(STEWARD):
        return Commitment.register(**fields)


def claim_on(commitment: Commitment, reporter: tuple[str, str, Party] = MINISTRY,
             **overrides: Any) -> str:
    """Claim a status as ``reporter`` (account, organisation, party); return the claim id."""
    account, organisation, party = reporter
    fields: dict[str, Any] = {"claim_id": str(uuid4()), "status": "limited",
                              "narrative": "Half the contracts are published.",
                              "evidence": ["https://example.org/contracts"], "period": PERIOD}
    fields.update(overrides)
    with acting_as(account):
        commitment.claim_status(party=party, organisation_id=organisation,
                                vocabulary=vocabulary(), **fields)
    return str(fields["claim_id"])


def withdraw(commitment: Commitment, claim_id: str,
             reporter: tuple[str, str, Party] = MINISTRY, reason: str = "Mistaken") -> None:
    account, organisation, _ = reporter
    with acting_as(account):
        commitment.withdraw_claim(claim_id=claim_id, organisation_id=organisation, reason=reason)


# -- registering -------------------------------------------------------------------------------


def test_a_country_code_is_normalised_to_upper_case_alpha_3() -> None:
    assert register(country=" gha ").country == "GHA"


@pytest.mark.parametrize("country", ["GH", "GHAN", "XYZ", "", "288", "Ghana"])
def test_anything_but_an_iso_3166_alpha_3_code_is_refused(country: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        register(country=country)
    assert refused.value.field == "country"


@pytest.mark.parametrize("reference", ["AL0050", "C03.1.1", "AP_ALB03", "GH-ACS/01"])
def test_references_in_the_usual_forms_are_accepted(reference: str) -> None:
    assert register(reference=reference).reference == reference


@pytest.mark.parametrize("reference", ["", "   ", "AL 0050", "-AL0050", ".x", "AL0050;",
                                       "A" * 41])
def test_malformed_references_are_refused(reference: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        register(reference=reference)
    assert refused.value.field == "reference"


@pytest.mark.parametrize("title", ["", "   ", "x" * 501])
def test_a_title_is_required_and_at_most_500_characters(title: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        register(title=title)
    assert refused.value.field == "title"
    assert register(title="x" * 500).title == "x" * 500


def test_an_unknown_theme_is_refused() -> None:
    with pytest.raises(InvalidValue) as refused:
        register(themes=["open_contracting", "astrology"])
    assert refused.value.field == "themes"


def test_a_commitment_may_not_end_before_it_starts() -> None:
    with pytest.raises(InvalidValue) as refused:
        register(start_date=date(2024, 6, 1), end_date=date(2024, 5, 31))
    assert refused.value.field == "end_date"
    assert register(start_date=date(2024, 6, 1), end_date=date(2024, 6, 1)).end_date


def test_the_id_is_derived_from_country_and_reference() -> None:
    commitment = register(country="gha", reference="gh0001")
    assert commitment.id == Commitment.create_id("GHA", "GH0001")
    assert register(country="NGA").id != commitment.id
    assert register(reference="GH0002").id != commitment.id


# -- claim rules -------------------------------------------------------------------------------


def test_a_status_outside_the_framework_is_refused_with_unknown_status() -> None:
    commitment = register()
    with pytest.raises(UnknownStatus):
        claim_on(commitment, status="ONGOING")
    assert commitment.claims == {}


@pytest.mark.parametrize("narrative", ["", "  \n ", "x" * 20_001])
def test_a_narrative_is_required_and_at_most_20000_characters(narrative: str) -> None:
    commitment = register()
    with pytest.raises(InvalidValue) as refused:
        claim_on(commitment, narrative=narrative)
    assert refused.value.field == "narrative"
    claim_id = claim_on(commitment, narrative="x" * 20_000)
    assert len(commitment.claims[claim_id].narrative) == 20_000


@pytest.mark.parametrize("link", ["example.org/report", "/reports/1", "ftp://example.org/r",
                                  "javascript:alert(1)", "https://", "mailto:a@example.org"])
def test_evidence_links_must_be_absolute_http_addresses(link: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        claim_on(register(), evidence=["https://example.org/ok", link])
    assert refused.value.field == "evidence"


def test_at_most_20_evidence_links_are_accepted() -> None:
    links = [f"https://example.org/evidence/{n}" for n in range(21)]
    commitment = register()
    with pytest.raises(InvalidValue):
        claim_on(commitment, evidence=links)
    claim_id = claim_on(commitment, evidence=[*links[:20], links[0]])
    assert len(commitment.claims[claim_id].evidence) == 20


def test_a_reporting_period_may_not_end_before_it_starts() -> None:
    with pytest.raises(InvalidValue) as refused:
        ReportingPeriod(date(2024, 6, 30), date(2024, 1, 1))
    assert refused.value.field == "period_end"


def test_a_revision_replaces_the_organisations_claim_and_says_why() -> None:
    # The ministry claims "limited", then revises it to "substantial".
    commitment = register()
    first = claim_on(commitment)
    second = claim_on(commitment, status="substantial", replaces=first,
                      revision_reason="More contracts were published in May.")
    # The first claim stays on record, replaced; the revision names it and gives the reason.
    assert commitment.claims[first].replaced_by == second
    assert commitment.claims[second].replaces == first
    assert commitment.claims[second].revision_reason == "More contracts were published in May."
    assert [c.claim_id for c in commitment.current_claims()] == [second]


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_a_revision_must_give_a_reason(reason: str | None) -> None:
    commitment = register()
    first = claim_on(commitment)
    with pytest.raises(InvalidValue) as refused:
        claim_on(commitment, replaces=first, revision_reason=reason)
    assert refused.value.field == "revision_reason"


def test_a_revision_must_name_an_active_claim_of_the_same_organisation() -> None:
    commitment = register()
    ministry_claim = claim_on(commitment)
    with pytest.raises(ClaimNotFound):
        claim_on(commitment, replaces="no-such-claim", revision_reason="r")
    with pytest.raises(NotOwnClaim):
        claim_on(commitment, WATCHDOG, replaces=ministry_claim, revision_reason="r")
    claim_on(commitment, replaces=ministry_claim, revision_reason="Corrected")
    with pytest.raises(ClaimNotActive):
        claim_on(commitment, replaces=ministry_claim, revision_reason="Again")
    withdrawn = claim_on(commitment)
    withdraw(commitment, withdrawn)
    with pytest.raises(ClaimNotActive):
        claim_on(commitment, replaces=withdrawn, revision_reason="r")


def test_an_organisation_withdraws_only_its_own_active_claims() -> None:
    commitment = register()
    ministry_claim = claim_on(commitment)
    with pytest.raises(NotOwnClaim):
        withdraw(commitment, ministry_claim, WATCHDOG)
    with pytest.raises(ClaimNotFound):
        withdraw(commitment, "no-such-claim")
    with pytest.raises(InvalidValue):
        withdraw(commitment, ministry_claim, reason=" ")
    withdraw(commitment, ministry_claim)
    with pytest.raises(ClaimNotActive):
        withdraw(commitment, ministry_claim)
    assert commitment.claims[ministry_claim].withdrawal_reason == "Mistaken"


def test_an_older_claim_is_current_again_when_the_newer_one_is_withdrawn() -> None:
    # The ministry claims "limited", then separately "complete"; the watchdog says "limited".
    commitment = register()
    claim_on(commitment)
    newer = claim_on(commitment, status="complete")
    claim_on(commitment, WATCHDOG)
    assert commitment.agreement is Agreement.CONTESTED
    # The ministry withdraws "complete": its earlier "limited" stands again.
    withdraw(commitment, newer)
    assert commitment.agreement is Agreement.AGREED


def test_a_claim_id_used_twice_is_refused() -> None:
    commitment = register()
    claim_id = claim_on(commitment)
    with pytest.raises(ClaimAlreadyRecorded):
        claim_on(commitment, WATCHDOG, claim_id=claim_id, status="complete")
    assert commitment.claims[claim_id].status == "limited"


def test_a_refused_claim_triggers_no_event() -> None:
    commitment = register()
    before = len(commitment.pending_events)
    for refused in ({"status": "finished"}, {"narrative": ""}, {"evidence": ["not a link"]},
                    {"replaces": "nothing", "revision_reason": "r"}):
        with pytest.raises(InvalidValue if "replaces" not in refused else ClaimNotFound):
            claim_on(commitment, **refused)
    assert len(commitment.pending_events) == before


# -- actors and personal data ------------------------------------------------------------------


def test_every_event_carries_the_acting_account() -> None:
    # A steward registers; the ministry claims; the watchdog claims and withdraws.
    commitment = register()
    claim_on(commitment)
    watchdog_claim = claim_on(commitment, WATCHDOG)
    withdraw(commitment, watchdog_claim, WATCHDOG)
    actors = [event.actor_id for event in commitment.collect_events()]
    assert actors == [STEWARD, MINISTRY[0], WATCHDOG[0], WATCHDOG[0]]
    assert commitment.claims[watchdog_claim].account_id == WATCHDOG[0]


def test_no_event_carries_personal_data() -> None:
    commitment = register(lead_institution="Public Procurement Authority")
    claim_id = claim_on(commitment)
    claim_on(commitment, replaces=claim_id, revision_reason="Corrected figures")
    withdraw(commitment, claim_on(commitment, WATCHDOG), WATCHDOG)
    with acting_as(STEWARD):
        account = Account.invite(organisation_id=uuid4())
    events = [*commitment.collect_events(), *account.collect_events()]
    assert len(events) == 6
    for event in events:
        attributes = vars(event)
        assert "actor_id" in attributes
        assert PERSONAL_FIELDS.isdisjoint(attributes), type(event).__qualname__
        assert not any("@" in str(value) for value in attributes.values())


def test_events_outside_acting_as_raise_no_actor() -> None:
    with pytest.raises(NoActor):
        Commitment.register(country="GHA", reference="GH0001", title="t", framework_id=OGP)
    commitment = register()
    with pytest.raises(NoActor):
        commitment.claim_status(claim_id="c", party=Party.GOVERNMENT, organisation_id="o",
                                status="limited", vocabulary=vocabulary(), narrative="n",
                                evidence=[], period=PERIOD)
    assert commitment.claims == {}


@pytest.mark.parametrize(("overrides", "message"), [
    ({"title": " "}, "Enter the title."),
    ({"title": "x" * 501}, "The title must be 500 characters or fewer."),
    ({"start_date": date(1989, 12, 31)},
     "The start date must be between 1990-01-01 and 2100-12-31."),
])
def test_a_refusal_names_the_field_in_words_in_its_message(
        overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        register(**overrides)
    assert str(refused.value) == message
    assert refused.value.field == next(iter(overrides))
