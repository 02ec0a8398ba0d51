"""Evidence files sent with a form: a larger size limit for the forms that take them, and
storing what was sent.

Accord accepts at most 1 MB per request, except on the routes declared with
``@accepts_uploads``, where a signed-in visitor who may use the route can send five files of
10 MB and the form's fields. The limit must be raised before anything reads the form, and
the CSRF check reads it before the view runs: so the routes are declared, and a hook that runs
before the CSRF check raises the limit for them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from flask import Flask, request
from werkzeug.datastructures import FileStorage

from accord.domain.attachments import MAX_PER_CLAIM, MAX_SIZE, Attachment
from accord.domain.errors import N_, InvalidValue
from accord.platform.policy import permits
from accord.web.access import current_actor, rule_for
from accord.web.context import services

F = TypeVar("F", bound=Callable[..., Any])

ATTRIBUTE = "accepts_uploads"

FORM_FIELDS_SIZE = 1024 * 1024
UPLOAD_LIMIT = MAX_PER_CLAIM * MAX_SIZE + FORM_FIELDS_SIZE
"""The most a form with files may send: five files of 10 MB, and 1 MB for everything else."""


def accepts_uploads(view: F) -> F:
    """Declare that a view's form carries files (so its requests may be larger)."""
    setattr(view, ATTRIBUTE, True)
    return view


def allow_large_uploads() -> None:
    """Accept up to ``UPLOAD_LIMIT`` bytes in the current request only.

    Too late once the form has been read (the CSRF check reads it before the view runs):
    views declare ``@accepts_uploads`` instead, and ``init_app`` calls this in time.
    """
    request.max_content_length = UPLOAD_LIMIT


def stored_attachments(files: Iterable[FileStorage | str]) -> list[Attachment]:
    """Store the files sent in one form's file inputs (``request.files.getlist(name)``) and
    describe them; inputs left empty are ignored (and so are the empty strings that stand for
    them when a form is sent without ``enctype="multipart/form-data"``).

    Raises the ``InvalidValue`` to show beside the field: more than five files, an empty
    file, a file over 10 MB, or a kind of file Accord does not accept.
    """
    chosen = [file for file in files if isinstance(file, FileStorage) and file.filename]
    if len(chosen) > MAX_PER_CLAIM:
        raise InvalidValue(N_("Attach at most %(maximum)s files to one claim."),
                           field="attachments", maximum=MAX_PER_CLAIM)
    blobs = services().blobs
    return [blobs.put(file.stream, file.filename or "") for file in chosen]


def init_app(app: Flask) -> None:
    """Raise the size limit for declared upload forms; call before ``CSRFProtect(app)``."""

    @app.before_request
    def raise_limit_for_upload_forms() -> None:
        view = app.view_functions.get(request.endpoint or "")
        if not getattr(view, ATTRIBUTE, False) or request.endpoint is None:
            return
        rule = rule_for(app, request.endpoint)
        # Only those who may use the form can make Accord read a large request.
        if rule is not None and permits(current_actor(), rule.action):
            allow_large_uploads()
