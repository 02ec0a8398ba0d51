"""A government updates many commitments of its action plan in one go: a table, a
check-your-answers page, then one submission that records every claim or none."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest
from flask.testing import FlaskClient

from accord.services import Services
from accord.web import plans as plans_web
from accord.web.plans.update import StatusChoice, draft_key
from tests.scenario import World
from tests.web.conftest import form_fields, html, sign_in, text
from tests.web.plan_helpers import (
    CHECK,
    PERIOD,
    PLAN,
    UPDATE,
    answer,
    error_links,
    government_claims,
    record,
    register_plan,
    rows,
    table_form,
)


@pytest.fixture
def plan(services: Services, world: World) -> dict[str, UUID]:
    """Ghana's first action plan and its three commitments, by reference."""
    return register_plan(services, world)


def test_a_government_member_updates_several_commitments_in_one_go(
        client: FlaskClient, services: Services, world: World, plan: dict[str, UUID],
        monkeypatch: pytest.MonkeyPatch) -> None:
    sign_in(client, world.government)
    # the table has one row per commitment, each offering its framework's claimable statuses
    soup = html(client.get(UPDATE))
    selects = {str(s["name"]): [o.get_text() for o in s.select("option")]
               for s in soup.select("form.plan-update select")}
    assert selects[f"status-{plan['GH0001']}"] == [
        "No change", "No Evidence Available", "Not Started", "Limited", "Substantial",
        "Complete", "Withdrawn"]  # "Unclear" is the independent reviewer's alone
    assert "Underway" in selects[f"status-{plan['GH0003']}"]
    assert len(selects) == 3
    # the member gives two new statuses with their notes (the browser sends CRLF line
    # breaks), and leaves GH0003 unchanged
    fields = answer(client, plan, GH0001=("substantial", "Most awards are online.\r\n\r\nSee it."),
                    GH0002=("not_started", "Funding is pending."))
    response = client.post(UPDATE, data=fields)
    assert response.status_code == 303
    assert response.location == CHECK
    # the check page shows every row that will be recorded, each answer with a Change link
    soup = html(client.get(CHECK))
    cards = soup.select(".summary-card")
    assert [text(card, "h2") for card in cards] == ["GH0001: Commitment GH0001",
                                                   "GH0002: Commitment GH0002"]
    assert text(cards[0], ".check-list__status") == "Substantial"
    assert text(cards[0], ".check-list__period") == "Jan 1, 2024 to Jun 30, 2024"
    assert cards[0].select_one(".check-list__note").get_text() == (
        "Most awards are online.\n\nSee it.")
    assert text(cards[1], ".check-list__status") == "Not Started"
    assert [a["href"] for a in cards[1].select(".check-list__action a")] == [
        f"{UPDATE}#status-{plan['GH0002']}", f"{UPDATE}#period_start",
        f"{UPDATE}#note-{plan['GH0002']}"]
    # recording saves both commitments together: one save, one event per row
    saves: list[int] = []
    real_save = services.app.save
    monkeypatch.setattr(services.app, "save", lambda *aggregates, **kw: (
        saves.append(sum(len(a.pending_events) for a in aggregates)),
        real_save(*aggregates, **kw))[1])
    before = services.app.max_notification_id()
    response = record(client)
    assert response.status_code == 303
    assert response.location == f"/plans/{PLAN}"
    assert saves == [2]
    assert services.app.max_notification_id() == before + 2
    # the plan page says how many were recorded and shows them at once
    soup = html(client.get(response.location))
    assert text(soup, ".notice") == "2 claims have been recorded."
    assert text(rows(soup)["GH0001"], ".col-government") == "Substantial"
    assert text(rows(soup)["GH0002"], ".col-government") == "Not Started"
    assert text(rows(soup)["GH0003"], ".col-government") == "Complete"
    # each commitment's page shows the government's new claim with its note
    page = html(client.get(f"/commitments/{plan['GH0002']}"))
    assert text(page, ".side--government .status") == "Not Started"
    assert "Funding is pending." in text(page, ".side--government")
    assert government_claims(services, plan["GH0001"]) == [
        ("substantial", "Most awards are online.\n\nSee it.")]
    # the draft is gone: the table is empty again
    assert services.drafts.load(world.government.actor.account_id, draft_key(PLAN)) is None
    assert table_form(client)[f"status-{plan['GH0001']}"] == ""


def test_a_refusal_on_one_row_records_none_of_the_claims(
        client: FlaskClient, services: Services, world: World, plan: dict[str, UUID],
        monkeypatch: pytest.MonkeyPatch) -> None:
    # the web layer offers every status, the reviewer's "Unclear" too (as a stale list would)
    def every_status(framework_ids: Any) -> dict[str, list[StatusChoice]]:
        return {fid: [(s.code, s.label) for s in services.app.framework(UUID(fid)).current
                      .statuses] for fid in framework_ids}

    monkeypatch.setattr(plans_web, "claimable_statuses", every_status)
    sign_in(client, world.government)
    # one row is valid, the other claims a rating only the independent reviewer gives
    fields = answer(client, plan, GH0001=("limited", "Started."), GH0002=("unclear", "Hm."))
    assert client.post(UPDATE, data=fields).status_code == 303
    before = services.app.max_notification_id()
    # the platform refuses the whole submission
    response = record(client)
    soup = html(response)
    assert response.status_code == 422
    assert text(soup, ".error-summary h2") == "Nothing was recorded"
    assert "Unclear is a rating only an independent reviewer gives." in text(
        soup, ".error-summary")
    # nothing at all is recorded, not even the valid row, and the answers are still there
    assert services.app.max_notification_id() == before
    assert government_claims(services, plan["GH0001"]) == []
    assert len(soup.select(".summary-card")) == 2
    assert services.drafts.load(world.government.actor.account_id, draft_key(PLAN)) is not None


def test_an_empty_table_is_refused_with_an_error_summary(
        client: FlaskClient, services: Services, world: World, plan: dict[str, UUID]) -> None:
    sign_in(client, world.government)
    before = services.app.max_notification_id()
    # the member presses Continue without answering anything
    response = client.post(UPDATE, data=table_form(client))
    soup = html(response)
    # the page says what is missing, each message linked to its field
    assert response.status_code == 422
    assert text(soup, "title").startswith("Error:")
    assert error_links(soup) == {
        "#period_start": "Enter the first day of the reporting period.",
        "#period_end": "Enter the last day of the reporting period.",
        f"#status-{plan['GH0001']}": "Choose a new status for at least one commitment."}
    assert services.app.max_notification_id() == before


def test_each_row_with_a_status_needs_a_note_and_the_period_must_hold_together(
        client: FlaskClient, services: Services, world: World, plan: dict[str, UUID]) -> None:
    sign_in(client, world.government)
    # a status without a note, a note without a status, and a period that ends before it starts
    fields = answer(client, plan, GH0001=("limited", "  "), GH0002=("", "Typed, no status."))
    fields.update(period_start="2024-06-30", period_end="2024-01-01")
    response = client.post(UPDATE, data=fields)
    soup = html(response)
    assert response.status_code == 422
    # each problem is in the summary and beside its field
    assert error_links(soup) == {
        "#period_end": "The reporting period must end on or after the day it starts.",
        f"#note-{plan['GH0001']}": "Write a note for GH0001 saying what has been done and how "
                                   "you know.",
        f"#status-{plan['GH0002']}": "Choose a status for GH0002, or clear its note."}
    assert text(soup, f"#note-{plan['GH0001']}-error") == (
        "Error: Write a note for GH0001 saying what has been done and how you know.")
    assert soup.select_one(f"#note-{plan['GH0001']}")["aria-describedby"] == (
        f"note-{plan['GH0001']}-error")
    # what was typed is all still there
    again = form_fields(soup, "form.plan-update")
    assert again["period_start"] == "2024-06-30"
    assert again[f"note-{plan['GH0002']}"] == "Typed, no status."
    assert soup.select_one(f"#status-{plan['GH0001']} option[selected]")["value"] == "limited"
    # a date that is not a real date is named as such
    fields.update(period_start="2024-02-30", period_end="")
    assert error_links(html(client.post(UPDATE, data=fields)))["#period_start"] == (
        "The first day of the reporting period must be a real date, such as 2024-01-31.")
    # a status of another framework (the pledge tracker's, on an OGP commitment) is refused
    fields.update({**PERIOD, f"status-{plan['GH0001']}": "underway",
                   f"note-{plan['GH0001']}": "Begun."})
    assert error_links(html(client.post(UPDATE, data=fields))) == {
        f"#status-{plan['GH0001']}": "Choose one of the statuses offered for GH0001.",
        f"#status-{plan['GH0002']}": "Choose a status for GH0002, or clear its note."}


def test_the_draft_survives_signing_out_and_in_again(
        client: FlaskClient, services: Services, world: World, plan: dict[str, UUID]) -> None:
    sign_in(client, world.government)
    # the member fills in the table (with one mistake) and is signed out before finishing
    fields = answer(client, plan, GH0001=("substantial", "Half the awards are online."),
                    GH0002=("not_started", ""))
    assert client.post(UPDATE, data=fields).status_code == 422
    logout = form_fields(html(client.get("/")), "form[action='/logout']")
    client.post("/logout", data=logout)
    assert client.get(UPDATE).status_code == 302
    # they sign in again and go back to the table: what they typed is there
    sign_in(client, world.government)
    restored = table_form(client)
    assert restored["period_start"] == "2024-01-01"
    assert restored["period_end"] == "2024-06-30"
    assert restored[f"status-{plan['GH0001']}"] == "substantial"
    assert restored[f"note-{plan['GH0001']}"] == "Half the awards are online."
    assert restored[f"status-{plan['GH0002']}"] == "not_started"
    assert restored[f"status-{plan['GH0003']}"] == ""
    # another member of the same government has no draft of theirs
    other = services.drafts.load(world.civil_society.actor.account_id, draft_key(PLAN))
    assert other is None


def test_the_same_answers_submitted_twice_are_recorded_once(
        client: FlaskClient, services: Services, world: World, plan: dict[str, UUID]) -> None:
    sign_in(client, world.government)
    client.post(UPDATE, data=answer(client, plan, GH0002=("limited", "Begun.")))
    check_form = form_fields(html(client.get(CHECK)), "form.record-form")
    account_id = world.government.actor.account_id
    draft = services.drafts.load(account_id, draft_key(PLAN))
    assert draft is not None
    # the first press records the claim
    first = client.post(CHECK, data=check_form, follow_redirects=True)
    assert text(html(first), ".notice") == "1 claim has been recorded."
    position = services.app.max_notification_id()
    # a second press that raced it (the draft still there) records nothing more
    services.drafts.save(account_id, draft_key(PLAN), draft)
    response = client.post(CHECK, data=check_form)
    assert response.status_code == 303
    assert text(html(client.get(response.location)), ".notice") == (
        "These claims had already been recorded.")
    assert services.app.max_notification_id() == position
    # and once the draft is gone, pressing again sends the member back to the table
    response = client.post(CHECK, data=check_form)
    assert response.location == UPDATE
    assert services.app.max_notification_id() == position


def test_answers_changed_in_another_window_are_checked_again_before_recording(
        client: FlaskClient, services: Services, world: World, plan: dict[str, UUID]) -> None:
    sign_in(client, world.government)
    client.post(UPDATE, data=answer(client, plan, GH0001=("limited", "First thoughts.")))
    check_form = form_fields(html(client.get(CHECK)), "form.record-form")
    # in another window, the member changes the answers
    client.post(UPDATE, data=answer(client, plan, GH0001=("complete", "Second thoughts.")))
    before = services.app.max_notification_id()
    # the check page seen first cannot record answers it did not show
    response = client.post(CHECK, data=check_form)
    soup = html(response)
    assert response.status_code == 409
    assert "changed in another window" in text(soup, ".error-summary")
    assert text(soup, ".check-list__status") == "Complete"
    assert services.app.max_notification_id() == before
