"""The composition root: builds the application, the stores and the projections from settings."""

from __future__ import annotations

from datetime import timedelta

from accord.database import Database, postgres_database, sqlite_database
from accord.platform.accounts import AccountService
from accord.platform.application import AccordApplication
from accord.platform.audit import AuditLog
from accord.platform.blobs import BlobStore
from accord.platform.drafts import DraftStore
from accord.platform.invitations import InvitationStore
from accord.platform.mail import Mailer, OutboxMailer, SmtpMailer
from accord.platform.people import PeopleStore
from accord.platform.persistence import (
    event_table,
    postgres_env,
    sqlite_env,
)
from accord.platform.sessions import SessionStore
from accord.platform.throttle import SignInThrottle
from accord.projections.as_of import History
from accord.projections.directory import DirectoryProjection
from accord.projections.directory_queries import DirectoryQueries
from accord.projections.progress import ProgressProjection
from accord.projections.projector import Projector, positions_with_log, stored_positions
from accord.projections.read_models import ReadModels
from accord.projections.search import SearchProjection
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
            self.drafts = DraftStore(self.database)
            self.drafts.create_tables()
            # The read models' database reaches the events: a PostgreSQL database holds both,
            # and SQLite attaches the events' file.
            events = event_table(self.app)
            self.progress = Projector(self.database, self.app, ProgressProjection(),
                                      stored_events=events)
            self.directory_projector = Projector(self.database, self.app, DirectoryProjection())
            self.search_projector = Projector(self.database, self.app, SearchProjection())
            for projector in self.projectors:
                projector.create_tables()
            minutes = settings.audit_checkpoint_minutes
            self.audit = AuditLog(self.database, self.app, settings.data_dir,
                                  timedelta(minutes=minutes) if minutes else None)
            self.audit.create_tables()
        self.events = events if events is not None and events.file is None else None
        """The events' table when it is in the read models' own (PostgreSQL) database."""
        self.reads = ReadModels(self.database)
        self.queries = self.reads.queries
        self.plans = self.reads.plans
        self.themes = self.reads.themes
        self.listing = self.reads.listing
        self.changes = self.reads.changes
        self.attachments = self.reads.attachments
        self.history = History(self.app, settings.data_dir / "history",
                               stored_events=self.progress.stored_events)
        self.directory = DirectoryQueries(self.database)
        self.blobs = BlobStore(settings.blob_directory)
        self.sessions = SessionStore(self.database)
        self.invitations = InvitationStore(self.database)
        self.throttle = SignInThrottle(self.database)
        self.accounts = AccountService(self.app, self.people, self.invitations, self.sessions,
                                          self.drafts)
        self.mailer = mailer(settings)

    @property
    def projectors(self) -> list[Projector]:
        """Every read model's projector."""
        return [self.progress, self.directory_projector, self.search_projector]

    def caught_up(self, position: int = 0) -> int:
        """Bring every read model up to date, at least to ``position``; return the position."""
        # Every page asks first: when nothing is new, one read of each side answers (one read
        # of both on PostgreSQL, where the log and the read models share the database).
        if self.events is not None:
            last, stored = positions_with_log(self.database, self.events)
        else:
            last, stored = self.app.max_notification_id(), stored_positions(self.database)
        if last >= position and all(stored.get(p.projection.name, 0) >= last
                                    for p in self.projectors):
            return last
        return min(projector.catch_up(position) for projector in self.projectors)

    def close(self) -> None:
        """Release database connections."""
        self.app.close()
        self.database.dispose()


def mailer(settings: Settings) -> Mailer:
    """SMTP when a server is configured, else the outbox folder in the data dir."""
    if settings.smtp_host:
        return SmtpMailer(settings.smtp_host, settings.smtp_port, settings.mail_from,
                          settings.smtp_username, settings.smtp_password,
                          settings.smtp_starttls)
    return OutboxMailer(settings.data_dir / "outbox", settings.mail_from)
