"""Signing in and out, and accepting an invitation."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_time
from flask_babel import gettext as _
from flask_login import current_user

from accord.domain.errors import DomainError
from accord.platform.errors import NotFound
from accord.platform.policy import Action
from accord.platform.records import now
from accord.web.access import allow
from accord.web.context import services
from accord.web.errors import render_error
from accord.web.forms import AcceptInvitationForm, SignInForm
from accord.web.i18n import error_message
from accord.web.security_log import log_security_event
from accord.web.session import sign_in, sign_out

blueprint = Blueprint("auth", __name__)

INVALID = 422
TOO_MANY = 429


@blueprint.route("/login", methods=["GET", "POST"])
@allow(Action.READ_PUBLIC)
def login() -> ResponseReturnValue:
    """Sign in with e-mail address and password."""
    form = SignInForm()
    next_url = safe_next(request.args.get("next", ""))
    address = request.remote_addr or "unknown"
    if request.method == "POST":
        blocked = services().throttle.blocked_until(form.email.data or "", address)
        if blocked is not None:
            return _too_many_attempts(form, next_url, blocked)
    if form.validate_on_submit():
        account_id = services().people.authenticate(form.email.data, form.password.data)
        if account_id is None:
            services().throttle.record_failure(form.email.data, address)
            # The log names the account under attack; the page says the same either way.
            log_security_event("sign_in_failed", reason="wrong_email_or_password",
                               account_id=services().people.account_id_for(form.email.data))
            form.password.errors = [_("The e-mail address or the password is not right.")]
        elif sign_in(account_id, remember=form.remember.data) is None:
            log_security_event("sign_in_failed", account_id=account_id, reason="inactive")
            form.password.errors = [_("This account cannot sign in at the moment. Ask your "
                                      "organisation's administrator or Accord's stewards.")]
        else:
            services().throttle.clear_account(form.email.data)
            log_security_event("sign_in_succeeded", account_id=account_id)
            flash(_("You are signed in."))
            return redirect(next_url or url_for("public.home"), 303)
    status = INVALID if form.errors else 200
    return render_template("auth/login.html", form=form, next=next_url), status


@blueprint.post("/logout")
@allow(Action.READ_PUBLIC)
def logout() -> ResponseReturnValue:
    """Sign out: the session ends on the server too."""
    if current_user.is_authenticated:
        log_security_event("signed_out", account_id=current_user.actor.account_id)
        sign_out(current_user._get_current_object())
    flash(_("You are signed out."))
    return redirect(url_for("public.home"), 303)


@blueprint.route("/invitations/<token>", methods=["GET", "POST"])
@allow(Action.READ_PUBLIC)
def accept_invitation(token: str) -> ResponseReturnValue:
    """The invited person chooses a password; the account becomes active."""
    invitation = services().invitations.find(token)
    person = services().people.get(invitation.account_id) if invitation else None
    if invitation is None or person is None:
        return render_error(404, _("This invitation link is not valid: it was used already, "
                                   "it has expired or it was withdrawn. Ask for a new one."))
    form = AcceptInvitationForm(display_name=person.display_name)
    if form.validate_on_submit():
        try:
            account_id, position = services().accounts.accept(
                token, display_name=form.display_name.data, password=form.password.data)
        except NotFound as gone:
            return render_error(404, error_message(gone))
        except DomainError as error:
            form.add_error(error)
        else:
            services().caught_up(position)
            log_security_event("invitation_accepted", account_id=account_id)
            if sign_in(account_id, remember=False) is None:
                flash(_("Your account is ready, but your organisation cannot act at the moment; "
                        "you will be able to sign in when it can."))
            else:
                flash(_("Welcome to Accord: your account is ready and you are signed in."))
            return redirect(url_for("public.home"), 303)
    status = INVALID if form.errors else 200
    return render_template("auth/invitation.html", form=form, person=person,
                           expires_at=invitation.expires_at), status


def _too_many_attempts(form: SignInForm, next_url: str, until: datetime) -> ResponseReturnValue:
    log_security_event("sign_in_rate_limited", until=until.isoformat())
    form.email.errors = [_("Too many failed attempts to sign in. Try again after %(time)s "
                           "(UTC).", time=format_time(until, "HH:mm"))]
    response = render_template("auth/login.html", form=form, next=next_url)
    seconds = max(1, int((until - now()).total_seconds()) + 1)
    return response, TOO_MANY, {"Retry-After": str(seconds)}


def safe_next(target: str) -> str:
    """``target`` if it is a path on this site, else an empty string (no open redirects)."""
    parts = urlsplit(target)
    if (not target.startswith("/") or target.startswith("//") or "\\" in target
            or parts.scheme or parts.netloc or any(ord(c) < 32 for c in target)):
        return ""
    return target
