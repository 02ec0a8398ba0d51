"""Lists of commitments: one query behind every list view, download and the API.

A ``Filters`` value says which commitments (country, agreement state, status, theme, action
plan, overdue, words searched for); ``list_commitments`` answers one page of them in a given
order, with the total, so that the country, plan, theme and search pages, their CSV and JSON
downloads and ``/api/v1/commitments`` all agree on what a filter means.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Connection,
    Select,
    and_,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.sql.elements import Grouping, UnaryExpression
from sqlalchemy.sql.operators import custom_op

from accord.database import Database
from accord.domain.agreement import Agreement
from accord.projections import tables
from accord.projections.queries import (
    CommitmentRow,
    Remember,
    StatusLabel,
    commitment_row,
    current_labels,
    is_overdue,
)

PER_PAGE = 50
PER_PAGE_MAX = 500

SORTS: dict[str, tuple[str, bool]] = {
    "reference": ("reference", False),
    "title": ("title", False),
    "country": ("country", False),
    "end_date": ("end_date", False),
    "-end_date": ("end_date", True),
    "last_change": ("last_change_at", False),
    "-last_change": ("last_change_at", True),
    "agreement": ("agreement", False),
}
"""The orders a list can be sorted in: name in the URL to (column, descending)."""

DEFAULT_SORT = "reference"

LISTED = tuple(tables.commitments.c[name] for name in (
    "commitment_id", "country", "action_plan_id", "reference", "title", "lead_institution",
    "framework_id", "agreement", "government_status", "civil_society_statuses",
    "civil_society_reports", "last_change_at", "reviewer_status", "end_date", "settled"))
"""The columns a list row is made of (``commitment_row``): not the long texts."""

SearchCondition = Callable[[str], ColumnElement[bool]]
"""Given the words searched for, a condition on ``progress_commitment``."""


@dataclass(frozen=True)
class Filters:
    """Which commitments a list shows. Every field left empty means "any"."""

    country: str | None = None
    agreement: Agreement | None = None
    status: str | None = None  # a status code, held by any party's current claim
    theme: str | None = None
    plan: str | None = None  # an action plan id such as AP_GHA03
    overdue: bool = False
    q: str | None = None  # words searched for in titles, texts, references and institutions

    def but(self, **changes: Any) -> Filters:
        """The same filters with some fields changed."""
        return replace(self, **changes)


@dataclass(frozen=True)
class Tally:
    """How many commitments some filters admit in each agreement state, all of them and the
    overdue ones, whatever the filters say of agreement and overdue (``Listing.tally``)."""

    every: dict[Agreement, int]
    overdue: dict[Agreement, int]

    def count(self, agreement: Agreement | None = None, *, overdue: bool = False) -> int:
        """How many are in ``agreement`` (any, if None), and overdue if ``overdue``."""
        counts = self.overdue if overdue else self.every
        if agreement is None:
            return sum(counts.values())
        return counts.get(agreement, 0)

    def of(self, filters: Filters) -> int:
        """How many ``filters`` admits, given that it differs from the tallied filters at
        most in agreement and overdue."""
        return self.count(filters.agreement, overdue=filters.overdue)

    def split(self, *, overdue: bool = False) -> dict[Agreement, int]:
        """How many are in each state (of the overdue ones if ``overdue``): the split by
        agreement state that a list shows."""
        return {state: self.count(state, overdue=overdue) for state in Agreement}

    @staticmethod
    def total(tallies: Iterable[Tally]) -> Tally:
        """The tally of the commitments counted in any of ``tallies`` (which count none
        twice, such as the tallies of different countries)."""
        every: dict[Agreement, int] = {}
        overdue: dict[Agreement, int] = {}
        for tally in tallies:
            for state, counted in tally.every.items():
                every[state] = every.get(state, 0) + counted
            for state, counted in tally.overdue.items():
                overdue[state] = overdue.get(state, 0) + counted
        return Tally(every, overdue)


NOTHING = Tally({}, {})
"""The tally of filters that admit no commitment."""


@dataclass(frozen=True)
class Page:
    """One page of a list of commitments."""

    rows: list[CommitmentRow]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """How many pages the whole list has (at least one)."""
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        """Whether a page follows this one."""
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        """Whether a page comes before this one."""
        return self.page > 1


def like_search(words: str) -> ColumnElement[bool]:
    """Commitments whose title, description, reference or lead institution contain every word
    (case-insensitive). The search projection replaces this with full-text search."""
    c = tables.commitments
    conditions = []
    for word in words.split():
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions.append(or_(*(column.ilike(pattern, escape="\\") for column in (
            c.c.title, c.c.description, c.c.reference, c.c.lead_institution))))
    return c.c.commitment_id.in_(select(c.c.commitment_id).where(*conditions))


def conditions(filters: Filters, search: SearchCondition = like_search
               ) -> list[ColumnElement[bool]]:
    """The conditions on ``progress_commitment`` that ``filters`` make."""
    c = tables.commitments
    where: list[ColumnElement[bool]] = []
    if filters.country:
        where.append(c.c.country == filters.country)
    if filters.agreement is not None:
        where.append(c.c.agreement == filters.agreement.value)
    if filters.status:
        padded = literal(" ").concat(c.c.civil_society_statuses).concat(" ")
        where.append(or_(
            c.c.government_status == filters.status,
            c.c.reviewer_status == filters.status,
            padded.contains(f" {filters.status} ", autoescape=True)))
    if filters.theme:
        themed = select(tables.commitment_themes.c.commitment_id).where(
            tables.commitment_themes.c.theme == filters.theme)
        where.append(c.c.commitment_id.in_(themed))
    if filters.plan:
        where.append(c.c.action_plan_id == filters.plan)
    if filters.overdue:
        where.append(is_overdue())
    if filters.q and filters.q.strip():
        where.append(search(filters.q.strip()))
    return where


def filtered(filters: Filters, search: SearchCondition = like_search) -> Select[Any]:
    """The commitments' rows that ``filters`` admits, in no particular order."""
    return select(tables.commitments).where(*conditions(filters, search))


def ordered(query: Select[Any], sort: str) -> Select[Any]:
    """``query`` in the order named ``sort`` (see ``SORTS``), ties broken by country and
    reference so that pages never overlap."""
    c = tables.commitments
    name, descending = SORTS.get(sort, SORTS[DEFAULT_SORT])
    column = c.c[name]
    key = column.desc() if descending else column.asc()
    if column.nullable:
        # Only where there can be nulls: the clause keeps the databases from ordering by an
        # index.
        key = key.nulls_last()
    return query.order_by(key, c.c.country, c.c.reference, c.c.commitment_id)


SCANNED = frozenset({"reference", "title"})
"""The sorts whose order an index holds, ties included (tables.py)."""
SCANNED_FROM = 300
"""How many commitments a theme or a search must admit for a page to be read along the sort's
index: fewer are found sooner through their own indexes and sorted, where the index would be
read far, or to its end. (Measured among 30,000 commitments, where both ways took about as
long for a search admitting 200 to 300.)"""


def unindexed(where: list[ColumnElement[bool]]) -> ColumnElement[bool]:
    """``where`` as one condition SQLite cannot answer from an index: its unary ``+``, which
    changes no value, leaves the sort's index as the only way in. (Unlike ``INDEXED BY``, which
    SQLAlchemy's SQLite dialect does not render, it cannot fail while an index is missing.)"""
    return UnaryExpression(Grouping(and_(*where)), operator=custom_op("+"), type_=Boolean())


def _labels(connection: Connection, remember: Remember | None
            ) -> dict[tuple[str, str], StatusLabel]:
    """The labels of every current framework's statuses."""
    if remember is None:
        return current_labels(connection)
    return remember("current labels", lambda: current_labels(connection))


class Listing:
    """Pages of commitments, filtered and sorted."""

    def __init__(self, database: Database, search: SearchCondition = like_search,
                 counted_search: SearchCondition | None = None) -> None:
        self.database = database
        self.search = search
        # What counts a search that no country or plan narrows first (see search.py).
        self.counted_search = counted_search or search

    def tally(self, filters: Filters) -> Tally:
        """How many commitments ``filters`` admits in each agreement state, all and overdue,
        leaving its own agreement and overdue filters out: one statement answers the counts
        of every such variant of a list (on PostgreSQL, a search that no country narrows
        costs as much to count in every state as in one).
        """
        tallied = self._tallied(filters.but(agreement=None, overdue=False), by_country=False)
        return tallied.get(None, NOTHING)

    def tallies(self, filters: Filters) -> dict[str, Tally]:
        """``tally`` for every country at once, by country code, leaving the country filter
        out too: one statement, which costs about what ``tally`` does without a country (a
        country where ``filters`` admits nothing is missing)."""
        tallied = self._tallied(filters.but(country=None, agreement=None, overdue=False),
                                by_country=True)
        return {country: tally for country, tally in tallied.items() if country is not None}

    def _tallied(self, filters: Filters, *, by_country: bool) -> dict[str | None, Tally]:
        c = tables.commitments
        keys = [c.c.country] if by_country else []
        query = (select(*keys, c.c.agreement, func.count(), func.count().filter(is_overdue()))
                 .where(*self._conditions(filters, counting=True))
                 .group_by(*keys, c.c.agreement))
        tallied: dict[str | None, Tally] = {}
        with self.database.reader.connect() as connection:
            for *key, state, counted, late in connection.execute(query):
                tally = tallied.setdefault(key[0] if key else None, Tally({}, {}))
                tally.every[Agreement(state)] = int(counted)
                tally.overdue[Agreement(state)] = int(late)
        return tallied

    def page(self, filters: Filters, *, sort: str = DEFAULT_SORT, page: int = 1,
             per_page: int = PER_PAGE, total: int | None = None,
             remember: Remember | None = None) -> Page:
        """Page ``page`` (from 1) of the commitments ``filters`` admits, in ``sort`` order;
        ``total`` is how many it admits, when the caller knows (else it is counted). With
        ``remember``, the statuses' labels are read into it once."""
        if sort not in SORTS:
            raise ValueError(f"unknown sort order: {sort}")
        if page < 1 or not 1 <= per_page <= PER_PAGE_MAX:
            raise ValueError("page starts at 1; per_page is between 1 and "
                             f"{PER_PAGE_MAX}")
        if total is None:
            total = self.tally(filters).of(filters)
        where = self._conditions(filters)
        c = tables.commitments
        with self.database.reader.connect() as connection:
            # The page's ids first, sorted on the ordering columns alone; then their rows.
            scanned = self._scans(filters, sort, total)
            ids_query = ordered(select(c.c.commitment_id).where(
                *([unindexed(where)] if scanned else where)), sort).limit(
                    per_page).offset((page - 1) * per_page)
            rows = self._rows(connection, ids_query, sort)
            labels = _labels(connection, remember) if rows else {}
        return Page([commitment_row(row, labels) for row in rows], total, page, per_page)

    def _rows(self, connection: Connection, ids_query: Select[Any], sort: str) -> list[Any]:
        """The rows of the ids ``ids_query`` selects, in its order: on PostgreSQL in one
        statement, sorted again (a page's worth); on SQLite, the ids and then their rows."""
        c = tables.commitments
        if not self.database.is_sqlite:
            return list(connection.execute(ordered(
                select(*LISTED).where(c.c.commitment_id.in_(ids_query)), sort)).mappings())
        ids = list(connection.execute(ids_query).scalars())
        found = {row["commitment_id"]: row for row in connection.execute(
            select(*LISTED).where(c.c.commitment_id.in_(ids))).mappings()} if ids else {}
        return [found[key] for key in ids]

    def _conditions(self, filters: Filters, *, counting: bool = False
                    ) -> list[ColumnElement[bool]]:
        """``conditions(filters)``; but on SQLite, a search within a country or a plan tests
        the words on its few hundred commitments, instead of looking up each of the thousands
        of documents that hold a common word (half the time; the same for a rare word)."""
        narrowed = bool(filters.country or filters.plan)
        if self.database.is_sqlite and narrowed:
            return conditions(filters, lambda words: unindexed([self.search(words)]))
        return conditions(filters, self.counted_search if counting and not narrowed
                          else self.search)

    def _scans(self, filters: Filters, sort: str, total: int) -> bool:
        """Whether SQLite should read a page along the sort's index, keeping the commitments
        ``filters`` admits, rather than find them all and sort them.

        Worth it when a theme or a search admits thousands: the page is found near the
        index's start. Only for a theme and words, which the index answers by itself (it holds
        the ids and positions); other filters would look up every row read.
        """
        return (self.database.is_sqlite and sort in SCANNED and total >= SCANNED_FROM
                and bool(filters.theme or filters.q)
                and filters == Filters(theme=filters.theme, q=filters.q))

    def all(self, filters: Filters, *, sort: str = DEFAULT_SORT) -> list[CommitmentRow]:
        """Every commitment ``filters`` admits, in ``sort`` order (for downloads)."""
        with self.database.reader.connect() as connection:
            rows = connection.execute(ordered(
                select(*LISTED).where(*self._conditions(filters)), sort)).mappings().all()
            labels = current_labels(connection)
        return [commitment_row(row, labels) for row in rows]

    def statuses(self, connection: Connection | None = None) -> list[tuple[str, str]]:
        """Every status code in use by a current framework, with its label, for the filter."""
        s, f = tables.statuses, tables.frameworks
        query = (select(s.c.code, s.c.label)
                 .join(f, (f.c.framework_id == s.c.framework_id)
                       & (f.c.current_version == s.c.version))
                 .order_by(f.c.code, s.c.rank))
        with self.database.reader.connect() as owned:
            rows = (connection or owned).execute(query).all()
        return list(dict.fromkeys((row[0], row[1]) for row in rows))
