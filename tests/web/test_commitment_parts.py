"""The claims and the timeline of a commitment page, which Python writes
(accord/web/commitment_parts.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any

from bs4 import BeautifulSoup
from flask import Flask, render_template_string
from markupsafe import Markup

from accord.projections.commitment_queries import (
    ClaimView,
    ResponseView,
    StatusLabel,
    Thread,
    TimelineEntry,
)

AT = datetime(2024, 3, 5, 14, 30, tzinfo=UTC)


def status(text: str) -> StatusLabel:
    return StatusLabel(text.lower(), text, "", 1, False)


CLAIM = ClaimView(
    claim_id="k-1", party="civil_society", organisation_id="o-1",
    organisation_name="Open <Budget> & Co", organisation_verified=True,
    status=status("Limited"), narrative="First line\n\nSecond <b>line</b>", evidence=[],
    period_start=date(2024, 1, 1), period_end=date(2024, 6, 30), claimed_at=AT,
    replaces=None, revision_reason=None, replaced_by=None, withdrawn_at=None,
    withdrawal_reason=None, current=True, language="fr")
GOVERNMENT = replace(CLAIM, claim_id="k-0", party="government", organisation_id="o-0",
                     organisation_name="Ministry", organisation_verified=False,
                     status=status("Complete"), narrative="", language="und")


def evidence(links: list[str], files: list[dict[str, Any]]) -> Markup:
    return Markup("<h5>Evidence</h5><i>%s</i>") % ", ".join(links + [f["name"] for f in files])


def actions(claim: ClaimView) -> Markup:
    return Markup('<p class="claim__actions">%s</p>') % claim.claim_id


def article(app: Flask, claim: ClaimView, *, anchor: str = "claim-",
            signed_in: bool = False) -> BeautifulSoup:
    page = SimpleNamespace(claims={c.claim_id: c for c in (GOVERNMENT, CLAIM, claim)},
                           responses={})
    with app.test_request_context("/"):
        written = render_template_string(
            "{{ claim_writer(page, evidence, actions)(claim, anchor) }}", page=page,
            evidence=evidence, actions=actions if signed_in else None, claim=claim,
            anchor=anchor)
    found = BeautifulSoup(written, "html.parser").find("article")
    assert found is not None
    return found


def text(element: Any) -> str:
    return " ".join(element.get_text(" ").split())


def test_a_claim_says_who_claimed_what_for_which_period_and_when(app: Flask) -> None:
    found = article(app, CLAIM)
    assert found["id"] == "claim-k-1"
    assert found["class"] == ["claim"]
    assert text(found.find("h4")) == "Open <Budget> & Co verified organisation"
    assert text(found.select_one(".claim__status")) == (
        "Limited for Jan 1, 2024 to Jun 30, 2024")
    narrative = found.select_one(".claim__narrative")
    assert narrative["lang"] == "fr"
    assert [text(p) for p in narrative.find_all("p")] == ["First line", "Second <b>line</b>"]
    assert text(found.find_all("p", class_="meta")[-1]) == (
        "Claimed on Mar 5, 2024, 2:30:00 PM · written in French")
    assert found.find("h5") is None  # no evidence, no heading
    assert found.select(".claim__note, .claim__actions") == []


def test_a_claim_in_no_language_or_the_pages_names_none(app: Flask) -> None:
    for language in ("und", "en"):
        found = article(app, replace(CLAIM, language=language))
        assert text(found.find_all("p", class_="meta")[-1]) == "Claimed on Mar 5, 2024, 2:30:00 PM"
        assert found.select_one(".claim__narrative").has_attr("lang") is (language != "und")


def test_a_claim_says_what_it_answers_and_what_became_of_it(app: Flask) -> None:
    found = article(app, replace(
        CLAIM, endorses="k-0", challenges="k-0", replaces="k-9",
        revision_reason="new <data>", replaced_by="k-2",
        withdrawn_at=datetime(2024, 4, 1, tzinfo=UTC), withdrawal_reason="a mistake"))
    assert found["class"] == ["claim", "claim--inactive"]
    assert [text(note) for note in found.select(".claim__note")] == [
        "Endorses the claim of Ministry.", "Challenges the claim of Ministry (Complete).",
        "Replaced by a revision.", "Withdrawn on Apr 1, 2024: a mistake",
        "Revises an earlier claim because: new <data>"]


def test_a_claim_answering_one_the_page_lacks_names_nobody(app: Flask) -> None:
    found = article(app, replace(CLAIM, endorses="k-8", challenges="k-8"))
    assert [text(note) for note in found.select(".claim__note")] == [
        "Endorses the claim of .", "Challenges the claim of ()."]


def test_evidence_and_milestones_show_where_there_are_some(app: Flask) -> None:
    found = article(app, replace(CLAIM, evidence=["https://example.org/a"], milestone="1.2",
                                 attachments=[{"name": "report.pdf"}]))
    assert text(found.find("i")) == "https://example.org/a, report.pdf"
    assert "· milestone 1.2" in text(found.select_one(".claim__status"))
    # Beside a milestone, its claims do not name it again.
    files_only = article(app, replace(CLAIM, attachments=[{"name": "report.pdf"}]))
    assert text(files_only.find("i")) == "report.pdf"
    beside = article(app, replace(CLAIM, milestone="1.2"), anchor="milestone-claim-")
    assert beside["id"] == "milestone-claim-k-1"
    assert "milestone" not in text(beside.select_one(".claim__status"))


def test_a_signed_in_member_gets_the_links_of_a_claim_that_stands(app: Flask) -> None:
    assert text(article(app, CLAIM, signed_in=True).select_one(".claim__actions")) == "k-1"
    withdrawn = replace(CLAIM, withdrawn_at=AT, withdrawal_reason="no")
    assert article(app, withdrawn, signed_in=True).select(".claim__actions") == []


def entry(kind: str, **fields: Any) -> TimelineEntry:
    values: dict[str, Any] = {
        "position": 1, "at": AT, "kind": kind, "claim_id": "k-1", "party": "civil_society",
        "organisation_name": "Open <Budget>", "status": status("Limited"), "detail": None}
    return TimelineEntry(**{**values, **fields})


def timeline(app: Flask, threads: list[Thread], responses: dict[str, Any] | None = None
             ) -> BeautifulSoup:
    page = SimpleNamespace(claims={}, responses=responses or {})
    with app.test_request_context("/"):
        written = render_template_string(
            "<ol>{% set item = timeline_writer(page, evidence) %}"
            "{% for thread in threads %}{{ item(thread) }}{% endfor %}</ol>",
            page=page, evidence=evidence, threads=threads)
    return BeautifulSoup(written, "html.parser")


def sentences(soup: BeautifulSoup) -> list[str]:
    return [text(li.find_all("p")[1]) for li in soup.find_all("li")]


def test_each_kind_of_entry_is_told_in_a_sentence(app: Flask) -> None:
    kinds = {
        "registered": "Commitment registered.",
        "details_revised": "Details updated: title <b>.",
        "milestone_added": "Milestone 1.2 added.",
        "milestone_revised": "Milestone 1.2 updated.",
        "pledge_embedded": "A Summit pledge was linked to this commitment.",
        "claimed": "Open <Budget> (Civil society) claimed: Limited.",
        "revised": "Open <Budget> (Civil society) revised its claim to: Limited.",
        "endorsed": "Open <Budget> (Civil society) endorsed the claim: Limited.",
        "challenged": "Open <Budget> (Civil society) challenged the claim, claiming: Limited.",
        "withdrawn": "Open <Budget> (Civil society) withdrew its claim of Limited.",
        "responded": "Open <Budget> (Civil society) responded to the challenge.",
        "unheard_of": "",
    }
    soup = timeline(app, [Thread(entry(kind, milestone="1.2", detail="title <b>"))
                          for kind in kinds])
    assert sentences(soup) == list(kinds.values())
    assert soup.find("b") is None
    # The fields a revision of the details changed are its sentence, not a reason.
    assert [li.select(".timeline__why") == [] for li in soup.find_all("li")] == [
        kind == "details_revised" for kind in kinds]


def test_an_entry_says_when_why_and_links_to_its_claim(app: Flask) -> None:
    soup = timeline(app, [Thread(entry("claimed", detail="because <b>", milestone="1.2")),
                          Thread(entry("withdrawn", party=None, status=None))])
    first, second = soup.find_all("li")
    assert first["class"] == ["timeline__entry", "timeline__entry--claimed"]
    assert first.find("time")["datetime"] == "2024-03-05T14:30:00Z"
    assert text(first.find("p")) == "Mar 5, 2024, 2:30:00 PM · milestone 1.2"
    assert text(first.select_one(".timeline__why")) == "Why: because <b>"
    assert first.find("a", href="#claim-k-1") is not None
    assert sentences(soup)[1] == "Open <Budget> () withdrew its claim of ."
    assert second.find("a") is None  # a withdrawal is no claim to read


def test_a_response_is_told_with_its_text_and_evidence_and_replies_nest(app: Flask) -> None:
    response = ResponseView(response_id="r-1", challenge_id="k-1", organisation_name="M",
                            narrative="We <did> it", evidence=["https://example.org/r"],
                            attachments=[], language="en", responded_at=AT)
    other = replace(response, response_id="r-2", narrative="Another answer")
    answer = Thread(entry("responded", claim_id="r-1", related_claim_id="k-1"))
    soup = timeline(app, [Thread(entry("challenged"), replies=[answer])],
                    {"k-1": [other, response]})
    outer = soup.find("li")
    replies = outer.find("ol", class_="timeline--replies")
    assert [text(li.find_all("p")[1]) for li in replies.find_all("li")] == [
        "Open <Budget> (Civil society) responded to the challenge."]
    assert [text(div) for div in replies.select(".response")] == [
        "We <did> it Evidence https://example.org/r"]
