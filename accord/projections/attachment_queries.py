"""Reading which files are attached to recorded claims and responses (and so may be served)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from accord.database import Database
from accord.projections import tables


@dataclass(frozen=True)
class RecordedFile:
    """A file as recorded with a claim or a response: what to call it and what it is."""

    sha256: str
    name: str
    size: int
    media_type: str


class AttachmentQueries:
    """Read-only queries on the files attached to recorded claims and responses."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def recorded_file(self, sha256: str, name: str = "") -> RecordedFile | None:
        """The file with this SHA-256 as some claim or response recorded it, or None if none
        did. The same content may be recorded under several names: the one equal to ``name``
        is preferred, else the first in alphabetical order."""
        table = tables.attachments
        with self.database.reader.connect() as connection:
            rows = connection.execute(
                select(table.c.sha256, table.c.name, table.c.size, table.c.media_type)
                .where(table.c.sha256 == sha256).distinct()
                .order_by(table.c.name, table.c.media_type)
            ).all()
        chosen = next((row for row in rows if row.name == name), rows[0] if rows else None)
        if chosen is None:
            return None
        return RecordedFile(sha256=chosen.sha256, name=chosen.name, size=chosen.size,
                            media_type=chosen.media_type)
