"""Milestones of a commitment, each with its own due date; translations of texts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from accord.domain.errors import N_, InvalidValue
from accord.domain.languages import language_code
from accord.domain.values import (
    DESCRIPTION_MAX,
    TITLE_MAX,
    in_range,
    limited_text,
    required_text,
)
from accord.domain.values import reference as checked_reference

DUE_TEXT_MAX = 200


@dataclass(frozen=True)
class Milestone:
    """A step of a commitment (or, with ``parent``, of another milestone)."""

    reference: str
    title: str
    description: str = ""
    due_date: date | None = None
    due_text: str = ""
    parent: str | None = None
    translations: dict[str, dict[str, str]] = field(default_factory=dict)

    def as_event(self) -> dict[str, Any]:
        """The milestone's fields as an event records them."""
        return {
            "reference": self.reference, "title": self.title, "description": self.description,
            "due_date": self.due_date.isoformat() if self.due_date else None,
            "due_text": self.due_text, "parent": self.parent, "translations": self.translations,
        }

    @classmethod
    def from_event(cls, data: dict[str, Any]) -> Milestone:
        """The milestone an event describes."""
        due = data.get("due_date")
        return cls(data["reference"], data["title"], data.get("description", ""),
                   date.fromisoformat(due) if due else None, data.get("due_text", ""),
                   data.get("parent"), dict(data.get("translations") or {}))


def milestone(*, reference: str, title: str, description: str = "",
              due_date: date | None = None, due_text: str = "", parent: str | None = None,
              translations: dict[str, dict[str, str]] | None = None) -> Milestone:
    """A milestone with every field validated."""
    return Milestone(
        reference=checked_reference(reference),
        title=required_text(title, field="title", maximum=TITLE_MAX),
        description=limited_text(description, field="description", maximum=DESCRIPTION_MAX),
        due_date=in_range(due_date, field="due_date") if due_date else None,
        due_text=limited_text(due_text, field="due_text", maximum=DUE_TEXT_MAX),
        parent=checked_reference(parent) if parent else None,
        translations=checked_translations(translations or {}),
    )


def checked_translations(translations: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """Texts in other languages: ``{"fr": {"title": ..., "description": ...}}``, validated."""
    checked: dict[str, dict[str, str]] = {}
    for language, texts in translations.items():
        unknown = set(texts) - {"title", "description"}
        if unknown:
            raise InvalidValue(N_("Only a title and a description can be translated."),
                               field="translations")
        entry = {
            "title": limited_text(texts.get("title", ""), field="title", maximum=TITLE_MAX),
            "description": limited_text(texts.get("description", ""), field="description",
                                        maximum=DESCRIPTION_MAX),
        }
        if entry["title"] or entry["description"]:
            checked[language_code(language)] = entry
    return dict(sorted(checked.items()))
