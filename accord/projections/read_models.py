"""Every query the public pages make, bound to one database of read models: today's, or the
one a historical view built for a past moment (see ``as_of``)."""

from __future__ import annotations

from accord.database import Database
from accord.projections.attachment_queries import AttachmentQueries
from accord.projections.change_queries import ChangeQueries
from accord.projections.listing import Listing
from accord.projections.plan_queries import PlanQueries
from accord.projections.queries import ProgressQueries
from accord.projections.search import search_condition
from accord.projections.theme_queries import ThemeQueries


class ReadModels:
    """The queries of the public pages, on one database."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.queries = ProgressQueries(database)
        self.plans = PlanQueries(database)
        self.themes = ThemeQueries(database)
        self.listing = Listing(
            database, search=search_condition(database.is_sqlite),
            counted_search=search_condition(database.is_sqlite, indexed=True))
        self.changes = ChangeQueries(database)
        self.attachments = AttachmentQueries(database)
