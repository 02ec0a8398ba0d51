"""Atom feeds of changes: everything, one country's, one commitment's; valid Atom, newest
first, and named in the head of the pages they follow."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID, uuid4

from flask import Flask
from flask.testing import FlaskClient

from accord.platform.policy import SYSTEM
from accord.services import Services
from accord.web.opendata.atom import Entry, Feed, feed_xml
from accord.web.opendata.feeds import what_happened
from tests.scenario import OGP, World, claim
from tests.web.conftest import html, statements

ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "http://127.0.0.1:8000"  # the default ACCORD_BASE_URL


@dataclass(frozen=True)
class Item:
    """What a feed reader shows of an entry."""

    id: str
    title: str
    updated: str
    author: str | None
    link: str
    summary: str
    category: str


def feed(client: FlaskClient, url: str) -> ET.Element:
    """The feed at ``url``, parsed, after checking what RFC 4287 requires of every feed."""
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.mimetype == "application/atom+xml"
    root = ET.fromstring(response.get_data())  # noqa: S314 (Accord's own document)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert (root.findtext(f"{ATOM}{required}") or "").strip(), required
    # the feed has an author, for entries that name none
    assert root.findtext(f"{ATOM}author/{ATOM}name") == "Accord"
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert links["self"] == BASE + url
    for entry in root.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated"):
            assert (entry.findtext(f"{ATOM}{required}") or "").strip(), required
        datetime.fromisoformat(entry.findtext(f"{ATOM}updated", "").replace("Z", "+00:00"))
    return root


def items(root: ET.Element) -> list[Item]:
    return [Item(
        id=entry.findtext(f"{ATOM}id", ""), title=entry.findtext(f"{ATOM}title", ""),
        updated=entry.findtext(f"{ATOM}updated", ""),
        author=entry.findtext(f"{ATOM}author/{ATOM}name"),
        link=attribute(entry, "link[@rel='alternate']", "href"),
        summary=entry.findtext(f"{ATOM}summary", ""),
        category=attribute(entry, "category", "term"),
    ) for entry in root.findall(f"{ATOM}entry")]


def attribute(entry: ET.Element, path: str, name: str) -> str:
    """An attribute of the element at ``path`` under ``entry`` (Atom names), or ""."""
    element = entry.find(f"{ATOM}{path}")
    return "" if element is None else element.get(name, "")


def test_the_feed_of_every_change_has_the_latest_changes_newest_first(
        client: FlaskClient, services: Services, world: World) -> None:
    # Ghana's government claims, then Colombian civil society does
    claim(services.app, world.government, world.commitment_id, "limited")
    claim(services.app, world.foreign_civil_society, world.foreign_commitment_id, "complete")
    root = feed(client, "/feeds/changes.atom")
    entries = items(root)
    # the newest first: the two claims, then the three registrations
    assert [entry.title for entry in entries] == [
        "CO0001: Cuentas Claras (Civil society) claimed: Complete.",
        "GH0001: Ministry of Integrity (Government) claimed: Limited.",
        "CO0001: Commitment registered.", "GH-ACS-01: Commitment registered.",
        "GH0001: Commitment registered."]
    newest = entries[0]
    # each names who did it, links to the commitment page and says what happened where
    assert newest.author == "Cuentas Claras"
    assert newest.link == f"{BASE}/commitments/{world.foreign_commitment_id}"
    assert newest.summary == ("Colombia, CO0001: Commitment CO0001. Cuentas Claras (Civil "
                              "society) claimed: Complete.")
    assert newest.category == "claimed"
    # a registration names no organisation: the feed's author stands for it
    assert entries[-1].author is None
    # ids are unique and stable; the feed was updated when its newest entry was
    assert len({entry.id for entry in entries}) == 5
    assert items(feed(client, "/feeds/changes.atom"))[0].id == newest.id
    assert root.findtext(f"{ATOM}updated") == newest.updated


def test_a_country_feed_has_only_that_countrys_changes(
        client: FlaskClient, services: Services, world: World) -> None:
    claim(services.app, world.government, world.commitment_id, "limited")
    claim(services.app, world.foreign_civil_society, world.foreign_commitment_id, "complete")
    ghana = items(feed(client, "/feeds/countries/GHA.atom"))
    assert [entry.title.split(":")[0] for entry in ghana] == ["GH0001", "GH-ACS-01", "GH0001"]
    # lower case finds the same country
    assert [entry.title for entry in items(feed(client, "/feeds/countries/COL.atom"))] == [
        "CO0001: Cuentas Claras (Civil society) claimed: Complete.",
        "CO0001: Commitment registered."]
    # a code in lower case finds the same country
    assert client.get("/feeds/countries/gha.atom").status_code == 200


def test_a_commitment_feed_has_its_claims_revisions_and_withdrawals_with_their_reasons(
        client: FlaskClient, services: Services, world: World) -> None:
    # the government claims, revises its claim, then withdraws it; civil society claims
    first = claim(services.app, world.government, world.commitment_id, "limited")
    revised = claim(services.app, world.government, world.commitment_id, "substantial",
                    replaces=first.id, revision_reason="The portal went live.")
    services.app.withdraw_claim(world.government.actor, world.commitment_id,
                                claim_id=revised.id, reason="Reported on the wrong plan.")
    claim(services.app, world.civil_society, world.commitment_id, "limited")
    claim(services.app, world.foreign_government, world.foreign_commitment_id, "limited")
    entries = items(feed(client, f"/feeds/commitments/{world.commitment_id}.atom"))
    # only this commitment's changes, newest first
    assert [entry.category for entry in entries] == [
        "claimed", "withdrawn", "revised", "claimed", "registered"]
    assert {entry.link for entry in entries} == {f"{BASE}/commitments/{world.commitment_id}"}
    # each revision and withdrawal says why
    assert entries[1].summary.endswith("Reason: Reported on the wrong plan.")
    assert entries[2].summary.endswith("Reason: The portal went live.")
    assert entries[2].title == (
        "GH0001: Ministry of Integrity (Government) revised its claim to: Substantial.")


def test_a_feed_holds_the_latest_50_changes(
        client: FlaskClient, services: Services, world: World) -> None:
    # fifty-five more commitments registered in Ghana
    for number in range(55):
        services.app.register_commitment(SYSTEM, country="GHA", reference=f"GH1{number:03d}",
                                         framework_id=OGP, title=f"Commitment {number}")
    entries = items(feed(client, "/feeds/countries/GHA.atom"))
    # the feed has the fifty newest
    assert len(entries) == 50
    assert entries[0].title == "GH1054: Commitment registered."
    assert entries[-1].title == "GH1005: Commitment registered."


def test_a_feed_merges_claims_and_other_changes_newest_first(
        client: FlaskClient, services: Services, world: World) -> None:
    # thirty more commitments registered in Ghana, each claimed by its government at once
    for number in range(30):
        registered = services.app.register_commitment(
            SYSTEM, country="GHA", reference=f"GH2{number:03d}", framework_id=OGP,
            title=f"Commitment {number}")
        claim(services.app, world.government, UUID(registered.id), "limited")
    entries = items(feed(client, "/feeds/countries/GHA.atom"))
    # the fifty newest, each claim before the registration that came just before it
    expected: list[str] = []
    for number in reversed(range(5, 30)):
        expected += [f"GH2{number:03d}: Ministry of Integrity (Government) claimed: Limited.",
                     f"GH2{number:03d}: Commitment registered."]
    assert [entry.title for entry in entries] == expected


def test_a_feed_of_nothing_known_is_404(client: FlaskClient, world: World) -> None:
    for url in ("/feeds/countries/XYZ.atom", "/feeds/countries/NGA.atom",
                "/feeds/commitments/not-an-id.atom", f"/feeds/commitments/{uuid4()}.atom"):
        assert client.get(url).status_code == 404, url


def test_pages_name_the_feed_that_follows_them_in_their_head(
        client: FlaskClient, world: World) -> None:
    expected = {
        "/": "/feeds/changes.atom",
        "/countries/GHA": "/feeds/countries/GHA.atom",
        f"/commitments/{world.commitment_id}": f"/feeds/commitments/{world.commitment_id}.atom",
    }
    for page, feed_url in expected.items():
        soup = html(client.get(page))
        links = soup.select("head link[rel='alternate'][type='application/atom+xml']")
        assert [link["href"] for link in links] == [feed_url], page
        assert links[0]["title"], page
        # and the feed is there
        assert client.get(feed_url).status_code == 200


def test_text_that_xml_cannot_carry_is_left_out_of_a_feed() -> None:
    moment = datetime.fromisoformat("2024-05-01T09:30:00+00:00")
    document = feed_xml(Feed(
        id="https://accord.example/feeds/changes.atom", title="Changes\x00",
        self_link="https://accord.example/feeds/changes.atom",
        page_link="https://accord.example/", author="Accord", updated=moment,
        entries=[Entry(id="https://accord.example/commitments/1#change-1",
                       title="A title with a \x0b vertical tab & <markup>", updated=moment,
                       link="https://accord.example/commitments/1",
                       summary="Reason: \x1b[31mred\x1b[0m \ufffe done")]))
    root = ET.fromstring(document)  # noqa: S314 (written just above)
    assert root.findtext(f"{ATOM}title") == "Changes"
    entry = root.find(f"{ATOM}entry")
    assert entry is not None
    assert entry.findtext(f"{ATOM}title") == "A title with a  vertical tab & <markup>"
    assert entry.findtext(f"{ATOM}summary") == "Reason: [31mred[0m  done"
    assert entry.findtext(f"{ATOM}updated") == "2024-05-01T09:30:00Z"


def test_a_feed_is_a_utf8_document_that_says_so() -> None:
    moment = datetime.fromisoformat("2024-05-01T09:30:00+00:00")
    title = "Rapport d\u2019ex\u00e9cution \u2013 \u0627\u0644\u062a\u0642\u0631\u064a\u0631"
    document = feed_xml(Feed(
        id="https://accord.example/feeds/changes.atom", title=title,
        self_link="https://accord.example/feeds/changes.atom",
        page_link="https://accord.example/", author="Accord", updated=moment))
    assert document.startswith(b"<?xml version='1.0' encoding='utf-8'?>\n<feed ")
    assert title.encode() in document
    assert ET.fromstring(document).findtext(f"{ATOM}title") == title  # noqa: S314


def test_each_change_is_told_in_its_own_sentence_whatever_the_names_hold(
        app: Flask, services: Services, world: World) -> None:
    claim(services.app, world.government, world.commitment_id, "limited")
    claim(services.app, world.civil_society, world.commitment_id, "substantial")
    services.caught_up()
    changes = services.changes.latest(commitment_id=str(world.commitment_id))
    # A name holding what separates the sentences of one rendering stays in its sentence.
    odd = replace(changes[0], entry=replace(changes[0].entry,
                                            organisation_name="Watch <hr> & Co"))
    with app.test_request_context("/"):
        told = what_happened([odd, *changes[1:]])
        alone = [what_happened([change])[0] for change in changes[1:]]
    assert len(told) == len(changes) == 3
    assert told[0].startswith("Watch <hr> & Co (Civil society) claimed")
    assert told[1:] == alone
    assert told[1] == "Ministry of Integrity (Government) claimed: Limited."


def test_a_feed_checks_the_read_models_once_and_reads_its_changes_in_few_statements(
        client: FlaskClient, services: Services, world: World) -> None:
    claim(services.app, world.government, world.commitment_id)
    client.get("/countries/GHA")  # the country's counts, remembered for this moment
    # Whether caught up, then a commitment's changes; or the latest positions of a
    # country's changes, then those changes.
    for address, count in [(f"/feeds/commitments/{world.commitment_id}.atom", 2),
                           ("/feeds/countries/GHA.atom", 3)]:
        with statements(services) as sent:
            response = client.get(address)
        assert response.status_code == 200
        reads = [statement for statement in sent if statement.startswith("SELECT")]
        assert sum("projection_position" in statement for statement in reads) == 1, address
        assert len(reads) == count, (address, reads)
    # The title names the commitment, as the changes name it.
    root = feed(client, f"/feeds/commitments/{world.commitment_id}.atom")
    assert root.findtext(f"{ATOM}title") == "Accord: changes to GH0001 (Ghana)"
