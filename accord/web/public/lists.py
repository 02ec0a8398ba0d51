"""The lists of commitments on the country, action plan, theme and search pages.

Each reads its filters, order and page from the URL with ``list_request``, asks ``Listing`` for
one page, and answers the whole page or, to htmx, the list alone. The filter form is a plain
GET form; every link the list makes (pages, downloads) keeps the filters in its address.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from flask import request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from accord.domain.countries import country_name
from accord.domain.themes import THEMES
from accord.projections.listing import PER_PAGE
from accord.projections.plan_queries import PlanSummary
from accord.web.context import reads
from accord.web.errors import render_error
from accord.web.filters import BadFilter, ListRequest, list_request
from accord.web.i18n import resolved
from accord.web.memo import memory, remembered, tallied
from accord.web.rendering import page_or_fragment

FRAGMENT = "public/_commitments.html"

SORT_LABELS = {
    "reference": _l("Reference"),
    "title": _l("Title, A to Z"),
    "country": _l("Country"),
    "end_date": _l("End date, soonest first"),
    "-end_date": _l("End date, latest first"),
    "-last_change": _l("Most recently changed"),
    "last_change": _l("Least recently changed"),
    "agreement": _l("Agreement state"),
}
"""The orders offered in the form (every name of ``listing.SORTS``), as the reader sees them."""


@dataclass(frozen=True)
class ListOptions:
    """What the filter form offers besides the agreement states and orders."""

    fixed: frozenset[str]
    """The filters that the page's own address sets: the form leaves them out."""
    statuses: list[tuple[str, str]]
    themes: list[str]
    countries: list[str]
    plans: list[PlanSummary]

    def shows(self, name: str) -> bool:
        """Whether the form has a field for the filter ``name``."""
        return name not in self.fixed


def render_list(template: str, *, fixed: Mapping[str, str] | None = None,
                themes: list[str] | None = None, **context: Any) -> ResponseReturnValue:
    """Answer ``template`` (or, to htmx, its list alone) with the commitments the URL asks for.

    ``fixed`` holds the filters the page's address sets; ``themes`` the themes the form
    offers (all of them by default). A filter that makes no sense answers 400, a page past
    the end of the list 404, each saying why.
    """
    fixed = dict(fixed or {})
    statuses = remembered("statuses", lambda: _by_code(reads().listing.statuses()))
    try:
        wanted = _known(list_request(request.args, fixed=fixed), statuses)
    except BadFilter as bad:
        return render_error(400, bad.message)
    tally = tallied(wanted.filters)
    results = reads().listing.page(wanted.filters, sort=wanted.sort, page=wanted.page,
                                      per_page=wanted.per_page, total=tally.of(wanted.filters),
                                      remember=memory())
    if wanted.page > results.pages:
        return render_error(404, ngettext(
            "This list has %(num)d page: there is no page %(page)d.",
            "This list has %(num)d pages: there is no page %(page)d.",
            results.pages, page=wanted.page))
    return page_or_fragment(template, FRAGMENT, list_request=wanted, results=results,
                            options=_options(wanted, fixed, themes, statuses),
                            sort_labels=resolved(SORT_LABELS), default_per_page=PER_PAGE,
                            list_url=_list_url(wanted, fixed),
                            split=tally.split(overdue=wanted.filters.overdue), **context)


def _options(wanted: ListRequest, fixed: Mapping[str, str], themes: list[str] | None,
             statuses: list[tuple[str, str]]) -> ListOptions:
    """What the form offers: the country select where no country is fixed, the plans once
    a country is known, and the chosen theme even if the page would not offer it."""
    country, theme = wanted.filters.country, wanted.filters.theme
    themes = sorted(THEMES) if themes is None else themes
    return ListOptions(
        fixed=frozenset(fixed), statuses=statuses,
        themes=themes if theme is None or theme in themes else sorted([*themes, theme]),
        countries=[] if "country" in fixed else remembered("countries", lambda: sorted(
            reads().queries.country_codes(), key=country_name)),
        plans=remembered(("plans", country), lambda: reads().plans.plans(country))
        if country else [])


def _by_code(statuses: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """One label per status code (frameworks may share a code), the first one given."""
    labels: dict[str, str] = {}
    for code, label in statuses:
        labels.setdefault(code, label)
    return list(labels.items())


def _known(wanted: ListRequest, statuses: list[tuple[str, str]]) -> ListRequest:
    """``wanted`` with its plan id as registered; BadFilter for a status or plan that no
    framework or country has."""
    filters = wanted.filters
    if filters.status and filters.status not in {code for code, _label in statuses}:
        raise BadFilter(_("Unknown status: %(value)s.", value=filters.status), "status")
    if filters.plan:
        plan_id = reads().plans.plan_id(filters.plan)
        if plan_id is None:
            raise BadFilter(_("There is no action plan %(value)s.", value=filters.plan), "plan")
        wanted = replace(wanted, filters=filters.but(plan=plan_id))
    return wanted


def _list_url(wanted: ListRequest, fixed: Mapping[str, str]) -> Callable[..., str]:
    """For templates: the address of this list with some parameters changed (``page=2``)."""
    endpoint, view_args = request.endpoint or "", dict(request.view_args or {})
    dropped = dict.fromkeys(fixed)  # already in the path

    def list_url(**changes: object) -> str:
        values: dict[str, Any] = {**view_args, **wanted.query_args(**{**dropped, **changes})}
        return url_for(endpoint, **values)

    return list_url
