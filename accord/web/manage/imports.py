"""Imports from the browser: a steward uploads a CSV file and reads the same report as the CLI.

The page answers the POST itself rather than redirecting: the report can be long, and sending
the form again records nothing new, since every import is idempotent.
"""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import get_translations
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from accord.domain.errors import DomainError
from accord.platform.imports.ogp import import_ogp
from accord.platform.imports.plan import import_plan
from accord.platform.imports.report import ImportReport
from accord.platform.policy import Action, permits
from accord.web.access import allow, current_actor
from accord.web.context import services
from accord.web.forms import AccordForm
from accord.web.i18n import error_message
from accord.web.manage import INVALID, blueprint, refused

UPLOAD_MAX_BYTES = 100 * 1024 * 1024
"""The largest file a steward may upload for an import (10,000 OGP rows take about 45 MB)."""

ROWS_SHOWN = 500
"""How many rejected rows (and notes) the page lists; the summary counts them all."""

ENDPOINT = "manage.imports"


class ImportForm(AccordForm):
    """The file and what kind of file it is."""

    file = FileField(_l("CSV file"), validators=[FileRequired(_l("Choose a CSV file."))])
    kind = RadioField(_l("What the file holds"), choices=[
        SelectChoice("ogp", _l("The OGP commitments dataset, in its official layout")),
        SelectChoice("plan", _l("Commitments and milestones in Accord's action-plan template")),
    ], validators=[InputRequired(_l("Choose what the file holds."))])
    skip_invalid = BooleanField(_l("Record the valid rows even if some rows are rejected"))


@blueprint.url_value_preprocessor
def allow_large_upload(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """Let a steward's upload exceed the site-wide limit, on the import route only.

    This runs before the CSRF check, which is the first to read the form; a visitor who may
    not import keeps the site-wide limit.
    """
    if endpoint == ENDPOINT and permits(current_actor(), Action.MANAGE_COMMITMENTS):
        request.max_content_length = UPLOAD_MAX_BYTES


@blueprint.route("/imports", methods=["GET", "POST"])
@allow(Action.MANAGE_COMMITMENTS)
def imports() -> ResponseReturnValue:
    """Upload a file, import it, and show the report."""
    form = ImportForm()
    report = None
    if form.validate_on_submit():
        try:
            report = _run(form)
        except DomainError as error:
            if error.field != "file":
                return refused(error)
            form.add_error(error)
    status = INVALID if form.errors or (report is not None and not report.applied) else 200
    return render_template("manage/imports.html", form=form, report=report,
                           **(_shown(report) if report else {})), status


def _run(form: ImportForm) -> ImportReport:
    data = form.file.data.read()
    app, actor = services().app, current_user.actor
    if form.kind.data == "ogp":
        report = import_ogp(app, actor, data, skip_invalid=form.skip_invalid.data,
                            source_name=form.file.data.filename or "")
    else:
        report = import_plan(app, actor, data, skip_invalid=form.skip_invalid.data)
    if report.applied:
        services().caught_up(report.position)
    return report


def _shown(report: ImportReport) -> dict[str, Any]:
    """The report in the reader's language."""
    translations = get_translations()

    def plural(singular: str, plural_form: str, count: int) -> str:
        return str(translations.ngettext(singular, plural_form, count))

    return {
        "summary": report.summary(plural),
        "rejected": [(m.line, error_message(m.error)) for m in report.rejected[:ROWS_SHOWN]],
        "notes": [(m.line, error_message(m.error)) for m in report.notes[:ROWS_SHOWN]],
        "more_rejected": max(0, len(report.rejected) - ROWS_SHOWN),
        "more_notes": max(0, len(report.notes) - ROWS_SHOWN),
    }
