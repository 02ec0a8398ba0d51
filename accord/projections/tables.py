"""The tables of the commitment-progress read model."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Select,
    String,
    Subquery,
    Table,
    Text,
    case,
    cast,
    select,
    union_all,
)

metadata = MetaData()

ID = 36  # a UUID as text

frameworks = Table(
    "progress_framework",
    metadata,
    Column("framework_id", String(ID), primary_key=True),
    Column("code", String(60), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("description", Text, nullable=False),
    Column("current_version", Integer, nullable=False),
)

statuses = Table(
    "progress_status",
    metadata,
    Column("framework_id", String(ID), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("code", String(40), primary_key=True),
    Column("label", String(100), nullable=False),
    Column("definition", Text, nullable=False),
    Column("rank", Integer, nullable=False),
    Column("complete", Boolean, nullable=False),
    Column("claimable", Boolean, nullable=False),
)

commitments = Table(
    "progress_commitment",
    metadata,
    Column("commitment_id", String(ID), primary_key=True),
    # The position of the commitment's registration in the log. The search projection names
    # the commitment's document by it, so a search selects rows by it (search.py) without
    # going through the search table; the indexes of the filters and sorts end with it so
    # that a filter or sort combined with a search reads no rows.
    Column("registered_position", BigInteger, nullable=False, unique=True),
    Column("country", String(3), nullable=False),
    Column("action_plan_id", String(40)),
    Column("reference", String(40), nullable=False),
    Column("title", String(500), nullable=False),
    Column("description", Text, nullable=False),
    Column("lead_institution", String(300), nullable=False),
    Column("start_date", Date),
    Column("end_date", Date, index=True),
    Column("framework_id", String(ID), nullable=False),
    Column("locality", String(200)),
    Column("translations", JSON, nullable=False),
    Column("agreement", String(30), nullable=False),
    Column("government_status", String(40)),
    Column("civil_society_statuses", String(400), nullable=False),  # space-separated codes
    Column("reviewer_status", String(40)),
    Column("government_reports", Integer, nullable=False),
    Column("civil_society_reports", Integer, nullable=False),
    Column("claims_total", Integer, nullable=False),
    Column("settled", Boolean, nullable=False),  # every current claim of a side is complete
    Column("registered_at", DateTime(timezone=True), nullable=False),
    Column("last_change_at", DateTime(timezone=True), nullable=False),
    Column("last_position", BigInteger, nullable=False),
    Index("ix_progress_commitment_country", "country", "registered_position"),
    Index("ix_progress_commitment_agreement", "agreement", "registered_position"),
    Index("ix_progress_commitment_action_plan_id", "action_plan_id", "registered_position"),
    # Lists are sorted by these, ties broken by country, reference and id: a page of a list
    # reads its first rows from an index instead of sorting every row the filters admit.
    Index("ix_progress_commitment_country_reference", "country", "reference", "commitment_id",
          "registered_position"),
    Index("ix_progress_commitment_reference", "reference", "country", "commitment_id",
          "registered_position"),
    Index("ix_progress_commitment_title", "title", "country", "reference", "commitment_id",
          "registered_position"),
    # SQLite: a theme's commitments, found through their ids, are counted by agreement state
    # and overdue, and a page of them filtered and sorted by end date or reference, from this
    # index alone, without reading each one's row (a theme's 3,500 rows took 13 to 14 ms of
    # SQL a page, 6 ms with it). PostgreSQL joins a theme to every commitment by a hash
    # instead, and was no quicker with it.
    Index("ix_progress_commitment_listed", "commitment_id", "agreement", "end_date", "settled",
          "country", "reference").ddl_if(dialect="sqlite"),
)

commitment_themes = Table(
    "progress_commitment_theme",
    metadata,
    Column("commitment_id", String(ID), primary_key=True),
    Column("theme", String(40), primary_key=True),
    Index("ix_progress_commitment_theme_commitments", "theme", "commitment_id"),
)

claims = Table(
    "progress_claim",
    metadata,
    # Keyed by its position in the log, like the timeline: on SQLite the rowid itself, so
    # that rows are appended in log order and a rebuild leaves the claim's id to an index
    # built once at its end.
    Column("position", BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
           autoincrement=False),
    Column("claim_id", String(ID), nullable=False),
    Column("commitment_id", String(ID), nullable=False),
    # The commitment's country, as on the timeline (see ``whole_timeline``).
    Column("country", String(3), nullable=False),
    Column("party", String(20), nullable=False),
    Column("organisation_id", String(ID), nullable=False),
    Column("account_id", String(ID), nullable=False),
    Column("status", String(40), nullable=False),
    Column("vocabulary_version", Integer, nullable=False),
    Column("narrative", Text, nullable=False),
    Column("evidence", JSON, nullable=False),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("claimed_at", DateTime(timezone=True), nullable=False),
    Column("replaces", String(ID)),
    Column("revision_reason", Text),
    Column("milestone", String(40)),
    Column("language", String(3), nullable=False),
    Column("attachments", JSON, nullable=False),
    Column("endorses", String(ID)),
    Column("challenges", String(ID)),
    # A claim's id is its commitment's to give once (a client may give its own, and give
    # it on two commitments): one index finds a commitment's claims and each claim in it.
    Index("ix_progress_claim_commitment_claim", "commitment_id", "claim_id", unique=True),
    Index("ix_progress_claim_country", "country", "position"),
)
"""A claim as it was made: written once, never changed. What later events make of it is in
``standings``; its entry on the timeline is read from it (``whole_timeline``)."""

standings = Table(
    "progress_claim_standing",
    metadata,
    # The claim's position. Only claims that are current, replaced or withdrawn have a row:
    # a rebuild writes those few columns for a third of the claims, rather than a new
    # version of every such claim's whole row.
    Column("position", BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
           autoincrement=False),
    Column("current", Boolean, nullable=False),
    Column("replaced_by", String(ID)),
    Column("withdrawn_at", DateTime(timezone=True)),
    Column("withdrawal_reason", Text),
)
"""What later events make of a claim: whether it is current (the agreement rules say),
which claim replaced it, when and why it was withdrawn. A claim without a row is none of
these."""

milestones = Table(
    "progress_milestone",
    metadata,
    Column("commitment_id", String(ID), primary_key=True),
    Column("reference", String(40), primary_key=True),
    Column("rank", Integer, nullable=False),  # the order they were added in
    Column("parent", String(40)),
    Column("title", String(500), nullable=False),
    Column("description", Text, nullable=False),
    Column("due_date", Date, index=True),
    Column("due_text", String(200), nullable=False),
    Column("translations", JSON, nullable=False),
    Column("agreement", String(30), nullable=False),
    Column("government_status", String(40)),
    Column("civil_society_statuses", String(400), nullable=False),
    Column("reviewer_status", String(40)),
    Column("settled", Boolean, nullable=False),
)

responses = Table(
    "progress_response",
    metadata,
    Column("response_id", String(ID), nullable=False),
    Column("commitment_id", String(ID), nullable=False),
    Column("position", BigInteger, nullable=False),
    Column("challenge_id", String(ID), nullable=False),
    Column("organisation_id", String(ID), nullable=False),
    Column("account_id", String(ID), nullable=False),
    Column("narrative", Text, nullable=False),
    Column("evidence", JSON, nullable=False),
    Column("attachments", JSON, nullable=False),
    Column("language", String(3), nullable=False),
    Column("responded_at", DateTime(timezone=True), nullable=False),
    # Unique within its commitment, as a claim's id is (see ``claims``); the key also finds a
    # commitment's responses.
    PrimaryKeyConstraint("commitment_id", "response_id"),
)

attachments = Table(
    "progress_attachment",
    metadata,
    Column("sha256", String(64), primary_key=True),
    # The claim or response it came with, whose id is unique within its commitment.
    Column("owner_id", String(ID), primary_key=True),
    Column("commitment_id", String(ID), primary_key=True),
    Column("name", String(255), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("media_type", String(120), nullable=False),
)

links = Table(
    "progress_link",
    metadata,
    Column("pledge_id", String(ID), primary_key=True),
    Column("commitment_id", String(ID), primary_key=True, index=True),
)

plans = Table(
    "progress_plan",
    metadata,
    Column("plan_uuid", String(ID), primary_key=True),
    Column("plan_id", String(40), nullable=False, unique=True),
    Column("country", String(3), nullable=False, index=True),
    Column("locality", String(200)),
    Column("number", Integer),
    Column("title", String(500), nullable=False),
    Column("period_start", Date),
    Column("period_end", Date),
    Column("status", String(20), nullable=False),
)

timeline = Table(
    # The entries of every event but claims, whose entries are read from their own rows:
    # ``whole_timeline`` is the timeline.
    "progress_timeline",
    metadata,
    # On SQLite an INTEGER primary key is the rowid itself: rows are appended in log order
    # and need no second index.
    Column("position", BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
           autoincrement=False),
    Column("commitment_id", String(ID), nullable=False),
    # The commitment's country (which never changes), so that a country's latest changes
    # are read from one index, however long ago its last ones were recorded.
    Column("country", String(3), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("kind", String(20), nullable=False),  # see progress.TIMELINE_KINDS
    Column("claim_id", String(ID)),
    Column("related_claim_id", String(ID)),  # the claim endorsed, challenged or answered
    Column("milestone", String(40)),
    Column("party", String(20)),
    Column("organisation_id", String(ID)),
    Column("status", String(40)),
    Column("detail", Text),
    Index("ix_progress_timeline_commitment", "commitment_id", "position"),
    Index("ix_progress_timeline_country", "country", "position"),
)


def claim_entries() -> Select[Any]:
    """Each claim's entry on the timeline, as ``timeline``'s columns: its kind is the first
    of endorsed, challenged or revised that it does (else claimed), the related claim the
    one it endorses, challenges or replaces, its detail the reason for a revision."""
    k = claims
    kind = case((k.c.endorses != "", "endorsed"), (k.c.challenges != "", "challenged"),
                (k.c.replaces != "", "revised"), else_="claimed")
    related = case((k.c.endorses != "", k.c.endorses), (k.c.challenges != "", k.c.challenges),
                   else_=k.c.replaces)
    # Of the very types of ``timeline``'s columns, so that PostgreSQL reads the union of
    # both as one table (through each one's indexes, merged in order).
    return select(k.c.position, k.c.commitment_id, k.c.country, k.c.claimed_at.label("at"),
                  cast(kind, String(20)).label("kind"), k.c.claim_id,
                  cast(related, String(ID)).label("related_claim_id"), k.c.milestone,
                  k.c.party, k.c.organisation_id, k.c.status,
                  k.c.revision_reason.label("detail"))


def whole_timeline() -> Subquery:
    """The timeline of every commitment: the claims' entries and the others', with the
    columns of ``timeline``. Conditions on it reach both tables' indexes."""
    return union_all(claim_entries(), select(timeline)).subquery("whole_timeline")


countries = Table(
    "progress_country",
    metadata,
    Column("country", String(3), primary_key=True),
    Column("agreed", Integer, nullable=False),
    Column("contested", Integer, nullable=False),
    Column("awaiting_government", Integer, nullable=False),
    Column("awaiting_civil_society", Integer, nullable=False),
    Column("not_reported", Integer, nullable=False),
    Column("total", Integer, nullable=False),
)
