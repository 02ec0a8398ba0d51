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
