"""The full history of a commitment, an organisation or an account, event by event: who
acted, when, what changed field by field, and why; as a page and as JSON.

Commitments and organisations are public facts; an account's history is for those who may
read the directory (auditors, stewards, and an organisation's administrators for its own).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint, jsonify, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from accord.platform.errors import NotFound
from accord.platform.history import History, aggregate_history
from accord.platform.policy import Action
from accord.web.access import allow
from accord.web.context import services
from accord.web.errors import json_error, render_error
from accord.web.history.view import Directory, as_json, current, may_read_people, shown_entries
from accord.web.manage import account_resource

blueprint = Blueprint("history", __name__, url_prefix="/history")


@blueprint.get("/commitments/<commitment_id>")
@allow(Action.READ_PUBLIC)
def commitment(commitment_id: str) -> ResponseReturnValue:
    """Every event of a commitment: its details, milestones, claims and answers."""
    return _page("commitment", commitment_id)


@blueprint.get("/commitments/<commitment_id>.json")
@allow(Action.READ_PUBLIC)
def commitment_json(commitment_id: str) -> ResponseReturnValue:
    """The same, as JSON."""
    return _json("commitment", commitment_id)


@blueprint.get("/organisations/<organisation_id>")
@allow(Action.READ_PUBLIC)
def organisation(organisation_id: str) -> ResponseReturnValue:
    """Every event of an organisation: its name, countries, verification and suspensions."""
    return _page("organisation", organisation_id)


@blueprint.get("/organisations/<organisation_id>.json")
@allow(Action.READ_PUBLIC)
def organisation_json(organisation_id: str) -> ResponseReturnValue:
    """The same, as JSON."""
    return _json("organisation", organisation_id)


@blueprint.get("/accounts/<account_id>")
@allow(Action.READ_DIRECTORY, account_resource)
def account(account_id: str) -> ResponseReturnValue:
    """Every event of an account: its invitation, role and state."""
    return _page("account", account_id)


@blueprint.get("/accounts/<account_id>.json")
@allow(Action.READ_DIRECTORY, account_resource)
def account_json(account_id: str) -> ResponseReturnValue:
    """The same, as JSON."""
    return _json("account", account_id)


def _history(kind: str, aggregate_id: str) -> History | None:
    """The history, or None for a malformed id, an unknown one or one of another kind."""
    try:
        return aggregate_history(services().app, UUID(aggregate_id), kind)
    except (ValueError, NotFound):
        return None


def _missing(kind: str) -> str:
    return str({"commitment": _("There is no commitment with this id."),
                "organisation": _("There is no organisation with this id."),
                "account": _("There is no account with this id.")}[kind])


def _page(kind: str, aggregate_id: str) -> ResponseReturnValue:
    history = _history(kind, aggregate_id)
    if history is None:
        return render_error(404, _missing(kind))
    directory = Directory()
    entries = shown_entries(history, directory)
    address: dict[str, Any] = {f"{kind}_id": aggregate_id}
    return render_template("history/history.html", history=history, entries=entries,
                           heading=_heading(history, directory), back=_back(history),
                           json_url=url_for(f".{kind}_json", **address))


def _json(kind: str, aggregate_id: str) -> ResponseReturnValue:
    history = _history(kind, aggregate_id)
    if history is None:
        return json_error(404, _missing(kind))
    return jsonify(as_json(history, shown_entries(history, Directory())))


def _heading(history: History, directory: Directory) -> str:
    if history.kind == "commitment":
        return str(_("History of commitment %(reference)s: %(title)s",
                     reference=current(history, "reference"), title=current(history, "title")))
    if history.kind == "organisation":
        return str(_("History of %(name)s", name=current(history, "name")))
    who = directory.who(str(history.aggregate_id))
    return str(_("History of the account of %(name)s", name=who.name or who.account_id))


def _back(history: History) -> tuple[str, str] | None:
    """Where the thing itself is shown, if the visitor may go there."""
    aggregate_id = str(history.aggregate_id)
    if history.kind == "commitment":
        return url_for("public.commitment", commitment_id=aggregate_id), _("The commitment")
    if history.kind == "organisation" and may_read_people(aggregate_id):
        return (url_for("manage.organisation", organisation_id=aggregate_id),
                _("The organisation in the directory"))
    if history.kind == "account":
        return url_for("manage.account", account_id=aggregate_id), _("The account")
    return None
