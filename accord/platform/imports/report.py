"""What an import did: counts, the rejected rows with their line numbers, and one summary line."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from accord.domain.errors import N_, DomainError

Plural = Callable[[str, str, int], str]
"""Chooses (and may translate) the singular or plural form of a message for a count."""


def english(singular: str, plural: str, count: int) -> str:
    """The English form for ``count``."""
    return singular if count == 1 else plural


@dataclass(frozen=True)
class RowMessage:
    """Why a row was rejected, or what was done to it (a text shortened), with its line."""

    line: int
    error: DomainError

    def __str__(self) -> str:
        return f"line {self.line}: {self.error}"


@dataclass
class Tally:
    """Things an import touched: the ids of those it created and of those it changed."""

    seen: set[str] = field(default_factory=set)
    new: set[str] = field(default_factory=set)
    changed: set[str] = field(default_factory=set)

    def touched(self, key: str, *, new: bool = False, changed: bool = False) -> None:
        """Count ``key`` once, as new, changed or unchanged (new wins over changed)."""
        self.seen.add(key)
        if new:
            self.new.add(key)
        if changed and key not in self.new:
            self.changed.add(key)


@dataclass
class ImportReport:
    """The outcome of one import: ``applied`` is False when rejected rows stopped it."""

    kind: str
    commitments: Tally = field(default_factory=Tally)
    plans: Tally = field(default_factory=Tally)
    milestones: Tally = field(default_factory=Tally)
    claims: int = 0
    rejected: list[RowMessage] = field(default_factory=list)
    notes: list[RowMessage] = field(default_factory=list)
    rows: int = 0
    applied: bool = True
    position: int = 0

    def summary(self, plural: Plural = english) -> str:
        """One line: what was imported, or why nothing was."""
        rejected = plural(N_("%(num)s rejected row"), N_("%(num)s rejected rows"),
                          len(self.rejected)) % {"num": len(self.rejected)}
        if not self.applied:
            valid = self.rows - len(self.rejected)
            return plural(N_("nothing recorded: %(valid)s valid row, %(rejected)s"),
                          N_("nothing recorded: %(valid)s valid rows, %(rejected)s"),
                          valid) % {"valid": valid, "rejected": rejected}
        parts = [self._tally(plural, self.commitments,
                             N_("imported %(num)s commitment (%(new)s new, %(changed)s changed)"),
                             N_("imported %(num)s commitments (%(new)s new, %(changed)s "
                                "changed)")),
                 self._tally(plural, self.plans,
                             N_("%(num)s action plan (%(new)s new, %(changed)s changed)"),
                             N_("%(num)s action plans (%(new)s new, %(changed)s changed)"))]
        if self.kind == "plan":
            parts.append(self._tally(plural, self.milestones,
                                     N_("%(num)s milestone (%(new)s new, %(changed)s changed)"),
                                     N_("%(num)s milestones (%(new)s new, %(changed)s "
                                        "changed)")))
        else:
            parts.append(plural(N_("%(num)s claim"), N_("%(num)s claims"), self.claims)
                         % {"num": self.claims})
        return ", ".join([*parts, rejected])

    @staticmethod
    def _tally(plural: Plural, tally: Tally, singular: str, plural_form: str) -> str:
        count = len(tally.seen)
        return plural(singular, plural_form, count) % {
            "num": count, "new": len(tally.new), "changed": len(tally.changed)}
