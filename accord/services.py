"""The composition root: builds the application, the stores and the projections from settings."""

from __future__ import annotations

from accord.database import Database, postgres_database, sqlite_database
from accord.platform.application import AccordApplication
from accord.platform.people import PeopleStore
from accord.platform.persistence import postgres_env, sqlite_env
from accord.projections.progress import ProgressProjection
from accord.projections.projector import Projector
from accord.projections.queries import ProgressQueries
from accord.settings import Settings

EVENTS_FILE = "events.sqlite3"
READ_MODELS_FILE = "accord.sqlite3"


class Services:
    """Everything a request or a command needs, wired once per process."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.database: Database
        if settings.database_url:
            env = postgres_env(settings.database_url, pool_size=settings.pool_size)
            self.database = postgres_database(settings.database_url,
                                              pool_size=settings.pool_size)
        else:
            settings.data_dir.mkdir(parents=True, exist_ok=True)
            env = sqlite_env(settings.data_dir / EVENTS_FILE)
            self.database = sqlite_database(settings.data_dir / READ_MODELS_FILE)
        # Processes starting at once (web workers) create the tables and frameworks in turn.
        with self.database.exclusive():
            self.app = AccordApplication(env=env)
            self.app.ensure_frameworks()
            self.people = PeopleStore(self.database)
            self.people.create_tables()
            self.progress = Projector(self.database, self.app, ProgressProjection())
            self.progress.create_tables()
        self.queries = ProgressQueries(self.database)

    def caught_up(self, position: int = 0) -> int:
        """Bring the read models up to date, at least to ``position``; return the position."""
        return self.progress.catch_up(position)

    def close(self) -> None:
        """Release database connections."""
        self.app.close()
        self.database.dispose()
