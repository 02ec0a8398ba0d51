"""What kind of file an upload is, decided from its content (and, where content alone cannot
tell, its extension), never from the Content-Type the browser sent.

Only the kinds of ``accord.domain.attachments.MEDIA_TYPES`` are recognised; anything else
(HTML, SVG, scripts, executables, archives, macro-enabled office files) is not.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from pathlib import Path, PurePosixPath

from accord.domain.attachments import NAME_MAX

HEADER_SIZE = 16
"""How many leading bytes the magic numbers need."""

_MAGIC: list[tuple[bytes, str]] = [
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
]

_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_OLE2_BY_EXTENSION = {
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
}

_OOXML = "application/vnd.openxmlformats-officedocument."
_OOXML_BY_EXTENSION = {
    "docx": _OOXML + "wordprocessingml.document",
    "xlsx": _OOXML + "spreadsheetml.sheet",
    "pptx": _OOXML + "presentationml.presentation",
}
"""Each extension's media type; its main part's content type is this plus ``.main+xml``
(macro-enabled files declare another main part, so they are not recognised)."""

_ODF_BY_EXTENSION = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}

CONTENT_TYPES_LIMIT = 1024 * 1024
"""At most this much of ``[Content_Types].xml`` is read (it is a few kilobytes)."""

CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
"""Bytes that never appear in a CSV file (tab, line ends and form feed do). In UTF-8 every
byte of a multi-byte character is above 0x7F, so the test holds for UTF-8 and Latin-1 alike;
any byte sequence decodes as Latin-1, so text without these bytes is decodable text."""

_UNSEEN = {"Cc", "Cf", "Zl", "Zp"}
"""Unicode categories removed from names: controls, and formatting characters such as the
right-to-left override that can disguise ``report\u202efdp.exe`` as ``reportexe.pdf``."""


def clean_name(filename: str) -> str:
    """The name to record for an uploaded file: its base name only (without any folder, in
    either slash style), without control or formatting characters, leading or trailing dots
    and spaces, at most 255 characters (keeping the extension), ``file`` if nothing is left."""
    base = unicodedata.normalize("NFC", filename).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in base if unicodedata.category(c) not in _UNSEEN)
    name = " ".join(name.split()).strip(". ")
    if len(name) > NAME_MAX:
        suffix = PurePosixPath(name).suffix
        suffix = suffix if len(suffix) <= 16 else ""
        name = name[:NAME_MAX - len(suffix)].rstrip(". ") + suffix
    return name or "file"


def extension(name: str) -> str:
    """The extension of a file name, in lower case and without its dot ('' if none)."""
    return PurePosixPath(name).suffix.lower().removeprefix(".")


def media_type(header: bytes, path: Path, name: str, *, text: bool) -> str | None:
    """The media type of the file at ``path`` (starting with ``header``) named ``name``, or
    None if it is not a kind Accord accepts. ``text`` says that no byte of it is a control
    character that text never holds (see ``CONTROL_BYTES``)."""
    for magic, kind in _MAGIC:
        if header.startswith(magic):
            return kind
    if header[:4] == b"RIFF" and header[8:12] == b"WEBP":
        return "image/webp"
    suffix = extension(name)
    if header.startswith(_ZIP):
        return _zip_media_type(path, suffix)
    if header.startswith(_OLE2):
        return _OLE2_BY_EXTENSION.get(suffix)
    if suffix == "csv" and text and not _looks_like_markup(header):
        return "text/csv"
    return None


def _zip_media_type(path: Path, suffix: str) -> str | None:
    """An OpenDocument file (by its ``mimetype`` member) or an Office Open XML file (by the
    main part declared in ``[Content_Types].xml``) whose extension agrees with its content."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = set(archive.namelist())
            if "mimetype" in members:
                with archive.open("mimetype") as member:
                    declared = member.read(100).decode("ascii", "replace").strip()
                kind = _ODF_BY_EXTENSION.get(suffix)
                return kind if kind == declared else None
            kind = _OOXML_BY_EXTENSION.get(suffix)
            if kind is None or "[Content_Types].xml" not in members:
                return None
            with archive.open("[Content_Types].xml") as member:
                content_types = member.read(CONTENT_TYPES_LIMIT).decode("utf-8", "replace")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, RuntimeError, ValueError):
        return None  # damaged, encrypted or using an unsupported compression
    return kind if f'"{kind}.main+xml"' in content_types else None


def _looks_like_markup(header: bytes) -> bool:
    """Text that opens with a tag (HTML, SVG, XML) is not a CSV file, whatever its name."""
    return header.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")
