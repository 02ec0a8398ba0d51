"""Settings, read once from the environment."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path


class SettingsError(ValueError):
    """A setting has a value Accord cannot use."""


@dataclass(frozen=True)
class Settings:
    """Where Accord keeps its data and how it is reached.

    ``database_url`` empty means the embedded SQLite databases under ``data_dir``.
    """

    data_dir: Path
    database_url: str = ""
    secret_key: str = ""
    pool_size: int = 5

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        """Read ``ACCORD_*`` variables; see the README's table of settings."""
        url = environ.get("ACCORD_DATABASE_URL", "").strip()
        if url and not url.startswith(("postgresql://", "postgres://")):
            raise SettingsError(
                "ACCORD_DATABASE_URL must be a postgresql:// URL, or empty for the embedded "
                "SQLite database"
            )
        pool_size = environ.get("ACCORD_DB_POOL_SIZE", "5")
        if not pool_size.isdecimal() or int(pool_size) < 1:
            raise SettingsError("ACCORD_DB_POOL_SIZE must be a whole number of at least 1")
        return cls(
            data_dir=Path(environ.get("ACCORD_DATA_DIR", "var")).resolve(),
            database_url=url,
            secret_key=environ.get("ACCORD_SECRET_KEY", ""),
            pool_size=int(pool_size),
        )

    def session_secret(self) -> str:
        """The key that signs session cookies: the setting, or one kept in the data dir.

        Keeping a generated key in the data dir lets every worker and every restart share it.
        """
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / "secret_key"
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            _create_once(path, secrets.token_urlsafe(48))
        return path.read_text().strip()


def _create_once(path: Path, content: str) -> None:
    """Write ``content`` to a new file ``path`` (mode 0600) unless another process made it first.

    The file appears whole (written aside, then linked into place), so a worker starting at the
    same moment never reads a half-written key.
    """
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w") as file:
            file.write(content)
        with suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        temporary.unlink()
