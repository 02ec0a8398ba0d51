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
    base_url: str = "http://127.0.0.1:8000"
    proxies: int = 0
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = True
    mail_from: str = "Accord <accord@localhost>"
    blob_dir: Path | None = None
    """Where evidence files are stored; None means ``blobs`` in the data dir."""
    page_cache_mb: int = 16
    """Memory each worker may give to public answers it can repeat (0: none)."""
    audit_checkpoint_minutes: int = 0
    """How old the last signed checkpoint may grow, while events are recorded, before a
    request makes the next; 0 means only on demand (the environment's default is 60)."""

    @property
    def blob_directory(self) -> Path:
        """The directory of the evidence files' store."""
        return self.blob_dir or self.data_dir / "blobs"

    @property
    def https(self) -> bool:
        """Whether Accord is served over HTTPS (then cookies are Secure and HSTS is sent)."""
        return self.base_url.startswith("https://")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        """Read ``ACCORD_*`` variables; see the README's table of settings."""
        url = environ.get("ACCORD_DATABASE_URL", "").strip()
        if url and not url.startswith(("postgresql://", "postgres://")):
            raise SettingsError(
                "ACCORD_DATABASE_URL must be a postgresql:// URL, or empty for the embedded "
                "SQLite database"
            )
        base_url = environ.get("ACCORD_BASE_URL", cls.base_url).strip().rstrip("/")
        if not base_url.startswith(("http://", "https://")):
            raise SettingsError("ACCORD_BASE_URL must start with https:// (or http://)")
        blob_dir = environ.get("ACCORD_BLOB_DIR", "").strip()
        return cls(
            data_dir=Path(environ.get("ACCORD_DATA_DIR", "var")).resolve(),
            database_url=url,
            secret_key=environ.get("ACCORD_SECRET_KEY", ""),
            pool_size=_whole(environ, "ACCORD_DB_POOL_SIZE", "5", minimum=1),
            base_url=base_url,
            proxies=_whole(environ, "ACCORD_PROXIES", "0", minimum=0),
            smtp_host=environ.get("ACCORD_SMTP_HOST", "").strip(),
            smtp_port=_whole(environ, "ACCORD_SMTP_PORT", "587", minimum=1),
            smtp_username=environ.get("ACCORD_SMTP_USERNAME", ""),
            smtp_password=environ.get("ACCORD_SMTP_PASSWORD", ""),
            smtp_starttls=environ.get("ACCORD_SMTP_STARTTLS", "yes").lower()
            not in ("0", "no", "false", "off"),
            mail_from=environ.get("ACCORD_MAIL_FROM", cls.mail_from),
            blob_dir=Path(blob_dir).resolve() if blob_dir else None,
            page_cache_mb=_whole(environ, "ACCORD_PAGE_CACHE_MB", "16", minimum=0),
            audit_checkpoint_minutes=_whole(environ, "ACCORD_AUDIT_CHECKPOINT_MINUTES", "60",
                                            minimum=0),
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


def _whole(environ: Mapping[str, str], name: str, default: str, *, minimum: int) -> int:
    value = environ.get(name, default).strip()
    if not value.isdecimal() or int(value) < minimum:
        raise SettingsError(f"{name} must be a whole number of at least {minimum}")
    return int(value)


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
