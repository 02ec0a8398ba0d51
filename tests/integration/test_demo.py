"""The demo data on each backend: recorded once, complete, and every demo account signs in."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import func, select

from accord.domain.agreement import Agreement
from accord.platform.demo import load_demo
from accord.platform.people import people
from accord.projections import tables
from accord.services import Services

DEMO_PASSWORD = "accord-demo-2026"


def test_the_demo_is_recorded_once_and_never_duplicated(services: Services) -> None:
    # The first load records the demo's events.
    empty = services.app.max_notification_id()
    first = load_demo(services.app, services.people)
    assert first.loaded_events
    assert first.position == services.app.max_notification_id() > empty
    assert len(first.accounts) == 11  # 9 in the countries, a steward, an auditor

    # A demo person chooses a password of their own.
    changed = first.accounts[0]
    account_id = services.people.authenticate(changed.email, DEMO_PASSWORD)
    assert account_id is not None
    services.people.save(account_id, email=changed.email, display_name=changed.display_name,
                         password="my own passphrase")

    # A second load records nothing, stores no one twice, and leaves that password alone.
    second = load_demo(services.app, services.people)
    assert not second.loaded_events
    assert services.app.max_notification_id() == first.position == second.position
    assert second.accounts == first.accounts
    assert _people(services) == 11
    assert services.people.authenticate(changed.email, "my own passphrase") == account_id
    assert services.people.authenticate(changed.email, DEMO_PASSWORD) is None


def test_the_demo_covers_every_agreement_state_revisions_and_withdrawals(
    services: Services,
) -> None:
    # The demo is loaded and the read model caught up with it.
    result = load_demo(services.app, services.people)
    assert services.caught_up(result.position) == result.position

    # Thirty commitments in three countries, in every agreement state.
    counts = services.queries.country_counts()
    assert sorted(row.country for row in counts) == ["COL", "GHA", "IDN"]
    assert sum(row.total for row in counts) == 30
    for state in Agreement:
        assert sum(row.count(state) for row in counts) > 0, state

    # The timeline tells of revisions and withdrawals too.
    kinds = _timeline_kinds(services)
    assert {"registered", "claimed", "revised", "withdrawn"} <= set(kinds)
    assert kinds["registered"] == 30


def test_each_demo_account_signs_in_with_the_demo_password(services: Services) -> None:
    result = load_demo(services.app, services.people)

    # Every printed account authenticates, as the demo account recorded in the event log.
    for account in result.accounts:
        assert account.password == DEMO_PASSWORD
        account_id = services.people.authenticate(account.email, DEMO_PASSWORD)
        assert account_id is not None, account.email
        actor = services.app.actor(UUID(account_id))
        assert actor.countries == ({account.country} if account.country else set())
        assert actor.kind is not None
        assert actor.kind.value == account.kind

    # A wrong password does not.
    assert services.people.authenticate(result.accounts[0].email, "wrong password") is None


def _people(services: Services) -> int:
    with services.database.reader.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(people)).scalar_one())


def _timeline_kinds(services: Services) -> dict[str, int]:
    t = tables.whole_timeline()
    query = select(t.c.kind, func.count()).group_by(t.c.kind)
    with services.database.reader.connect() as connection:
        return {kind: int(count) for kind, count in connection.execute(query)}
