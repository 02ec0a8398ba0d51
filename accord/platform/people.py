"""The store of personal data: names, e-mail addresses and password hashes, keyed by account id.

This is the one mutable place for data about people. Events carry only account ids, so erasing
a row here removes the person while the history stays readable.
"""

from __future__ import annotations

from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from accord.database import Database
from accord.domain.errors import N_
from accord.platform.errors import AlreadyExists
from accord.platform.records import metadata, now, people

__all__ = ["PeopleStore", "Person", "metadata", "normalised_email"]

_hasher = PasswordHasher()  # argon2id with the library's RFC 9106 defaults


def _unknown_person_hash() -> str:
    # Verifying against a hash when the e-mail is unknown makes both failures take the same time.
    return _hasher.hash("no such person")


@dataclass(frozen=True)
class Person:
    """What the store holds about one person (the password hash stays inside)."""

    account_id: str
    email: str
    display_name: str
    has_password: bool


def normalised_email(email: str) -> str:
    """E-mail addresses compare without case and surrounding spaces."""
    return email.strip().lower()


class PeopleStore:
    """Personal data of account holders, in the relational database."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self._dummy_hash: str | None = None

    def create_tables(self) -> None:
        """Create the platform's tables if they do not exist."""
        self.database.create(metadata)

    def add(self, account_id: str, *, email: str, display_name: str) -> None:
        """Store a newly invited person, who has no password yet; refuse a known e-mail."""
        try:
            with self.database.writer.begin() as connection:
                connection.execute(people.insert().values(
                    account_id=account_id, email=normalised_email(email),
                    display_name=display_name.strip(), password_hash=None, created_at=now()))
        except IntegrityError:
            raise AlreadyExists(N_("An account with this e-mail address already exists."),
                                field="email") from None

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
                connection.execute(people.insert().values(account_id=account_id,
                                                          created_at=now(), **row))

    def set_password(self, account_id: str, password: str, *, display_name: str | None = None
                     ) -> None:
        """Replace the person's password (and, when given, their name)."""
        values = {"password_hash": _hasher.hash(password)}
        if display_name is not None:
            values["display_name"] = display_name.strip()
        with self.database.writer.begin() as connection:
            connection.execute(
                people.update().where(people.c.account_id == account_id).values(**values))

    def authenticate(self, email: str, password: str) -> str | None:
        """The account id whose e-mail and password these are, or None."""
        with self.database.reader.connect() as connection:
            row = connection.execute(
                select(people.c.account_id, people.c.password_hash).where(
                    people.c.email == normalised_email(email))
            ).first()
        if row is None or row.password_hash is None:
            self._verify(self._dummy(), password)
            return None
        return str(row.account_id) if self._verify(row.password_hash, password) else None

    def account_id_for(self, email: str) -> str | None:
        """The account whose e-mail this is, or None (for the security log, not for replies)."""
        with self.database.reader.connect() as connection:
            found = connection.execute(select(people.c.account_id).where(
                people.c.email == normalised_email(email))).scalar()
        return None if found is None else str(found)

    def verify_password(self, account_id: str, password: str) -> bool:
        """Whether ``password`` is the account's current password."""
        with self.database.reader.connect() as connection:
            stored = connection.execute(
                select(people.c.password_hash).where(people.c.account_id == account_id)
            ).scalar()
        return stored is not None and self._verify(stored, password)

    def get(self, account_id: str) -> Person | None:
        """The person holding this account, or None (unknown or erased)."""
        with self.database.reader.connect() as connection:
            row = connection.execute(
                select(people).where(people.c.account_id == account_id)).first()
        if row is None:
            return None
        return Person(row.account_id, row.email, row.display_name, row.password_hash is not None)

    def get_many(self, account_ids: list[str]) -> dict[str, Person]:
        """The people holding these accounts (erased ones are missing)."""
        with self.database.reader.connect() as connection:
            rows = connection.execute(
                select(people).where(people.c.account_id.in_(account_ids))).all()
        return {row.account_id: Person(row.account_id, row.email, row.display_name,
                                       row.password_hash is not None) for row in rows}

    def erase(self, account_id: str) -> bool:
        """Delete everything known about the person; True if there was something to delete."""
        with self.database.writer.begin() as connection:
            deleted = connection.execute(
                people.delete().where(people.c.account_id == account_id)).rowcount
        return bool(deleted)

    def remove_unactivated(self, account_id: str) -> None:
        """Undo ``add`` when recording the invitation failed."""
        with self.database.writer.begin() as connection:
            connection.execute(people.delete().where(
                (people.c.account_id == account_id) & people.c.password_hash.is_(None)))

    def _dummy(self) -> str:
        if self._dummy_hash is None:
            self._dummy_hash = _unknown_person_hash()
        return self._dummy_hash

    @staticmethod
    def _verify(stored: str, password: str) -> bool:
        try:
            return bool(_hasher.verify(stored, password))
        except (VerificationError, InvalidHashError):
            return False
