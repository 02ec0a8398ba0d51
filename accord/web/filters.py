"""Reading a list's filters, order and page from the URL, the same way for every list view,
download and API call, with a clear message for every value that makes no sense."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from flask import abort, make_response
from flask_babel import gettext as _

from accord.domain.agreement import Agreement
from accord.domain.countries import country_code
from accord.domain.errors import InvalidValue
from accord.domain.themes import THEMES
from accord.projections.listing import DEFAULT_SORT, PER_PAGE, PER_PAGE_MAX, SORTS, Filters
from accord.web.errors import render_error

Q_MAX = 200
STATUS_MAX = 40
PLAN_MAX = 40
PAGE_MAX = 100_000


class BadFilter(ValueError):
    """A filter, order or page the URL names is not one Accord knows; the message says which."""

    def __init__(self, message: str, parameter: str) -> None:
        super().__init__(message)
        self.message = message
        self.parameter = parameter


@dataclass(frozen=True)
class ListRequest:
    """What a list view was asked for."""

    filters: Filters
    sort: str = DEFAULT_SORT
    page: int = 1
    per_page: int = PER_PAGE

    def query_args(self, **changes: object) -> dict[str, str]:
        """The URL parameters that ask for this list again, with ``changes`` (None drops one);
        empty and default values are left out so that links stay short."""
        f = self.filters
        args: dict[str, object] = {
            "country": f.country, "agreement": f.agreement.value if f.agreement else None,
            "status": f.status, "theme": f.theme, "plan": f.plan,
            "overdue": "yes" if f.overdue else None, "q": f.q,
            "sort": self.sort if self.sort != DEFAULT_SORT else None,
            "page": self.page if self.page != 1 else None,
            "per_page": self.per_page if self.per_page != PER_PAGE else None,
        }
        args.update(changes)
        return {name: str(value) for name, value in args.items() if value not in (None, "")}


def list_request(args: Mapping[str, str], *, fixed: Mapping[str, str] | None = None,
                 default_sort: str = DEFAULT_SORT) -> ListRequest:
    """Read filters, sort and page from ``args`` (a request's query string).

    ``fixed`` holds values a page's own address sets (the country of a country page, say);
    they win over the query string. Raises ``BadFilter`` naming the first bad parameter.
    """
    values = {name: args.get(name, "").strip() for name in
              ("country", "agreement", "status", "theme", "plan", "overdue", "q", "sort",
               "page", "per_page")}
    values.update({name: value for name, value in (fixed or {}).items()})
    for name, value in values.items():
        if any(unicodedata.category(character) == "Cc" and character not in "\t\n\r"
               for character in value):
            # No list has a use for them, and PostgreSQL refuses a NUL in any text.
            raise BadFilter(_("%(parameter)s cannot contain control characters.",
                              parameter=name), name)
    country = known_country(values["country"]) if values["country"] else None
    agreement = None
    if values["agreement"]:
        try:
            agreement = Agreement(values["agreement"])
        except ValueError:
            raise BadFilter(_("Unknown agreement state: %(value)s.",
                              value=values["agreement"][:40]), "agreement") from None
    if values["theme"] and values["theme"] not in THEMES:
        raise BadFilter(_("Unknown theme: %(value)s.", value=values["theme"][:40]), "theme")
    if len(values["status"]) > STATUS_MAX:
        raise BadFilter(_("Unknown status: %(value)s.", value=values["status"][:40]), "status")
    if len(values["plan"]) > PLAN_MAX:
        raise BadFilter(_("There is no action plan %(value)s.", value=values["plan"][:40]),
                        "plan")
    if values["overdue"] not in ("", "yes", "no", "true", "false", "1", "0"):
        raise BadFilter(_("The overdue filter is yes or no."), "overdue")
    if len(values["q"]) > Q_MAX:
        raise BadFilter(_("Search for at most %(max)d characters.", max=Q_MAX), "q")
    sort = values["sort"] or default_sort
    if sort not in SORTS:
        raise BadFilter(_("Unknown order: %(value)s.", value=sort[:40]), "sort")
    page = _whole(values["page"], 1, PAGE_MAX, "page")
    per_page = _whole(values["per_page"], PER_PAGE, PER_PAGE_MAX, "per_page")
    return ListRequest(
        Filters(country=country, agreement=agreement, status=values["status"] or None,
                theme=values["theme"] or None, plan=values["plan"] or None,
                overdue=values["overdue"] in ("yes", "true", "1"), q=values["q"] or None),
        sort=sort, page=page, per_page=per_page)


def known_country(value: str) -> str:
    """The upper-case alpha-3 code of the country ``value`` names; if none, BadFilter saying
    so, quoting no more of ``value`` than a code could be."""
    try:
        return country_code(value)
    except InvalidValue:
        raise BadFilter(_("There is no country with the code %(code)s.", code=value[:10]),
                        "country") from None


def country_in_path(code: str) -> str:
    """The country a page's address names (as ``known_country``); if none, the page ends
    with the error page saying so, as not found."""
    try:
        return known_country(code)
    except BadFilter as refused:
        abort(make_response(render_error(404, refused.message)))


def _whole(value: str, default: int, maximum: int, parameter: str) -> int:
    if not value:
        return default
    if not value.isdigit() or not 1 <= int(value) <= maximum:
        raise BadFilter(_("%(parameter)s is a whole number from 1 to %(max)d.",
                          parameter=parameter, max=maximum), parameter)
    return int(value)
