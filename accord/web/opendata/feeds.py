"""Atom feeds of changes, from the timeline: everything, one country's, one commitment's.

Each entry is one thing that happened to a commitment (a claim, a revision, an endorsement,
a challenge, a response, a withdrawal, a change of its details), newest first, the latest
50. An entry's id is the commitment page's address with the event's position in the log,
which a rebuild of the read models does not change.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from flask import Blueprint, Response, g, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from accord.domain.countries import country_code, country_name
from accord.domain.errors import InvalidValue
from accord.platform.policy import Action
from accord.projections.change_queries import Change
from accord.web.access import allow
from accord.web.context import reads, services
from accord.web.errors import render_error
from accord.web.filters import country_in_path
from accord.web.memo import remembered
from accord.web.opendata.atom import MEDIA_TYPE, Entry, Feed, feed_xml
from accord.web.opendata.reading import fresh_read_models
from accord.web.opendata.records import Linker, absolute, by_template

blueprint = Blueprint("feeds", __name__)
blueprint.before_request(fresh_read_models)

EMPTY = datetime(2016, 5, 12, tzinfo=UTC)
"""The time a feed without entries says it was updated (it must say one): a fixed moment,
so that an empty feed stays the same document."""

REASONED = ("revised", "withdrawn")
"""The changes whose detail is the reason the organisation gave."""


@blueprint.get("/feeds/changes.atom")
@allow(Action.READ_PUBLIC)
def changes() -> ResponseReturnValue:
    """The latest changes to every commitment."""
    return _feed(_("Accord: latest changes"), absolute("feeds.changes"),
                 absolute("public.home"), services().changes.latest())


@blueprint.get("/feeds/countries/<code>.atom")
@allow(Action.READ_PUBLIC)
def country(code: str) -> ResponseReturnValue:
    """The latest changes to a country's commitments."""
    iso = country_in_path(code)
    if remembered(("counts", iso), lambda: reads().queries.country(iso)) is None:
        return render_error(404, _("No commitments are recorded for this country yet."))
    return _feed(_("Accord: changes in %(country)s", country=country_name(iso)),
                 absolute("feeds.country", code=iso), absolute("public.country", code=iso),
                 services().changes.latest(country=iso))


@blueprint.get("/feeds/commitments/<commitment_id>.atom")
@allow(Action.READ_PUBLIC)
def commitment(commitment_id: str) -> ResponseReturnValue:
    """The latest changes to one commitment."""
    changes = _latest_changes_to(commitment_id)
    # The changes name the commitment; only without any is it looked up.
    found = (changes[0].reference, changes[0].country) if changes else _commitment(commitment_id)
    if found is None:
        return render_error(404, _("There is no commitment at this address."))
    reference, iso = found
    return _feed(_("Accord: changes to %(reference)s (%(country)s)", reference=reference,
                   country=country_name(iso)),
                 absolute("feeds.commitment", commitment_id=commitment_id),
                 absolute("public.commitment", commitment_id=commitment_id), changes)


def _latest_changes_to(commitment_id: str) -> list[Change]:
    """The latest changes to the commitment; none for a malformed id."""
    try:
        UUID(commitment_id)
    except ValueError:
        return []
    return services().changes.latest(commitment_id=commitment_id)


def _commitment(commitment_id: str) -> tuple[str, str] | None:
    """The reference and country of the commitment, or None for a malformed or unknown id."""
    try:
        UUID(commitment_id)
    except ValueError:
        return None
    return services().changes.commitment(commitment_id)


def _feed(title: str, self_link: str, page_link: str, changes: list[Change]) -> Response:
    # What every entry repeats is translated and addressed once per feed.
    texts = EntryTexts(summary=_("%(country)s, %(reference)s: %(title)s. %(what)s"),
                       reason=_("Reason: %(reason)s"), link=by_template(absolute))
    feed = Feed(id=self_link, title=title, self_link=self_link, page_link=page_link,
                author="Accord", updated=changes[0].entry.at if changes else EMPTY,
                entries=[_entry(change, what, texts) for change, what
                         in zip(changes, what_happened(changes), strict=True)])
    return Response(feed_xml(feed), content_type=f"{MEDIA_TYPE}; charset=utf-8")


@dataclass(frozen=True)
class EntryTexts:
    """An entry's translated texts, their values left to fill in, and its address."""

    summary: str
    reason: str
    link: Linker


def _entry(change: Change, what: str, texts: EntryTexts) -> Entry:
    page = texts.link("public.commitment", commitment_id=change.commitment_id)
    summary = texts.summary % {"country": country_name(change.country),
                               "reference": change.reference, "title": change.title,
                               "what": what}
    if change.entry.kind in REASONED and change.entry.detail:
        summary += " " + texts.reason % {"reason": change.entry.detail}
    return Entry(id=f"{page}#change-{change.entry.position}",
                 title=f"{change.reference}: {what}", updated=change.entry.at, link=page,
                 summary=summary, author=change.entry.organisation_name or None,
                 category=change.entry.kind)


def what_happened(changes: list[Change]) -> list[str]:
    """The sentence the commitment page's timeline shows for each change, as plain text
    (all from one rendering: a rendering each cost a feed half its time)."""
    if not changes:
        return []
    texts = render_template("public/_timeline_texts.html",
                            entries=[change.entry for change in changes])
    return [html.unescape(text) for text in texts.split("<hr>")[:-1]]


def alternate_feeds() -> list[tuple[str, str]]:
    """The feeds that follow the page being shown, as (title, address), for the layout's
    ``<link rel="alternate">``."""
    arguments = request.view_args or {}
    if request.endpoint == "public.home":
        return [(_("Latest changes"), url_for("feeds.changes"))]
    if request.endpoint == "public.country":
        try:
            iso = country_code(str(arguments.get("code", "")))
        except InvalidValue:
            return []
        return [(_("Changes in %(country)s", country=country_name(iso)),
                 url_for("feeds.country", code=iso))]
    shown = str(arguments.get("commitment_id", ""))
    if request.endpoint == "public.commitment" and (
            g.get("shown_commitment") == shown or _commitment(shown)):
        return [(_("Changes to this commitment"),
                 url_for("feeds.commitment", commitment_id=arguments["commitment_id"]))]
    return []
