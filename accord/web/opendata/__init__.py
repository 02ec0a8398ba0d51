"""Open data: lists of commitments as CSV and JSON, Atom feeds of changes, and the shared
pieces that the read-only API uses too."""

from __future__ import annotations

from flask import Flask

from accord.web.opendata import downloads, feeds


def init_app(app: Flask) -> None:
    """Register the downloads and the feeds, and tell the layout which feeds follow a page."""
    app.register_blueprint(downloads.blueprint)
    app.register_blueprint(feeds.blueprint)
    app.context_processor(lambda: {"alternate_feeds": feeds.alternate_feeds})
