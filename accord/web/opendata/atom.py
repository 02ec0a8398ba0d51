"""Atom feeds (RFC 4287), written with the standard library's ElementTree."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime

from accord.web.opendata.records import timestamp

NAMESPACE = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml"

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""Characters that XML 1.0 does not allow in a document, even escaped."""


@dataclass(frozen=True)
class Entry:
    """One change."""

    id: str
    title: str
    updated: datetime
    link: str
    summary: str
    author: str | None = None
    category: str | None = None


@dataclass(frozen=True)
class Feed:
    """A feed: where it is (``self_link``), the page it follows (``page_link``), its entries
    newest first."""

    id: str
    title: str
    self_link: str
    page_link: str
    author: str
    updated: datetime
    entries: list[Entry] = field(default_factory=list)


def xml_text(value: str) -> str:
    """``value`` without the characters XML cannot carry."""
    return _NOT_XML.sub("", value)


def _element(parent: ET.Element, name: str, text: str | None = None,
             **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, name,
                            {key: xml_text(value) for key, value in attributes.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def _author(parent: ET.Element, name: str) -> None:
    _element(_element(parent, "author"), "name", name)


def feed_xml(feed: Feed) -> bytes:
    """The feed as an XML document in UTF-8."""
    # Plain names under a default namespace declared on the root: every element is Atom's.
    root = ET.Element("feed", {"xmlns": NAMESPACE})
    _element(root, "id", feed.id)
    _element(root, "title", feed.title, type="text")
    _element(root, "updated", timestamp(feed.updated))
    _author(root, feed.author)  # for the entries that name no organisation
    _element(root, "link", rel="self", type=MEDIA_TYPE, href=feed.self_link)
    _element(root, "link", rel="alternate", type="text/html", href=feed.page_link)
    _element(root, "generator", "Accord")
    for entry in feed.entries:
        item = _element(root, "entry")
        _element(item, "id", entry.id)
        _element(item, "title", entry.title, type="text")
        _element(item, "updated", timestamp(entry.updated))
        if entry.author:
            _author(item, entry.author)
        _element(item, "link", rel="alternate", type="text/html", href=entry.link)
        if entry.category:
            _element(item, "category", term=entry.category)
        _element(item, "summary", entry.summary, type="text")
    # Serialised as text, then encoded once: serialised to UTF-8, each of the thousands of
    # pieces went through an encoder of its own (a fifth of the time this function took).
    return DECLARATION + ET.tostring(root, encoding="unicode").encode()


DECLARATION = b"<?xml version='1.0' encoding='utf-8'?>\n"
"""The XML declaration that ElementTree writes for a UTF-8 document."""
