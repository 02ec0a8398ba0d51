"""What many pages of one moment ask the read models alike, asked once per worker and moment.

A country's counts, plans and themes, the statuses offered by the filters, the number of
commitments a filter admits: every page of that country's list, in every order, asks again.
Read models change only when an event is applied, so an answer is kept for as long as the
log's position (and the day, against which overdue dates are counted) stays where it was
when it was read; the first request that sees a new position forgets everything kept.

Only answers drawn from events are kept (never personal data, which changes without an
event), only for today's read models (a past moment's are asked too rarely), and never more
than ``LIMIT`` of them. Callers must not change what they are given.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import date
from typing import Any, TypeVar

from flask import Flask, current_app, g

from accord.projections.day import today
from accord.projections.listing import NOTHING, Filters, Tally
from accord.projections.queries import Remember
from accord.web.context import caught_up, reads

T = TypeVar("T")

EXTENSION = "accord_memo"
LIMIT = 4096


class Memo:
    """The answers kept at one moment."""

    def __init__(self) -> None:
        self.moment: tuple[int, date] | None = None
        self.answers: dict[Hashable, Any] = {}

    def get(self, moment: tuple[int, date], key: Hashable, compute: Callable[[], T]) -> T:
        """The answer kept for ``key`` at ``moment``, computed now if there is none."""
        if moment != self.moment:
            self.answers = {}
            self.moment = moment
        answers = self.answers
        if key in answers:
            value: T = answers[key]
            return value
        value = compute()
        if len(answers) >= LIMIT:
            answers.clear()
        answers[key] = value
        return value

    def peek(self, moment: tuple[int, date], key: Hashable) -> Any:
        """The answer kept for ``key`` at ``moment``, or ``MISSING``."""
        return self.answers.get(key, MISSING) if moment == self.moment else MISSING


MISSING = object()
"""What ``Memo.peek`` gives for an answer it does not keep."""


def remembered(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, or what it gave for ``key`` earlier at this same moment."""
    if g.get("reads") is not None:  # a page of a past moment
        return compute()
    memo: Memo = current_app.extensions[EXTENSION]
    return memo.get((caught_up(), today()), key, compute)


def memory() -> Remember | None:
    """``remembered``, for a page of today's read models; None for a past moment's."""
    return None if g.get("reads") is not None else remembered


def tallied(filters: Filters) -> Tally:
    """How many commitments ``filters`` admit in each agreement state, all and overdue
    (``Listing.tally``): counted once for every page, order, agreement state and overdue
    filter of the list, while nothing new is recorded.

    Counting a search in every country at once costs little more than counting it in all
    of them together: a search that no country narrows is counted by country
    (``Listing.tallies``), and the same search narrowed to a country afterwards, at the same
    moment, takes its count from there (else it is counted in that country alone).
    """
    apart = filters.but(agreement=None, overdue=False)
    if not apart.q:
        return remembered(("tally", apart), lambda: reads().listing.tally(apart))
    if apart.country is None:
        return Tally.total(remembered(
            ("tallies", apart), lambda: reads().listing.tallies(apart)).values())
    everywhere = kept(("tallies", apart.but(country=None)))
    if everywhere is not MISSING:
        found: Tally = everywhere.get(apart.country, NOTHING)
        return found
    return remembered(("tally", apart), lambda: reads().listing.tally(apart))


def kept(key: Hashable) -> Any:
    """What was remembered for ``key`` at this moment, or ``MISSING``: computed by nobody."""
    if g.get("reads") is not None:
        return MISSING
    memo: Memo = current_app.extensions[EXTENSION]
    return memo.peek((caught_up(), today()), key)


def init_app(app: Flask) -> None:
    """Give the application its memo."""
    app.extensions[EXTENSION] = Memo()
