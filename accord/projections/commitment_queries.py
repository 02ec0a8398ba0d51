"""Reading one commitment: both sides, the reviewer, milestones, and the threads of its history."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol, TypeVar

from sqlalchemy import (
    Connection,
    Select,
    bindparam,
    exists,
    false,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.exc import NoResultFound

from accord.database import Database
from accord.domain.agreement import Agreement
from accord.projections import directory, tables
from accord.projections.day import today

T = TypeVar("T")


@dataclass(frozen=True)
class StatusLabel:
    """How a status code reads in one version of its framework."""

    code: str
    label: str
    definition: str
    rank: int
    complete: bool
    claimable: bool = True


@dataclass(frozen=True)
class Vocabulary:
    """A status framework's name and its statuses' labels in every version, by (version, code)."""

    name: str
    current_version: int
    labels: dict[tuple[int, str], StatusLabel]


class Remember(Protocol):
    """A memory of the moment: what ``compute()`` gives, or gave earlier for ``key``."""

    def __call__(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, or what it gave for ``key`` before."""


@dataclass(frozen=True)
class ClaimView:
    """A claim with the names a reader needs."""

    claim_id: str
    party: str
    organisation_id: str
    organisation_name: str
    organisation_verified: bool
    status: StatusLabel
    narrative: str
    evidence: list[str]
    period_start: date
    period_end: date
    claimed_at: datetime
    replaces: str | None
    revision_reason: str | None
    replaced_by: str | None
    withdrawn_at: datetime | None
    withdrawal_reason: str | None
    current: bool
    milestone: str | None = None
    language: str = "und"
    attachments: list[dict[str, Any]] = field(default_factory=list)
    endorses: str | None = None
    challenges: str | None = None

    @property
    def active(self) -> bool:
        """Neither withdrawn nor replaced."""
        return self.withdrawn_at is None and self.replaced_by is None


@dataclass(frozen=True)
class ResponseView:
    """A government's answer to a challenge."""

    response_id: str
    challenge_id: str
    organisation_name: str
    narrative: str
    evidence: list[str]
    attachments: list[dict[str, Any]]
    language: str
    responded_at: datetime


@dataclass(frozen=True)
class TimelineEntry:
    """One thing that happened to a commitment."""

    position: int
    at: datetime
    kind: str
    claim_id: str | None
    party: str | None
    organisation_name: str | None
    status: StatusLabel | None
    detail: str | None
    related_claim_id: str | None = None
    milestone: str | None = None


@dataclass
class Thread:
    """An entry of the timeline and what answered it (endorsements, challenges, responses)."""

    entry: TimelineEntry
    replies: list[Thread] = field(default_factory=list)


@dataclass(frozen=True)
class Sides:
    """Each party's current claims about the commitment or one milestone."""

    government: list[ClaimView]
    civil_society: list[ClaimView]
    reviewer: list[ClaimView]


@dataclass(frozen=True)
class MilestoneView:
    """A milestone with where the two sides stand on it."""

    row: dict[str, Any]
    sides: Sides
    depth: int

    @property
    def agreement(self) -> Agreement:
        """The agreement state on the milestone."""
        return Agreement(self.row["agreement"])

    @property
    def overdue(self) -> bool:
        """Past its due date, and not every current claim says it is complete."""
        return overdue(self.row["due_date"], self.row["settled"])


@dataclass(frozen=True)
class CommitmentPage:
    """Everything the commitment page shows."""

    commitment: dict[str, Any]
    themes: list[str]
    framework_name: str
    vocabulary: list[StatusLabel]
    sides: Sides
    claims: dict[str, ClaimView]
    responses: dict[str, list[ResponseView]]
    milestones: list[MilestoneView]
    threads: list[Thread]
    plan: dict[str, Any] | None
    pledges: list[dict[str, Any]]
    embedded_in: list[dict[str, Any]]

    @property
    def agreement(self) -> Agreement:
        """The agreement state."""
        return Agreement(self.commitment["agreement"])

    @property
    def government(self) -> list[ClaimView]:
        """The government's current claims about the commitment itself."""
        return self.sides.government

    @property
    def civil_society(self) -> list[ClaimView]:
        """Civil society's current claims about the commitment itself."""
        return self.sides.civil_society

    @property
    def overdue(self) -> bool:
        """Past its end date, and not every current claim says it is complete."""
        return overdue(self.commitment["end_date"], self.commitment["settled"])

    @property
    def definitions(self) -> dict[str, str]:
        """Status code to definition, in the current vocabulary."""
        return {label.code: label.definition for label in self.vocabulary}

    @property
    def claimable(self) -> list[StatusLabel]:
        """The statuses a party may claim (not the reviewer's own ratings)."""
        return [label for label in self.vocabulary if label.claimable]


def overdue(due: date | None, settled: bool) -> bool:
    """Whether something due on ``due`` is overdue today."""
    return due is not None and due < today() and not settled


def _by_commitment(table: Any, order: Any) -> Select[Any]:
    return select(table).where(table.c.commitment_id == bindparam("id")).order_by(order)


def _linked_query(column: Any, other: str) -> Select[Any]:
    links, c = tables.links, tables.commitments
    return (select(c.c.commitment_id, c.c.reference, c.c.title, c.c.agreement)
            .join(links, links.c[other] == c.c.commitment_id).where(column == bindparam("id")))


# Each page runs the same statements with other values: built once, not on every request.
# The commitment with its themes, and whether it has milestones and links to Summit pledges:
# most commitments have neither, and their pages then skip those reads.
_C = tables.commitments
_COMMITMENT = select(
    _C,
    select(func.aggregate_strings(tables.commitment_themes.c.theme, " "))
    .where(tables.commitment_themes.c.commitment_id == _C.c.commitment_id)
    .scalar_subquery().label("theme_codes"),
    exists().where(tables.milestones.c.commitment_id == _C.c.commitment_id)
    .label("has_milestones"),
    or_(exists().where(tables.links.c.commitment_id == _C.c.commitment_id),
        exists().where(tables.links.c.pledge_id == _C.c.commitment_id)).label("has_links"),
).where(_C.c.commitment_id == bindparam("id"))
_VOCABULARY = (
    select(tables.frameworks.c.name.label("framework_name"), tables.frameworks.c.current_version,
           *tables.statuses.c)
    .select_from(tables.frameworks)
    .outerjoin(tables.statuses, tables.statuses.c.framework_id == tables.frameworks.c.framework_id)
    .where(tables.frameworks.c.framework_id == bindparam("id")))
# Each claim as it was made, with what later events made of it (none: not current, not
# replaced, not withdrawn).
_CLAIMS = (
    select(tables.claims, tables.standings.c.replaced_by, tables.standings.c.withdrawn_at,
           tables.standings.c.withdrawal_reason,
           func.coalesce(tables.standings.c.current, false()).label("current"))
    .outerjoin(tables.standings, tables.standings.c.position == tables.claims.c.position)
    .where(tables.claims.c.commitment_id == bindparam("id"))
    .order_by(tables.claims.c.position))
_RESPONSES = _by_commitment(tables.responses, tables.responses.c.position)
_MILESTONES = _by_commitment(tables.milestones, tables.milestones.c.rank)
_WHOLE_TIMELINE = tables.whole_timeline()
_TIMELINE = _by_commitment(_WHOLE_TIMELINE, _WHOLE_TIMELINE.c.position)
_PLAN = select(tables.plans).where(tables.plans.c.plan_id == bindparam("id"))
# The pledges a commitment carries out, then the commitments a pledge is embedded in: one read.
_LINKED = union_all(
    _linked_query(tables.links.c.commitment_id, "pledge_id").add_columns(
        literal(True).label("pledge")),
    _linked_query(tables.links.c.pledge_id, "commitment_id").add_columns(
        literal(False).label("pledge"))).order_by("reference")


def current_claims(database: Database, commitment_id: str, remember: Remember | None = None
                   ) -> CommitmentPage | None:
    """The commitment with each party's current claims and its milestones, without its
    timeline, responses, plan or linked pledges (for answers that show none of them, such
    as the API's); None if there is no such commitment. With ``remember``, what many
    commitments read alike is taken from that memory (``commitment_page``)."""
    with database.reader.connect() as connection:
        return commitment_page(connection, commitment_id, timeline=False, remember=remember)


def commitment_page(connection: Connection, commitment_id: str, *, timeline: bool = True,
                    remember: Remember | None = None) -> CommitmentPage | None:
    """Everything about one commitment, read in one transaction; without ``timeline``, the
    claims and milestones only (no timeline, responses, plan or linked pledges). None if
    there is no such commitment.

    With ``remember``, what the pages of many commitments read alike (a framework's
    vocabulary, every action plan, every organisation's name) is read whole once and then
    taken from it.
    """
    found = connection.execute(_COMMITMENT, {"id": commitment_id}).mappings().first()
    if found is None:
        return None
    commitment = dict(found)
    themes = sorted((commitment.pop("theme_codes") or "").split())
    has_milestones = bool(commitment.pop("has_milestones"))
    linked = bool(commitment.pop("has_links"))
    commitment_id, framework_id = commitment["commitment_id"], commitment["framework_id"]
    if remember is None:
        vocabulary = _vocabulary(connection, framework_id)
    else:
        vocabulary = remember(("vocabulary", framework_id),
                              lambda: _vocabulary(connection, framework_id))
    labels = vocabulary.labels
    claim_rows = _rows(connection, _CLAIMS, commitment_id)
    # Only a challenge is responded to: without one, there is no response to read.
    challenged = timeline and any(row["challenges"] for row in claim_rows)
    response_rows = _rows(connection, _RESPONSES, commitment_id) if challenged else []
    names = _names(connection, {r["organisation_id"] for r in claim_rows}
                   | {r["organisation_id"] for r in response_rows}, remember)
    claims = {row["claim_id"]: _claim_view(row, labels, names) for row in claim_rows}
    responses: dict[str, list[ResponseView]] = {}
    for row in response_rows:
        responses.setdefault(row["challenge_id"], []).append(_response_view(row, names))
    version = vocabulary.current_version
    pledges, embedded_in = (_linked(connection, commitment_id) if timeline and linked
                            else ([], []))
    return CommitmentPage(
        commitment=commitment, themes=themes,
        framework_name=vocabulary.name,
        vocabulary=sorted((label for (v, _), label in labels.items() if v == version),
                          key=lambda label: label.rank),
        sides=_sides(claims, None), claims=claims, responses=responses,
        milestones=_milestones(connection, commitment_id, claims) if has_milestones else [],
        threads=_threads(connection, commitment_id, claims, names) if timeline else [],
        plan=_plan(connection, commitment["action_plan_id"], remember) if timeline else None,
        pledges=pledges, embedded_in=embedded_in,
    )


def _vocabulary(connection: Connection, framework_id: str) -> Vocabulary:
    """The framework's vocabulary (NoResultFound for an unknown framework)."""
    rows = connection.execute(_VOCABULARY, {"id": framework_id}).mappings().all()
    if not rows:
        raise NoResultFound(f"no framework {framework_id}")
    return Vocabulary(rows[0]["framework_name"], rows[0]["current_version"], {
        (row["version"], row["code"]): status_label(row) for row in rows
        if row["code"] is not None})


def _names(connection: Connection, ids: set[str], remember: Remember | None
           ) -> dict[str, tuple[str, bool]]:
    if remember is None:
        return organisation_names(connection, ids)
    every = remember("organisation names", lambda: organisation_names(connection))
    return {key: every[key] for key in ids if key in every}


def _plan(connection: Connection, plan_id: str | None, remember: Remember | None
          ) -> dict[str, Any] | None:
    if plan_id is None:
        return None
    if remember is not None:
        return remember("plan rows", lambda: {
            row["plan_id"]: dict(row) for row in connection.execute(
                select(tables.plans)).mappings()}).get(plan_id)
    row = connection.execute(_PLAN, {"id": plan_id}).mappings().first()
    return dict(row) if row else None


def _sides(claims: dict[str, ClaimView], milestone: str | None) -> Sides:
    current = [c for c in claims.values() if c.current and c.milestone == milestone]
    return Sides(government=[c for c in current if c.party == "government"],
                 civil_society=[c for c in current if c.party == "civil_society"],
                 reviewer=[c for c in current if c.party == "independent_reviewer"])


def _milestones(connection: Connection, commitment_id: str, claims: dict[str, ClaimView]
                ) -> list[MilestoneView]:
    rows = _rows(connection, _MILESTONES, commitment_id)
    depth: dict[str, int] = {}
    views = []
    for row in rows:
        depth[row["reference"]] = depth.get(row["parent"] or "", -1) + 1
        views.append(MilestoneView(dict(row), _sides(claims, row["reference"]),
                                   depth[row["reference"]]))
    return views


def _threads(connection: Connection, commitment_id: str, claims: dict[str, ClaimView],
             names: dict[str, tuple[str, bool]]) -> list[Thread]:
    """The timeline, newest first, with endorsements and challenges under the claim they
    answer and responses under the challenge."""
    rows = _rows(connection, _TIMELINE, commitment_id)
    threads: dict[str, Thread] = {}
    roots: list[Thread] = []
    for row in rows:
        thread = Thread(_entry(row, claims, names))
        parent = threads.get(row["related_claim_id"] or "") if row["kind"] in (
            "endorsed", "challenged", "responded") else None
        (parent.replies if parent else roots).append(thread)
        if row["claim_id"] and row["kind"] != "withdrawn":
            threads[row["claim_id"]] = thread
    return list(reversed(roots))


def _entry(row: Any, claims: dict[str, ClaimView], names: dict[str, tuple[str, bool]]
           ) -> TimelineEntry:
    claim = claims.get(row["claim_id"] or "")
    return TimelineEntry(
        position=row["position"], at=row["at"], kind=row["kind"], claim_id=row["claim_id"],
        party=row["party"], organisation_name=names.get(row["organisation_id"] or "",
                                                        ("", False))[0],
        status=claim.status if claim and row["kind"] != "responded" else None,
        detail=row["detail"], related_claim_id=row["related_claim_id"],
        milestone=row["milestone"])


def _claim_view(row: Any, labels: dict[tuple[int, str], StatusLabel],
                names: dict[str, tuple[str, bool]]) -> ClaimView:
    name, verified = names.get(row["organisation_id"], (row["organisation_id"], False))
    return ClaimView(
        claim_id=row["claim_id"], party=row["party"], organisation_id=row["organisation_id"],
        organisation_name=name, organisation_verified=verified,
        status=labels.get((row["vocabulary_version"], row["status"]))
        or StatusLabel(row["status"], row["status"], "", 0, False),
        narrative=row["narrative"], evidence=list(row["evidence"]),
        period_start=row["period_start"], period_end=row["period_end"],
        claimed_at=row["claimed_at"], replaces=row["replaces"],
        revision_reason=row["revision_reason"], replaced_by=row["replaced_by"],
        withdrawn_at=row["withdrawn_at"], withdrawal_reason=row["withdrawal_reason"],
        current=row["current"], milestone=row["milestone"], language=row["language"],
        attachments=list(row["attachments"]), endorses=row["endorses"],
        challenges=row["challenges"],
    )


def _response_view(row: Any, names: dict[str, tuple[str, bool]]) -> ResponseView:
    return ResponseView(
        response_id=row["response_id"], challenge_id=row["challenge_id"],
        organisation_name=names.get(row["organisation_id"], ("", False))[0],
        narrative=row["narrative"], evidence=list(row["evidence"]),
        attachments=list(row["attachments"]), language=row["language"],
        responded_at=row["responded_at"])


def _rows(connection: Connection, statement: Select[Any], commitment_id: str) -> list[Any]:
    return list(connection.execute(statement, {"id": commitment_id}).mappings())


def _linked(connection: Connection, commitment_id: str
            ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The pledges the commitment carries out, and the commitments it is embedded in (if it
    is a pledge)."""
    pledges: list[dict[str, Any]] = []
    embedded_in: list[dict[str, Any]] = []
    for row in connection.execute(_LINKED, {"id": commitment_id}).mappings():
        linked = dict(row)
        (pledges if linked.pop("pledge") else embedded_in).append(linked)
    return pledges, embedded_in


def status_label(row: Any) -> StatusLabel:
    """A status row as a label."""
    return StatusLabel(row["code"], row["label"], row["definition"], row["rank"],
                       row["complete"], row["claimable"])


def organisation_names(connection: Connection, ids: set[str] | None = None
                       ) -> dict[str, tuple[str, bool]]:
    """The name of each organisation ``ids`` (every one by default) and whether it is
    verified, by id."""
    o = directory.organisations
    query = select(o.c.organisation_id, o.c.name, o.c.verified)
    if ids is not None:
        query = query.where(o.c.organisation_id.in_(sorted(ids)))
    return {row.organisation_id: (row.name, row.verified) for row in connection.execute(query)}
