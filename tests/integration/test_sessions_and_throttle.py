"""Server-side sessions and the sign-in throttle, on each backend (state in the database)."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Table, select

from accord.platform import sessions as sessions_module
from accord.platform import throttle as throttle_module
from accord.platform.records import now, sign_in_failures, token_hash
from accord.platform.records import sessions as sessions_table
from accord.services import Services
from accord.settings import Settings

AMA, KOFI = "account-ama", "account-kofi"
EMAIL = "ama@ministry.example"
ADDRESS = "203.0.113.7"


class Clock:
    """A clock the test moves by hand, in whole seconds from a fixed start."""

    def __init__(self) -> None:
        self.moment = now().replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **interval: float) -> datetime:
        self.moment += timedelta(**interval)
        return self.moment


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """The time as the session store and the throttle see it."""
    moving = Clock()
    monkeypatch.setattr(sessions_module, "now", moving)
    monkeypatch.setattr(throttle_module, "now", moving)
    return moving


def stored_rows(services: Services, table: Table) -> list[tuple[object, ...]]:
    with services.database.reader.connect() as connection:
        return [tuple(row) for row in connection.execute(select(table))]


# -- sessions ------------------------------------------------------------------------------------


def test_a_session_names_its_account_until_it_ends(services: Services) -> None:
    # Ama signs in on her laptop and on her phone; Kofi on his laptop.
    laptop, phone = services.sessions.start(AMA), services.sessions.start(AMA, remember=True)
    kofi = services.sessions.start(KOFI)
    assert len({laptop, phone, kofi}) == 3
    assert [services.sessions.account_for(t) for t in (laptop, phone, kofi)] == [AMA, AMA, KOFI]
    # She signs out on the laptop: the phone stays signed in.
    services.sessions.end(laptop)
    assert services.sessions.account_for(laptop) is None
    assert services.sessions.account_for(phone) == AMA
    # "Sign out everywhere" ends the rest of hers, and not Kofi's.
    assert services.sessions.end_all(AMA) == 1
    assert services.sessions.account_for(phone) is None
    assert services.sessions.account_for(kofi) == KOFI
    assert services.sessions.end_all(AMA) == 0


def test_an_unknown_token_names_no_account(services: Services) -> None:
    services.sessions.start(AMA)
    assert services.sessions.account_for("not-a-token") is None
    assert services.sessions.account_for("") is None


def test_a_session_expires_after_12_hours_and_a_remembered_one_after_30_days(
    services: Services, clock: Clock
) -> None:
    session, remembered = services.sessions.start(AMA), services.sessions.start(AMA, remember=True)
    clock.advance(hours=11, minutes=59)
    assert services.sessions.account_for(session) == AMA
    clock.advance(minutes=1)
    assert services.sessions.account_for(session) is None
    assert services.sessions.account_for(remembered) == AMA
    clock.advance(days=30)
    assert services.sessions.account_for(remembered) is None


def test_signing_in_again_clears_the_accounts_expired_sessions(
    services: Services, clock: Clock
) -> None:
    services.sessions.start(AMA)
    services.sessions.start(KOFI)
    clock.advance(days=1)
    fresh = services.sessions.start(AMA)
    # Ama's expired row is gone; Kofi's stays until he signs in again.
    rows = stored_rows(services, sessions_table)
    assert sorted(row[1] for row in rows) == [AMA, KOFI]
    assert token_hash(fresh) in {row[0] for row in rows}


def test_only_the_hash_of_a_session_token_is_stored(services: Services) -> None:
    token = services.sessions.start(AMA)
    ((stored_hash, account_id, *_),) = stored_rows(services, sessions_table)
    assert (stored_hash, account_id) == (hashlib.sha256(token.encode()).hexdigest(), AMA)
    assert not any(token in str(value) for value in stored_rows(services, sessions_table)[0])
    # A copy of the table is no use: its hash is not a token.
    assert services.sessions.account_for(stored_hash) is None


# -- the sign-in throttle ------------------------------------------------------------------------


def fail(services: Services, clock: Clock, times: int, *, email: str = EMAIL,
         address: str = ADDRESS, every: float = 60) -> list[datetime]:
    """Record ``times`` failed sign-ins ``every`` seconds apart; returns when they happened."""
    moments = []
    for _ in range(times):
        moments.append(clock())
        services.throttle.record_failure(email, address)
        clock.advance(seconds=every)
    return moments


def test_ten_failures_for_one_email_block_it_for_15_minutes_from_the_oldest(
    services: Services, clock: Clock
) -> None:
    # Nine failures, each from a different address, do not block.
    moments = [fail(services, clock, 1, address=f"198.51.100.{n}")[0] for n in range(9)]
    assert services.throttle.blocked_until(EMAIL, "192.0.2.1") is None
    # The tenth does, whatever the address, and says until when.
    moments += fail(services, clock, 1, address="198.51.100.9")
    assert services.throttle.blocked_until(EMAIL, "192.0.2.1") == moments[0] + timedelta(
        minutes=15)
    # The e-mail is compared without case or spaces; another account is not blocked.
    assert services.throttle.blocked_until("  AMA@Ministry.example", "192.0.2.1") is not None
    assert services.throttle.blocked_until("kofi@ministry.example", "192.0.2.1") is None


def test_the_block_moves_with_the_oldest_of_the_last_ten_failures(
    services: Services, clock: Clock
) -> None:
    moments = fail(services, clock, 11)
    assert services.throttle.blocked_until(EMAIL, ADDRESS) == moments[1] + timedelta(minutes=15)


def test_when_the_account_and_the_address_are_both_blocked_the_later_time_counts(
    services: Services, clock: Clock
) -> None:
    # Ten failures for Ama from everywhere, then ten for others from one address.
    for_ama = fail(services, clock, 10, address="198.51.100.1", every=10)
    from_address = [fail(services, clock, 1, email=f"p{n}@x.example", every=10)[0]
                    for n in range(10)]
    assert services.throttle.blocked_until(EMAIL, "192.0.2.1") == for_ama[0] + timedelta(
        minutes=15)
    assert services.throttle.blocked_until(EMAIL, ADDRESS) == from_address[0] + timedelta(
        minutes=15)


def test_ten_failures_from_one_address_block_every_email_from_it(
    services: Services, clock: Clock
) -> None:
    # Someone tries ten different accounts from one address.
    moments = []
    for n in range(10):
        moments += fail(services, clock, 1, email=f"person{n}@ministry.example")
    until = moments[0] + timedelta(minutes=15)
    assert services.throttle.blocked_until("anyone@ministry.example", ADDRESS) == until
    # The same accounts from another address are not blocked.
    assert services.throttle.blocked_until("person0@ministry.example", "192.0.2.1") is None


def test_failures_older_than_15_minutes_are_forgotten(services: Services, clock: Clock) -> None:
    moments = fail(services, clock, 10, every=10)
    until = services.throttle.blocked_until(EMAIL, ADDRESS)
    assert until == moments[0] + timedelta(minutes=15)
    # At that moment the oldest failure leaves the window, and sign-in may be tried again.
    clock.moment = until - timedelta(seconds=1)
    assert services.throttle.blocked_until(EMAIL, ADDRESS) == until
    clock.moment = until
    assert services.throttle.blocked_until(EMAIL, ADDRESS) is None
    # A failure much later clears the old rows from the table.
    clock.advance(hours=1)
    fail(services, clock, 1)
    assert len(stored_rows(services, sign_in_failures)) == 2  # one for the e-mail, one address


def test_the_throttle_holds_across_two_workers_on_one_database(
    services: Services, settings: Settings, clock: Clock
) -> None:
    # A second process on the same settings, as a second gunicorn worker would be.
    other_worker = Services(settings)
    try:
        # Five failures reach each worker.
        for _ in range(5):
            services.throttle.record_failure(EMAIL, ADDRESS)
            other_worker.throttle.record_failure(EMAIL, ADDRESS)
            clock.advance(seconds=30)
        # Both workers refuse the next attempt.
        assert services.throttle.blocked_until(EMAIL, ADDRESS) is not None
        assert other_worker.throttle.blocked_until(EMAIL, ADDRESS) is not None
    finally:
        other_worker.close()


def test_signing_in_clears_the_accounts_failures_but_not_the_addresss(
    services: Services, clock: Clock
) -> None:
    fail(services, clock, 10)
    # Ama signs in from another address; her own failures are forgotten.
    services.throttle.clear_account(" Ama@Ministry.example")
    assert services.throttle.blocked_until(EMAIL, "192.0.2.1") is None
    # The address that failed ten times stays blocked, for her as for anyone.
    assert services.throttle.blocked_until(EMAIL, ADDRESS) is not None
    assert services.throttle.blocked_until("kofi@ministry.example", ADDRESS) is not None


def test_the_throttle_stores_the_email_only_as_a_hash(services: Services, clock: Clock) -> None:
    fail(services, clock, 1, email=" Ama@Ministry.example ")
    keys = {str(row[1]) for row in stored_rows(services, sign_in_failures)}
    digest = hashlib.sha256(EMAIL.encode()).hexdigest()
    assert keys == {f"account:{digest}", f"address:{ADDRESS}"}
    assert not any("ama" in key.lower() for key in keys)
