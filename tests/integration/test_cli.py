"""The ``accord`` console script, run as a person would run it, on a fresh data directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from accord.projections.queries import CountryCounts
from accord.services import Services
from accord.settings import Settings
from tests.conftest import empty_postgres

ACCORD = Path(sys.executable).parent / "accord"
COMMAND_TIMEOUT = 180  # seconds; loading the demo hashes nine passwords with argon2


def accord(*arguments: str, env: dict[str, str], cwd: Path) -> str:
    """Run the installed ``accord`` script; fail with its output unless it succeeds."""
    result = subprocess.run(
        [str(ACCORD), *arguments], env=env, cwd=cwd, capture_output=True, text=True,
        timeout=COMMAND_TIMEOUT, check=False,
    )
    assert result.returncode == 0, f"accord {' '.join(arguments)}:\n{result.stderr}"
    return result.stdout


def environment(data_dir: Path, database_url: str = "") -> dict[str, str]:
    """The process environment, pointed at ``data_dir`` and the given database only."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACCORD_")}
    env.update(ACCORD_DATA_DIR=str(data_dir), ACCORD_SECRET_KEY="test-secret")
    if database_url:
        env["ACCORD_DATABASE_URL"] = database_url
    return env


def country_counts(settings: Settings) -> list[CountryCounts]:
    """The counts per country in the read model, read in this process."""
    services = Services(settings)
    try:
        return sorted(services.queries.country_counts(), key=lambda row: row.country)
    finally:
        services.close()


def test_accord_demo_loads_once_and_a_rebuild_keeps_the_counts(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    env = environment(data_dir)

    # The first run loads the demo and lists the accounts to sign in with.
    first = accord("demo", env=env, cwd=tmp_path)
    assert "Demo data loaded" in first
    assert "government.gha@demo.accord.test" in first
    assert "accord-demo-2026" in first
    assert (data_dir / "events.sqlite3").exists()

    # The second run records nothing, and says so.
    second = accord("demo", env=env, cwd=tmp_path)
    assert "nothing recorded" in second
    assert "Demo data loaded" not in second
    settings = Settings(data_dir=data_dir, secret_key="test-secret")
    counts = country_counts(settings)
    assert sum(row.total for row in counts) == 30

    # Rebuilding the read model from the log leaves the same counts.
    rebuilt = accord("projections", "rebuild", env=env, cwd=tmp_path)
    assert "Rebuilt the progress read model" in rebuilt
    assert country_counts(settings) == counts


@pytest.mark.postgres
def test_accord_demo_loads_into_postgresql(postgres_database: str, tmp_path: Path) -> None:
    # An empty PostgreSQL database, named by ACCORD_DATABASE_URL.
    empty_postgres(postgres_database)
    env = environment(tmp_path / "data", postgres_database)

    # The demo loads there, once.
    assert "Demo data loaded" in accord("demo", env=env, cwd=tmp_path)
    assert "nothing recorded" in accord("demo", env=env, cwd=tmp_path)

    # The read model in PostgreSQL holds the thirty commitments; SQLite was not used.
    settings = Settings(data_dir=tmp_path / "data", database_url=postgres_database)
    assert sum(row.total for row in country_counts(settings)) == 30
    assert not (tmp_path / "data" / "events.sqlite3").exists()
