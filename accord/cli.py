"""The ``accord`` command: Flask's commands plus Accord's own."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from uuid import UUID

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from accord.audit_cli import audit
from accord.domain.errors import DomainError
from accord.platform.demo import load_demo
from accord.platform.imports.common import Progress
from accord.platform.imports.ogp import import_ogp
from accord.platform.imports.plan import import_plan
from accord.platform.imports.plan_export import export_plan
from accord.platform.imports.report import ImportReport
from accord.platform.policy import POLICY, SYSTEM, Action, Who
from accord.web import create_app
from accord.web.context import services
from accord.web.manage.invitations import invitation_link, send_invitation


def _create_app() -> Flask:
    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
def cli() -> None:
    """Accord: governments and civil society monitor anti-corruption commitments together."""


@cli.command("demo")
@with_appcontext
def demo() -> None:
    """Load the demo data (once; running it again changes nothing) and list the demo accounts."""
    result = load_demo(services().app, services().people)
    services().caught_up(result.position)
    if result.loaded_events:
        click.echo("Demo data loaded: 3 countries, 30 commitments, 11 organisations.")
    else:
        click.echo("Demo data already loaded; nothing recorded.")
    click.echo(f"Demo accounts (password for all: {result.accounts[0].password}):")
    for account in result.accounts:
        click.echo(f"  {account.email:<42} {account.country or '-':<3}  {account.organisation}")


@cli.group("projections")
def projections() -> None:
    """Read models built from the event log."""


@projections.command("rebuild")
@with_appcontext
def rebuild() -> None:
    """Drop the read models and replay the whole event log into them."""
    for projector in services().projectors:
        started = time.perf_counter()
        position = projector.rebuild()
        seconds = time.perf_counter() - started
        click.echo(f"Rebuilt the {projector.projection.name} read model up to event "
                   f"{position} in {seconds:.2f} s ({position / seconds:,.0f} events/s).")


@cli.command("policy")
def policy() -> None:
    """Print who may do what: the policy table, as a matrix of visitors and actions."""
    columns = list(Who)
    click.echo("| action | " + " | ".join(who.value for who in columns) + " |")
    click.echo("|---" * (len(columns) + 1) + "|")
    for action in Action:
        cells = []
        for who in columns:
            conditions = [g.condition.value for g in POLICY if g.who is who and g.action is action]
            cells.append(", ".join(conditions) or "-")
        click.echo(f"| {action.value} | " + " | ".join(cells) + " |")


@cli.group("accounts")
def accounts() -> None:
    """Accounts and the personal data behind them."""


@accounts.command("create-steward")
@click.argument("email")
@click.option("--name", default="Steward", show_default=True, help="The person's name.")
@with_appcontext
def create_steward(email: str, name: str) -> None:
    """Invite EMAIL as an administrator of the stewards' organisation.

    The invitation link is e-mailed (or, without SMTP, written to the outbox and the log) and
    printed here.
    """
    try:
        invitation = services().accounts.create_steward(email, name)
    except DomainError as error:
        raise click.ClickException(str(error)) from None
    services().caught_up(invitation.position)
    # Links and the e-mail are made as if for a request to Accord's public address.
    with current_app.test_request_context(base_url=services().settings.base_url):
        send_invitation(invitation, name, "Accord stewards")
        link = invitation_link(invitation.token)
    click.echo(f"Invited {invitation.email} as a steward. Invitation link (valid 7 days):")
    click.echo(f"  {link}")


@accounts.command("erase")
@click.argument("account_id")
@with_appcontext
def erase(account_id: str) -> None:
    """Erase the personal data of ACCOUNT_ID for good; its history stays, without a name."""
    try:
        erased = services().accounts.erase(UUID(account_id))
    except ValueError:
        raise click.ClickException(f"not an account id: {account_id}") from None
    except DomainError as error:
        raise click.ClickException(str(error)) from None
    services().caught_up()
    if erased:
        click.echo(f"Erased the personal data of account {account_id}; it is deactivated.")
    else:
        click.echo(f"Account {account_id} had no personal data left; it is deactivated.")


@cli.group("import")
def import_group() -> None:
    """Import commitments from a CSV file: all of its rows, or nothing."""


_FILE = click.Path(exists=True, dir_okay=False, readable=True, path_type=Path)
_SKIP = click.option("--skip-invalid", is_flag=True,
                     help="Record the valid rows and report the rejected ones (by default, one "
                          "rejected row stops the import and nothing is recorded).")


@import_group.command("ogp")
@click.argument("file", type=_FILE)
@_SKIP
@with_appcontext
def import_ogp_command(file: Path, skip_invalid: bool) -> None:
    """Import FILE, the OGP commitments dataset in its official layout."""
    _import(lambda progress: import_ogp(
        services().app, SYSTEM, file.read_bytes(), skip_invalid=skip_invalid,
        source_name=file.name, progress=progress))


@import_group.command("plan")
@click.argument("file", type=_FILE)
@_SKIP
@with_appcontext
def import_plan_command(file: Path, skip_invalid: bool) -> None:
    """Import FILE, commitments and milestones in Accord's action-plan template."""
    _import(lambda progress: import_plan(services().app, SYSTEM, file.read_bytes(),
                                         skip_invalid=skip_invalid, progress=progress))


def _import(run: Callable[[Progress], ImportReport]) -> None:
    """Run an import, print its report and catch the read models up; exit 1 if refused."""
    def progress(done: int, total: int) -> None:
        click.echo(f"{done:,} of {total:,} rows read", err=True)

    try:
        report = run(progress)
    except DomainError as error:
        raise click.ClickException(str(error)) from None
    for message in report.rejected:
        click.echo(f"rejected: {message}")
    for message in report.notes:
        click.echo(f"note: {message}")
    if report.applied:
        click.echo("Updating the read models...", err=True)
        services().caught_up(report.position)
    click.echo(report.summary())
    if not report.applied:
        raise click.ClickException("nothing was recorded: correct the rejected rows, or run "
                                   "again with --skip-invalid to record the others")


@cli.group("export")
def export_group() -> None:
    """Export commitments to a CSV file."""


@export_group.command("plan")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--country", help="A country's ISO 3166-1 alpha-3 code: all its commitments.")
@click.option("--plan", "plan_id", help="An action plan's id, such as AP_GHA05.")
@with_appcontext
def export_plan_command(file: Path, country: str | None, plan_id: str | None) -> None:
    """Write FILE in the action-plan template: commitments and their milestones."""
    if (country is None) == (plan_id is None):
        raise click.UsageError("give either --country ISO or --plan PLAN_ID")
    try:
        exported = export_plan(services().app, SYSTEM, country=country, plan_id=plan_id)
    except DomainError as error:
        raise click.ClickException(str(error)) from None
    file.write_text(exported.text, encoding="utf-8", newline="")
    click.echo(f"exported {exported.commitments} commitments and {exported.milestones} "
               f"milestones to {file}")


cli.add_command(audit)


def main() -> None:
    """Entry point of the ``accord`` console script."""
    cli()
