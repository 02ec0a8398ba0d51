"""The parts of a commitment page that repeat, written in Python rather than by macros, as
``paragraphs`` writes texts: its claims (each side's, then every claim as it was made) and
its timeline, whose sentences the home page, the comparison of two dates and the feeds tell
too. A page of 22 claims and 23 entries spent about 1.8 ms of its 3.6 ms of templates in
those macros.

public/_commitment_parts.html makes a writer of each for its page (``claim_writer``,
``timeline_writer``, ``timeline_texts``) under the names its macros had, and keeps in macros
what only some claims show: the evidence, and the links a signed-in member may follow. The
texts are translated once per writer; every value is escaped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from accord.domain.languages import language_name
from accord.projections.commitment_queries import ClaimView, CommitmentPage, Thread, TimelineEntry
from accord.web.i18n import (
    ROW_VALUE,
    machine_time,
    page_gettext,
    paragraphs,
    per_row,
    quick_format_date,
    quick_format_datetime,
    row_value,
)

Fill = Callable[..., Markup]
Evidence = Callable[[list[str], list[dict[str, Any]]], Markup]

CLAIM_KINDS = frozenset({"claimed", "revised", "endorsed", "challenged"})
"""Timeline entries that are a claim, which the page shows in full below them."""


def _text(translated: str) -> Fill:
    """A translation with places for values (``row_value``), as markup to fill, as a
    template's ``_()`` gives it: the catalogue's text as it is, each value escaped."""
    return per_row(Markup(translated))  # noqa: S704 (our own catalogue's text)


def _values(*names: str) -> dict[str, str]:
    return {name: row_value(name) for name in names}


@pass_context
def timeline_texts(context: Context) -> Callable[[TimelineEntry], Markup]:
    """What happened, in a sentence, for an entry of the timeline (``entry.kind``)."""
    gettext = page_gettext(context)
    who = ("organisation", "party", "status")
    texts: dict[str, Fill] = {
        "registered": _text(gettext("Commitment registered.")),
        "details_revised": _text(gettext("Details updated: %(fields)s.", fields=ROW_VALUE)),
        "milestone_added": _text(gettext("Milestone %(reference)s added.",
                                         reference=ROW_VALUE)),
        "milestone_revised": _text(gettext("Milestone %(reference)s updated.",
                                           reference=ROW_VALUE)),
        "pledge_embedded": _text(gettext("A Summit pledge was linked to this commitment.")),
        "claimed": _text(gettext("%(organisation)s (%(party)s) claimed: %(status)s.",
                                 **_values(*who))),
        "revised": _text(gettext("%(organisation)s (%(party)s) revised its claim to: "
                                 "%(status)s.", **_values(*who))),
        "endorsed": _text(gettext("%(organisation)s (%(party)s) endorsed the claim: "
                                  "%(status)s.", **_values(*who))),
        "challenged": _text(gettext("%(organisation)s (%(party)s) challenged the claim, "
                                    "claiming: %(status)s.", **_values(*who))),
        "withdrawn": _text(gettext("%(organisation)s (%(party)s) withdrew its claim of "
                                   "%(status)s.", **_values(*who))),
        "responded": _text(gettext("%(organisation)s (%(party)s) responded to the challenge.",
                                   **_values("organisation", "party"))),
    }
    parties: Mapping[str, Markup] = context["PARTY_LABELS"]

    def text(entry: TimelineEntry) -> Markup:
        fill = texts.get(entry.kind)
        if fill is None:
            return Markup()
        kind = entry.kind
        if kind == "details_revised":
            return fill(entry.detail)
        if kind in ("milestone_added", "milestone_revised"):
            return fill(entry.milestone)
        if kind in ("registered", "pledge_embedded"):
            return fill()
        party = parties.get(entry.party, "") if entry.party else ""
        if kind == "responded":
            return fill(organisation=entry.organisation_name, party=party)
        status = entry.status.label if entry.status else ""
        return fill(organisation=entry.organisation_name, party=party, status=status)

    return text


@pass_context
def timeline_writer(context: Context, page: CommitmentPage, evidence: Evidence
                    ) -> Callable[[Thread], Markup]:
    """The ``<li>`` of a thread of the timeline: its entry, then its replies."""
    gettext = page_gettext(context)
    text = timeline_texts(context)
    milestone = _text(gettext("milestone %(reference)s", reference=ROW_VALUE))
    why = escape(gettext("Why:"))
    read_claim = escape(gettext("Read the claim"))

    def item(thread: Thread) -> Markup:
        entry = thread.entry
        kind = entry.kind
        at = quick_format_datetime(context, entry.at, "medium")
        written = [f'\n<li class="timeline__entry timeline__entry--{escape(kind)}">\n'
                   f'  <p class="timeline__when"><time datetime="{escape(machine_time(entry.at))}">'
                   f"{escape(at)}</time>"]
        if entry.milestone:
            written.append(f" · {milestone(entry.milestone)}")
        written.append(f"</p>\n  <p>{text(entry)}</p>")
        if entry.detail and kind != "details_revised":
            written.append(f'\n  <p class="timeline__why">{why} {escape(entry.detail)}</p>')
        if entry.claim_id and kind in CLAIM_KINDS:
            written.append(f'\n  <p><a href="#claim-{escape(entry.claim_id)}">'
                           f"{read_claim}</a></p>")
        if kind == "responded":
            for response in page.responses.get(entry.related_claim_id or "", []):
                if response.response_id == entry.claim_id:
                    written.append(f'\n      <div class="response">'
                                   f"{paragraphs(response.narrative)}")
                    if response.evidence or response.attachments:
                        written.append(str(evidence(response.evidence, response.attachments)))
                    written.append("</div>")
        if thread.replies:
            written.append('\n    <ol class="timeline timeline--replies">')
            written.extend(item(reply) for reply in thread.replies)
            written.append("\n    </ol>")
        written.append("\n</li>")
        return Markup("".join(written))  # noqa: S704 (every value is escaped above)

    return item


@pass_context
def claim_writer(context: Context, page: CommitmentPage, evidence: Evidence,
                 actions: Callable[[ClaimView], Markup] | None
                 ) -> Callable[[ClaimView, str], Markup]:
    """The ``<article>`` of a claim, with ``anchor`` before its id: who claimed what for
    which period, what it answers or what became of it, its narrative and evidence, when it
    was made and, where ``actions`` is given (a signed-in member who may claim), the links
    of what that member may do with a claim that stands."""
    gettext = page_gettext(context)
    locale = context["current_locale"]
    verified = escape(gettext("verified organisation"))
    replaced = escape(gettext("Replaced by a revision."))
    for_period = _text(gettext("for %(start)s to %(end)s", **_values("start", "end")))
    claimed_on = _text(gettext("Claimed on %(when)s", when=ROW_VALUE))
    milestone = _text(gettext("milestone %(reference)s", reference=ROW_VALUE))
    endorses = _text(gettext("Endorses the claim of %(organisation)s.",
                             organisation=ROW_VALUE))
    challenges = _text(gettext("Challenges the claim of %(organisation)s (%(status)s).",
                               **_values("organisation", "status")))
    withdrawn = _text(gettext("Withdrawn on %(date)s: %(reason)s",
                              **_values("date", "reason")))
    revises = _text(gettext("Revises an earlier claim because: %(reason)s", reason=ROW_VALUE))
    written_in = _text(gettext("written in %(language)s", language=ROW_VALUE))

    def date(value: Any) -> str:
        return quick_format_date(context, value)

    def article(claim: ClaimView, anchor: str) -> Markup:
        inactive = "" if claim.active else " claim--inactive"
        written = [f'\n<article class="claim{inactive}" id="{escape(anchor)}'
                   f'{escape(claim.claim_id)}">\n'
                   f'  <h4 class="claim__who">{escape(claim.organisation_name)}']
        if claim.organisation_verified:
            written.append(f' <span class="verified">{verified}</span>')
        written.append(f'</h4>\n  <p class="claim__status"><span class="status">'
                       f"{escape(claim.status.label)}</span>\n"
                       f'    <span class="meta">'
                       f"{for_period(start=date(claim.period_start), end=date(claim.period_end))}"
                       "</span>")
        if claim.milestone and anchor == "claim-":
            written.append(f'<span class="meta">· {milestone(claim.milestone)}</span>')
        written.append("</p>")
        if claim.endorses:
            answered = page.claims.get(claim.endorses)
            written.append(f'\n  <p class="claim__note">'
                           f"{endorses(answered.organisation_name if answered else '')}</p>")
        if claim.challenges:
            answered = page.claims.get(claim.challenges)
            note = challenges(organisation=answered.organisation_name if answered else "",
                              status=answered.status.label if answered else "")
            written.append(f'\n  <p class="claim__note">{note}</p>')
        if claim.replaced_by:
            written.append(f'\n  <p class="claim__note">{replaced}</p>')
        if claim.withdrawn_at:
            note = withdrawn(date=date(claim.withdrawn_at), reason=claim.withdrawal_reason)
            written.append(f'\n  <p class="claim__note">{note}</p>')
        if claim.replaces:
            written.append(f'\n  <p class="claim__note">{revises(claim.revision_reason)}</p>')
        if claim.narrative:
            lang = "" if claim.language == "und" else f' lang="{escape(claim.language)}"'
            written.append(f'\n  <div class="claim__narrative"{lang}>'
                           f"{paragraphs(claim.narrative)}</div>")
        if claim.evidence or claim.attachments:
            written.append(f"\n  {evidence(claim.evidence, claim.attachments)}")
        when = claimed_on(quick_format_datetime(context, claim.claimed_at, "medium"))
        written.append(f'\n  <p class="meta">{when}')
        if claim.language not in ("und", locale):
            written.append(f" · {written_in(language_name(claim.language))}")
        written.append("</p>")
        if actions is not None and claim.active:
            written.append(str(actions(claim)))
        written.append("\n</article>")
        return Markup("".join(written))  # noqa: S704 (every value is escaped above)

    return article
