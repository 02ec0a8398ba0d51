"""Each worker remembers the public answers it rendered, for as long as nothing new is recorded.

A public page is a function of its address, the read models' position, the reader's language
and the day (what is overdue changes at midnight, UTC, whatever the server's time zone): a
visitor without cookies who asks for an address again before any new event gets the answer
rendered for the first, without a query or a template. The answer is kept as the view left it,
before the other hooks (caching headers, ETag, security headers) run: they run again on every
answer, remembered or not.

Only answers that depend on nobody's session are kept: to a GET without cookies, from a route
open to the public, 200, not streamed, setting no cookie and holding no CSRF token. Memory is
bounded (``ACCORD_PAGE_CACHE_MB`` per worker, 0 turns this off); the least recently used
answers go first, and answers at an older position are never asked for again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from flask import Flask, g, request, session
from flask.wrappers import Response

from accord.platform.policy import Action
from accord.projections.day import today
from accord.web.access import rule_for
from accord.web.context import caught_up
from accord.web.i18n import select_locale

EXTENSION = "accord_page_cache"
NOT_KEPT = frozenset({"static", "files.download", "public.health"})
HTMX_HEADERS = ("HX-Request", "HX-Target", "HX-Boosted", "HX-History-Restore-Request")


@dataclass(frozen=True)
class Page:
    """An answer as the view made it."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes


class PageCache:
    """Answers by key, least recently used first out, within a budget of bytes."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.size = 0
        self.pages: OrderedDict[tuple[Any, ...], Page] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> Page | None:
        """The answer kept under ``key``, if any."""
        with self.lock:
            page = self.pages.get(key)
            if page is not None:
                self.pages.move_to_end(key)
            return page

    def put(self, key: tuple[Any, ...], page: Page) -> None:
        """Keep ``page``, forgetting the least recently used ones to stay within budget."""
        if len(page.body) > self.budget // 8:
            return
        with self.lock:
            old = self.pages.pop(key, None)
            self.size -= len(old.body) if old else 0
            self.pages[key] = page
            self.size += len(page.body)
            while self.size > self.budget:
                _, dropped = self.pages.popitem(last=False)
                self.size -= len(dropped.body)


def init_app(app: Flask, budget_mb: int) -> None:
    """Answer from memory when possible. Call after every other ``after_request`` hook is
    registered, so that this one runs first."""
    if budget_mb <= 0:
        return
    cache = PageCache(budget_mb * 1024 * 1024)
    app.extensions[EXTENSION] = cache

    @app.before_request
    def answer_from_memory() -> Response | None:
        key = _key(app)
        if key is None:
            return None
        page = cache.get(key)
        if page is None:
            g.page_cache_key = key
            return None
        return Response(page.body, status=page.status, headers=page.headers)

    @app.after_request
    def remember(response: Response) -> Response:
        key = g.pop("page_cache_key", None)
        if key is not None and _keepable(response):
            cache.put(key, Page(response.status_code, list(response.headers.items()),
                                response.get_data()))
        return response


def _key(app: Flask) -> tuple[Any, ...] | None:
    if request.method != "GET" or "Cookie" in request.headers:
        return None
    endpoint = request.endpoint
    if endpoint is None or endpoint in NOT_KEPT:
        return None
    rule = rule_for(app, endpoint)
    if rule is None or rule.action is not Action.READ_PUBLIC:
        return None
    position = caught_up()
    return (request.full_path, select_locale(), today(), position,
            *(request.headers.get(name) for name in HTMX_HEADERS))


def _keepable(response: Response) -> bool:
    return (response.status_code == 200 and not response.is_streamed
            and not response.direct_passthrough and "Set-Cookie" not in response.headers
            and not session.modified and "csrf_token" not in g)
