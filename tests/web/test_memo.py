"""What the pages of one moment share (a country's counts, a filter's total, the offered plans
and themes) is read once per worker, and read again as soon as anything new is recorded or
the day changes; the addresses a list builds once are those ``url_for`` builds."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient

from accord.platform.policy import SYSTEM
from accord.projections.day import reset_day, set_day
from accord.services import Services
from accord.web.memo import MISSING, Memo
from accord.web.rendering import addresses
from tests.scenario import World, claim
from tests.web.conftest import html, statements, text
from tests.web.list_helpers import ghana, listed


def test_an_answer_is_computed_once_per_moment_and_again_at_the_next() -> None:
    memo, calls = Memo(), []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    today = date(2026, 11, 28)
    assert memo.get((10, today), "key", compute) == 1
    assert memo.get((10, today), "key", compute) == 1
    assert memo.get((10, today), "other", compute) == 2
    assert memo.get((11, today), "key", compute) == 3  # something new was recorded
    assert memo.get((11, date(2026, 11, 29)), "key", compute) == 4  # a new day
    assert memo.get((11, date(2026, 11, 29)), "key", compute) == 4


def test_a_peek_finds_only_what_was_computed_at_the_same_moment() -> None:
    memo, today = Memo(), date(2026, 11, 28)
    assert memo.peek((10, today), "key") is MISSING
    memo.get((10, today), "key", lambda: "answer")
    assert memo.peek((10, today), "key") == "answer"
    assert memo.peek((10, today), "other") is MISSING
    assert memo.peek((11, today), "key") is MISSING  # something new was recorded
    assert memo.peek((10, date(2026, 11, 29)), "key") is MISSING  # a new day


def test_none_is_remembered_too() -> None:
    memo, calls = Memo(), []

    def compute() -> None:
        calls.append(1)

    memo.get((1, date(2026, 1, 1)), "missing", compute)
    memo.get((1, date(2026, 1, 1)), "missing", compute)
    assert len(calls) == 1


def test_a_new_claim_changes_the_counts_and_totals_that_pages_show(
        client: FlaskClient, services: Services, world: World) -> None:
    ids = ghana(services, world)
    before = client.get("/countries/GHA?agreement=agreed")
    assert listed(html(before)) == ["GH0003"]
    assert "1 commitment" in text(html(before), ".result-count")
    client.get("/countries/GHA?agreement=agreed&sort=title")  # the same total, remembered

    # Both sides agree on GH0001 now: the memo must not answer with the old total.
    claim(services.app, world.government, ids["GH0001"], "substantial")
    after = client.get("/countries/GHA?agreement=agreed")
    assert listed(html(after)) == ["GH0001", "GH0003"]
    assert "2 commitments" in text(html(after), ".result-count")
    api = client.get("/api/v1/commitments?country=GHA&agreement=agreed").get_json()
    assert api["total"] == 2


def test_one_statement_counts_a_list_in_every_agreement_state_overdue_or_not(
        client: FlaskClient, services: Services, world: World) -> None:
    ghana(services, world)
    variants = ["", "&agreement=contested", "&agreement=agreed", "&overdue=yes",
                "&overdue=yes&agreement=not_reported"]
    with statements(services) as sent:
        totals = [text(html(client.get(f"/search?q=budget+OR+open{variant}")),
                       ".result-count") for variant in variants]
    assert totals == ["2 commitments, page 1 of 1", "0 commitments",
                      "1 commitment, page 1 of 1", "1 commitment, page 1 of 1",
                      "1 commitment, page 1 of 1"]
    assert sum("count(" in statement.lower() for statement in sent) == 1
    # another search is counted apart
    with statements(services) as sent:
        client.get("/search?q=hearings&agreement=agreed")
    assert sum("count(" in statement.lower() for statement in sent) == 1


def test_a_search_narrowed_to_a_country_takes_its_count_from_the_same_search_everywhere(
        client: FlaskClient, services: Services, world: World) -> None:
    ids = ghana(services, world)

    def counted(address: str) -> tuple[str, int]:
        """What the list says it holds, and how many statements tallied a list for it."""
        with statements(services) as sent:
            total = text(html(client.get(address)), ".result-count")
        return total, sum("count(*) filter" in statement.lower() for statement in sent)

    # Narrowed first, at this moment: counted in that country alone.
    assert counted("/search?q=commitment&country=GHA") == ("2 commitments, page 1 of 1", 1)
    # Everywhere: counted once, by country; then each country is told its count.
    assert counted("/search?q=commitment") == ("3 commitments, page 1 of 1", 1)
    assert counted("/search?q=commitment&country=COL") == ("1 commitment, page 1 of 1", 0)
    assert counted("/search?q=commitment&country=GHA&agreement=contested") == (
        "1 commitment, page 1 of 1", 0)
    assert counted("/search?q=commitment&country=KEN") == ("0 commitments", 0)
    assert counted("/search?q=hotline&country=GHA") == ("0 commitments", 1)  # other words

    # Something new is recorded: the same search in a country is counted anew.
    claim(services.app, world.government, ids["GH0001"], "substantial")  # both agree now
    assert counted("/search?q=commitment&country=GHA&agreement=contested") == (
        "0 commitments", 1)
    assert counted("/search?q=commitment&country=GHA&agreement=agreed") == (
        "1 commitment, page 1 of 1", 0)


def test_overdue_counts_follow_the_day(client: FlaskClient, services: Services,
                                       world: World) -> None:
    ghana(services, world)
    overdue = client.get("/countries/GHA?overdue=yes")
    assert listed(html(overdue)) == ["GH0002"]
    token = set_day(date(2020, 1, 1))  # before GH0002 and GH0003 ended
    try:
        earlier = client.get("/countries/GHA?overdue=yes")
    finally:
        reset_day(token)
    assert listed(html(earlier)) == []
    assert "0 commitments" in text(html(earlier), ".result-count")


@pytest.mark.parametrize("value", ["0b7c6a52-6f43-5b1e-9a6e-3f1c2d4e5f60", "a b/c?d#e%f"])
def test_addresses_built_once_are_those_url_for_builds(app: Flask, value: str) -> None:
    with app.test_request_context("/countries/GHA?as_of=2025-01-01"):
        address = addresses("public.commitment", "commitment_id")
        assert address(value) == url_for("public.commitment", commitment_id=value)
        assert address(UUID(int=7)) == url_for("public.commitment", commitment_id=UUID(int=7))


SHARED_TABLES = ("progress_framework", "progress_status", "progress_plan",
                 "directory_organisation")
"""What the pages of many commitments read alike."""


def reads_shared(sent: list[str]) -> set[str]:
    return {name for name in SHARED_TABLES if any(name in statement for statement in sent)}


def test_commitment_pages_read_vocabularies_plans_and_organisations_once_per_moment(
        client: FlaskClient, services: Services, world: World) -> None:
    services.app.register_action_plan(SYSTEM, plan_id="AP_GHA01", country="GHA", number=1,
                                      title="First plan")
    claim(services.app, world.government, world.commitment_id)
    claim(services.app, world.foreign_government, world.foreign_commitment_id)
    with statements(services) as sent:
        first = html(client.get(f"/commitments/{world.commitment_id}"))
    assert reads_shared(sent) == set(SHARED_TABLES)
    assert "Ministry of Integrity" in text(first, "#current-claims")
    assert "AP_GHA01" in text(first, ".breadcrumbs")

    # Another commitment of the same framework, at the same moment: nothing read again.
    with statements(services) as sent:
        second = html(client.get(f"/commitments/{world.foreign_commitment_id}"))
    assert reads_shared(sent) == set()
    assert "Oficina de Integridad" in text(second, "#current-claims")

    # Something new is recorded: the next page reads them anew.
    claim(services.app, world.civil_society, world.commitment_id)
    with statements(services) as sent:
        third = html(client.get(f"/commitments/{world.commitment_id}"))
    assert reads_shared(sent) == set(SHARED_TABLES)
    assert "Budget Watch" in text(third, "#current-claims")


def test_the_api_reads_vocabularies_and_organisations_once_per_moment(
        client: FlaskClient, services: Services, world: World) -> None:
    claim(services.app, world.government, world.commitment_id)
    claim(services.app, world.foreign_government, world.foreign_commitment_id)
    vocabularies_and_names = {"progress_framework", "progress_status", "directory_organisation"}

    def organisations(commitment_id: UUID) -> tuple[set[str], set[str]]:
        with statements(services) as sent:
            body = client.get(f"/api/v1/commitments/{commitment_id}").get_json()
        return reads_shared(sent), {made["organisation"]["name"]
                                    for side in body["claims"].values() for made in side}

    assert organisations(world.commitment_id) == (vocabularies_and_names,
                                                  {"Ministry of Integrity"})
    # Another commitment of the same framework, at the same moment: nothing read again.
    assert organisations(world.foreign_commitment_id) == (set(), {"Oficina de Integridad"})
    # A new name is recorded: read anew, and shown at once.
    services.app.rename_organisation(SYSTEM, UUID(world.government.actor.organisation_id),
                                     "Ministry of Public Integrity")
    assert organisations(world.commitment_id) == (vocabularies_and_names,
                                                  {"Ministry of Public Integrity"})


def test_a_renamed_organisation_shows_at_once_and_a_past_moment_keeps_the_old_name(
        client: FlaskClient, services: Services, world: World) -> None:
    claim(services.app, world.government, world.commitment_id)
    address = f"/commitments/{world.commitment_id}"
    assert "Ministry of Integrity" in text(html(client.get(address)), "#current-claims")
    then = datetime.now(UTC)

    services.app.rename_organisation(SYSTEM, UUID(world.government.actor.organisation_id),
                                     "Ministry of Public Integrity")
    now = text(html(client.get(address)), "#current-claims")
    assert "Ministry of Public Integrity" in now
    # The past moment's page is read from that moment's read models, never from the memo.
    past = client.get(f"{address}?as_of={then.isoformat().replace('+', '%2B')}")
    claims = text(html(past), "#current-claims")
    assert "Ministry of Integrity" in claims
    assert "Public Integrity" not in claims


def test_lists_of_one_moment_read_the_statuses_labels_once_and_rows_in_one_read_on_postgresql(
        client: FlaskClient, services: Services, world: World) -> None:
    ids = ghana(services, world)
    with statements(services) as sent:
        first = client.get("/countries/GHA?sort=title")
    assert any("progress_status" in statement for statement in sent)
    # Another list, at the same moment: the labels are remembered, and shown the same.
    with statements(services) as sent:
        second = client.get("/search?q=GH0001&sort=title")
    assert not any("progress_status" in statement for statement in sent)
    row = f"#commitment-{ids['GH0001']} .col-government"
    assert text(html(second), row) == text(html(first), row) != ""
    page_reads = [statement for statement in sent
                  if "FROM progress_commitment" in statement and "count(" not in statement]
    assert len(page_reads) == (2 if services.database.is_sqlite else 1)
    # Something new is recorded: the labels are read anew.
    claim(services.app, world.government, ids["GH0001"], "substantial")
    with statements(services) as sent:
        third = client.get("/countries/GHA?sort=title")
    assert any("progress_status" in statement for statement in sent)
    assert text(html(third), row) != text(html(first), row)
