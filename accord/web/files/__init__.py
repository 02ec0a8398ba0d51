"""Evidence files, served back as downloads to anyone who can read the claim they came with.

A file is served only if a recorded claim or response attaches it, always as an attachment
(never shown inline, so an uploaded file cannot act as a page of Accord), under the media
type and name that were recorded, and only after its content is checked against its hash.
"""

from __future__ import annotations

import logging
import unicodedata
from typing import BinaryIO
from urllib.parse import quote

from flask import Blueprint, Response, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException
from werkzeug.wsgi import wrap_file

from accord.platform.errors import BlobCorrupted, NotFound
from accord.platform.policy import Action
from accord.projections.attachment_queries import RecordedFile
from accord.web.access import allow
from accord.web.context import services
from accord.web.errors import render_error
from accord.web.security import CONTENT_SECURITY_POLICY

log = logging.getLogger(__name__)

blueprint = Blueprint("files", __name__)

IMMUTABLE = "public, max-age=31536000, immutable"
"""A file's address names its content, so what is at an address never changes."""


@blueprint.get("/files/<sha256>/<name>")
@allow(Action.READ_PUBLIC)
def download(sha256: str, name: str) -> ResponseReturnValue:
    """The file with this SHA-256, if a recorded claim or response attaches it. The name in
    the address is for people; the recorded name is the one the download gets."""
    recorded = _recorded_file(sha256, name)
    if recorded is None:
        return render_error(404, _("No recorded claim has a file at this address."))
    if sha256 in request.if_none_match:
        return Response(status=304, headers={"ETag": f'"{sha256}"', "Cache-Control": IMMUTABLE})
    try:
        content = services().blobs.open_verified(sha256)
    except BlobCorrupted:
        log.error("evidence file %s failed its integrity check: its content no longer "
                  "matches its SHA-256; restore it from a backup", sha256)
        return render_error(500, _("The stored file failed its integrity check: it has been "
                                   "damaged, so Accord will not send it. The administrators "
                                   "have been told."))
    except NotFound:
        log.error("evidence file %s is recorded but missing from the file store", sha256)
        return render_error(500, _("This file is recorded but missing from Accord's file "
                                   "store. The administrators have been told."))
    return _download(recorded, content)


def _download(recorded: RecordedFile, content: BinaryIO) -> ResponseReturnValue:
    """The verified file as a download (or the part of it asked for)."""
    response = Response(wrap_file(request.environ, content), direct_passthrough=True)
    response.headers.update({"Content-Type": recorded.media_type, "Cache-Control": IMMUTABLE,
                             # should a browser show it anyway, it runs nothing
                             "Content-Security-Policy": f"{CONTENT_SECURITY_POLICY}; sandbox"})
    response.headers.set("Content-Disposition", "attachment", **disposition(recorded.name))
    response.content_length = recorded.size
    response.set_etag(recorded.sha256)
    try:
        return response.make_conditional(request, accept_ranges=True,
                                         complete_length=recorded.size)
    except HTTPException:  # a range outside the file
        content.close()
        raise


def disposition(name: str) -> dict[str, str]:
    """The file name parameters of a Content-Disposition header (RFC 6266): an ASCII
    ``filename`` for every browser and, for other names, the exact one in ``filename*``."""
    if name.isascii():
        return {"filename": name}
    fallback = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return {"filename": fallback.strip() or "file",
            "filename*": "UTF-8''" + quote(name, safe="!#$&+-.^_`|~")}


def _recorded_file(sha256: str, name: str) -> RecordedFile | None:
    """The file as recorded; a file attached a moment ago (through another worker, say) may
    not be in the read model yet, so look again after catching up before saying no."""
    if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
        return None
    attachments = services().attachments
    found = attachments.recorded_file(sha256, name)
    if found is None:
        services().caught_up()
        found = attachments.recorded_file(sha256, name)
    return found
