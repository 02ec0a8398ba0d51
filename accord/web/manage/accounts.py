"""Accounts: the list, each account's page, role changes, deactivation and reactivation."""

from __future__ import annotations

from uuid import UUID

from flask import render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from accord.domain.account import Role
from accord.domain.errors import DomainError
from accord.platform.policy import Action
from accord.projections.directory_queries import AccountRow
from accord.web.access import allow
from accord.web.context import services
from accord.web.manage import (
    account_resource,
    blueprint,
    done,
    form_page,
    not_found,
    refused,
    sees_every_organisation,
    uuid_or_404,
)
from accord.web.manage.forms import ReasonForm, RoleForm
from accord.web.security_log import log_security_event


@blueprint.get("/accounts")
@allow(Action.READ_DIRECTORY)
def accounts() -> ResponseReturnValue:
    """Every account (an administrator sees those of their organisation)."""
    services().caught_up()
    organisation_id = None if sees_every_organisation() else current_user.actor.organisation_id
    rows = services().directory.accounts(organisation_id)
    people = services().people.get_many([row.account_id for row in rows])
    names = {o.organisation_id: o.name for o in services().directory.organisations()}
    return render_template("manage/accounts.html", accounts=rows, people=people,
                           organisations=names)


@blueprint.get("/accounts/<account_id>")
@allow(Action.READ_DIRECTORY, account_resource)
def account(account_id: str) -> ResponseReturnValue:
    """One account: its person, organisation, role and state."""
    found = _account(account_id)
    if found is None:
        return not_found()
    return render_template(
        "manage/account.html", account=found, person=services().people.get(account_id),
        organisation=services().directory.organisation(found.organisation_id))


@blueprint.route("/accounts/<account_id>/role", methods=["GET", "POST"])
@allow(Action.MANAGE_ACCOUNTS)
def change_role(account_id: str) -> ResponseReturnValue:
    """Give the account another role in its organisation."""
    found = _account(account_id)
    if found is None:
        return not_found()
    form = RoleForm(role=found.role)
    if form.validate_on_submit():
        try:
            recorded = services().app.change_role(current_user.actor, UUID(account_id),
                                                  Role(form.role.data))
        except DomainError as error:
            form.add_error(error)
        else:
            log_security_event("role_changed", account_id=current_user.actor.account_id,
                               target_account_id=account_id, role=form.role.data)
            return done(recorded.position, _("The role is changed."), ".account",
                        account_id=account_id)
    return form_page(form, title=_("Change the role"), button=_("Change the role"),
                     action=url_for(".change_role", account_id=account_id),
                     back=url_for(".account", account_id=account_id))


@blueprint.route("/accounts/<account_id>/deactivate", methods=["GET", "POST"])
@allow(Action.MANAGE_ACCOUNTS)
def deactivate(account_id: str) -> ResponseReturnValue:
    """Stop the account from signing in or acting; its sessions end at once."""
    found = _account(account_id)
    if found is None:
        return not_found()
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            position = services().accounts.deactivate(current_user.actor, UUID(account_id),
                                                      form.reason.data)
        except DomainError as error:
            form.add_error(error)
        else:
            log_security_event("account_deactivated", account_id=current_user.actor.account_id,
                               target_account_id=account_id)
            return done(position, _("The account is deactivated."), ".account",
                        account_id=account_id)
    return form_page(form, title=_("Deactivate the account"), button=_("Deactivate"),
                     action=url_for(".deactivate", account_id=account_id),
                     back=url_for(".account", account_id=account_id),
                     intro=_("The person is signed out everywhere and cannot sign in. Their "
                             "claims stay visible."))


@blueprint.post("/accounts/<account_id>/reactivate")
@allow(Action.MANAGE_ACCOUNTS)
def reactivate(account_id: str) -> ResponseReturnValue:
    """Let a deactivated account act again."""
    if _account(account_id) is None:
        return not_found()
    try:
        recorded = services().app.reactivate_account(current_user.actor, UUID(account_id))
    except DomainError as error:
        return refused(error)
    log_security_event("account_reactivated", account_id=current_user.actor.account_id,
                       target_account_id=account_id)
    return done(recorded.position, _("The account is active again."), ".account",
                account_id=account_id)


def _account(account_id: str) -> AccountRow | None:
    if uuid_or_404(account_id) is None:
        return None
    services().caught_up()
    return services().directory.account(account_id)
