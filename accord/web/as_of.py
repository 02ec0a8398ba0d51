"""``?as_of=``: any public page as it stood at a past moment.

The moment is found in the event log (the last event recorded at or before it), and the page
is answered from read models built up to that event by the same projections as today's (see
``accord.projections.as_of``). End dates are compared with that moment's day, so what was
overdue then is overdue on the page. Every link of a historical page keeps ``as_of``, and a
banner says that the page is a historical view.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from flask import Flask, g, request, url_for
from flask_babel import gettext as _

from accord.projections.day import reset_day, set_day
from accord.projections.read_models import ReadModels
from accord.web.context import services
from accord.web.errors import render_error

HISTORICAL = frozenset({
    "public.home", "public.country", "public.search", "public.commitment", "plans.plan",
    "themes.index", "themes.theme", "themes.compare",
    "downloads.commitments_as_csv", "downloads.commitments_as_json",
    "api.countries", "api.commitments", "api.commitment",
})
"""The pages that can be shown as of a past moment: those read from the public read models."""

MACHINE_READABLE = frozenset({
    "downloads.commitments_as_csv", "downloads.commitments_as_json",
    "api.countries", "api.commitments", "api.commitment"})

VALUE_MAX = 40


@dataclass(frozen=True)
class PastView:
    """The moment a page shows, as asked and as found in the log."""

    text: str  # as written in the URL, kept in every link
    moment: datetime  # UTC
    position: int  # the last event recorded by then


def parse_moment(value: str) -> datetime:
    """A date (the end of that day, UTC; today: now) or a date and time (UTC unless an offset
    is given).

    Raises ValueError for anything else.
    """
    value = value.strip()
    if len(value) > VALUE_MAX:
        raise ValueError(value)
    if len(value) == 10:
        day = date.fromisoformat(value)
        now = datetime.now(UTC)
        return now if day == now.date() else datetime.combine(day, time.max, tzinfo=UTC)
    if "T" in value and value[-6:-5] == " ":
        value = value[:-6] + "+" + value[-5:]  # a "+" of an offset, decoded from a URL as " "
    moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace(" ", "T"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def past_view() -> PastView | None:
    """The past moment this request shows, if it shows one."""
    view: PastView | None = g.get("past_view")
    return view


def _begin() -> Any:
    value = request.args.get("as_of")
    if value is None or request.endpoint not in HISTORICAL:
        return None
    if request.method != "GET":
        return None
    if not value.strip():
        return None  # the date picker sent empty: today's view
    try:
        moment = parse_moment(value)
    except ValueError:
        return render_error(400, _("“%(value)s” is not a date (such as 2025-06-30) or a date "
                                   "and time (such as 2025-06-30T14:00).",
                                   value=value[:VALUE_MAX]))
    if moment > datetime.now(UTC):
        return render_error(400, _("%(value)s has not come yet: a historical view shows the "
                                   "past.", value=value[:VALUE_MAX]))
    history = services().history
    position = history.position_at(moment)
    g.past_view = PastView(value.strip(), moment, position)
    g.reads = ReadModels(history.database(position))
    g.past_day_token = set_day(moment.date())
    return None


def _end(_error: BaseException | None) -> None:
    token = g.pop("past_day_token", None)
    if token is not None:
        reset_day(token)


def _keep_as_of(endpoint: str, values: dict[str, Any]) -> None:
    view = past_view()
    if view is not None and endpoint in HISTORICAL:
        values.setdefault("as_of", view.text)


def _context() -> dict[str, Any]:
    view = past_view()
    available = {"history_available": request.endpoint in HISTORICAL
                 and request.endpoint not in MACHINE_READABLE,
                 "today_iso": datetime.now(UTC).date().isoformat()}
    if view is None:
        return {"past_view": None, "today_url": None, **available}
    values: dict[str, Any] = {**(request.view_args or {}), **{
        name: value for name, value in request.args.items() if name != "as_of"}}
    values["as_of"] = None  # the same page without it (url_for leaves out empty values)
    today_url = url_for(request.endpoint or "public.home", **values)
    return {"past_view": view, "today_url": today_url, **available}


def init_app(app: Flask) -> None:
    """Answer ``?as_of=`` on the pages that have a historical view."""
    app.before_request(_begin)
    app.teardown_request(_end)
    app.url_defaults(_keep_as_of)
    app.context_processor(_context)
