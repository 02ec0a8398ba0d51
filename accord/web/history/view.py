"""An aggregate's history as the pages and the JSON show it: who acted, in words.

Events name the acting account by an opaque id. The directory says which organisation the
account belongs to (public, as organisations are); the person's name comes from the store of
personal data, and only for visitors allowed to read that part of the directory.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from flask import url_for
from flask_babel import gettext as _

from accord.domain.actor import SYSTEM_ACTOR
from accord.platform.errors import NotFound
from accord.platform.history import History, HistoryEntry
from accord.platform.policy import Action, Resource
from accord.web.access import open_to_current_user
from accord.web.context import services
from accord.web.history.labels import event_label, field_label, shown


@dataclass(frozen=True)
class Who:
    """The acting account: its organisation, and its holder's name when the visitor may know."""

    account_id: str
    organisation_id: str | None
    organisation: str | None
    name: str | None
    """The person's name, "Erased account", or None when the visitor may not know."""
    platform: bool = False
    account_page: bool = False
    """Whether the visitor may open the account's history."""


@dataclass(frozen=True)
class ShownChange:
    field: str
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class ShownEntry:
    """One event as the page shows it."""

    entry: HistoryEntry
    label: str
    who: Who
    changes: list[ShownChange]
    proof_url: str | None


class Directory:
    """Who is who, looked up once per account and organisation for one page."""

    def __init__(self) -> None:
        services().caught_up()  # an account or organisation made a moment ago
        self.organisations: dict[str, str] = {}
        self.people: dict[str, Who] = {}

    def organisation(self, organisation_id: str) -> str | None:
        if organisation_id not in self.organisations:
            row = services().directory.organisation(organisation_id)
            self.organisations[organisation_id] = row.name if row else ""
        return self.organisations[organisation_id] or None

    def who(self, account_id: str) -> Who:
        if account_id == SYSTEM_ACTOR:
            return Who(account_id, None, None, _("Accord (the platform)"), platform=True)
        if account_id not in self.people:
            self.people[account_id] = self._lookup(account_id)
        return self.people[account_id]

    def _lookup(self, account_id: str) -> Who:
        account = services().directory.account(account_id)
        if account is None:
            return Who(account_id, None, None, None)
        organisation_id = account.organisation_id
        if not may_read_people(organisation_id):
            return Who(account_id, organisation_id, self.organisation(organisation_id), None)
        person = services().people.get(account_id)
        return Who(account_id, organisation_id, self.organisation(organisation_id),
                   person.display_name if person else _("Erased account"), account_page=True)


def may_read_people(organisation_id: str) -> bool:
    """Whether the visitor may see who holds the accounts of this organisation."""
    return open_to_current_user(Action.READ_DIRECTORY, Resource(organisation_id=organisation_id))


def shown_entries(history: History, directory: Directory) -> list[ShownEntry]:
    """Every event of the history, in words, oldest first."""
    names = value_names(history, directory)
    return [ShownEntry(entry, event_label(entry.kind), directory.who(entry.actor_id),
                       [ShownChange(c.field, field_label(c.field), shown(c.field, c.before, names),
                                    shown(c.field, c.after, names))
                        for c in entry.changes],
                       url_for("audit.inclusion", id=entry.position) if entry.position else None)
            for entry in history.entries]


def value_names(history: History, directory: Directory) -> dict[str, dict[str, str]]:
    """Names for the ids and codes the events record: organisations (a claim's maker), the
    commitment's framework and its statuses."""
    for entry in history.entries:
        for change in entry.changes:
            if change.field == "organisation_id" and isinstance(change.after, str):
                directory.organisation(change.after)
    names = {"organisation_id": {key: value for key, value in directory.organisations.items()
                                 if value}}
    framework_id = current(history, "framework_id")
    if history.kind == "commitment" and isinstance(framework_id, str):
        with suppress(NotFound, ValueError):
            framework = services().app.framework(UUID(framework_id))
            names["framework_id"] = {framework_id: framework.name}
            names["status"] = {status.code: status.label
                               for vocabulary in framework.vocabularies
                               for status in vocabulary.statuses}
    return names


def as_json(history: History, entries: list[ShownEntry]) -> dict[str, Any]:
    """The history for machines: recorded values as recorded, and labels for people."""
    return {
        "id": str(history.aggregate_id), "kind": history.kind,
        "events": [{
            "position": item.entry.position, "version": item.entry.version,
            "timestamp": item.entry.timestamp.isoformat().replace("+00:00", "Z"),
            "event": item.entry.kind, "label": item.label, "topic": item.entry.topic,
            "actor": {"account_id": item.who.account_id,
                      "organisation_id": item.who.organisation_id,
                      "organisation": item.who.organisation, "name": item.who.name},
            "subject": item.entry.subject, "reason": item.entry.reason,
            "changes": [{"field": c.field, "before": c.before, "after": c.after}
                        for c in item.entry.changes],
            "inclusion_proof": item.proof_url,
        } for item in entries],
    }


def current(history: History, name: str) -> Any:
    """The latest value the history recorded for a field (such as a title), or None."""
    for entry in reversed(history.entries):
        for change in entry.changes:
            if change.field == name and entry.subject is None:
                return change.after
    return None
