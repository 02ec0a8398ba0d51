"""`accord audit replay --as-of T`: the public counts and lists of a past moment, as a table."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from accord.services import Services
from accord.settings import Settings
from tests.integration.test_cli import environment
from tests.scenario import build_world, claim

ACCORD = Path(sys.executable).parent / "accord"


def replay(settings: Settings, tmp_path: Path, *arguments: str
           ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(ACCORD), "audit", "replay", *arguments], cwd=tmp_path,
                          env=environment(settings.data_dir, settings.database_url),
                          capture_output=True, text=True, timeout=120, check=False)


def rows(output: str) -> dict[str, list[str]]:
    """The table's rows after the header and its rule, keyed by their first two cells."""
    lines = output.splitlines()[3:]
    return {" ".join(line.split()[:2]): line.split() for line in lines}


def test_replay_prints_the_counts_and_commitments_as_they_stood(
        settings: Settings, tmp_path: Path, cheap_hashing: None) -> None:
    services = Services(settings)
    try:
        world = build_world(services.app)
        claim(services.app, world.government, world.commitment_id)
        then = datetime.now(UTC).isoformat().replace("+00:00", "Z")
        claim(services.app, world.civil_society, world.commitment_id)  # agreed, later
    finally:
        services.close()
    past = replay(settings, tmp_path, "--as-of", then)
    assert past.returncode == 0, past.stderr
    counts = {line.split()[0]: line.split() for line in past.stdout.splitlines()[3:]}
    # country, agreed, contested, awaiting_government, awaiting_civil_society, ...
    assert counts["GHA"][1:5] == ["0", "0", "0", "1"]
    listed = replay(settings, tmp_path, "--as-of", then, "--country", "gha")
    assert listed.returncode == 0, listed.stderr
    gh0001 = rows(listed.stdout)["GHA GH0001"]
    assert gh0001[2:5] == ["awaiting_civil_society", "limited", "-"]
    # today, the same commitment is agreed
    now = replay(settings, tmp_path, "--as-of", datetime.now(UTC).isoformat())
    assert {line.split()[0]: line.split() for line in now.stdout.splitlines()[3:]
            }["GHA"][1] == "1"


def test_replay_refuses_a_moment_that_makes_no_sense(settings: Settings,
                                                     tmp_path: Path) -> None:
    for value, message in [("soon", "a date such as"), ("2999-01-01", "has not come yet")]:
        result = replay(settings, tmp_path, "--as-of", value)
        assert result.returncode == 2
        assert message in result.stderr
    result = replay(settings, tmp_path, "--as-of", "2020-01-01", "--country", "ZZZ")
    assert result.returncode == 2
    assert "ISO 3166-1" in result.stderr
