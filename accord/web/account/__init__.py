"""The signed-in person's own account: details, password, sessions."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from accord.domain.errors import DomainError
from accord.platform.policy import Action
from accord.web.access import allow
from accord.web.context import services
from accord.web.forms import ChangePasswordForm
from accord.web.security_log import log_security_event
from accord.web.session import sign_in, sign_out

blueprint = Blueprint("account", __name__, url_prefix="/account")


@blueprint.get("")
@allow(Action.MANAGE_OWN_ACCOUNT)
def settings() -> ResponseReturnValue:
    """Who you are in Accord, and what you can change."""
    return render_template("account/settings.html")


@blueprint.route("/password", methods=["GET", "POST"])
@allow(Action.MANAGE_OWN_ACCOUNT)
def change_password() -> ResponseReturnValue:
    """Change the password: every other session ends, this one goes on under a new token."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        actor = current_user.actor
        try:
            services().accounts.change_password(
                actor, current=form.current_password.data, new=form.new_password.data)
        except DomainError as error:
            form.add_error(error)
        else:
            log_security_event("password_changed", account_id=actor.account_id)
            sign_in(actor.account_id, remember=False)
            flash(_("Your password has been changed. You have been signed out everywhere "
                    "else."))
            return redirect(url_for("account.settings"), 303)
    return render_template("account/password.html", form=form), 422 if form.errors else 200


@blueprint.post("/sign-out-everywhere")
@allow(Action.MANAGE_OWN_ACCOUNT)
def sign_out_everywhere() -> ResponseReturnValue:
    """End every session of the account, this one included."""
    actor = current_user.actor
    ended = services().sessions.end_all(actor.account_id)
    sign_out(current_user._get_current_object())
    log_security_event("signed_out_everywhere", account_id=actor.account_id, sessions=ended)
    flash(_("You have been signed out on every device."))
    return redirect(url_for("public.home"), 303)
