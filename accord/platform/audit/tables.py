"""The audit record's tables, in the read-model database beside the other tables.

They are not a read model: ``accord projections rebuild`` never touches them, and they cannot
be rebuilt from the events, since their point is to remember what the events were.
``audit_leaf`` holds every event's leaf hash, in tree order, with its notification id;
``audit_node`` holds the hashes of the perfect subtrees at every fourth level (16, 256,
4096... leaves), from which any proof is put together without rehashing the log;
``audit_checkpoint`` holds every signed checkpoint, as signed.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
)

metadata = MetaData()

_ROW_ID = BigInteger().with_variant(Integer, "sqlite")  # SQLite's own row id, when a key

audit_leaf = Table(
    "audit_leaf",
    metadata,
    Column("position", _ROW_ID, primary_key=True, autoincrement=False),
    Column("notification_id", BigInteger, nullable=False, unique=True),
    Column("leaf_hash", LargeBinary(32), nullable=False),
)

audit_node = Table(
    "audit_node",
    metadata,
    Column("level", SmallInteger, primary_key=True, autoincrement=False),
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("node_hash", LargeBinary(32), nullable=False),
)

audit_checkpoint = Table(
    "audit_checkpoint",
    metadata,
    Column("id", _ROW_ID, primary_key=True, autoincrement=True),
    Column("log_id", String(64), nullable=False),
    Column("root_hash", String(64), nullable=False),
    Column("timestamp", String(40), nullable=False),
    Column("tree_size", BigInteger, nullable=False, index=True),
    Column("signature", String(100), nullable=False),
)
