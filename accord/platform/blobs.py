"""The store of evidence files, kept by the SHA-256 of their content.

A file is written aside while it is hashed and measured, checked, then moved into place at
``<dir>/<hash[0:2]>/<hash[2:4]>/<hash>`` in one rename: readers see a whole file or none.
The same content uploaded twice is stored once. Files are never changed in place, so a file
whose content no longer matches its name has been damaged, and is refused when read.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import IO, BinaryIO

from accord.domain.attachments import MAX_SIZE, Attachment
from accord.domain.errors import N_, InvalidValue
from accord.platform import file_kinds
from accord.platform.errors import BlobCorrupted, NotFound

CHUNK = 64 * 1024
_SHA256 = re.compile(r"[0-9a-f]{64}")


class BlobStore:
    """Evidence files in a directory, named by the SHA-256 of their content."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def path(self, sha256: str) -> Path:
        """Where the file with this hash is (or would be) stored."""
        if not _SHA256.fullmatch(sha256):
            raise NotFound(N_("There is no stored file with this fingerprint."))
        return self.directory / sha256[0:2] / sha256[2:4] / sha256

    def put(self, stream: IO[bytes], filename: str) -> Attachment:
        """Store an uploaded file and describe it; refuse an empty file, one over 10 MB
        (reading at most one byte past the limit), or one of a kind Accord does not accept.

        The media type comes from the content; the browser's is never trusted.
        """
        name = file_kinds.clean_name(filename)
        self.directory.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=self.directory, prefix=".incoming-")
        try:
            with os.fdopen(descriptor, "wb") as file:
                received = _receive(stream, file, name)
                file.flush()
                os.fsync(file.fileno())
            kind = file_kinds.media_type(received.header, Path(temporary), name,
                                         text=received.text)
            if kind is None:
                raise InvalidValue(N_("%(name)s is not a PDF, an image, an office document or "
                                      "a CSV file."), field="attachments", name=name[:80])
            attachment = Attachment(name=name, size=received.size, media_type=kind,
                                    sha256=received.sha256)
            self._keep(Path(temporary), received.sha256)
        finally:
            Path(temporary).unlink(missing_ok=True)
        return attachment

    def open_verified(self, sha256: str) -> BinaryIO:
        """The stored file, open at its start, after checking that its content still has this
        hash; NotFound if there is none, BlobCorrupted if its content changed."""
        try:
            file = self.path(sha256).open("rb")
        except FileNotFoundError:
            raise NotFound(N_("There is no stored file with this fingerprint.")) from None
        try:
            if _hash_of(file) != sha256:
                raise BlobCorrupted(sha256)
            file.seek(0)
        except BaseException:
            file.close()
            raise
        return file

    def _keep(self, temporary: Path, sha256: str) -> None:
        """Move the checked file into place, unless an intact copy is already there (a damaged
        one is replaced), and make the move durable."""
        target = self.path(sha256)
        if self._intact(sha256):
            return
        created = _make_folders(target.parent)
        os.replace(temporary, target)
        for folder in [target.parent, *created]:
            _fsync_folder(folder)

    def _intact(self, sha256: str) -> bool:
        try:
            self.open_verified(sha256).close()
        except (BlobCorrupted, NotFound):
            return False
        return True


class _Received:
    """What was learnt about an upload while writing it aside."""

    def __init__(self) -> None:
        self.digest = hashlib.sha256()
        self.size = 0
        self.header = b""
        self.text = True

    @property
    def sha256(self) -> str:
        return self.digest.hexdigest()

    def add(self, chunk: bytes) -> None:
        self.digest.update(chunk)
        self.size += len(chunk)
        if len(self.header) < file_kinds.HEADER_SIZE:
            self.header = (self.header + chunk)[:file_kinds.HEADER_SIZE]
        if self.text and file_kinds.CONTROL_BYTES.search(chunk):
            self.text = False


def _receive(stream: IO[bytes], file: IO[bytes], name: str) -> _Received:
    """Copy the stream to ``file`` while hashing it, stopping one byte past the limit."""
    received = _Received()
    while chunk := stream.read(min(CHUNK, MAX_SIZE + 1 - received.size)):
        received.add(chunk)
        if received.size > MAX_SIZE:
            raise InvalidValue(N_("Each file must be at most 10 MB (%(name)s is not)."),
                               field="attachments", name=name[:80])
        file.write(chunk)
    if received.size == 0:
        raise InvalidValue(N_("%(name)s is empty."), field="attachments", name=name[:80])
    return received


def _hash_of(file: IO[bytes]) -> str:
    digest = hashlib.sha256()
    while chunk := file.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def _make_folders(folder: Path) -> list[Path]:
    """Create ``folder`` and its missing parents; the parents of those created, to fsync."""
    missing = [f for f in [folder, folder.parent] if not f.exists()]
    folder.mkdir(parents=True, exist_ok=True)
    return [f.parent for f in missing]


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
