"""The search read model: one document per commitment, indexed for full-text search.

A commitment's reference, title, description, lead institution and translated texts are kept
as one document of plain words: lower case, accents removed, every other character a space.
The query is reduced the same way, so both databases see the same words and answer alike:
SQLite through an FTS5 index kept in step by triggers, PostgreSQL through a GIN index on
``to_tsvector('simple', document)``, also stored as the column ``words``.

What a visitor types is never handed to either search syntax as it is: it is read into words,
"quoted phrases", ``-excluded`` words and ``OR``, and the query is rebuilt from words made of
letters and digits only, so no input can make it fail.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from eventsourcing.utils import get_topic
from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    ColumnElement,
    Connection,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    column,
    event,
    false,
    func,
    literal_column,
    or_,
    select,
    table,
)

from accord.domain.commitment import Commitment
from accord.projections import tables
from accord.projections.listing import SearchCondition
from accord.projections.rows import Rows
from accord.projections.source import PositionedEvent

metadata = MetaData()

documents = Table(
    "search_commitment",
    metadata,
    Column("commitment_id", String(tables.ID), primary_key=True),
    # The FTS5 index names documents by this integer: the position of the registration.
    Column("doc_id", BigInteger().with_variant(Integer, "sqlite"), nullable=False,
           unique=True, autoincrement=False),
    Column("reference", String(40), nullable=False),
    Column("title", String(500), nullable=False),
    Column("description", Text, nullable=False),
    Column("lead_institution", String(300), nullable=False),
    Column("translations", JSON, nullable=False),
    Column("document", Text, nullable=False),
)

FTS = "search_commitment_fts"
fts = table(FTS, column("rowid"), column(FTS))
"""The SQLite FTS5 index over ``documents`` (not a table SQLAlchemy creates itself)."""

SQLITE_INDEX = (
    "CREATE VIRTUAL TABLE search_commitment_fts USING fts5(document, "
    "content='search_commitment', content_rowid='doc_id', "
    "tokenize='unicode61 remove_diacritics 2')",
    # The index follows the table: the old words out, the new words in.
    "CREATE TRIGGER search_commitment_added AFTER INSERT ON search_commitment BEGIN "
    "INSERT INTO search_commitment_fts(rowid, document) VALUES (new.doc_id, new.document); "
    "END",
    "CREATE TRIGGER search_commitment_removed AFTER DELETE ON search_commitment BEGIN "
    "INSERT INTO search_commitment_fts(search_commitment_fts, rowid, document) "
    "VALUES ('delete', old.doc_id, old.document); END",
    "CREATE TRIGGER search_commitment_changed AFTER UPDATE ON search_commitment BEGIN "
    "INSERT INTO search_commitment_fts(search_commitment_fts, rowid, document) "
    "VALUES ('delete', old.doc_id, old.document); "
    "INSERT INTO search_commitment_fts(rowid, document) VALUES (new.doc_id, new.document); "
    "END",
)


POSTGRES_INDEX = (
    # The expression of ``_vector``, so that PostgreSQL uses the index for it.
    "CREATE INDEX ix_search_commitment_document ON search_commitment "
    "USING gin (to_tsvector('simple'::regconfig, document))",
    # The same words, stored: a search also tests them on the rows it reaches by other
    # indexes (a country's commitments, the first of a sort's order), where computing them
    # again from the text cost ~50 µs a row. Indexed too, for the planner's other way in.
    "ALTER TABLE search_commitment ADD COLUMN words tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, document)) STORED",
    "CREATE INDEX ix_search_commitment_words ON search_commitment USING gin (words)",
)


@event.listens_for(documents, "after_create")
def _create_index(target: Table, connection: Connection, **_: Any) -> None:
    sqlite = connection.dialect.name == "sqlite"
    for statement in SQLITE_INDEX if sqlite else POSTGRES_INDEX:
        connection.exec_driver_sql(statement)


@event.listens_for(documents, "before_drop")
def _drop_sqlite_index(target: Table, connection: Connection, **_: Any) -> None:
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("DROP TABLE IF EXISTS search_commitment_fts")


def _vector(indexed: bool) -> ColumnElement[Any]:
    if indexed:
        # The same expression as the index's, or PostgreSQL would not use the index. Its
        # cost keeps the planner from testing every document instead.
        return func.to_tsvector(literal_column("'simple'::regconfig"), documents.c.document)
    # The stored words (POSTGRES_INDEX), which the table does not declare: SQLite has none.
    return literal_column(f"{documents.name}.words")

TEXT_FIELDS = ("reference", "title", "description", "lead_institution")
TERMS_MAX = 16
"""Terms of a query beyond this many are ignored."""


COMBINING = dict.fromkeys(code for code in range(0x10000) if unicodedata.combining(chr(code)))
"""The accents and other marks that combine with a letter, for ``str.translate`` to drop."""
SEPARATORS = re.compile(r"[\W_]+")
"""Anything but a letter or a digit."""
ASCII_SEPARATORS = {code: " " for code in range(128) if not chr(code).isalnum()}
"""The same among ASCII characters, for ``str.translate`` (several times faster)."""


def plain(text: str) -> str:
    """``text`` as the index holds it: folded case, no accents, letters and digits only,
    one space between words."""
    folded = text.casefold()
    if folded.isascii():
        return " ".join(folded.translate(ASCII_SEPARATORS).split())
    folded = unicodedata.normalize("NFKD", folded).translate(COMBINING)
    return SEPARATORS.sub(" ", folded).strip()


def words(text: str) -> list[str]:
    """The words of ``text`` as the index holds them."""
    return plain(text).split()


def document(row: dict[str, Any]) -> str:
    """The text indexed for a commitment: its own texts, then their translations."""
    texts = [str(row[name] or "") for name in TEXT_FIELDS]
    for translation in (row.get("translations") or {}).values():
        texts += [str(value) for value in translation.values()]
    return " ".join(filter(None, map(plain, texts)))


# -- the projection ---------------------------------------------------------------------------


def commitment_registered(rows: Rows, position: int, event: Commitment.Registered) -> None:
    row = {"commitment_id": str(event.originator_id), "doc_id": position,
           "translations": event.translations or {},
           **{name: getattr(event, name) or "" for name in TEXT_FIELDS}}
    rows.add({**row, "document": document(row)})


def details_revised(rows: Rows, position: int, event: Commitment.DetailsRevised) -> None:
    changed = {name: value for name, value in event.changes.items()
               if name in (*TEXT_FIELDS, "translations")}
    if changed:
        row = rows.get(str(event.originator_id))
        for name, value in changed.items():
            row[name] = value if value is not None else {} if name == "translations" else ""
        row["document"] = document(row)


HANDLERS: dict[type[Any], Callable[[Rows, int, Any], None]] = {
    Commitment.Registered: commitment_registered,
    Commitment.DetailsRevised: details_revised,
}


class SearchProjection:
    """The words of each commitment, for the search box and the ``q`` filter of every list."""

    name = "search"
    version = 3
    metadata = metadata
    topics: Sequence[str] = tuple(get_topic(event_class) for event_class in HANDLERS)

    def apply(self, connection: Connection, events: Sequence[PositionedEvent]) -> None:
        """Apply ``events`` inside the caller's transaction."""
        rows = Rows(connection, documents, "commitment_id")
        for position, change in events:
            HANDLERS[type(change)](rows, position, change)
        rows.flush()


# -- reading a query --------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """Words that must follow each other; the last may be the start of a longer word."""

    words: tuple[str, ...]
    prefix: bool


@dataclass(frozen=True)
class Group:
    """Terms a document must all hold, and terms it must not hold."""

    include: tuple[Term, ...]
    exclude: tuple[Term, ...]


TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def parse(query: str) -> list[Group]:
    """The alternatives (``OR``) of ``query``, each a group of terms.

    Words must all appear (each may be the start of a longer word); "quoted words" must
    appear together, as written; a leading ``-`` excludes; ``AND`` is implied and ignored.
    """
    groups: list[Group] = []
    include: list[Term] = []
    exclude: list[Term] = []
    count = 0
    for match in TOKEN.finditer(query):
        negated, quoted, bare = match.group(1), match.group(2), match.group(3)
        if bare in ("OR", "|"):
            groups.append(Group(tuple(include), tuple(exclude)))
            include, exclude = [], []
            continue
        if bare == "AND":
            continue
        if bare is not None and bare.startswith("-") and len(bare) > 1:
            negated, bare = "-", bare[1:]
        found = words(quoted if bare is None else bare)
        if not found or count >= TERMS_MAX:
            continue
        count += 1
        (exclude if negated else include).append(Term(tuple(found), prefix=bare is not None))
    groups.append(Group(tuple(include), tuple(exclude)))
    return [group for group in groups if group.include or group.exclude]


def _fts5(term: Term) -> str:
    # Words hold letters and digits only, so they need no escaping inside the quotes.
    return '"' + " ".join(term.words) + '"' + ("*" if term.prefix else "")


def _tsquery(term: Term) -> str:
    lexemes = [f"'{word}'" for word in term.words]
    if term.prefix:
        lexemes[-1] += ":*"
    return "(" + " <-> ".join(lexemes) + ")"


def _sqlite_group(group: Group) -> ColumnElement[bool]:
    def matching(expression: str) -> Any:
        return (select(fts.c.rowid).select_from(fts)
                .where(fts.c[FTS].op("MATCH")(expression)))

    # The index's rowids are the positions of the registrations, which the progress table
    # keeps too: the matches select its rows with no detour through the search table.
    registered = tables.commitments.c.registered_position
    conditions = []
    if group.include:
        conditions.append(registered.in_(
            matching(" AND ".join(_fts5(term) for term in group.include))))
    if group.exclude:
        conditions.append(registered.not_in(
            matching(" OR ".join(_fts5(term) for term in group.exclude))))
    return and_(*conditions)


def _postgres_groups(groups: list[Group], indexed: bool) -> ColumnElement[bool]:
    parts = [" & ".join([_tsquery(term) for term in group.include]
                        + [f"!{_tsquery(term)}" for term in group.exclude])
             for group in groups]
    query = " | ".join(f"({part})" for part in parts)
    return _vector(indexed).op("@@")(
        func.to_tsquery(literal_column("'simple'::regconfig"), query))


def search_condition(sqlite: bool, *, indexed: bool = False) -> SearchCondition:
    """The condition for ``Listing(search=...)`` on the embedded database (``sqlite``) or on
    PostgreSQL: commitments whose document matches the words searched for.

    On PostgreSQL, ``indexed`` asks for the form the GIN index answers, to count what no
    country or plan narrows (``Listing(counted_search=...)``); else the stored words are
    tested on the commitments that the other filters or the sort's order lead to.
    """

    def condition(query: str) -> ColumnElement[bool]:
        groups = parse(query)
        if not groups:
            return false()  # nothing searchable was typed (only punctuation, say)
        if sqlite:
            return or_(*(_sqlite_group(group) for group in groups))
        return tables.commitments.c.registered_position.in_(
            select(documents.c.doc_id).where(_postgres_groups(groups, indexed)))

    return condition
