"""The platform's mutable tables: personal data, sessions, invitations, failed sign-ins.

Unlike events, these rows change and can be deleted: that is why personal data lives here.
Tokens are stored only as SHA-256 hashes, so a copy of the database grants no session.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
)

metadata = MetaData()

ID = 36

people = Table(
    "person",
    metadata,
    Column("account_id", String(ID), primary_key=True),
    Column("email", String(320), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False),
    Column("password_hash", String(200)),  # empty until the invitation is accepted
    Column("created_at", DateTime(timezone=True), nullable=False),
)

sessions = Table(
    "account_session",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("account_id", String(ID), nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

invitations = Table(
    "invitation",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("account_id", String(ID), nullable=False, index=True),
    Column("invited_by", String(ID), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True)),
)

sign_in_failures = Table(
    "sign_in_failure",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
           autoincrement=True),
    Column("key", String(80), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Index("ix_sign_in_failure_key_at", "key", "at"),
)


def new_token() -> str:
    """A fresh secret for a link or a cookie (256 bits)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """How a token is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def now() -> datetime:
    """The current time in UTC."""
    return datetime.now(UTC)


def aware(moment: datetime) -> datetime:
    """A time read back from the database, as UTC (SQLite returns it without a zone)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
