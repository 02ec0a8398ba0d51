"""Fixtures shared by every kind of test: settings for each backend, and the services on them."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from argon2 import PasswordHasher

from accord.platform import people
from accord.services import Services
from accord.settings import Settings

POSTGRES_URL_VARIABLE = "ACCORD_TEST_POSTGRES_URL"


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The URL of a PostgreSQL server to create test databases on, or skip (fail in CI)."""
    url = os.environ.get(POSTGRES_URL_VARIABLE, "")
    if not url:
        reason = (f"PostgreSQL tests skipped: set {POSTGRES_URL_VARIABLE} to a server URL, "
                  "e.g. postgresql://postgres@127.0.0.1:5432/postgres")
        if os.environ.get("ACCORD_REQUIRE_POSTGRES"):
            pytest.fail(reason.replace("skipped", "required"))
        pytest.skip(reason)
    return url


@pytest.fixture(scope="session")
def postgres_database(postgres_server: str) -> Iterator[str]:
    """A new, empty database for this test session, dropped at the end."""
    name = f"accord_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
        # A test database need not wait for the disk on every commit (Accord's own never
        # changes this setting; the server's default stays on for real databases).
        connection.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    base, _, _ = postgres_server.rpartition("/")
    yield f"{base}/{name}"
    with psycopg.connect(postgres_server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def empty_postgres(url: str) -> None:
    """Drop every table of the test database."""
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("DROP SCHEMA public CASCADE")
        connection.execute("CREATE SCHEMA public")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """Settings for an empty Accord on each backend: embedded SQLite, then PostgreSQL."""
    if request.param == "sqlite":
        yield Settings(data_dir=tmp_path / "data", secret_key="test-secret")
        return
    url = request.getfixturevalue("postgres_database")
    empty_postgres(url)
    yield Settings(data_dir=tmp_path / "data", database_url=url, secret_key="test-secret")


@pytest.fixture
def sqlite_settings(tmp_path: Path) -> Settings:
    """Settings for an empty Accord on the embedded SQLite databases only."""
    return Settings(data_dir=tmp_path / "data", secret_key="test-secret")


@pytest.fixture
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hash passwords with argon2id at its cheapest, so that tests making many accounts take
    milliseconds; one test checks that Accord itself hashes with the production cost."""
    monkeypatch.setattr(people, "_hasher", PasswordHasher(time_cost=1, memory_cost=8,
                                                           parallelism=1))


@pytest.fixture
def services(settings: Settings, cheap_hashing: None) -> Iterator[Services]:
    """An empty Accord (seed frameworks only) on each backend."""
    wired = Services(settings)
    yield wired
    wired.close()
