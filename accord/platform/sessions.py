"""Sessions kept on the server: a cookie names a row here, and deleting the row ends it.

Signing out deletes this session's row; a password change, "sign out everywhere" and
deactivation delete all of the account's rows, so copied cookies stop working at once.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from accord.database import Database
from accord.platform.records import aware, new_token, now, sessions, token_hash

SESSION_LIFETIME = timedelta(hours=12)
REMEMBERED_LIFETIME = timedelta(days=30)


class SessionStore:
    """Signed-in sessions, by the hash of their token."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def start(self, account_id: str, *, remember: bool = False) -> str:
        """Open a session for the account; returns its token (kept only by the browser)."""
        token = new_token()
        started = now()
        lifetime = REMEMBERED_LIFETIME if remember else SESSION_LIFETIME
        with self.database.writer.begin() as connection:
            connection.execute(sessions.insert().values(
                token_hash=token_hash(token), account_id=account_id, created_at=started,
                expires_at=started + lifetime))
            # Expired rows of this account go when it signs in again.
            connection.execute(sessions.delete().where(
                (sessions.c.account_id == account_id) & (sessions.c.expires_at < started)))
        return token

    def account_for(self, token: str) -> str | None:
        """The account of a live session, or None if it ended or expired."""
        with self.database.reader.connect() as connection:
            row = connection.execute(
                select(sessions.c.account_id, sessions.c.expires_at)
                .where(sessions.c.token_hash == token_hash(token))).first()
        if row is None or aware(row.expires_at) <= now():
            return None
        return str(row.account_id)

    def end(self, token: str) -> None:
        """End one session."""
        with self.database.writer.begin() as connection:
            connection.execute(sessions.delete().where(sessions.c.token_hash == token_hash(token)))

    def end_all(self, account_id: str) -> int:
        """End every session of the account; returns how many there were."""
        with self.database.writer.begin() as connection:
            return int(connection.execute(
                sessions.delete().where(sessions.c.account_id == account_id)).rowcount)
