"""The exceptions with which the platform refuses a use case."""

from __future__ import annotations

from accord.domain.errors import DomainError


class NotFound(DomainError):
    """The thing named by an id does not exist."""


class NotPermitted(DomainError):
    """The acting account may not do this."""


class AlreadyExists(DomainError):
    """Something with the same natural key is already registered."""


class ConcurrencyConflict(DomainError):
    """Other writers kept changing the same record; the change was not recorded."""


class BlobCorrupted(Exception):
    """A stored file's content no longer has the SHA-256 it is stored under (damaged on disk).

    Not a refusal of a command: the store itself is at fault, and an operator must restore
    the file from a backup (or anyone may upload the same file again, which repairs it).
    """

    def __init__(self, sha256: str) -> None:
        self.sha256 = sha256
        super().__init__(f"the stored file {sha256} does not match its SHA-256")
