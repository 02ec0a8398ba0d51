"""The ``accord`` command: Flask's commands plus Accord's own."""

from __future__ import annotations

import time

import click
from flask import Flask
from flask.cli import FlaskGroup, with_appcontext

from accord.platform.demo import load_demo
from accord.web import create_app
from accord.web.context import services


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
        click.echo("Demo data loaded: 3 countries, 30 commitments, 9 organisations.")
    else:
        click.echo("Demo data already loaded; nothing recorded.")
    click.echo(f"Demo accounts (password for all: {result.accounts[0].password}):")
    for account in result.accounts:
        click.echo(f"  {account.email:<42} {account.country}  {account.organisation}")


@cli.group("projections")
def projections() -> None:
    """Read models built from the event log."""


@projections.command("rebuild")
@with_appcontext
def rebuild() -> None:
    """Drop the read models and replay the whole event log into them."""
    started = time.perf_counter()
    position = services().progress.rebuild()
    seconds = time.perf_counter() - started
    click.echo(f"Rebuilt the progress read model up to event {position} in {seconds:.2f} s.")


def main() -> None:
    """Entry point of the ``accord`` console script."""
    cli()
