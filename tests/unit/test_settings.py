"""Settings read from the environment, and the key that signs session cookies."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from accord.settings import Settings, SettingsError


def test_an_empty_environment_means_the_embedded_database() -> None:
    settings = Settings.from_env({})
    assert settings.database_url == ""
    assert settings.pool_size == 5
    assert settings.data_dir.is_absolute()


@pytest.mark.parametrize("url", ["postgresql://accord@db/accord", "postgres://db/accord",
                                 " postgresql://db/accord "])
def test_a_postgresql_url_is_accepted(url: str) -> None:
    settings = Settings.from_env({"ACCORD_DATABASE_URL": url, "ACCORD_DB_POOL_SIZE": "12"})
    assert settings.database_url == url.strip()
    assert settings.pool_size == 12


@pytest.mark.parametrize("url", ["sqlite:///var/accord.db", "mysql://db/accord",
                                 "https://db.example.org/accord", "db/accord",
                                 "postgresqlx://db/accord"])
def test_a_database_url_that_is_not_postgresql_is_refused(url: str) -> None:
    with pytest.raises(SettingsError, match="ACCORD_DATABASE_URL"):
        Settings.from_env({"ACCORD_DATABASE_URL": url})


@pytest.mark.parametrize("size", ["0", "-1", "five", "2.5", "", " ", "1e3", "²"])
def test_a_pool_size_that_is_not_a_whole_number_of_at_least_one_is_refused(size: str) -> None:
    with pytest.raises(SettingsError, match="ACCORD_DB_POOL_SIZE"):
        Settings.from_env({"ACCORD_DB_POOL_SIZE": size})


def test_the_data_dir_is_made_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert Settings.from_env({"ACCORD_DATA_DIR": "data"}).data_dir == tmp_path / "data"


def test_a_configured_secret_key_is_used_and_no_key_file_is_made(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", secret_key="configured")
    assert settings.session_secret() == "configured"
    assert not (tmp_path / "data").exists()


def test_a_session_key_is_made_once_readable_only_by_its_owner(tmp_path: Path) -> None:
    # The first worker to start makes the key, in a data dir that does not exist yet.
    settings = Settings(data_dir=tmp_path / "data")
    secret = settings.session_secret()
    key_file = tmp_path / "data" / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(secret) >= 32
    made = key_file.stat()
    # Every later call, and every other worker, reuses it.
    assert settings.session_secret() == secret
    assert Settings(data_dir=tmp_path / "data").session_secret() == secret
    assert key_file.stat().st_ino == made.st_ino
    assert key_file.stat().st_mtime_ns == made.st_mtime_ns
    assert key_file.read_text().strip() == secret
    assert [p.name for p in key_file.parent.iterdir()] == ["secret_key"]


def test_each_data_dir_gets_its_own_session_key(tmp_path: Path) -> None:
    first = Settings(data_dir=tmp_path / "one").session_secret()
    assert Settings(data_dir=tmp_path / "two").session_secret() != first


def test_two_workers_starting_together_share_one_session_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another worker made the key between this worker's check and its attempt to create it.
    other = Settings(data_dir=tmp_path / "data").session_secret()
    monkeypatch.setattr(Path, "exists", lambda self: False)
    assert Settings(data_dir=tmp_path / "data").session_secret() == other
    assert [p.name for p in (tmp_path / "data").iterdir()] == ["secret_key"]


def test_audit_checkpoints_are_made_hourly_unless_configured_otherwise() -> None:
    assert Settings.from_env({}).audit_checkpoint_minutes == 60
    assert Settings.from_env({"ACCORD_AUDIT_CHECKPOINT_MINUTES": "0"}
                             ).audit_checkpoint_minutes == 0
    with pytest.raises(SettingsError, match="ACCORD_AUDIT_CHECKPOINT_MINUTES"):
        Settings.from_env({"ACCORD_AUDIT_CHECKPOINT_MINUTES": "hourly"})
