"""The exceptions with which the domain refuses a command.

Messages are English templates marked for translation; the web layer translates them with
their parameters, so the domain never needs to know the reader's language. A parameter named
``what`` names a field in words and is itself translated.
"""

from __future__ import annotations

from typing import Any


def N_(message: str) -> str:  # noqa: N802 (the conventional name of a gettext no-op marker)
    """Mark a message for extraction into the translation catalogue without translating it."""
    return message


class DomainError(Exception):
    """A business rule refused a command; nothing was recorded."""

    def __init__(self, message: str, *, field: str | None = None, **params: Any) -> None:
        self.message = message
        self.field = field
        self.params = params
        super().__init__(message % params if params else message)


class InvalidValue(DomainError):
    """A value given to a command is missing, too long or malformed."""


class UnknownStatus(InvalidValue):
    """The status is not in the vocabulary of the commitment's framework."""


class ClaimNotFound(DomainError):
    """The commitment has no claim with that id."""


class ClaimNotActive(DomainError):
    """The claim was already withdrawn or replaced by a revision."""


class NotOwnClaim(DomainError):
    """An organisation tried to revise or withdraw a claim made by another organisation."""


class ClaimAlreadyRecorded(DomainError):
    """A claim with this id is already on the commitment (a form submitted twice)."""
