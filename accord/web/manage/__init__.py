"""The stewards' pages: organisations, accounts and invitations (and, for an organisation's own
administrators, their organisation's page and invitations)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from accord.domain.errors import DomainError
from accord.platform.errors import NotFound, NotPermitted
from accord.platform.policy import Action, Resource, permits
from accord.web.access import current_actor
from accord.web.context import services
from accord.web.errors import render_error
from accord.web.forms import AccordForm
from accord.web.i18n import error_message

blueprint = Blueprint("manage", __name__, url_prefix="/manage")

INVALID = 422


def organisation_resource(args: dict[str, Any]) -> Resource:
    """The organisation a route names."""
    return Resource(organisation_id=str(args.get("organisation_id", "")))


def account_resource(args: dict[str, Any]) -> Resource | None:
    """The organisation of the account a route names (None if there is no such account)."""
    services().caught_up()  # an account invited a moment ago, perhaps by another worker
    account = services().directory.account(str(args.get("account_id", "")))
    return Resource(organisation_id=account.organisation_id) if account else None


def sees_every_organisation() -> bool:
    """Stewards and auditors see the whole directory; administrators only their organisation."""
    return permits(current_actor(), Action.READ_DIRECTORY, Resource(organisation_id=""))


def uuid_or_404(value: str) -> UUID | None:
    """The id, or None when it is malformed."""
    try:
        return UUID(value)
    except ValueError:
        return None


def done(position: int, message: str, endpoint: str, **values: Any) -> ResponseReturnValue:
    """After a change: show it (read models caught up), say so, and go to ``endpoint``."""
    services().caught_up(position)
    flash(message)
    return redirect(url_for(endpoint, **values), 303)


def form_page(form: AccordForm, *, title: str, action: str, button: str, back: str,
              intro: str = "", **context: Any) -> ResponseReturnValue:
    """A page with one form; 422 when the form has errors."""
    return render_template("manage/form.html", form=form, title=title, action=action,
                           button=button, back=back, intro=intro, **context), (
        INVALID if form.errors else 200)


def refused(error: DomainError) -> ResponseReturnValue:
    """A refusal from the platform as an error page."""
    if isinstance(error, NotPermitted):
        return render_error(403, error_message(error))
    if isinstance(error, NotFound):
        return render_error(404, error_message(error))
    return render_error(400, error_message(error))


def not_found() -> ResponseReturnValue:
    """The page for an unknown organisation or account."""
    return render_error(404, _("There is no such organisation or account."))


from accord.web.manage import (  # noqa: E402,F401  (routes)
    accounts,
    imports,
    invitations,
    organisations,
)
