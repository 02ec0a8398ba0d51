"""``accord audit``: sign checkpoints of the event log, verify the log, export it."""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path

import click
from flask.cli import with_appcontext

from accord.domain.countries import country_code
from accord.domain.errors import InvalidValue
from accord.platform.audit.export import LogDiverged, export
from accord.platform.audit.verify import verify
from accord.projections.day import reset_day, set_day
from accord.projections.listing import Filters
from accord.projections.queries import CommitmentRow, CountryCounts, StatusLabel
from accord.projections.read_models import ReadModels
from accord.web.as_of import parse_moment
from accord.web.context import services


@click.group("audit")
def audit() -> None:
    """Tamper evidence: signed checkpoints of the event log, verification, export."""


@audit.command("checkpoint")
@click.option("--if-due", is_flag=True,
              help="Only if the log grew since the last checkpoint and that one is older than "
                   "ACCORD_AUDIT_CHECKPOINT_MINUTES or 10,000 events behind (for cron).")
@with_appcontext
def checkpoint(if_due: bool) -> None:
    """Record the new events in the Merkle tree and print a new signed checkpoint."""
    made = services().audit.checkpoint(if_due=if_due)
    if made is None:
        click.echo("No checkpoint due.")
        return
    click.echo(json.dumps(made.as_json(), sort_keys=True))


@audit.command("verify")
@with_appcontext
def verify_command() -> None:
    """Recompute the tree from the stored events and check every leaf, root and checkpoint
    signature; exit 1, naming the first notification id where the log diverges, if any."""
    started = time.perf_counter()
    report = verify(services().audit, lambda done: click.echo(f"{done:,} events read",
                                                              err=True))
    seconds = time.perf_counter() - started
    for problem in report.problems:
        click.echo(problem)
    click.echo(f"Checked {report.events:,} events ({report.recorded:,} in the audit record) "
               f"against {report.checkpoints:,} checkpoints in {seconds:.1f} s.")
    if not report.ok:
        raise click.ClickException("the log does not verify")
    click.echo("Every event, leaf, node, root and signature matches.")
    if report.newer:
        click.echo(f"{report.newer:,} newer events are not in a checkpoint yet; "
                   "`accord audit checkpoint` signs them.")


@audit.command("export")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@with_appcontext
def export_command(file: Path) -> None:
    """Write the whole log to FILE as JSON Lines under a signed checkpoint (docs/audit.md);
    tools/verify_export.py checks it."""
    started = time.perf_counter()
    partial = file.with_name(f".{file.name}.partial")
    try:
        with partial.open("wb") as out:
            made = export(services().audit, out,
                          lambda done: click.echo(f"{done:,} events written", err=True))
        os.replace(partial, file)
    except LogDiverged as error:
        raise click.ClickException(str(error)) from None
    finally:
        partial.unlink(missing_ok=True)
    seconds = time.perf_counter() - started
    click.echo(f"Exported {made.tree_size:,} events to {file} in {seconds:.1f} s, under the "
               f"checkpoint made at {made.timestamp} (root {made.root_hash}).")


@audit.command("replay")
@click.option("--as-of", "as_of", required=True,
              help="A date (the end of that day, UTC) or a date and time, e.g. 2025-06-30 or "
                   "2025-06-30T14:00:00Z.")
@click.option("--country", default="", help="List this country's commitments (ISO 3166 "
                                            "alpha-3) instead of the counts per country.")
@click.option("--plan", "plan_id", default="", help="List this action plan's commitments.")
@with_appcontext
def replay_command(as_of: str, country: str, plan_id: str) -> None:
    """Print what the public pages showed at a past moment, rebuilt from the event log by
    the same projections as today's pages: counts per country, or the commitments of one
    country or action plan."""
    try:
        moment = parse_moment(as_of)
    except ValueError:
        raise click.BadParameter("a date such as 2025-06-30, or a date and time such as "
                                 "2025-06-30T14:00:00Z", param_hint="--as-of") from None
    if moment > datetime.now(UTC):
        raise click.BadParameter("that moment has not come yet", param_hint="--as-of")
    history = services().history
    position = history.position_at(moment)
    reads = ReadModels(history.database(position))
    token = set_day(moment.date())
    try:
        click.echo(f"As of {moment.isoformat().replace('+00:00', 'Z')}: the first "
                   f"{position:,} events of the log.")
        if country or plan_id:
            try:
                filters = Filters(country=country_code(country) if country else None,
                                  plan=plan_id or None)
            except InvalidValue:
                raise click.BadParameter(f"{country} is not an ISO 3166-1 alpha-3 code",
                                         param_hint="--country") from None
            _commitment_table(reads.listing.all(filters))
        else:
            _country_table(reads.queries.country_counts())
    finally:
        reset_day(token)


def _table(header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows,
                                                                        strict=False)]
    for line in [header, ["-" * width for width in widths], *rows]:
        click.echo("  ".join(str(cell).ljust(width) for cell, width in zip(line, widths,
                                                                            strict=True)
                             ).rstrip())


def _country_table(counts: list[CountryCounts]) -> None:
    header = ["country", "agreed", "contested", "awaiting_government",
              "awaiting_civil_society", "not_reported", "overdue", "total"]
    _table(header, [[row.country, *(str(getattr(row, name)) for name in header[1:])]
                    for row in sorted(counts, key=lambda row: row.country)])


def _commitment_table(rows: list[CommitmentRow]) -> None:
    def status(label: StatusLabel | None) -> str:
        return label.code if label else "-"

    _table(["country", "reference", "agreement", "government", "civil_society", "reviewer",
            "overdue", "title"],
           [[row.country, row.reference, row.agreement.value, status(row.government_status),
             ",".join(label.code for label in row.civil_society_statuses) or "-",
             status(row.reviewer_status), "yes" if row.overdue else "no",
             row.title[:60]] for row in rows])
