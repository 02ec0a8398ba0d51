"""The log's Ed25519 key pair, kept in the data dir and made on first use.

The private key is a PKCS #8 PEM file readable by its owner only (0600). The log is named by
its key: the log id is the SHA-256 of the raw 32-byte public key, in hex.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
from contextlib import suppress
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

KEY_FILE = "audit-signing-key.pem"


class SigningKey:
    """The key that signs checkpoints, read from (or first written to) ``path``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._key: Ed25519PrivateKey | None = None

    def exists(self) -> bool:
        """Whether the key pair has been made."""
        return self._key is not None or self.path.exists()

    def private_key(self) -> Ed25519PrivateKey:
        """The private key, made and saved the first time it is needed."""
        if self._key is None:
            if not self.path.exists():
                _create_once(self.path, Ed25519PrivateKey.generate().private_bytes(
                    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption()))
            key = serialization.load_pem_private_key(self.path.read_bytes(), password=None)
            if not isinstance(key, Ed25519PrivateKey):
                raise ValueError(f"{self.path} does not hold an Ed25519 private key")
            self._key = key
        return self._key

    def public_bytes(self) -> bytes:
        """The raw 32-byte public key."""
        return self.private_key().public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw)

    def public_base64(self) -> str:
        """The public key in standard base64, as published."""
        return base64.b64encode(self.public_bytes()).decode("ascii")

    def log_id(self) -> str:
        """The SHA-256 of the raw public key, in hex."""
        return hashlib.sha256(self.public_bytes()).hexdigest()

    def sign(self, message: bytes) -> bytes:
        """The Ed25519 signature of ``message``."""
        return self.private_key().sign(message)


def _create_once(path: Path, content: bytes) -> None:
    """Write a new file ``path`` (mode 0600) whole, unless another process made it first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        with suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        temporary.unlink()
