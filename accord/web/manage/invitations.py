"""Invitations: sending the link, and the list of those still open."""

from __future__ import annotations

import logging

from flask import flash, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from accord.platform.accounts import Invitation
from accord.platform.invitations import INVITATION_LIFETIME
from accord.platform.policy import Action
from accord.web.access import allow
from accord.web.context import services
from accord.web.manage import blueprint, sees_every_organisation
from accord.web.security_log import log_security_event

log = logging.getLogger(__name__)


def invitation_link(token: str) -> str:
    """The address of the invitation, as the invited person must open it."""
    return services().settings.base_url + url_for("auth.accept_invitation", token=token)


def send_invitation(invitation: Invitation, display_name: str, organisation: str) -> None:
    """E-mail the link; if that fails, show it to the inviter, who can pass it on."""
    link = invitation_link(invitation.token)
    body = render_template("mail/invitation.txt", name=display_name, organisation=organisation,
                           link=link, days=INVITATION_LIFETIME.days)
    try:
        services().mailer.send(invitation.email, _("Your invitation to Accord"), body)
    except OSError as error:
        log.error("could not send the invitation e-mail: %s", error)
        flash(_("The e-mail could not be sent. Give this link to the person yourself: %(link)s",
                link=link))
    actor = current_user.actor if current_user.is_authenticated else None
    log_security_event("invitation_sent", account_id=actor.account_id if actor else None,
                       invited_account_id=invitation.account_id)


@blueprint.get("/invitations")
@allow(Action.READ_DIRECTORY)
def invitations() -> ResponseReturnValue:
    """Invitations that can still be accepted."""
    services().caught_up()
    pending = services().invitations.pending()
    accounts = [services().directory.account(account_id) for account_id in pending]
    visible = [account for account in accounts if account is not None and (
        sees_every_organisation()
        or account.organisation_id == current_user.actor.organisation_id)]
    people = services().people.get_many([account.account_id for account in visible])
    names = {o.organisation_id: o.name for o in services().directory.organisations()}
    return render_template("manage/invitations.html", accounts=visible, people=people,
                           organisations=names, pending=pending)
