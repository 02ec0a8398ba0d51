"""Reading what a visitor types into the search box: words, phrases, exclusions and OR,
whatever characters come with them."""

from __future__ import annotations

from accord.projections.search import Group, Term, document, parse, words


def test_words_are_folded_to_plain_letters_and_digits() -> None:
    assert words("Ministère des FINANCES, AP_GHA-01!") == [
        "ministere", "des", "finances", "ap", "gha", "01"]
    assert words("Straße Øresund İstanbul") == ["strasse", "øresund", "istanbul"]
    assert words("*()\"'-:^%_") == []


def test_a_document_holds_the_texts_and_their_translations() -> None:
    row = {"reference": "CO-7", "title": "Registro", "description": "", "lead_institution":
           "Ministère", "translations": {"en": {"title": "Register"}}}
    assert document(row) == "co 7 registro ministere register"


def test_words_phrases_exclusions_and_alternatives() -> None:
    assert parse('award "open contracting" -draft') == [Group(
        include=(Term(("award",), prefix=True), Term(("open", "contracting"), prefix=False)),
        exclude=(Term(("draft",), prefix=True),))]
    assert parse("hotline OR award AND line") == [
        Group((Term(("hotline",), True),), ()),
        Group((Term(("award",), True), Term(("line",), True)), ())]
    # a reference with punctuation is one phrase of its parts
    assert parse("GH-ACS-01") == [Group((Term(("gh", "acs", "01"), True),), ())]


def test_punctuation_alone_leaves_nothing_to_search() -> None:
    for typed in ('"', "*", "(", ")", "AND", "OR", "-", "--", '-"', "OR OR", "%", ""):
        assert parse(typed) == [], typed


def test_a_long_query_keeps_its_first_sixteen_terms() -> None:
    parsed = parse(" ".join(f"w{number}" for number in range(40)))
    assert len(parsed[0].include) == 16
