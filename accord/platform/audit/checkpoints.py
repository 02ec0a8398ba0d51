"""Signed checkpoints: the size and root hash of the log's tree at a moment, signed.

The signature is Ed25519 over the canonical JSON (see ``leaves``) of the four keys
``log_id``, ``root_hash`` (hex), ``timestamp`` (ISO 8601 UTC, ``YYYY-MM-DDTHH:MM:SSZ``) and
``tree_size``; it is published in standard base64 beside them.
"""

from __future__ import annotations

import base64
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import Connection, select

from accord.platform.audit.keys import SigningKey
from accord.platform.audit.leaves import canonical_json
from accord.platform.audit.tables import audit_checkpoint

TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


@dataclass(frozen=True)
class Checkpoint:
    """A signed statement of the log's tree: ``tree_size`` leaves with this root hash."""

    log_id: str
    root_hash: str
    timestamp: str
    tree_size: int
    signature: str

    def signed_content(self) -> bytes:
        """The bytes the signature is over."""
        body = asdict(self)
        del body["signature"]
        return canonical_json(body)

    def signed_by(self, public_key: bytes) -> bool:
        """Whether the signature is valid for the raw Ed25519 ``public_key``."""
        try:
            Ed25519PublicKey.from_public_bytes(public_key).verify(
                base64.b64decode(self.signature, validate=True), self.signed_content())
        except (InvalidSignature, ValueError):
            return False
        return True

    def made_at(self) -> datetime:
        """When the checkpoint was made."""
        return datetime.strptime(self.timestamp, TIMESTAMP_FORMAT).replace(tzinfo=UTC)

    def as_json(self) -> dict[str, Any]:
        """The checkpoint as published."""
        return asdict(self)


def sign(key: SigningKey, tree_size: int, root: bytes, moment: datetime) -> Checkpoint:
    """A new checkpoint of the tree of ``tree_size`` leaves whose root hash is ``root``."""
    unsigned = Checkpoint(log_id=key.log_id(), root_hash=root.hex(),
                          timestamp=moment.astimezone(UTC).strftime(TIMESTAMP_FORMAT),
                          tree_size=tree_size, signature="")
    signature = base64.b64encode(key.sign(unsigned.signed_content())).decode("ascii")
    return Checkpoint(**{**asdict(unsigned), "signature": signature})


def save(connection: Connection, checkpoint: Checkpoint) -> None:
    """Keep a checkpoint."""
    connection.execute(audit_checkpoint.insert().values(**checkpoint.as_json()))


def stored(connection: Connection, *, latest_only: bool = False) -> list[Checkpoint]:
    """The stored checkpoints, oldest first (or only the latest)."""
    columns = [audit_checkpoint.c[name] for name in
               ("log_id", "root_hash", "timestamp", "tree_size", "signature")]
    query = select(*columns)
    if latest_only:
        query = query.order_by(audit_checkpoint.c.id.desc()).limit(1)
    else:
        query = query.order_by(audit_checkpoint.c.id)
    return [Checkpoint(log_id=row.log_id, root_hash=row.root_hash, timestamp=row.timestamp,
                       tree_size=int(row.tree_size), signature=row.signature)
            for row in connection.execute(query)]
