"""Invitation links: single use, expiring, stored as hashes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from accord.database import Database
from accord.platform.records import aware, invitations, new_token, now, token_hash

INVITATION_LIFETIME = timedelta(days=7)


@dataclass(frozen=True)
class OpenInvitation:
    """An invitation that can still be accepted."""

    account_id: str
    invited_by: str
    expires_at: datetime


class InvitationStore:
    """Invitations by the hash of their token."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def create(self, account_id: str, invited_by: str) -> str:
        """A new invitation for the account; returns the token for the link."""
        token = new_token()
        created = now()
        with self.database.writer.begin() as connection:
            connection.execute(invitations.insert().values(
                token_hash=token_hash(token), account_id=account_id, invited_by=invited_by,
                created_at=created, expires_at=created + INVITATION_LIFETIME, used_at=None))
        return token

    def find(self, token: str) -> OpenInvitation | None:
        """The invitation if it is unused and unexpired, else None."""
        with self.database.reader.connect() as connection:
            row = connection.execute(
                select(invitations).where(invitations.c.token_hash == token_hash(token))).first()
        if row is None or row.used_at is not None or aware(row.expires_at) <= now():
            return None
        return OpenInvitation(row.account_id, row.invited_by, aware(row.expires_at))

    def use(self, token: str) -> bool:
        """Mark the invitation used; False if it was already used or has expired meanwhile."""
        moment = now()
        with self.database.writer.begin() as connection:
            used = connection.execute(
                invitations.update()
                .where((invitations.c.token_hash == token_hash(token))
                       & invitations.c.used_at.is_(None) & (invitations.c.expires_at > moment))
                .values(used_at=moment)).rowcount
        return bool(used)

    def pending(self) -> dict[str, datetime]:
        """Account id to expiry, for every invitation that can still be accepted."""
        moment = now()
        with self.database.reader.connect() as connection:
            rows = connection.execute(
                select(invitations.c.account_id, invitations.c.expires_at)
                .where(invitations.c.used_at.is_(None) & (invitations.c.expires_at > moment)))
            return {row.account_id: aware(row.expires_at) for row in rows}

    def withdraw(self, account_id: str) -> None:
        """Delete the account's invitations (erasure, or a new invitation replacing them)."""
        with self.database.writer.begin() as connection:
            connection.execute(invitations.delete().where(invitations.c.account_id == account_id))
