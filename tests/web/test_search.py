"""Searching commitments: full-text on each database, the same answers on both, any input
taken without an error, and the filters, orders and pages of every list."""

from __future__ import annotations

from uuid import UUID

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from accord.domain.actor import SYSTEM_ACTOR, acting_as
from accord.domain.agreement import Agreement
from accord.platform.policy import SYSTEM
from accord.projections import listing, search, tables
from accord.projections.listing import Filters, unindexed
from accord.services import Services
from tests.scenario import OGP, World, claim
from tests.web.conftest import html, text
from tests.web.list_helpers import listed


@pytest.fixture
def searchable(services: Services, world: World) -> dict[str, UUID]:
    """Besides the world's three commitments (GH0001: "Publish every contract award."), a
    Ghanaian whistleblower hotline and a Colombian register written in Spanish."""
    app = services.app

    def commitment(country: str, reference: str, **fields: str) -> UUID:
        return UUID(app.register_commitment(SYSTEM, country=country, reference=reference,
                                            framework_id=OGP, **fields).id)

    return {
        "GH0100": commitment(
            "GHA", "GH0100", title="Whistleblower hotline",
            description="A line open day and night (free of charge) for reports AND tips.",
            lead_institution="Office of the Special Prosecutor"),
        "CO-BO-7": commitment(
            "COL", "CO-BO-7", title="Registro público de beneficiarios finales",
            description="Publicación de los datos en formato abierto.",
            lead_institution="Ministère des Finances"),
    }


def found(client: FlaskClient, words: str, **filters: str) -> list[str]:
    """The references the search page lists for ``words``."""
    response = client.get("/search", query_string={"q": words, **filters})
    assert response.status_code == 200, response.status_code
    return listed(html(response))


def test_search_finds_words_in_titles_descriptions_references_and_institutions(
        client: FlaskClient, searchable: dict[str, UUID]) -> None:
    expected = {
        # in a title, whole words or their start
        "whistleblower": ["GH0100"], "hotl": ["GH0100"],
        # in a description
        "contract award": ["GH0001"], "charge": ["GH0100"],
        # in a reference, with or without its punctuation
        "CO-BO-7": ["CO-BO-7"], "gh0100": ["GH0100"],
        # in a lead institution
        "special prosecutor": ["GH0100"], "Finances": ["CO-BO-7"],
        # capitals and accents make no difference, either way
        "MINISTÈRE": ["CO-BO-7"], "ministere": ["CO-BO-7"], "publicacion": ["CO-BO-7"],
        "Públicación": ["CO-BO-7"],
        # every word must be there
        "whistleblower award": [],
    }
    assert {words: found(client, words) for words in expected} == expected


def test_phrases_exclusions_and_alternatives(
        client: FlaskClient, searchable: dict[str, UUID]) -> None:
    expected = {
        '"contract award"': ["GH0001"], '"award contract"': [], '"contract aw"': [],
        "commitment -gh0001": ["CO0001", "GH-ACS-01"], "hotline OR award": ["GH0001", "GH0100"],
        "hotline AND line": ["GH0100"],
    }
    assert {words: found(client, words) for words in expected} == expected


ODD = ['"', '""', '"award', 'award"', "*", "award*", "(", ")", "(award", "AND", "OR", "NOT",
       "award AND", "OR award", "-", "--", "-award", '-"', "NEAR(award hotline)",
       "title:award", "^award", "'", "award'; DROP TABLE search_commitment; --", "%", "_",
       "\\", "☃ 漢字 العربية", "é", "x" * 200, "+award", "{award}", "[a-z]", "award:*",
       "!award", "&|<->", "a & b | !c"]


def test_odd_characters_never_fail(client: FlaskClient, searchable: dict[str, UUID]) -> None:
    statuses = {words: client.get("/search", query_string={"q": words}).status_code
                for words in ODD}
    assert statuses == dict.fromkeys(ODD, 200)
    # the index is still there, and still answers
    assert found(client, "hotline") == ["GH0100"]


def test_odd_characters_are_read_as_the_words_around_them(
        client: FlaskClient, searchable: dict[str, UUID]) -> None:
    expected = {
        "(award)": ["GH0001"], '"award': ["GH0001"], "award*": ["GH0001"],
        "-award": ["CO-BO-7", "CO0001", "GH-ACS-01", "GH0100"], "*": [], "AND": [],
        "+award": ["GH0001"], "title:award": [],
    }
    assert {words: found(client, words) for words in expected} == expected


def test_search_takes_the_filters_orders_and_pages_of_every_list(
        client: FlaskClient, services: Services, world: World,
        searchable: dict[str, UUID]) -> None:
    claim(services.app, world.government, world.commitment_id, "limited")
    # "commitment" is in three titles; the filters narrow them as on any list
    assert found(client, "commitment") == ["CO0001", "GH-ACS-01", "GH0001"]
    assert found(client, "commitment", country="GHA") == ["GH-ACS-01", "GH0001"]
    assert found(client, "commitment", agreement="awaiting_civil_society") == ["GH0001"]
    assert found(client, "commitment", theme="open_data") == ["CO0001"]
    assert found(client, "commitment", status="limited") == ["GH0001"]
    assert found(client, "commitment", sort="-last_change") == ["GH0001", "CO0001",
                                                                  "GH-ACS-01"]
    assert found(client, "commitment", sort="country") == ["CO0001", "GH-ACS-01", "GH0001"]
    # a page at a time, the words kept in the links
    soup = html(client.get("/search", query_string={"q": "commitment", "per_page": "2"}))
    assert text(soup, ".result-count") == "3 commitments, page 1 of 2"
    following = soup.select_one(".pagination a[rel=next]")["href"]
    assert "q=commitment" in following
    assert listed(html(client.get(following))) == ["GH0001"]
    # the form keeps the words, and offers the countries since none is fixed
    form = soup.select_one("form.filters")
    assert form["action"] == "/search"
    assert form.select_one("input[name=q]")["value"] == "commitment"
    assert [o["value"] for o in form.select("select#country option")] == ["", "COL", "GHA"]


def test_the_search_form_offers_a_countrys_plans_once_it_is_chosen(
        client: FlaskClient, services: Services, searchable: dict[str, UUID]) -> None:
    services.app.register_action_plan(SYSTEM, plan_id="AP_GHA01", country="GHA", number=1,
                                      title="Ghana's action plan")
    assert html(client.get("/search?q=commitment")).select_one("select#plan") is None
    soup = html(client.get("/search?q=commitment&country=GHA&plan=AP_GHA01"))
    assert soup.select_one("select#plan option[selected]")["value"] == "AP_GHA01"
    assert listed(soup) == ["GH0001"]


def test_a_bad_filter_on_the_search_page_is_refused(
        client: FlaskClient, searchable: dict[str, UUID]) -> None:
    response = client.get("/search?q=award&country=XYZ")
    assert response.status_code == 400
    assert text(html(response), "main .lead") == "There is no country with the code XYZ."
    # words with a control character in them are refused too, before any database sees them
    assert client.get("/search", query_string={"q": "a\u0000b"}).status_code == 400


def test_revised_details_are_searched_and_the_old_ones_no_longer(
        client: FlaskClient, services: Services, searchable: dict[str, UUID]) -> None:
    # an import renames the hotline and gives it another institution
    hotline = services.app.repository.get(searchable["GH0100"])
    with acting_as(SYSTEM_ACTOR):
        hotline.revise_details(title="Protected reporting channel",
                               lead_institution="Anti-Corruption Bureau",
                               translations={"fr": {"title": "Canal de signalement protégé"}})
    services.app.save(hotline)
    # the new words find it; the old title does not; its description still does
    assert found(client, "protected channel") == ["GH0100"]
    assert found(client, "bureau") == ["GH0100"]
    assert found(client, "signalement protege") == ["GH0100"]
    assert found(client, "whistleblower") == []
    assert found(client, "prosecutor") == []
    assert found(client, "charge") == ["GH0100"]
    # rebuilding the index from the events gives the same answers
    services.search_projector.rebuild()
    assert found(client, "protected channel") == ["GH0100"]
    assert found(client, "whistleblower") == []
    assert found(client, "CO-BO-7") == ["CO-BO-7"]


def test_every_page_has_a_search_box_that_leads_to_the_search_page(
        client: FlaskClient, searchable: dict[str, UUID]) -> None:
    for address in ("/", "/countries/GHA", "/themes", "/login"):
        form = html(client.get(address)).select_one("header form[role=search]")
        assert form["action"] == "/search", address
        assert form["method"] == "get"
        assert form.select_one("input[name=q]")["id"] == form.select_one("label")["for"]
    assert found(client, "hotline") == ["GH0100"]


def test_the_words_are_kept_in_the_databases_own_full_text_index(
        services: Services, searchable: dict[str, UUID]) -> None:
    services.caught_up()
    with services.database.reader.connect() as connection:
        if services.database.is_sqlite:
            # an FTS5 table over the documents, kept in step by triggers
            sql = connection.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE name = 'search_commitment_fts'").scalar()
            assert "USING fts5" in str(sql)
            indexed = connection.exec_driver_sql(
                "SELECT count(*) FROM search_commitment_fts "
                "WHERE search_commitment_fts MATCH 'hotline'").scalar()
        else:
            # a GIN index on the documents' text search vectors, also kept in a column
            definition = connection.exec_driver_sql(
                "SELECT indexdef FROM pg_indexes "
                "WHERE indexname = 'ix_search_commitment_document'").scalar()
            assert "USING gin" in str(definition)
            assert "to_tsvector('simple'::regconfig, document)" in str(definition)
            indexed = connection.exec_driver_sql(
                "SELECT count(*) FROM search_commitment WHERE words = "
                "to_tsvector('simple'::regconfig, document) "
                "AND words @@ 'hotline'::tsquery").scalar()
    assert indexed == 1


def test_each_commitment_keeps_the_position_that_names_its_search_document(
        services: Services, searchable: dict[str, UUID]) -> None:
    # a search selects commitments by the position of their registration, which the search
    # index names their documents by: the two must agree for every commitment
    services.caught_up()
    c, d = tables.commitments, search.documents
    with services.database.reader.connect() as connection:
        progress = dict(connection.execute(
            select(c.c.commitment_id, c.c.registered_position)).all())
        documents = dict(connection.execute(
            select(d.c.commitment_id, d.c.doc_id)).all())
    assert len(progress) == 5
    assert progress == documents
    # and so they do after a rebuild of either read model
    services.progress.rebuild()
    with services.database.reader.connect() as connection:
        assert dict(connection.execute(
            select(c.c.commitment_id, c.c.registered_position)).all()) == documents


@pytest.mark.parametrize("sort", ["reference", "title"])
def test_a_page_read_along_the_sorts_index_is_the_page_sorted_in_full(
        services: Services, monkeypatch: pytest.MonkeyPatch, sort: str,
        searchable: dict[str, UUID]) -> None:
    # SQLite reads a page of a long list along the sort's index, keeping what the filters
    # admit; here every list counts as long, and its pages are those of the list sorted in full
    services.caught_up()
    lists = [Filters(q="commitment OR hotline"), Filters(q="commitment -gh0001"),
             Filters(q="-hotline"), Filters(q="commitment", theme="open_data"),
             Filters(theme="open_data"), Filters(q="commitment", agreement=Agreement.NOT_REPORTED)]

    def pages() -> list[tuple[list[str], int]]:
        read = [services.listing.page(filters, sort=sort, page=page, per_page=2)
                for filters in lists for page in (1, 2)]
        return [([row.reference for row in found.rows], found.total) for found in read]

    sorted_in_full = pages()
    scans: list[object] = []
    monkeypatch.setattr(listing, "SCANNED_FROM", 0)
    monkeypatch.setattr(listing, "unindexed", lambda where: scans.append(where) or unindexed(where))
    assert pages() == sorted_in_full
    assert len(scans) == (10 if services.database.is_sqlite else 0)  # all but the last
    assert sorted_in_full[0][1] == 4  # three commitments and the hotline
