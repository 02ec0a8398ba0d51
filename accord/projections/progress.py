"""The commitment-progress projection: where each commitment stands, per party and overall.

Events are applied a batch at a time: the rows a batch touches are loaded once (or kept from
the catch-up's earlier batches, see ``projector.Memory``), changed in memory with the domain's
own agreement rules, and written back together with the new position.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from datetime import date, datetime
from sys import intern
from typing import Any

import orjson
from eventsourcing.utils import get_topic
from sqlalchemy import Connection, Table, text

from accord.domain.action_plan import ActionPlan
from accord.domain.commitment import Commitment
from accord.domain.framework import Framework
from accord.domain.values import Party
from accord.projections import tables
from accord.projections.log_sql import EventsInSql, Field, FieldKind
from accord.projections.progress_state import Batch, ClaimState, CommitmentState, Remembered
from accord.projections.projector import batch_memory
from accord.projections.rows import Write
from accord.projections.source import EventSource, PositionedEvent

TIMELINE_KINDS = ("registered", "details_revised", "milestone_added", "milestone_revised",
                  "pledge_embedded", "claimed", "revised", "endorsed", "challenged",
                  "withdrawn", "responded")

# -- frameworks and plans ---------------------------------------------------------------------


def framework_defined(batch: Batch, position: int, event: Framework.Defined) -> None:
    framework_id = str(event.originator_id)
    batch.frameworks.add({
        "framework_id": framework_id, "code": event.code, "name": event.name,
        "description": event.description, "current_version": 1,
    })
    batch.status_rows += _status_rows(framework_id, 1, event.statuses)


def vocabulary_revised(batch: Batch, position: int, event: Framework.VocabularyRevised) -> None:
    framework = batch.frameworks.get(str(event.originator_id))
    framework["current_version"] += 1
    batch.status_rows += _status_rows(
        framework["framework_id"], framework["current_version"], event.statuses)


def _status_rows(framework_id: str, version: int, statuses: list[dict[str, Any]]
                 ) -> list[dict[str, Any]]:
    return [
        {"framework_id": framework_id, "version": version, "code": s["code"],
         "label": s["label"], "definition": s["definition"], "rank": s["order"],
         "complete": bool(s.get("complete", False)),
         "claimable": bool(s.get("claimable", True))}
        for s in statuses
    ]


def plan_registered(batch: Batch, position: int, event: ActionPlan.Registered) -> None:
    batch.plans.add({
        "plan_uuid": str(event.originator_id), "plan_id": event.plan_id,
        "country": event.country, "locality": event.locality, "number": event.number,
        "title": event.title, "period_start": _date(event.period_start),
        "period_end": _date(event.period_end), "status": event.status,
    })


def plan_revised(batch: Batch, position: int, event: ActionPlan.Revised) -> None:
    row = batch.plans.get(str(event.originator_id))
    for name, value in event.changes.items():
        row[name] = _date(value) if name in ("period_start", "period_end") else value


# -- commitments ------------------------------------------------------------------------------


def commitment_registered(batch: Batch, position: int, event: Commitment.Registered) -> None:
    commitment_id = str(event.originator_id)
    row = {
        "commitment_id": commitment_id, "registered_position": position,
        "country": event.country, "reference": event.reference, "framework_id": event.framework_id,
        "registered_at": event.timestamp, "last_change_at": event.timestamp,
        "last_position": position,
    }
    _details(row, {name: getattr(event, name) for name in DETAILS})
    state = CommitmentState(row, new=True, themes=list(event.themes))
    batch.registered(state)
    _timeline(batch, state, position, event, kind="registered")


DETAILS = ("action_plan_id", "locality", "title", "description", "lead_institution",
           "start_date", "end_date", "translations")


def details_revised(batch: Batch, position: int, event: Commitment.DetailsRevised) -> None:
    state = _touch(batch, position, event)
    state.details_changed = True
    _details(state.row, {k: v for k, v in event.changes.items() if k in DETAILS})
    if "themes" in event.changes:
        state.themes = list(event.changes["themes"])
    _timeline(batch, state, position, event, kind="details_revised",
              detail=", ".join(sorted(event.changes)))


def _details(row: dict[str, Any], fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        row[name] = _date(value) if name in ("start_date", "end_date") else value


def milestone_added(batch: Batch, position: int, event: Commitment.MilestoneAdded) -> None:
    state = _touch(batch, position, event)
    reference = event.milestone["reference"]
    state.milestones[reference] = {
        "commitment_id": str(event.originator_id), "rank": len(state.milestones) + 1,
        **_milestone(event.milestone), "agreement": "not_reported", "government_status": None,
        "civil_society_statuses": "", "reviewer_status": None, "settled": False,
    }
    state.new_milestones.add(reference)
    _timeline(batch, state, position, event, kind="milestone_added", milestone=reference)


def milestone_revised(batch: Batch, position: int, event: Commitment.MilestoneRevised) -> None:
    state = _touch(batch, position, event)
    reference = event.milestone["reference"]
    state.milestones[reference].update(_milestone(event.milestone))
    state.changed_milestones.add(reference)
    _timeline(batch, state, position, event, kind="milestone_revised", milestone=reference)


def _milestone(data: dict[str, Any]) -> dict[str, Any]:
    return {"reference": data["reference"], "parent": data.get("parent"),
            "title": data["title"], "description": data.get("description", ""),
            "due_date": _date(data.get("due_date")), "due_text": data.get("due_text", ""),
            "translations": data.get("translations") or {}}


def pledge_embedded(batch: Batch, position: int, event: Commitment.PledgeEmbedded) -> None:
    state = _touch(batch, position, event)
    batch.link_rows.append({"pledge_id": event.pledge_id,
                            "commitment_id": state.row["commitment_id"]})
    _timeline(batch, state, position, event, kind="pledge_embedded", related=event.pledge_id)


CLAIM_FIELDS: dict[str, Field] = {
    "claim_id": ("claim_id", "text"), "party": ("party", "text"),
    "organisation_id": ("organisation_id", "text"), "account_id": ("actor_id", "text"),
    "status": ("status", "text"), "vocabulary_version": ("vocabulary_version", "integer"),
    "narrative": ("narrative", "text"), "evidence": ("evidence", "json"),
    "period_start": ("period_start", "date"), "period_end": ("period_end", "date"),
    "claimed_at": ("timestamp", "moment"), "replaces": ("replaces", "text"),
    "revision_reason": ("revision_reason", "text"), "milestone": ("milestone", "text"),
    "language": ("language", "text"), "attachments": ("attachments", "json"),
    "endorses": ("endorses", "text"), "challenges": ("challenges", "text"),
}
"""The columns of a claim's row that copy a field of its event (column: field, kind); the
others are its commitment and its position. Both ways of writing a claim read this:
``status_claimed``, and a rebuild's SQL (``rebuild_in_sql``)."""

_CONVERT: dict[FieldKind, Callable[[Any], Any]] = {
    "text": lambda value: value, "integer": lambda value: value, "moment": lambda value: value,
    "json": list, "date": date.fromisoformat}


def status_claimed(batch: Batch, position: int, event: Commitment.StatusClaimed) -> None:
    state = _touch(batch, position, event)
    row = {column: _CONVERT[kind](getattr(event, name))
           for column, (name, kind) in CLAIM_FIELDS.items()}
    # Its entry on the timeline is read from this row (``tables.claim_entries``).
    row.update(commitment_id=state.row["commitment_id"], country=state.row["country"],
               position=position)
    _claimed(batch, state, position, event.claim_id, event.party, event.organisation_id,
             event.status, event.milestone, event.replaces, event.attachments, row=row)


def claim_stored(batch: Batch, position: int, commitment_id: str, event: dict[str, Any]
                 ) -> None:
    """A claim whose row a rebuild's SQL writes (``rebuild_in_sql``): only what the agreement
    rules and later events need is kept. ``event`` is its stored state, as JSON decodes it."""
    state = batch.commitment(commitment_id)
    row = state.row
    row["last_change_at"] = datetime.fromisoformat(event["timestamp"]["_data_"])
    row["last_position"] = position
    _claimed(batch, state, position, event["claim_id"], event["party"],
             event["organisation_id"], event["status"], event["milestone"], event["replaces"],
             event["attachments"], row=None)


PARTIES = {party.value: party for party in Party}
"""Each party by its code: quicker than calling ``Party`` for each of a rebuild's claims."""


def _claimed(batch: Batch, state: CommitmentState, position: int, claim_id: str, party: str,
             organisation_id: str, status: str, milestone: str | None, replaces: str | None,
             attachments: list[dict[str, Any]], row: dict[str, Any] | None) -> ClaimState:
    """Remember a claim, and that it replaces an earlier one; ``row`` is None when the
    claim's row is stored already (with no standing yet)."""
    if replaces is not None:
        state.claims[replaces].replaced_by = claim_id
        state.changed_claims.add(replaces)
    # Interned: a rebuild remembers every claim, and these few values repeat across them.
    claim = ClaimState(claim_id, position, PARTIES[party], intern(organisation_id),
                       intern(status), milestone, row=row)
    batch.claimed(state, claim, stored=row is None)
    _attachments(batch, state.row["commitment_id"], claim_id, attachments)
    return claim


def claim_withdrawn(batch: Batch, position: int, event: Commitment.ClaimWithdrawn) -> None:
    state = _touch(batch, position, event)
    claim = state.claims[event.claim_id]
    claim.withdrawn_at = event.timestamp
    claim.withdrawal_reason = event.reason
    state.changed_claims.add(event.claim_id)
    _timeline(batch, state, position, event, kind="withdrawn", claim=claim,
              detail=event.reason)


def challenge_responded(batch: Batch, position: int, event: Commitment.ChallengeResponded
                        ) -> None:
    state = _touch(batch, position, event)
    commitment_id = str(event.originator_id)
    batch.response_rows.append({
        "response_id": event.response_id, "commitment_id": commitment_id,
        "position": position, "challenge_id": event.challenge_id,
        "organisation_id": event.organisation_id, "account_id": event.actor_id,
        "narrative": event.narrative, "evidence": list(event.evidence),
        "attachments": list(event.attachments), "language": event.language,
        "responded_at": event.timestamp,
    })
    _attachments(batch, commitment_id, event.response_id, event.attachments)
    challenge = state.claims[event.challenge_id]
    batch.timeline_rows.append(_entry(position, event, "responded", state,
                                      party="government",
                                      organisation_id=event.organisation_id,
                                      claim_id=event.response_id,
                                      related_claim_id=event.challenge_id,
                                      milestone=challenge.milestone))


def _attachments(batch: Batch, commitment_id: str, owner_id: str,
                 items: list[dict[str, Any]]) -> None:
    if items:
        batch.attachment_rows += [
            {**item, "owner_id": owner_id, "commitment_id": commitment_id} for item in items]


def _touch(batch: Batch, position: int, event: Commitment.Event) -> CommitmentState:
    state = batch.commitment(str(event.originator_id))
    row = state.row
    row["last_change_at"], row["last_position"] = event.timestamp, position
    return state


def _timeline(batch: Batch, state: CommitmentState, position: int, event: Commitment.Event,
              *, kind: str, claim: ClaimState | None = None, detail: str | None = None,
              related: str | None = None, milestone: str | None = None) -> None:
    if claim is None:
        batch.timeline_rows.append(_entry(position, event, kind, state, detail=detail,
                                          related_claim_id=related, milestone=milestone))
        return
    batch.timeline_rows.append({
        "position": position, "commitment_id": state.row["commitment_id"],
        "country": state.row["country"], "at": event.timestamp,
        "kind": kind, "claim_id": claim.claim_id, "related_claim_id": related,
        "milestone": claim.milestone, "party": claim.party.value,
        "organisation_id": claim.organisation_id, "status": claim.status, "detail": detail})


def _entry(position: int, event: Commitment.Event, kind: str, state: CommitmentState,
           **fields: Any) -> dict[str, Any]:
    row = {"position": position, "commitment_id": state.row["commitment_id"],
           "country": state.row["country"], "at": event.timestamp, "kind": kind,
           "claim_id": None, "related_claim_id": None, "milestone": None, "party": None,
           "organisation_id": None, "status": None, "detail": None}
    row.update(fields)
    return row


def _date(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


HANDLERS: dict[type[Any], Callable[[Batch, int, Any], None]] = {
    Framework.Defined: framework_defined,
    Framework.VocabularyRevised: vocabulary_revised,
    ActionPlan.Registered: plan_registered,
    ActionPlan.Revised: plan_revised,
    Commitment.Registered: commitment_registered,
    Commitment.DetailsRevised: details_revised,
    Commitment.MilestoneAdded: milestone_added,
    Commitment.MilestoneRevised: milestone_revised,
    Commitment.PledgeEmbedded: pledge_embedded,
    Commitment.StatusClaimed: status_claimed,
    Commitment.ClaimWithdrawn: claim_withdrawn,
    Commitment.ChallengeResponded: challenge_responded,
}


class ProgressProjection:
    """Commitments with each party's current claim and the agreement state; counts per country;
    milestones, action plans, threads of endorsements, challenges and responses."""

    name = "progress"
    version = 12
    metadata = tables.metadata
    topics: Sequence[str] = tuple(get_topic(event_class) for event_class in HANDLERS)

    def apply(self, connection: Connection, events: Sequence[PositionedEvent]) -> None:
        """Apply ``events`` inside the caller's transaction."""
        batch = Batch(connection, _remembered(connection))
        # Commitments registered in this batch have nothing stored yet: looking for them
        # would search tables whose indexes a rebuild has not built yet.
        registered = {event.originator_id for _, event in events
                      if isinstance(event, Commitment.Registered)}
        batch.prefetch(str(commitment_id) for commitment_id in {
            event.originator_id for _, event in events
            if isinstance(event, Commitment.Event)} - registered)
        for position, event in events:
            HANDLERS[type(event)](batch, position, event)
        batch.flush()

    def rebuild_in_sql(self, connection: Connection, reader: Connection, sql: EventsInSql,
                       source: EventSource, upto: int, empty: Callable[[], None]) -> bool:
        """See ``source.RebuildsInSql``."""
        return _rebuild_in_sql(self, connection, reader, sql, source, upto, empty)


CLAIM_TOPIC = get_topic(Commitment.StatusClaimed)

REGISTERED_TOPIC = get_topic(Commitment.Registered)

def _copy_claims(connection: Connection, sql: EventsInSql, upto: int) -> None:
    """Write every claim's row from the stored events, with its commitment's country, and
    index them."""
    temporary = ("CREATE TEMPORARY TABLE claim_countries (commitment_id VARCHAR(36) "
                 "PRIMARY KEY, country VARCHAR(3) NOT NULL)")
    if sql.dialect != "sqlite":
        temporary += " ON COMMIT DROP"
    connection.execute(text(temporary))
    connection.execute(text(
        "INSERT INTO claim_countries (commitment_id, country) "  # noqa: S608
        f"SELECT e.originator, {sql.field('country', 'text')} FROM {sql.source()}"),
        {"topic": REGISTERED_TOPIC, "upto": upto})
    # PostgreSQL writes the rows grouped by commitment (``by_aggregate``), so the primary
    # key, kept up row by row, would take them in no order: built once afterwards instead.
    key = _drop_primary_key(connection, tables.claims) if sql.dialect != "sqlite" else None
    sql.insert(connection, tables.claims.name, CLAIM_FIELDS,
               {"position": "e.position", "commitment_id": "e.originator",
                "country": "j.country"},
               topic=CLAIM_TOPIC, upto=upto, version=Commitment.StatusClaimed.class_version,
               by_aggregate=True, joined=("claim_countries", "j.commitment_id = e.originator"))
    connection.execute(text("DROP TABLE claim_countries"))
    if key is not None:
        connection.execute(text(key))
    # Claims are never updated: their indexes are built now, while the replay goes on.
    _index(connection, tables.claims)


def _drop_primary_key(connection: Connection, table: Table) -> str:
    """PostgreSQL: drop the primary key of ``table`` (its columns stay NOT NULL); give back
    the statement that adds it again, under the name it had."""
    name = connection.execute(text(
        "SELECT conname FROM pg_constraint WHERE conrelid = CAST(:table AS regclass) "
        "AND contype = 'p'"), {"table": table.name}).scalar_one()
    quote = connection.dialect.identifier_preparer.quote
    connection.execute(text(f"ALTER TABLE {quote(table.name)} DROP CONSTRAINT {quote(name)}"))
    columns = ", ".join(quote(column.name) for column in table.primary_key.columns)
    return f"ALTER TABLE {quote(table.name)} ADD CONSTRAINT {quote(name)} PRIMARY KEY ({columns})"


def _index(connection: Connection, table: Table) -> None:
    for index in sorted(table.indexes, key=lambda index: str(index.name)):
        index.create(connection)


def _rebuild_in_sql(projection: ProgressProjection, connection: Connection, reader: Connection,
                    sql: EventsInSql, source: EventSource, upto: int,
                    empty: Callable[[], None]) -> bool:
    """Two things at once, on the two cores a small server has:

    - In a thread of its own, on ``connection``, SQL empties the tables, writes every
      claim's row from the stored events (which is its timeline entry too), and indexes
      the claims.
    - Meanwhile every event, claims included (read through ``reader``), goes through the
      handlers, in log order, as one batch, making no query: a rebuild registers every
      framework, plan and commitment in that batch before anything changes it. For a claim,
      only what the agreement rules read is kept.

    Then that thread writes the other events' timeline entries, responses, attachments and
    links, and indexes the timeline, while the batch works out current claims and summaries
    and turns the rows it will write into parameters. The rest of the batch is then written
    on ``connection``. (Only that thread uses the connection until it is done.)
    """
    version = Commitment.StatusClaimed.class_version
    older = False  # a claim of an older shape, which only its upcaster knows

    def copy_claims() -> None:
        empty()
        _copy_claims(connection, sql, upto)

    def write_entries(entries: list[Write]) -> None:
        for write in entries:
            write(connection)
        _index(connection, tables.timeline)

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="claims") as thread:
        copying = thread.submit(copy_claims)
        # Claims are decoded by orjson (three times as quick as the standard library's
        # decoder, and quicker than SQL's), in log order with the other events.
        others = _events(source, [t for t in projection.topics if t != CLAIM_TOPIC], upto)
        batch = Batch(connection)
        following = next(others, None)
        with closing(sql.states(reader, topic=CLAIM_TOPIC, upto=upto, chunk=BULK_CHUNK)
                     ) as claims:
            for position, commitment_id, stored in claims:
                while following is not None and following[0] < position:
                    following[1](batch, following[0], following[2])
                    following = next(others, None)
                claim = orjson.loads(stored)
                if claim.get("class_version", 1) != version:
                    older = True
                    break
                claim_stored(batch, position, commitment_id, claim)
        while following is not None and not older:
            following[1](batch, following[0], following[2])
            following = next(others, None)
        # Written once the copy is done; their parameters first, which the thread then
        # only sends (told whether this thread is still preparing the rest meanwhile).
        preparing = threading.Event()
        preparing.set()
        writing = None if older else thread.submit(
            write_entries, batch.entries(busy=preparing.is_set))
        prepared: list[Write] = []
        if not older:
            # Meanwhile: the tables were emptied, so every framework's statuses are the
            # batch's own; and the rows the batch will write are turned into parameters.
            batch.settle(complete_statuses(batch.status_rows))
            prepared = batch.prepare()
            batch.forget_claims()  # freed while the database still works
        preparing.clear()
        copying.result()  # raises what the copy raised
        if writing is not None:
            writing.result()
    if older:
        return False
    batch.flush(prepared)
    return True


BULK_CHUNK = 20_000


def complete_statuses(status_rows: Sequence[dict[str, Any]]) -> dict[str, set[str]]:
    """Each framework's statuses that count as complete, in any version, among
    ``status_rows`` (as ``Batch`` reads them from the table)."""
    complete: dict[str, set[str]] = {}
    for row in status_rows:
        if row["complete"]:
            complete.setdefault(row["framework_id"], set()).add(row["code"])
    return complete


def _events(source: EventSource, topics: Sequence[str], upto: int
            ) -> Iterator[tuple[int, Callable[[Batch, int, Any], None], Any]]:
    """The events of ``topics`` up to ``upto``, each with its position and handler."""
    after = 0
    while after < upto:
        events = source.read_events(after=after, upto=upto, limit=BULK_CHUNK, topics=topics)
        for position, event in events:
            yield position, HANDLERS[type(event)], event
        if len(events) < BULK_CHUNK:
            return
        after = events[-1][0]


def _remembered(connection: Connection) -> Remembered:
    """The commitments the running catch-up remembers from its earlier batches, unless there
    are too many to keep: then they will be read back from the tables, through their
    indexes."""
    memory = batch_memory()
    if memory is None:
        return Remembered()
    if isinstance(memory.state, Remembered) and memory.state.size() > memory.limit:
        memory.build_deferred(connection)
        memory.state = None
    if not isinstance(memory.state, Remembered):
        memory.state = Remembered()
    return memory.state
