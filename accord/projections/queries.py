"""Reading the commitment-progress read model: what the public pages show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, select

from accord.database import Database
from accord.domain.agreement import Agreement
from accord.projections import directory, tables


@dataclass(frozen=True)
class StatusLabel:
    """How a status code reads in one version of its framework."""

    code: str
    label: str
    definition: str
    rank: int
    complete: bool


@dataclass(frozen=True)
class CountryCounts:
    """How many of a country's commitments are in each agreement state."""

    country: str
    agreed: int
    contested: int
    awaiting_government: int
    awaiting_civil_society: int
    not_reported: int
    total: int

    def count(self, agreement: Agreement) -> int:
        """The number of commitments in ``agreement``."""
        return int(getattr(self, agreement.value))


@dataclass(frozen=True)
class CommitmentRow:
    """A commitment as listed on a country page."""

    commitment_id: str
    country: str
    action_plan_id: str | None
    reference: str
    title: str
    lead_institution: str
    framework_id: str
    agreement: Agreement
    government_status: StatusLabel | None
    civil_society_statuses: list[StatusLabel]
    civil_society_reports: int
    last_change_at: datetime


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

    @property
    def active(self) -> bool:
        """Neither withdrawn nor replaced."""
        return self.withdrawn_at is None and self.replaced_by is None


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


@dataclass(frozen=True)
class CommitmentPage:
    """Everything the commitment page shows."""

    commitment: dict[str, Any]
    themes: list[str]
    framework_name: str
    vocabulary: list[StatusLabel]
    government: list[ClaimView]
    civil_society: list[ClaimView]
    claims: dict[str, ClaimView]
    timeline: list[TimelineEntry]

    @property
    def agreement(self) -> Agreement:
        """The agreement state."""
        return Agreement(self.commitment["agreement"])

    @property
    def definitions(self) -> dict[str, str]:
        """Status code to definition, in the current vocabulary."""
        return {label.code: label.definition for label in self.vocabulary}


class ProgressQueries:
    """Read-only queries on the progress read model."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def country_counts(self) -> list[CountryCounts]:
        """Counts per country, for every country with commitments."""
        with self.database.reader.connect() as connection:
            rows = connection.execute(select(tables.countries)).mappings().all()
        return [CountryCounts(**row) for row in rows]

    def country(self, country: str) -> CountryCounts | None:
        """Counts for one country, or None if it has no commitments."""
        with self.database.reader.connect() as connection:
            row = connection.execute(
                select(tables.countries).where(tables.countries.c.country == country)
            ).mappings().first()
        return CountryCounts(**row) if row else None

    def commitments(self, country: str, *, agreement: Agreement | None = None,
                    theme: str | None = None) -> list[CommitmentRow]:
        """A country's commitments, optionally only those in one agreement state or theme."""
        c = tables.commitments
        query = select(c).where(c.c.country == country).order_by(c.c.reference)
        if agreement is not None:
            query = query.where(c.c.agreement == agreement.value)
        if theme:
            themed = select(tables.commitment_themes.c.commitment_id).where(
                tables.commitment_themes.c.theme == theme)
            query = query.where(c.c.commitment_id.in_(themed))
        with self.database.reader.connect() as connection:
            rows = connection.execute(query).mappings().all()
            labels = _current_labels(connection)
        return [_commitment_row(row, labels) for row in rows]

    def themes(self, country: str) -> list[str]:
        """The themes used by a country's commitments."""
        t, c = tables.commitment_themes, tables.commitments
        query = (select(t.c.theme).distinct()
                 .join(c, c.c.commitment_id == t.c.commitment_id)
                 .where(c.c.country == country).order_by(t.c.theme))
        with self.database.reader.connect() as connection:
            return list(connection.execute(query).scalars())

    def commitment_page(self, commitment_id: str) -> CommitmentPage | None:
        """The commitment, both sides' claims and its timeline; None if there is no such one."""
        with self.database.reader.connect() as connection:
            commitment = connection.execute(
                select(tables.commitments)
                .where(tables.commitments.c.commitment_id == commitment_id)
            ).mappings().first()
            if commitment is None:
                return None
            return _page(connection, dict(commitment))


def _page(connection: Connection, commitment: dict[str, Any]) -> CommitmentPage:
    commitment_id, framework_id = commitment["commitment_id"], commitment["framework_id"]
    framework = connection.execute(
        select(tables.frameworks).where(tables.frameworks.c.framework_id == framework_id)
    ).mappings().one()
    labels = _labels(connection, framework_id)
    claim_rows = connection.execute(
        select(tables.claims).where(tables.claims.c.commitment_id == commitment_id)
        .order_by(tables.claims.c.position)
    ).mappings().all()
    names = _organisation_names(connection, {row["organisation_id"] for row in claim_rows})
    claims = {row["claim_id"]: _claim_view(row, labels, names) for row in claim_rows}
    current = [claim for claim in claims.values() if claim.current]
    timeline = [
        TimelineEntry(
            position=row["position"], at=row["at"], kind=row["kind"], claim_id=row["claim_id"],
            party=row["party"],
            organisation_name=names.get(row["organisation_id"] or "", ("", False))[0],
            status=_claim_label(claims, row["claim_id"]), detail=row["detail"],
        )
        for row in connection.execute(
            select(tables.timeline).where(tables.timeline.c.commitment_id == commitment_id)
            .order_by(tables.timeline.c.position.desc())
        ).mappings()
    ]
    themes = list(connection.execute(
        select(tables.commitment_themes.c.theme)
        .where(tables.commitment_themes.c.commitment_id == commitment_id)
        .order_by(tables.commitment_themes.c.theme)
    ).scalars())
    version = framework["current_version"]
    return CommitmentPage(
        commitment=commitment, themes=themes, framework_name=framework["name"],
        vocabulary=sorted((label for (v, _), label in labels.items() if v == version),
                          key=lambda label: label.rank),
        government=[c for c in current if c.party == "government"],
        civil_society=[c for c in current if c.party == "civil_society"],
        claims=claims, timeline=timeline,
    )


def _claim_label(claims: dict[str, ClaimView], claim_id: str | None) -> StatusLabel | None:
    return claims[claim_id].status if claim_id in claims else None


def _claim_view(row: Any, labels: dict[tuple[int, str], StatusLabel],
                names: dict[str, tuple[str, bool]]) -> ClaimView:
    name, verified = names.get(row["organisation_id"], (row["organisation_id"], False))
    return ClaimView(
        claim_id=row["claim_id"], party=row["party"], organisation_id=row["organisation_id"],
        organisation_name=name, organisation_verified=verified,
        status=labels[(row["vocabulary_version"], row["status"])],
        narrative=row["narrative"], evidence=list(row["evidence"]),
        period_start=row["period_start"], period_end=row["period_end"],
        claimed_at=row["claimed_at"], replaces=row["replaces"],
        revision_reason=row["revision_reason"], replaced_by=row["replaced_by"],
        withdrawn_at=row["withdrawn_at"], withdrawal_reason=row["withdrawal_reason"],
        current=row["current"],
    )


def _labels(connection: Connection, framework_id: str) -> dict[tuple[int, str], StatusLabel]:
    rows = connection.execute(
        select(tables.statuses).where(tables.statuses.c.framework_id == framework_id)
    ).mappings()
    return {(row["version"], row["code"]): _status_label(row) for row in rows}


def _current_labels(connection: Connection) -> dict[tuple[str, str], StatusLabel]:
    s, f = tables.statuses, tables.frameworks
    rows = connection.execute(
        select(s).join(f, (f.c.framework_id == s.c.framework_id)
                       & (f.c.current_version == s.c.version))
    ).mappings()
    return {(row["framework_id"], row["code"]): _status_label(row) for row in rows}


def _status_label(row: Any) -> StatusLabel:
    return StatusLabel(row["code"], row["label"], row["definition"], row["rank"],
                       row["complete"])


def _organisation_names(connection: Connection, ids: set[str]) -> dict[str, tuple[str, bool]]:
    o = directory.organisations
    query = select(o.c.organisation_id, o.c.name, o.c.verified).where(
        o.c.organisation_id.in_(sorted(ids)))
    return {row.organisation_id: (row.name, row.verified) for row in connection.execute(query)}


def _commitment_row(row: Any, labels: dict[tuple[str, str], StatusLabel]) -> CommitmentRow:
    framework_id = row["framework_id"]

    def label(code: str) -> StatusLabel:
        return labels.get((framework_id, code)) or StatusLabel(code, code, "", 0, False)

    government = row["government_status"]
    return CommitmentRow(
        commitment_id=row["commitment_id"], country=row["country"],
        action_plan_id=row["action_plan_id"], reference=row["reference"], title=row["title"],
        lead_institution=row["lead_institution"], framework_id=framework_id,
        agreement=Agreement(row["agreement"]),
        government_status=label(government) if government else None,
        civil_society_statuses=[label(code) for code in row["civil_society_statuses"].split()],
        civil_society_reports=row["civil_society_reports"],
        last_change_at=row["last_change_at"],
    )
