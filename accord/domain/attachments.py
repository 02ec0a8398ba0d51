"""Files attached to a claim as evidence: recorded by name, size, media type and SHA-256."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from accord.domain.errors import N_, InvalidValue

MAX_SIZE = 10 * 1024 * 1024
MAX_PER_CLAIM = 5
NAME_MAX = 255

MEDIA_TYPES: dict[str, str] = {
    "application/pdf": N_("PDF document"),
    "image/png": N_("PNG image"),
    "image/jpeg": N_("JPEG image"),
    "image/gif": N_("GIF image"),
    "image/webp": N_("WebP image"),
    "text/csv": N_("CSV data"),
    "application/msword": N_("Word document"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": N_("Word document"),
    "application/vnd.ms-excel": N_("Excel workbook"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": N_("Excel workbook"),
    "application/vnd.ms-powerpoint": N_("PowerPoint presentation"),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation":
        N_("PowerPoint presentation"),
    "application/vnd.oasis.opendocument.text": N_("OpenDocument text"),
    "application/vnd.oasis.opendocument.spreadsheet": N_("OpenDocument spreadsheet"),
    "application/vnd.oasis.opendocument.presentation": N_("OpenDocument presentation"),
}
"""The kinds of file accepted as evidence, with how to name them."""

_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Attachment:
    """A file of evidence, identified by the SHA-256 of its content."""

    name: str
    size: int
    media_type: str
    sha256: str

    def __post_init__(self) -> None:
        if not self.name.strip() or len(self.name) > NAME_MAX or any(
                c in self.name for c in "/\\\0"):
            raise InvalidValue(N_("A file name must be 1 to 255 characters, without slashes."),
                               field="attachments")
        if not 0 < self.size <= MAX_SIZE:
            raise InvalidValue(N_("Each file must be at most 10 MB (%(name)s is not)."),
                               field="attachments", name=self.name[:80])
        if self.media_type not in MEDIA_TYPES:
            raise InvalidValue(N_("%(name)s is not a PDF, an image, an office document or a "
                                  "CSV file."), field="attachments", name=self.name[:80])
        if not _SHA256.fullmatch(self.sha256):
            raise InvalidValue(N_("A file's fingerprint must be a SHA-256 in hexadecimal."),
                               field="attachments")

    def as_dict(self) -> dict[str, Any]:
        """The attachment as recorded in an event."""
        return asdict(self)


def attachments(items: list[Attachment]) -> list[dict[str, Any]]:
    """The attachments of one claim, as recorded; refuse more than five or repeats."""
    if len(items) > MAX_PER_CLAIM:
        raise InvalidValue(N_("Attach at most %(maximum)s files to one claim."),
                           field="attachments", maximum=MAX_PER_CLAIM)
    if len({item.sha256 for item in items}) != len(items):
        raise InvalidValue(N_("The same file is attached twice."), field="attachments")
    return [item.as_dict() for item in items]
