"""Reading one commitment: both sides, the reviewer, milestones, and the threads of its history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Select, bindparam, select

from accord.database import Database
from accord.domain.agreement import Agreement
from accord.projections import directory, tables
from accord.projections.day import today


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
            .join(links, links.c[other] == c.c.commitment_id).where(column == bindparam("id"))
            .order_by(c.c.reference))


# Each page runs the same statements with other values: built once, not on every request.
_COMMITMENT = select(tables.commitments).where(
    tables.commitments.c.commitment_id == bindparam("id"))
_FRAMEWORK = select(tables.frameworks).where(tables.frameworks.c.framework_id == bindparam("id"))
_STATUSES = select(tables.statuses).where(tables.statuses.c.framework_id == bindparam("id"))
_CLAIMS = _by_commitment(tables.claims, tables.claims.c.position)
_RESPONSES = _by_commitment(tables.responses, tables.responses.c.position)
_MILESTONES = _by_commitment(tables.milestones, tables.milestones.c.rank)
_TIMELINE = _by_commitment(tables.timeline, tables.timeline.c.position)
_THEMES = (select(tables.commitment_themes.c.theme)
           .where(tables.commitment_themes.c.commitment_id == bindparam("id"))
           .order_by(tables.commitment_themes.c.theme))
_PLAN = select(tables.plans).where(tables.plans.c.plan_id == bindparam("id"))
_PLEDGES = _linked_query(tables.links.c.commitment_id, "pledge_id")
_EMBEDDED_IN = _linked_query(tables.links.c.pledge_id, "commitment_id")


def current_claims(database: Database, commitment_id: str) -> CommitmentPage | None:
    """The commitment with each party's current claims and its milestones, without its
    timeline, responses, plan or linked pledges (for answers that show none of them, such
    as the API's); None if there is no such commitment."""
    with database.reader.connect() as connection:
        commitment = connection.execute(_COMMITMENT, {"id": commitment_id}).mappings().first()
        if commitment is None:
            return None
        return commitment_page(connection, dict(commitment), timeline=False)


def commitment_page(connection: Connection, commitment: dict[str, Any], *,
                    timeline: bool = True) -> CommitmentPage:
    """Everything about one commitment, read in one transaction; without ``timeline``, the
    claims and milestones only (no timeline, responses, plan or linked pledges)."""
    commitment_id, framework_id = commitment["commitment_id"], commitment["framework_id"]
    framework = connection.execute(_FRAMEWORK, {"id": framework_id}).mappings().one()
    labels = _labels(connection, framework_id)
    claim_rows = _rows(connection, _CLAIMS, commitment_id)
    response_rows = _rows(connection, _RESPONSES, commitment_id) if timeline else []
    names = _organisation_names(connection, {r["organisation_id"] for r in claim_rows}
                                | {r["organisation_id"] for r in response_rows})
    claims = {row["claim_id"]: _claim_view(row, labels, names) for row in claim_rows}
    responses: dict[str, list[ResponseView]] = {}
    for row in response_rows:
        responses.setdefault(row["challenge_id"], []).append(_response_view(row, names))
    version = framework["current_version"]
    return CommitmentPage(
        commitment=commitment, themes=_themes(connection, commitment_id),
        framework_name=framework["name"],
        vocabulary=sorted((label for (v, _), label in labels.items() if v == version),
                          key=lambda label: label.rank),
        sides=_sides(claims, None), claims=claims, responses=responses,
        milestones=_milestones(connection, commitment_id, claims),
        threads=_threads(connection, commitment_id, claims, names) if timeline else [],
        plan=_plan(connection, commitment["action_plan_id"]) if timeline else None,
        pledges=_linked(connection, _PLEDGES, commitment_id) if timeline else [],
        embedded_in=_linked(connection, _EMBEDDED_IN, commitment_id) if timeline else [],
    )


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


def _themes(connection: Connection, commitment_id: str) -> list[str]:
    return list(connection.execute(_THEMES, {"id": commitment_id}).scalars())


def _plan(connection: Connection, plan_id: str | None) -> dict[str, Any] | None:
    if plan_id is None:
        return None
    row = connection.execute(_PLAN, {"id": plan_id}).mappings().first()
    return dict(row) if row else None


def _linked(connection: Connection, statement: Select[Any], commitment_id: str
            ) -> list[dict[str, Any]]:
    return [dict(row) for row in connection.execute(statement, {"id": commitment_id}).mappings()]


def _labels(connection: Connection, framework_id: str) -> dict[tuple[int, str], StatusLabel]:
    rows = connection.execute(_STATUSES, {"id": framework_id}).mappings()
    return {(row["version"], row["code"]): status_label(row) for row in rows}


def status_label(row: Any) -> StatusLabel:
    """A status row as a label."""
    return StatusLabel(row["code"], row["label"], row["definition"], row["rank"],
                       row["complete"], row["claimable"])


def _organisation_names(connection: Connection, ids: set[str]) -> dict[str, tuple[str, bool]]:
    o = directory.organisations
    query = select(o.c.organisation_id, o.c.name, o.c.verified).where(
        o.c.organisation_id.in_(sorted(ids)))
    return {row.organisation_id: (row.name, row.verified) for row in connection.execute(query)}
