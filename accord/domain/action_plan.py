"""Action plans: a member's National Action Plan (such as AP_ALB03), holding commitments."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any
from uuid import UUID, uuid5

from accord.domain.base import AccordAggregate
from accord.domain.countries import country_code
from accord.domain.errors import N_, InvalidValue
from accord.domain.ids import ACCORD_NAMESPACE
from accord.domain.values import TITLE_MAX, in_range, limited_text
from accord.domain.values import reference as checked_reference


class PlanStatus(StrEnum):
    """Where an action plan is in its life."""

    DEVELOPMENT = "development"
    IMPLEMENTATION = "implementation"
    ENDED = "ended"


FIELDS = ("country", "locality", "number", "title", "period_start", "period_end", "status")


class ActionPlan(AccordAggregate):
    """A member's action plan: its number, period and status."""

    plan_id: str
    country: str
    locality: str | None
    number: int | None
    title: str
    period_start: date | None
    period_end: date | None
    status: PlanStatus

    def __init__(self) -> None:
        """State is set by the created event's ``apply``."""

    class Registered(AccordAggregate.Created):
        plan_id: str
        country: str
        locality: str | None
        number: int | None
        title: str
        period_start: str | None
        period_end: str | None
        status: str

        def apply(self, aggregate: Any) -> None:
            aggregate.plan_id = self.plan_id
            _apply(aggregate, {name: getattr(self, name) for name in FIELDS})

    class Revised(AccordAggregate.Event):
        """Some details changed (by an import of newer data); ``changes`` holds the new values."""

        changes: dict[str, Any]

        def apply(self, aggregate: Any) -> None:
            _apply(aggregate, self.changes)

    @staticmethod
    def create_id(plan_id: str) -> UUID:
        """An action plan is identified by its id, such as AP_ALB03."""
        return uuid5(ACCORD_NAMESPACE, f"action-plan:{plan_id.upper()}")

    @classmethod
    def register(cls, *, plan_id: str, **details: Any) -> ActionPlan:
        """Register an action plan; see ``checked`` for the details."""
        ref = checked_reference(plan_id)
        plan: ActionPlan = cls._create(cls.Registered, id=cls.create_id(ref), plan_id=ref,
                                       **checked({"locality": None, "number": None, "title": "",
                                                  "period_start": None, "period_end": None,
                                                  "status": PlanStatus.IMPLEMENTATION,
                                                  **details}))
        return plan

    def revise(self, **details: Any) -> bool:
        """Record the details that differ from the current ones; False if none does."""
        proposed = checked(details)
        current = {name: _recorded(getattr(self, name)) for name in proposed}
        changes = {name: value for name, value in proposed.items() if current[name] != value}
        if changes:
            self.trigger_event(self.Revised, changes=changes)
        return bool(changes)


def checked(details: dict[str, Any]) -> dict[str, Any]:
    """Validated details, as events record them."""
    unknown = set(details) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown action plan details: {sorted(unknown)}")
    result: dict[str, Any] = {}
    for name, value in details.items():
        if name == "country":
            result[name] = country_code(value)
        elif name == "locality":
            result[name] = limited_text(value, field="locality", maximum=200) or None \
                if value else None
        elif name == "number":
            result[name] = _number(value)
        elif name == "title":
            result[name] = limited_text(value or "", field="plan_title", maximum=TITLE_MAX)
        elif name in ("period_start", "period_end"):
            result[name] = in_range(value, field=name).isoformat() if value else None
        else:
            result[name] = PlanStatus(value).value
    start, end = result.get("period_start"), result.get("period_end")
    if start and end and end < start:
        raise InvalidValue(N_("An action plan must end on or after the day it starts."),
                           field="period_end")
    return result


def _number(value: Any) -> int | None:
    if value in (None, ""):
        return None
    if not isinstance(value, int) or not 0 < value < 100:
        raise InvalidValue(N_("An action plan's number is a whole number from 1 to 99."),
                           field="number")
    return value


def _recorded(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, PlanStatus):
        return value.value
    return value


def _apply(plan: Any, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        if name in ("period_start", "period_end"):
            value = date.fromisoformat(value) if value else None
        elif name == "status":
            value = PlanStatus(value)
        setattr(plan, name, value)
