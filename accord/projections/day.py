"""The day against which end dates are compared: today (UTC), or a past view's day."""

from __future__ import annotations

from contextvars import ContextVar, Token
from datetime import UTC, date, datetime

_day: ContextVar[date | None] = ContextVar("reference_day", default=None)


def today() -> date:
    """The current date in UTC, unless a historical view set another (see ``set_day``)."""
    return _day.get() or datetime.now(UTC).date()


def set_day(day: date | None) -> Token[date | None]:
    """Compare end dates with ``day`` in this context, until ``reset_day``."""
    return _day.set(day)


def reset_day(token: Token[date | None]) -> None:
    """Go back to the day in force before ``set_day``."""
    _day.reset(token)
