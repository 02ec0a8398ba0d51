"""Public pages as they stood at a past moment (``?as_of=``): recorded then, compared later."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from sqlalchemy import Connection, func, select

from accord.platform.policy import SYSTEM
from accord.projections import tables
from accord.projections.day import reset_day, set_day
from accord.projections.listing import Filters
from accord.projections.progress import ProgressProjection
from accord.projections.source import PositionedEvent
from accord.services import Services
from tests.scenario import OGP, World, claim
from tests.web.conftest import html

PAGES = ["/", "/countries/GHA", "/countries/GHA?agreement=awaiting_civil_society",
         "/themes/open_contracting", "/search?q=contract", "/plans/AP_GHA01",
         "/themes/open_contracting/compare", "/themes"]


def main_content(body: str) -> str:
    """The page's main content without the historical banner, links without ``as_of``."""
    soup = BeautifulSoup(body, "html.parser")
    main = soup.select_one("main")
    assert main is not None
    for banner in main.select(".history-banner"):
        banner.decompose()
    text = " ".join(str(main).split())
    return re.sub(r"(\?|&amp;|&)as_of=[^\"&]*", "", text)


def served(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def at(moment: datetime) -> str:
    return moment.isoformat().replace("+", "%2B")


def with_as_of(url: str, moment: datetime) -> str:
    return f"{url}{'&' if '?' in url else '?'}as_of={at(moment)}"


def test_a_page_as_of_a_past_moment_is_the_page_served_then(
        client: FlaskClient, services: Services, world: World) -> None:
    services.app.register_action_plan(SYSTEM, plan_id="AP_GHA01", country="GHA", number=1,
                                      title="First plan")
    # The government claims; the pages are served and recorded.
    government = claim(services.app, world.government, world.commitment_id)
    commitment_url = f"/commitments/{world.commitment_id}"
    then = datetime.now(UTC)
    recorded = {url: main_content(served(client, url)) for url in [*PAGES, commitment_url]}
    # Later, civil society challenges with its own claim, and the government revises and then
    # withdraws its claim.
    claim(services.app, world.civil_society, world.commitment_id, status="not_started")
    services.app.withdraw_claim(world.government.actor, world.commitment_id,
                                claim_id=government.id, reason="Reported too early.")
    # Today's pages have changed...
    assert main_content(served(client, commitment_url)) != recorded[commitment_url]
    assert main_content(served(client, "/countries/GHA")) != recorded["/countries/GHA"]
    # ...and each page as of that moment is the page that was served then.
    for url, page in recorded.items():
        past = served(client, with_as_of(url, then))
        assert main_content(past) == page, url
        assert "Historical view" in past


def test_a_historical_page_says_so_and_its_links_keep_the_moment(
        client: FlaskClient, services: Services, world: World) -> None:
    claim(services.app, world.government, world.commitment_id)
    then = datetime.now(UTC)
    soup = html(client.get(with_as_of("/countries/GHA", then)))
    banner = soup.select_one(".history-banner")
    assert banner is not None
    assert then.strftime("%Y-%m-%d %H:%M") in banner.get_text()
    today = banner.select_one("a")["href"]
    assert today == "/countries/GHA"
    links = [a["href"] for a in soup.select("#commitments a[href^='/commitments/']")]
    assert links
    assert all("as_of=" in link for link in links)
    # today's page offers the date picker and no banner
    soup = html(client.get("/countries/GHA"))
    assert soup.select_one(".history-banner") is None
    assert soup.select_one("form.as-of-form input[name=as_of]") is not None


def test_before_anything_was_recorded_the_pages_are_empty(
        client: FlaskClient, services: Services, world: World) -> None:
    claim(services.app, world.government, world.commitment_id)
    soup = html(client.get("/?as_of=2001-01-01"))
    assert "Historical view" in soup.get_text()
    assert client.get("/countries/GHA?as_of=2001-01-01").status_code == 404
    assert client.get("/api/v1/countries?as_of=2001-01-01").get_json() == {"countries": []}


def test_overdue_is_judged_on_the_day_of_the_view(services: Services, world: World) -> None:
    # A commitment that ended on 2020-06-30 with nothing reported is overdue today...
    services.app.register_commitment(SYSTEM, country="GHA", reference="GH0900",
                                     title="Late commitment", framework_id=OGP,
                                     end_date=date(2020, 6, 30))
    services.caught_up()
    only_overdue = Filters(country="GHA", overdue=True)
    assert [r.reference for r in services.listing.page(only_overdue).rows] == ["GH0900"]
    # ...but a view of a day before its end date does not call it overdue.
    token = set_day(date(2020, 6, 30))
    try:
        assert services.listing.page(only_overdue).rows == []
        page = services.queries.commitment_page(services.listing.page(
            Filters(country="GHA", q="late")).rows[0].commitment_id)
        assert page is not None
        assert not page.overdue
    finally:
        reset_day(token)
    assert [r.reference for r in services.listing.page(only_overdue).rows] == ["GH0900"]


@pytest.mark.parametrize(("value", "message"), [
    ("yesterday", "is not a date"),
    ("2025-13-01", "is not a date"),
    ("9999-01-01", "has not come yet"),
    ("x" * 60, "is not a date"),
])
def test_a_moment_that_makes_no_sense_is_refused(
        client: FlaskClient, world: World, value: str, message: str) -> None:
    response = client.get(f"/countries/GHA?as_of={value}")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    api = client.get(f"/api/v1/commitments?as_of={value}")
    assert api.status_code == 400
    assert api.is_json


def test_a_past_moment_is_built_in_sql_when_the_events_are_in_a_sqlite_file(
        services: Services, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    claim(services.app, world.government, world.commitment_id)
    position = services.app.max_notification_id()
    replayed: list[int] = []

    def counting(self: ProgressProjection, connection: Connection,
                 events: Sequence[PositionedEvent]) -> None:
        replayed.append(len(events))

    monkeypatch.setattr(ProgressProjection, "apply", counting)
    database = services.history.database(position)
    # The progress tables were built in SQL, not replayed a batch at a time, when the events
    # are in a SQLite file; from PostgreSQL, the log is replayed.
    assert (replayed == []) == (services.history.stored_events is not None)
    assert (services.history.stored_events is not None) == (not services.settings.database_url)
    with database.reader.connect() as connection:
        claims = connection.execute(select(func.count()).select_from(tables.claims)).scalar()
    assert claims == (0 if replayed else 1)  # none when ``apply`` was left to do it


def test_the_same_moment_is_built_once_and_shared(
        client: FlaskClient, services: Services, world: World) -> None:
    claim(services.app, world.government, world.commitment_id)
    then = datetime.now(UTC) - timedelta(microseconds=1)
    position = services.history.position_at(then)
    assert position == services.app.max_notification_id()
    first = services.history.database(position)
    assert services.history.database(position) is first
    files = sorted(p.name for p in services.history.directory.glob("as-of-*.sqlite3"))
    assert files == [f"as-of-{position}.sqlite3"]


def test_two_moments_compared_show_what_changed_in_between(
        client: FlaskClient, services: Services, world: World) -> None:
    services.app.register_action_plan(SYSTEM, plan_id="AP_GHA01", country="GHA", number=1,
                                      title="First plan")
    government = claim(services.app, world.government, world.commitment_id)
    first = datetime.now(UTC)
    # In between: civil society claims on the same commitment; the government withdraws.
    claim(services.app, world.civil_society, world.commitment_id, status="substantial")
    services.app.withdraw_claim(world.government.actor, world.commitment_id,
                                claim_id=government.id, reason="Reported too early.")
    # Colombia's changes are not Ghana's.
    claim(services.app, world.foreign_government, world.foreign_commitment_id)
    second = datetime.now(UTC)
    claim(services.app, world.other_civil_society, world.commitment_id)  # after: not shown
    for url in ("/countries/GHA/changes", "/plans/AP_GHA01/changes"):
        soup = html(client.get(f"{url}?from={at(first)}&to={at(second)}"))
        rows = soup.select("#differences tbody tr")
        assert [row.find("td").get_text(strip=True) for row in rows] == ["GH0001"]
        cells = [cell.get_text(" ", strip=True) for cell in rows[0].find_all("td")]
        assert cells[2:4] == ["Awaiting civil society", "Awaiting government"]
        entries = [" ".join(li.get_text(" ").split())
                   for li in soup.select("#claims-between li")]
        assert len(entries) == 2
        assert "Budget Watch (Civil society) claimed" in entries[0]
        assert "Ministry of Integrity (Government) withdrew" in entries[1]
    # without a first moment, the form alone; nonsense gets a 400
    assert client.get("/countries/GHA/changes").status_code == 200
    assert client.get("/countries/GHA/changes?from=soon").status_code == 400
    assert client.get(f"/countries/GHA/changes?from={at(second)}&to={at(first)}"
                      ).status_code == 400
    assert client.get("/plans/AP_NOPE/changes?from=2020-01-01").status_code == 404
