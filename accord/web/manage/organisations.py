"""Organisations: the list, registering, and each organisation's page and changes."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from flask import redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from accord.domain.account import Role
from accord.domain.errors import DomainError
from accord.domain.organisation import OrganisationKind
from accord.platform.base import Recorded
from accord.platform.policy import Action, Actor
from accord.projections.directory_queries import OrganisationRow
from accord.web.access import allow, current_actor
from accord.web.context import services
from accord.web.manage import (
    blueprint,
    done,
    form_page,
    not_found,
    organisation_resource,
    refused,
    sees_every_organisation,
    uuid_or_404,
)
from accord.web.manage.forms import (
    CountriesForm,
    InviteForm,
    OrganisationForm,
    ReasonForm,
    RenameForm,
    countries,
)
from accord.web.manage.invitations import send_invitation
from accord.web.security_log import log_security_event


@blueprint.get("/organisations")
@allow(Action.READ_DIRECTORY)
def organisations() -> ResponseReturnValue:
    """Every organisation (an administrator goes straight to their own)."""
    if not sees_every_organisation():
        return redirect(url_for(".organisation",
                                organisation_id=current_user.actor.organisation_id))
    return render_template("manage/organisations.html",
                           organisations=services().directory.organisations())


@blueprint.route("/organisations/new", methods=["GET", "POST"])
@allow(Action.MANAGE_ORGANISATIONS)
def register_organisation() -> ResponseReturnValue:
    """Register an organisation."""
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            recorded = services().app.register_organisation(
                current_user.actor, name=form.name.data, kind=OrganisationKind(form.kind.data),
                countries=countries(form.countries.data))
        except DomainError as error:
            form.add_error(error)
        else:
            return done(recorded.position, _("The organisation is registered."),
                        ".organisation", organisation_id=recorded.id)
    return form_page(form, title=_("Register an organisation"),
                     action=url_for(".register_organisation"),
                     button=_("Register the organisation"), back=url_for(".organisations"),
                     intro=_("A government reports on exactly one country; a civil-society "
                             "organisation on one or more. Give countries as ISO 3166 alpha-3 "
                             "codes, separated by spaces, such as GHA COL."))


@blueprint.get("/organisations/<organisation_id>")
@allow(Action.READ_DIRECTORY, organisation_resource)
def organisation(organisation_id: str) -> ResponseReturnValue:
    """An organisation, its accounts and what can be done to it."""
    found = _organisation(organisation_id)
    if found is None:
        return not_found()
    accounts = services().directory.accounts(organisation_id)
    people = services().people.get_many([account.account_id for account in accounts])
    return render_template("manage/organisation.html", organisation=found, accounts=accounts,
                           people=people, pending=services().invitations.pending())


@blueprint.route("/organisations/<organisation_id>/rename", methods=["GET", "POST"])
@allow(Action.MANAGE_ORGANISATIONS)
def rename(organisation_id: str) -> ResponseReturnValue:
    """Give an organisation a new name."""
    found = _organisation(organisation_id)
    if found is None:
        return not_found()
    form = RenameForm(name=found.name)
    return _change(found, form, title=_("Rename %(name)s", name=found.name),
                   endpoint=".rename", button=_("Rename"), message=_("The name is changed."),
                   change=lambda actor, oid: services().app.rename_organisation(
                       actor, oid, form.name.data))


@blueprint.route("/organisations/<organisation_id>/countries", methods=["GET", "POST"])
@allow(Action.MANAGE_ORGANISATIONS)
def change_countries(organisation_id: str) -> ResponseReturnValue:
    """Change the countries an organisation reports on."""
    found = _organisation(organisation_id)
    if found is None:
        return not_found()
    form = CountriesForm(countries=" ".join(found.countries))
    return _change(found, form, title=_("Countries %(name)s reports on", name=found.name),
                   endpoint=".change_countries", button=_("Change the countries"),
                   message=_("The countries are changed."),
                   change=lambda actor, oid: services().app.change_organisation_scope(
                       actor, oid, countries(form.countries.data)))


@blueprint.post("/organisations/<organisation_id>/verify")
@allow(Action.MANAGE_ORGANISATIONS)
def verify(organisation_id: str) -> ResponseReturnValue:
    """Record that a steward vouches for the organisation."""
    oid = uuid_or_404(organisation_id)
    if oid is None or _organisation(organisation_id) is None:
        return not_found()
    try:
        recorded = services().app.verify_organisation(current_user.actor, oid)
    except DomainError as error:
        return refused(error)
    return done(recorded.position, _("The organisation is verified."), ".organisation",
                organisation_id=organisation_id)


@blueprint.route("/organisations/<organisation_id>/suspend", methods=["GET", "POST"])
@allow(Action.MANAGE_ORGANISATIONS)
def suspend(organisation_id: str) -> ResponseReturnValue:
    """Stop every member of the organisation from acting."""
    found = _organisation(organisation_id)
    if found is None:
        return not_found()
    form = ReasonForm()

    def change(actor: Actor, oid: UUID) -> Recorded:
        recorded = services().app.suspend_organisation(actor, oid, form.reason.data)
        # Its members' sessions end now, so that a reinstatement does not revive them.
        for account in services().directory.accounts(str(oid)):
            services().sessions.end_all(account.account_id)
        log_security_event("organisation_suspended", account_id=actor.account_id,
                           organisation_id=str(oid))
        return recorded

    return _change(found, form, title=_("Suspend %(name)s", name=found.name),
                   endpoint=".suspend", button=_("Suspend the organisation"),
                   message=_("The organisation is suspended."), change=change,
                   intro=_("Its members will not be able to sign in or act. Its claims stay "
                           "visible."))


@blueprint.route("/organisations/<organisation_id>/reinstate", methods=["GET", "POST"])
@allow(Action.MANAGE_ORGANISATIONS)
def reinstate(organisation_id: str) -> ResponseReturnValue:
    """Lift an organisation's suspension."""
    found = _organisation(organisation_id)
    if found is None:
        return not_found()
    form = ReasonForm()

    def change(actor: Actor, oid: UUID) -> Recorded:
        recorded = services().app.reinstate_organisation(actor, oid, form.reason.data)
        log_security_event("organisation_reinstated", account_id=actor.account_id,
                           organisation_id=str(oid))
        return recorded

    return _change(found, form, title=_("Reinstate %(name)s", name=found.name),
                   endpoint=".reinstate", button=_("Reinstate the organisation"),
                   message=_("The organisation is reinstated."), change=change)


@blueprint.route("/organisations/<organisation_id>/invite", methods=["GET", "POST"])
@allow(Action.INVITE, organisation_resource)
def invite(organisation_id: str) -> ResponseReturnValue:
    """Invite a person into the organisation; the link goes to them by e-mail."""
    found = _organisation(organisation_id)
    if found is None:
        return not_found()
    form = InviteForm()
    if form.validate_on_submit():
        try:
            invitation = services().accounts.invite(
                current_user.actor, organisation_id=UUID(organisation_id),
                role=Role(form.role.data), email=form.email.data,
                display_name=form.display_name.data)
        except DomainError as error:
            form.add_error(error)
        else:
            send_invitation(invitation, form.display_name.data, found.name)
            return done(invitation.position, _("The invitation is on its way to %(email)s.",
                                               email=invitation.email),
                        ".organisation", organisation_id=organisation_id)
    return form_page(form, title=_("Invite someone into %(name)s", name=found.name),
                     action=url_for(".invite", organisation_id=organisation_id),
                     button=_("Send the invitation"),
                     back=url_for(".organisation", organisation_id=organisation_id),
                     intro=_("They receive a link, valid for 7 days, with which they choose a "
                             "password."))


def _organisation(organisation_id: str) -> OrganisationRow | None:
    if uuid_or_404(organisation_id) is None:
        return None
    services().caught_up()
    return services().directory.organisation(organisation_id)


def _change(found: OrganisationRow, form: RenameForm | CountriesForm | ReasonForm, *,
            title: str, endpoint: str, button: str, message: str,
            change: Callable[[Actor, UUID], Recorded], intro: str = "") -> ResponseReturnValue:
    oid = found.organisation_id
    if form.validate_on_submit():
        actor = current_actor()
        assert actor is not None
        try:
            recorded = change(actor, UUID(oid))
        except DomainError as error:
            form.add_error(error)
        else:
            return done(recorded.position, message, ".organisation", organisation_id=oid)
    return form_page(form, title=title, action=url_for(endpoint, organisation_id=oid),
                     button=button, back=url_for(".organisation", organisation_id=oid),
                     intro=intro)
