"""Status frameworks: named vocabularies of statuses, versioned because they change."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from importlib import resources
from typing import Any
from uuid import UUID, uuid5

from accord.domain.base import AccordAggregate
from accord.domain.errors import N_, InvalidValue, UnknownStatus
from accord.domain.ids import ACCORD_NAMESPACE
from accord.domain.values import required_text

_CODE = re.compile(r"[a-z][a-z0-9_]{0,39}")
_FRAMEWORK_CODE = re.compile(r"[a-z][a-z0-9-]{1,59}")


@dataclass(frozen=True)
class StatusDefinition:
    """One status of a vocabulary: its code, label, definition and place on the scale."""

    code: str
    label: str
    definition: str
    order: int
    complete: bool = False
    claimable: bool = True
    """False for ratings that only an independent reviewer gives (such as "Unclear")."""

    def __post_init__(self) -> None:
        if not _CODE.fullmatch(self.code):
            raise InvalidValue(
                N_("A status code is lower-case letters, digits and '_' (not: %(code)s)."),
                field="statuses",
                code=self.code[:40],
            )
        required_text(self.label, field="label", maximum=100)
        required_text(self.definition, field="definition", maximum=1_000)


@dataclass(frozen=True)
class Vocabulary:
    """One version of a framework's statuses, in scale order."""

    version: int
    statuses: tuple[StatusDefinition, ...]

    def get(self, code: str) -> StatusDefinition | None:
        """The status with this code, or None."""
        return next((status for status in self.statuses if status.code == code), None)

    def require(self, code: str) -> StatusDefinition:
        """The status with this code; refuse a code outside the vocabulary."""
        status = self.get(code)
        if status is None:
            raise UnknownStatus(
                N_("%(status)s is not a status of this commitment's framework."),
                field="status",
                status=code[:40],
            )
        return status


def _checked(statuses: list[StatusDefinition]) -> list[dict[str, Any]]:
    if not statuses:
        raise InvalidValue(N_("A framework needs at least one status."), field="statuses")
    codes = [status.code for status in statuses]
    if len(set(codes)) != len(codes):
        raise InvalidValue(N_("Each status code may appear only once."), field="statuses")
    ordered = sorted(statuses, key=lambda status: status.order)
    return [asdict(status) for status in ordered]


class Framework(AccordAggregate):
    """A named status vocabulary that commitments are tracked under."""

    code: str
    name: str
    description: str
    vocabularies: list[Vocabulary]


    def __init__(self) -> None:
        """State is set by the created event's ``apply``."""
    class Defined(AccordAggregate.Created):
        code: str
        name: str
        description: str
        statuses: list[dict[str, Any]]

        def apply(self, aggregate: Any) -> None:
            aggregate.code = self.code
            aggregate.name = self.name
            aggregate.description = self.description
            aggregate.vocabularies = [_vocabulary(1, self.statuses)]

    class VocabularyRevised(AccordAggregate.Event):
        statuses: list[dict[str, Any]]
        note: str

        def apply(self, aggregate: Any) -> None:
            version = len(aggregate.vocabularies) + 1
            aggregate.vocabularies.append(_vocabulary(version, self.statuses))

    @staticmethod
    def create_id(code: str) -> UUID:
        """Frameworks are identified by their code, so one code cannot be defined twice."""
        return uuid5(ACCORD_NAMESPACE, f"framework:{code}")

    @classmethod
    def define(
        cls, code: str, name: str, description: str, statuses: list[StatusDefinition]
    ) -> Framework:
        """Define a framework with the first version of its vocabulary."""
        if not _FRAMEWORK_CODE.fullmatch(code):
            raise InvalidValue(N_("A framework code is lower-case letters, digits and '-'."),
                               field="code")
        framework: Framework = cls._create(
            cls.Defined,
            id=cls.create_id(code),
            code=code,
            name=required_text(name, field="name", maximum=200),
            description=required_text(description, field="description", maximum=2_000),
            statuses=_checked(statuses),
        )
        return framework

    def revise_vocabulary(self, statuses: list[StatusDefinition], note: str) -> None:
        """Publish a new version of the vocabulary; claims keep the version they were made in."""
        checked = _checked(statuses)
        if _vocabulary(0, checked).statuses == self.current.statuses:
            raise InvalidValue(N_("This is already the framework's vocabulary."),
                               field="statuses")
        self.trigger_event(
            self.VocabularyRevised,
            statuses=checked,
            note=required_text(note, field="note", maximum=2_000),
        )

    @property
    def current(self) -> Vocabulary:
        """The latest version of the vocabulary."""
        return self.vocabularies[-1]


def _vocabulary(version: int, statuses: list[dict[str, Any]]) -> Vocabulary:
    return Vocabulary(version, tuple(StatusDefinition(**status) for status in statuses))


@dataclass(frozen=True)
class SeedFramework:
    """A framework every Accord has, as ``frameworks.json`` beside this module describes it.

    ``statuses`` is the latest vocabulary; ``note`` says what changed in it, for the event
    that revises an older one.
    """

    code: str
    name: str
    description: str
    statuses: list[StatusDefinition]
    note: str


def seed_frameworks() -> list[SeedFramework]:
    """The frameworks every Accord starts with."""
    data = json.loads(resources.files(__package__).joinpath("frameworks.json").read_text("utf-8"))
    return [
        SeedFramework(item["code"], item["name"], item["description"],
                      [StatusDefinition(**status) for status in item["statuses"]],
                      item.get("note", ""))
        for item in data
    ]
