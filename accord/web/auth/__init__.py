"""Signing in and out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from accord.web.access import Rule, allow
from accord.web.context import services
from accord.web.forms import SignInForm
from accord.web.session import load_user

blueprint = Blueprint("auth", __name__)


@blueprint.route("/login", methods=["GET", "POST"])
@allow(Rule.PUBLIC)
def login() -> ResponseReturnValue:
    """Sign in with e-mail address and password."""
    form = SignInForm()
    next_url = safe_next(request.args.get("next", ""))
    if form.validate_on_submit():
        account_id = services().people.authenticate(form.email.data, form.password.data)
        user = load_user(account_id) if account_id else None
        if user is not None:
            session.clear()  # a new session on every sign-in
            login_user(user)
            flash(_("You are signed in."))
            return redirect(next_url or url_for("public.home"), 303)
        form.password.errors = [_("The e-mail address or the password is not right.")]
    status = 422 if form.errors else 200
    return render_template("auth/login.html", form=form, next=next_url), status


@blueprint.post("/logout")
@allow(Rule.PUBLIC)
def logout() -> ResponseReturnValue:
    """Sign out and end the session."""
    logout_user()
    session.clear()
    flash(_("You are signed out."))
    return redirect(url_for("public.home"), 303)


def safe_next(target: str) -> str:
    """``target`` if it is a path on this site, else an empty string (no open redirects)."""
    parts = urlsplit(target)
    if (not target.startswith("/") or target.startswith("//") or "\\" in target
            or parts.scheme or parts.netloc):
        return ""
    return target
