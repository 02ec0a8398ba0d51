"""Answering with a whole page or, for htmx, only the fragment that changes."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Any
from urllib.parse import quote

from flask import make_response, render_template, url_for
from flask.wrappers import Response
from htmx_flask import request


def page_or_fragment(page: str, fragment: str, /, status: int = 200, **context: Any
                     ) -> Response:
    """Render ``fragment`` for an htmx request that swaps part of a page, else ``page``.

    Both are cached separately by the browser and proxies thanks to ``Vary: HX-Request``;
    a boosted request or htmx restoring history gets the page under the same ``HX-Request``,
    so those two headers are named too (a cached fragment must never come back as a page).
    """
    wants_fragment = bool(request.htmx) and not (
        request.htmx.boosted or request.htmx.history_restore_request
    )
    response = make_response(render_template(fragment if wants_fragment else page, **context),
                             status)
    response.vary.update(("HX-Request", "HX-Boosted", "HX-History-Restore-Request"))
    return response


MARK = "accord-address-mark"


def addresses(endpoint: str, name: str, **values: Any) -> Callable[[object], str]:
    """``url_for(endpoint, name=value, **values)`` for many values of one path segment, with
    the address built once (a list of fifty commitments spent a tenth of its time building
    fifty addresses). The value is quoted as the routing's default converter quotes it."""
    arguments: dict[str, Any] = {**values, name: MARK}
    before, _, after = url_for(endpoint, **arguments).partition(MARK)

    def address(value: object) -> str:
        return before + quote(str(value), safe="!$&'()*+,/:;=@") + after

    return address


def rendered_each(render: Callable[[Any], Any], values: Iterable[Hashable]) -> dict[Any, Any]:
    """``render`` (a macro) of each of ``values``, by value: a list renders once what its
    rows repeat, such as the tag of each agreement state (a macro called for each of fifty
    rows cost the list a third of a millisecond more than a lookup)."""
    return {value: render(value) for value in values}
