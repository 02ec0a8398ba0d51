"""An action plan's page, the country's list of plans, and who may update a plan."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest
from bs4 import BeautifulSoup
from flask import Flask, render_template
from flask.testing import FlaskClient

from accord.platform.policy import SYSTEM
from accord.services import Services
from accord.web.plans.update import draft_key
from tests.scenario import Member, World, claim
from tests.web.conftest import csrf_token, form_fields, html, sign_in, text
from tests.web.plan_helpers import CHECK, DASH, PERIOD, PLAN, UPDATE, register_plan, rows


@pytest.fixture
def plan(services: Services, world: World) -> dict[str, UUID]:
    """Ghana's first action plan and its three commitments, by reference."""
    return register_plan(services, world)


def test_the_plan_page_lists_its_commitments_with_both_sides_and_overdue_tags(
        client: FlaskClient, services: Services, world: World, plan: dict[str, UUID]) -> None:
    # the two sides disagree on GH0001
    claim(services.app, world.government, plan["GH0001"], status="limited")
    claim(services.app, world.civil_society, plan["GH0001"], status="substantial")
    # anyone opens the plan's page
    soup = html(client.get(f"/plans/{PLAN}"))
    # it names the plan, its number, period and status
    assert text(soup, "h1") == "Ghana's first action plan"
    details = {text(div, "dt"): text(div, "dd") for div in soup.select(".plan-details div")}
    assert details["Number"] == "1"
    assert details["Period"] == f"Jan 1, 2023 {DASH} Dec 31, 2025"
    assert details["Status"] == "Being implemented"
    assert details["Commitments"] == "3 · 1 overdue"
    # its commitments, in reference order, each linked, and no commitment of another plan
    table = rows(soup)
    assert list(table) == ["GH0001", "GH0002", "GH0003"]
    assert table["GH0001"].select_one("a")["href"] == f"/commitments/{plan['GH0001']}"
    # both sides, the reviewer and the agreement state, in words
    assert text(table["GH0001"], ".col-government") == "Limited"
    assert text(table["GH0001"], ".col-civil-society") == "Substantial"
    assert text(table["GH0001"], ".col-reviewer") == "No report"
    assert text(table["GH0001"], ".tag") == "Contested"
    assert text(table["GH0003"], ".tag") == "Agreed"
    # past its end date and not complete, GH0002 is overdue, said in words; complete GH0003
    # and GH0001 (no end date) are not
    assert text(table["GH0002"], ".tag--overdue") == "Overdue"
    assert "due Jun 30, 2020" in text(table["GH0002"], "td:nth-of-type(2)")
    assert table["GH0001"].select(".tag--overdue") == []
    assert table["GH0003"].select(".tag--overdue") == []
    # the public is not offered the update
    assert soup.select(f"a[href='{UPDATE}']") == []


def test_the_plan_page_offers_the_update_only_to_the_government_of_its_country(
        client: FlaskClient, world: World, plan: dict[str, UUID]) -> None:
    offered = {}
    for member in (world.government, world.civil_society, world.foreign_government):
        sign_in(client, member)
        soup = html(client.get(f"/plans/{PLAN}"))
        offered[member.organisation_name] = bool(soup.select(f"a[href='{UPDATE}']"))
    assert offered == {"Ministry of Integrity": True, "Budget Watch": False,
                       "Oficina de Integridad": False}


def test_an_unknown_plan_is_not_found(client: FlaskClient, world: World) -> None:
    response = client.get("/plans/AP_XYZ99")
    assert response.status_code == 404
    assert "no action plan at this address" in text(html(response), "main .lead")


def test_a_countrys_plans_fragment_links_to_each_plan(
        app: Flask, services: Services, plan: dict[str, UUID]) -> None:
    # a second, older plan without commitments
    services.app.register_action_plan(SYSTEM, plan_id="AP_GHA00", country="GHA", number=None,
                                      title="", period_start=date(2019, 1, 1))
    services.caught_up()
    with app.test_request_context("/countries/GHA"):
        soup = BeautifulSoup(render_template(
            "plans/_country_plans.html", plans=services.plans.plans("GHA")), "html.parser")
    # newest first, each linked, with its id, period and number of commitments
    items = [" ".join(li.get_text(" ").split()) for li in soup.select("#action-plans li")]
    assert items == [
        f"Ghana's first action plan AP_GHA01 · Jan 1, 2023 {DASH} Dec 31, 2025 · 3 commitments",
        f"Action plan AP_GHA00 Jan 1, 2019 {DASH} ? · 0 commitments"]
    assert [a["href"] for a in soup.select("#action-plans a")] == [
        "/plans/AP_GHA01", "/plans/AP_GHA00"]
    # a country without plans shows nothing
    with app.test_request_context("/countries/COL"):
        assert render_template("plans/_country_plans.html", plans=[]).strip() == ""


@pytest.mark.parametrize("who", ["civil_society", "foreign_government"])
def test_only_the_government_of_the_plans_country_may_update_it(
        client: FlaskClient, services: Services, world: World, plan: dict[str, UUID],
        who: str) -> None:
    member: Member = getattr(world, who)
    sign_in(client, member)
    token = form_fields(html(client.get("/")), "form[action='/logout']")["csrf_token"]
    before = services.app.max_notification_id()
    # the table, the check page and both submissions are refused
    answers = {"csrf_token": token, **PERIOD, f"status-{plan['GH0001']}": "limited",
               f"note-{plan['GH0001']}": "Not ours to say."}
    statuses = [client.get(UPDATE).status_code, client.post(UPDATE, data=answers).status_code,
                client.get(CHECK).status_code,
                client.post(CHECK, data={"csrf_token": token}).status_code]
    assert statuses == [403, 403, 403, 403]
    # nothing is recorded, and no draft is kept for them
    assert services.app.max_notification_id() == before
    assert services.drafts.load(member.actor.account_id, draft_key(PLAN)) is None


def test_the_public_is_sent_to_sign_in(
        client: FlaskClient, services: Services, plan: dict[str, UUID]) -> None:
    # the table's address is kept, to come back to it after signing in
    response = client.get(UPDATE)
    assert response.status_code == 302
    assert response.location == f"/login?next={UPDATE}"
    assert client.get(CHECK).location == f"/login?next={CHECK}"
    # a submission (with a valid token) is sent to sign in too, and records nothing
    before = services.app.max_notification_id()
    response = client.post(CHECK, data={"csrf_token": csrf_token(client)})
    assert response.location == "/login"
    assert services.app.max_notification_id() == before
