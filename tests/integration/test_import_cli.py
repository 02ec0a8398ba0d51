"""`accord import` and `accord export`, run as a person would, on a fresh SQLite data dir."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from accord.services import Services
from accord.settings import Settings
from tests.imports_support import OGP_SAMPLE, Rows, edited, row_index, shared_file
from tests.integration.test_cli import environment

ACCORD = Path(sys.executable).parent / "accord"
TIMEOUT = 180


def accord(*arguments: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the installed ``accord`` script and return what it did, whatever its exit status."""
    return subprocess.run([str(ACCORD), *arguments], env=env, cwd=cwd, capture_output=True,
                          text=True, timeout=TIMEOUT, check=False)


def last_line(output: str) -> str:
    return output.strip().splitlines()[-1]


def test_accord_import_ogp_imports_the_sample_once_and_catches_the_read_models_up(
        tmp_path: Path) -> None:
    sample = shared_file(OGP_SAMPLE)
    env = environment(tmp_path / "data")
    # The first run imports everything, shows progress on stderr and ends with the summary.
    first = accord("import", "ogp", str(sample), env=env, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert last_line(first.stdout) == (
        "imported 259 commitments (259 new, 0 changed), 107 action plans (107 new, 0 changed), "
        "258 claims, 0 rejected rows")
    assert "259 of 259 rows read" in first.stderr
    # The read models already show the commitments.
    services = Services(Settings(data_dir=tmp_path / "data", secret_key="test-secret"))
    try:
        assert sum(row.total for row in services.queries.country_counts()) == 259
    finally:
        services.close()
    # The second run records nothing.
    second = accord("import", "ogp", str(sample), env=env, cwd=tmp_path)
    assert last_line(second.stdout).startswith("imported 259 commitments (0 new, 0 changed)")


def test_a_rejected_row_makes_the_command_fail_unless_skip_invalid_is_given(
        tmp_path: Path) -> None:
    changed: list[int] = []

    def edit(rows: Rows) -> None:
        changed.append(row_index(rows, "CA0042"))
        rows[changed[0]]["Code"] = "XXX"

    data, lines = edited(shared_file(OGP_SAMPLE), edit)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(data)
    env = environment(tmp_path / "data")
    # Without the option: the rejected row with its line, nothing recorded, exit status 1.
    refused = accord("import", "ogp", str(bad), env=env, cwd=tmp_path)
    assert refused.returncode == 1
    assert (f"rejected: line {lines[changed[0]]}: XXX is not an ISO 3166-1 alpha-3 country "
            "code.") in refused.stdout
    assert last_line(refused.stdout) == "nothing recorded: 258 valid rows, 1 rejected row"
    assert "--skip-invalid" in refused.stderr
    # With it: the other rows are recorded.
    skipped = accord("import", "ogp", "--skip-invalid", str(bad), env=env, cwd=tmp_path)
    assert skipped.returncode == 0, skipped.stderr
    assert last_line(skipped.stdout).startswith("imported 258 commitments (258 new, 0 changed)")


def test_an_export_of_a_country_imports_back_without_changes(tmp_path: Path) -> None:
    env = environment(tmp_path / "data")
    assert accord("import", "ogp", str(shared_file(OGP_SAMPLE)), env=env,
                  cwd=tmp_path).returncode == 0
    # Ghana's 23 commitments go to the template, and come back unchanged.
    exported = accord("export", "plan", "ghana.csv", "--country", "GHA", env=env, cwd=tmp_path)
    assert exported.stdout.strip() == "exported 23 commitments and 0 milestones to ghana.csv"
    imported = accord("import", "plan", "ghana.csv", env=env, cwd=tmp_path)
    assert last_line(imported.stdout) == (
        "imported 23 commitments (0 new, 0 changed), 5 action plans (0 new, 0 changed), "
        "0 milestones (0 new, 0 changed), 0 rejected rows")
    # One plan only.
    accord("export", "plan", "plan.csv", "--plan", "AP_GHA05", env=env, cwd=tmp_path)
    assert (tmp_path / "plan.csv").read_text(encoding="utf-8").count("\ncommitment,GHA,") == 7


def test_wrong_files_and_wrong_options_get_a_clear_error(tmp_path: Path) -> None:
    env = environment(tmp_path / "data")
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "notes.csv").write_text("name,value\nx,1\n", encoding="utf-8")
    for arguments, message in [
        (("import", "ogp", "empty.csv"), "The file is empty."),
        (("import", "plan", "notes.csv"), "4 missing (kind, country, reference, title_en)"),
        (("import", "ogp", "missing.csv"), "does not exist"),
        (("export", "plan", "out.csv"), "give either --country ISO or --plan PLAN_ID"),
        (("export", "plan", "out.csv", "--plan", "AP_NONE01"), "no action plan AP_NONE01"),
    ]:
        result = accord(*arguments, env=env, cwd=tmp_path)
        assert result.returncode != 0, arguments
        assert message in result.stderr, (arguments, result.stderr)

