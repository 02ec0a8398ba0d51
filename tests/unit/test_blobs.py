"""The store of evidence files: hashing, limits, kinds of file told from their content, names,
one copy per content, and damage noticed when a file is read back."""

from __future__ import annotations

import hashlib
import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from accord.domain.attachments import MAX_SIZE, MEDIA_TYPES
from accord.domain.errors import InvalidValue
from accord.platform.blobs import BlobStore
from accord.platform.errors import BlobCorrupted, NotFound
from accord.platform.file_kinds import clean_name
from accord.settings import Settings

OOXML = "application/vnd.openxmlformats-officedocument."


def pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)  # 1 by 1, 8-bit greyscale
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b""))


def jpeg() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def gif() -> bytes:
    return (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00,\x00\x00\x00\x00"
            b"\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")


def webp() -> bytes:
    frame = b"VP8L" + struct.pack("<I", 5) + b"\x2f\x00\x00\x00\x00\x00"
    return b"RIFF" + struct.pack("<I", 4 + len(frame)) + b"WEBP" + frame


def ooxml(main_type: str, part: str) -> bytes:
    """A minimal Office Open XML package whose main part has the given content type."""
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{part}" ContentType="{main_type}"/></Types>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr(part, "<document/>")
    return buffer.getvalue()


def docx() -> bytes:
    return ooxml(OOXML + "wordprocessingml.document.main+xml", "word/document.xml")


def xlsx() -> bytes:
    return ooxml(OOXML + "spreadsheetml.sheet.main+xml", "xl/workbook.xml")


def pptx() -> bytes:
    return ooxml(OOXML + "presentationml.presentation.main+xml", "ppt/presentation.xml")


def opendocument(kind: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", f"application/vnd.oasis.opendocument.{kind}")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def ole2() -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


CSV_UTF8 = "country,status\nGhana,limited\nCôte d'Ivoire,complète\n".encode()
CSV_LATIN1 = "country,status\nCôte d'Ivoire,complète\n".encode("latin-1")
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


class CountingStream(io.RawIOBase):
    """An endless upload of PDF-looking bytes that counts how many were read."""

    def __init__(self) -> None:
        self.read_so_far = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        size = len(buffer)
        buffer[:size] = (b"%PDF-" + bytes(size))[:size] if self.read_so_far == 0 else bytes(size)
        self.read_so_far += size
        return size


@pytest.fixture
def store(tmp_path: Path) -> BlobStore:
    return BlobStore(tmp_path / "blobs")


def stored_files(store: BlobStore) -> list[Path]:
    return sorted(path for path in store.directory.rglob("*") if path.is_file())


def padded_pdf(size: int) -> bytes:
    return (pdf() + bytes(size))[:size]


def test_a_file_is_stored_under_its_sha256_and_described(store: BlobStore) -> None:
    content = pdf()
    attachment = store.put(io.BytesIO(content), "report.pdf")
    digest = hashlib.sha256(content).hexdigest()
    # the description is what the event records
    assert (attachment.name, attachment.size, attachment.media_type, attachment.sha256) == (
        "report.pdf", len(content), "application/pdf", digest)
    # the file is kept at <dir>/ab/cd/abcd…, whole, and nothing else is left behind
    assert stored_files(store) == [store.directory / digest[:2] / digest[2:4] / digest]
    assert stored_files(store)[0].read_bytes() == content
    with store.open_verified(digest) as file:
        assert file.read() == content


def test_the_store_is_in_the_data_dir_unless_a_directory_is_configured(tmp_path: Path) -> None:
    assert Settings.from_env({"ACCORD_DATA_DIR": str(tmp_path)}).blob_directory == (
        tmp_path / "blobs")
    configured = Settings.from_env({"ACCORD_DATA_DIR": str(tmp_path),
                                    "ACCORD_BLOB_DIR": str(tmp_path / "files")})
    assert configured.blob_directory == tmp_path / "files"


def test_a_file_of_exactly_ten_megabytes_is_accepted(store: BlobStore) -> None:
    attachment = store.put(io.BytesIO(padded_pdf(MAX_SIZE)), "large.pdf")
    assert attachment.size == MAX_SIZE == 10 * 1024 * 1024


def test_one_byte_more_is_refused_and_nothing_is_kept(store: BlobStore) -> None:
    with pytest.raises(InvalidValue, match="at most 10 MB") as refused:
        store.put(io.BytesIO(padded_pdf(MAX_SIZE + 1)), "too large.pdf")
    assert refused.value.field == "attachments"
    assert stored_files(store) == []


def test_a_huge_upload_is_read_no_further_than_one_byte_past_the_limit(
        store: BlobStore) -> None:
    stream = CountingStream()
    with pytest.raises(InvalidValue, match="at most 10 MB"):
        store.put(io.BufferedReader(stream, buffer_size=1), "endless.pdf")
    assert stream.read_so_far == MAX_SIZE + 1


def test_an_empty_file_is_refused(store: BlobStore) -> None:
    with pytest.raises(InvalidValue, match="empty") as refused:
        store.put(io.BytesIO(b""), "nothing.pdf")
    assert refused.value.field == "attachments"
    assert stored_files(store) == []


@pytest.mark.parametrize(("content", "name", "media_type"), [
    (pdf(), "report.pdf", "application/pdf"),
    (png(), "chart.png", "image/png"),
    (jpeg(), "photo.jpg", "image/jpeg"),
    (gif(), "animation.gif", "image/gif"),
    (webp(), "picture.webp", "image/webp"),
    (docx(), "minutes.docx", OOXML + "wordprocessingml.document"),
    (xlsx(), "budget.XLSX", OOXML + "spreadsheetml.sheet"),
    (pptx(), "slides.pptx", OOXML + "presentationml.presentation"),
    (opendocument("text"), "minutes.odt", "application/vnd.oasis.opendocument.text"),
    (opendocument("spreadsheet"), "budget.ods",
     "application/vnd.oasis.opendocument.spreadsheet"),
    (opendocument("presentation"), "slides.odp",
     "application/vnd.oasis.opendocument.presentation"),
    (ole2(), "old minutes.doc", "application/msword"),
    (ole2(), "old budget.xls", "application/vnd.ms-excel"),
    (ole2(), "old slides.ppt", "application/vnd.ms-powerpoint"),
    (CSV_UTF8, "statuses.csv", "text/csv"),
    (b"\xef\xbb\xbf" + CSV_UTF8, "excel export.csv", "text/csv"),
    (CSV_LATIN1, "statuses latin-1.csv", "text/csv"),
    # the content decides, whatever the name says
    (png(), "chart.pdf", "image/png"),
    (pdf(), "report", "application/pdf"),
])
def test_each_kind_of_file_is_told_from_its_content(
        store: BlobStore, content: bytes, name: str, media_type: str) -> None:
    assert media_type in MEDIA_TYPES
    assert store.put(io.BytesIO(content), name).media_type == media_type


@pytest.mark.parametrize(("content", "name"), [
    (HTML, "report.pdf"),  # a web page under a PDF's name
    (HTML, "report.html"),
    (HTML, "table.csv"),
    (SVG, "chart.svg"),
    (SVG, "chart.png"),
    (b"\x7fELF\x02\x01\x01" + bytes(100), "tool.pdf"),  # a Linux executable
    (b"MZ\x90\x00\x03" + bytes(100), "setup.docx"),  # a Windows executable
    (b"plain text", "notes.txt"),
    (CSV_UTF8, "statuses.txt"),  # text, but not named as CSV
    (b"a,b\n1,\x00\x00\x002\n", "binary.csv"),  # NUL bytes: not text
    (docx(), "minutes.xlsx"),  # a Word file named as a workbook
    (docx(), "minutes.zip"),
    (ooxml(OOXML.replace("openxmlformats-officedocument.", "ms-word.")
           + "document.macroEnabled.main+xml", "word/document.xml"), "macros.docx"),
    (opendocument("text"), "minutes.ods"),
    (b"PK\x03\x04 not really a zip file", "broken.docx"),
    (ole2(), "installer.msi"),  # an OLE2 file, but not an office document
    (ole2(), "unknown"),
])
def test_other_kinds_of_file_are_refused(store: BlobStore, content: bytes, name: str) -> None:
    with pytest.raises(InvalidValue, match="is not a PDF, an image") as refused:
        store.put(io.BytesIO(content), name)
    assert refused.value.field == "attachments"
    assert stored_files(store) == []


@pytest.mark.parametrize(("given", "cleaned"), [
    ("C:\\Users\\amina\\Documents\\report.pdf", "report.pdf"),
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("/var/www/report.pdf", "report.pdf"),
    ("re\x00po\x1brt\x7f.pdf", "report.pdf"),
    ("line\r\nbreak.pdf", "linebreak.pdf"),
    ("invoice\u202efdp.exe", "invoicefdp.exe"),  # a right-to-left override disguise
    ("  spaced   out .pdf ", "spaced out .pdf"),
    ("..", "file"),
    (".hidden.pdf", "hidden.pdf"),
    ("", "file"),
    ("Rapport d\u2019ex\u00e9cution.pdf", "Rapport d\u2019ex\u00e9cution.pdf"),
    ("x" * 300 + ".pdf", "x" * 251 + ".pdf"),
])
def test_names_are_cleaned(given: str, cleaned: str) -> None:
    assert clean_name(given) == cleaned
    assert len(clean_name(given)) <= 255


def test_the_name_recorded_is_the_cleaned_one(store: BlobStore) -> None:
    attachment = store.put(io.BytesIO(pdf()), "C:\\fakepath\\rap\x07port.pdf")
    assert attachment.name == "rapport.pdf"


def test_the_same_content_twice_is_stored_once(store: BlobStore) -> None:
    first = store.put(io.BytesIO(pdf()), "report.pdf")
    second = store.put(io.BytesIO(pdf()), "the same report.pdf")
    assert first.sha256 == second.sha256
    assert (first.name, second.name) == ("report.pdf", "the same report.pdf")
    assert len(stored_files(store)) == 1


def test_a_damaged_file_is_refused_when_read(store: BlobStore) -> None:
    attachment = store.put(io.BytesIO(pdf()), "report.pdf")
    path = store.path(attachment.sha256)
    # one byte of the stored file changes on disk
    path.write_bytes(pdf().replace(b"Catalog", b"Catalop"))
    with pytest.raises(BlobCorrupted) as damaged:
        store.open_verified(attachment.sha256)
    assert damaged.value.sha256 == attachment.sha256
    # uploading the same file again repairs the store
    store.put(io.BytesIO(pdf()), "report.pdf")
    with store.open_verified(attachment.sha256) as file:
        assert file.read() == pdf()


def test_a_missing_or_malformed_hash_is_not_found(store: BlobStore) -> None:
    with pytest.raises(NotFound):
        store.open_verified("0" * 64)
    stored = store.put(io.BytesIO(pdf()), "report.pdf").sha256
    for malformed in ("../" + stored[3:], stored.upper(), stored[:-1], ""):
        with pytest.raises(NotFound):
            store.open_verified(malformed)
