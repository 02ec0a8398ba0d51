"""The store of personal data: names, e-mail addresses and password hashes, keyed by account id.

This is the one mutable place for data about people. Events carry only account ids, so erasing
a row here removes the person while the history stays readable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Column, DateTime, MetaData, String, Table, select

from accord.database import Database

metadata = MetaData()

people = Table(
    "person",
    metadata,
    Column("account_id", String(36), primary_key=True),
    Column("email", String(320), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

_hasher = PasswordHasher()
# Verifying against this when the e-mail is unknown makes both failures take the same time.
_UNKNOWN_PERSON_HASH = _hasher.hash("no such person")


@dataclass(frozen=True)
class Person:
    """What the store holds about one person (the password hash stays inside)."""

    account_id: str
    email: str
    display_name: str


def normalised_email(email: str) -> str:
    """E-mail addresses compare without case and surrounding spaces."""
    return email.strip().lower()


class PeopleStore:
    """Personal data of account holders, in the relational database."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def create_tables(self) -> None:
        """Create the table if it does not exist."""
        self.database.create(metadata)

    def save(self, account_id: str, *, email: str, display_name: str, password: str) -> None:
        """Store a person's details and password hash, replacing any earlier ones."""
        row = {
            "email": normalised_email(email),
            "display_name": display_name.strip(),
            "password_hash": _hasher.hash(password),
        }
        with self.database.writer.begin() as connection:
            updated = connection.execute(
                people.update().where(people.c.account_id == account_id).values(**row)
            ).rowcount
            if not updated:
                connection.execute(
                    people.insert().values(
                        account_id=account_id, created_at=datetime.now(UTC), **row
                    )
                )

    def authenticate(self, email: str, password: str) -> str | None:
        """The account id whose e-mail and password these are, or None."""
        with self.database.reader.connect() as connection:
            row = connection.execute(
                select(people.c.account_id, people.c.password_hash).where(
                    people.c.email == normalised_email(email)
                )
            ).first()
        try:
            _hasher.verify(row.password_hash if row else _UNKNOWN_PERSON_HASH, password)
        except (VerificationError, InvalidHashError):
            return None
        return str(row.account_id) if row else None

    def get(self, account_id: str) -> Person | None:
        """The person holding this account, or None (unknown or erased)."""
        with self.database.reader.connect() as connection:
            row = connection.execute(
                select(people.c.account_id, people.c.email, people.c.display_name).where(
                    people.c.account_id == account_id
                )
            ).first()
        return Person(row.account_id, row.email, row.display_name) if row else None
