"""Sign-in rate limiting, kept in the database so that it holds across workers and servers."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import select

from accord.database import Database
from accord.platform.people import normalised_email
from accord.platform.records import aware, now, sign_in_failures

WINDOW = timedelta(minutes=15)
LIMIT = 10


def _keys(email: str, address: str) -> tuple[str, str]:
    # The e-mail is hashed: this table must not become a second store of personal data.
    account = hashlib.sha256(normalised_email(email).encode("utf-8")).hexdigest()
    return f"account:{account}", f"address:{address}"


class SignInThrottle:
    """Counts failed sign-ins per account (e-mail) and per address over a sliding window."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def blocked_until(self, email: str, address: str) -> datetime | None:
        """When sign-in may be tried again, if it is blocked now; None if it is not."""
        since = now() - WINDOW
        latest: datetime | None = None
        with self.database.reader.connect() as connection:
            for key in _keys(email, address):
                times = list(connection.execute(
                    select(sign_in_failures.c.at)
                    .where((sign_in_failures.c.key == key) & (sign_in_failures.c.at > since))
                    .order_by(sign_in_failures.c.at.desc()).limit(LIMIT)).scalars())
                if len(times) >= LIMIT:
                    # Unblocked when the oldest of the last LIMIT failures leaves the window.
                    until = aware(times[-1]) + WINDOW
                    latest = until if latest is None else max(latest, until)
        return latest

    def record_failure(self, email: str, address: str) -> None:
        """Count one failed sign-in for the e-mail and for the address."""
        moment = now()
        with self.database.writer.begin() as connection:
            connection.execute(sign_in_failures.insert(),
                               [{"key": key, "at": moment} for key in _keys(email, address)])
            connection.execute(sign_in_failures.delete().where(
                sign_in_failures.c.at < moment - WINDOW))

    def clear_account(self, email: str) -> None:
        """Forget the failures of an account that has just signed in."""
        account_key, _ = _keys(email, "")
        with self.database.writer.begin() as connection:
            connection.execute(sign_in_failures.delete().where(
                sign_in_failures.c.key == account_key))
