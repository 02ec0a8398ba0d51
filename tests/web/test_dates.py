"""Moments are written as Babel writes them in every language, however they are formatted."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone

import pytest
from flask import Flask
from flask_babel import Babel, force_locale, format_datetime

from accord.web.i18n import IN_PARTS, datetime_in_parts


def moments() -> list[datetime]:
    """Naive (UTC, as SQLite gives them back) and aware moments, across days, seconds,
    midnight and zones other than UTC."""
    draw = random.Random(2016)
    start = datetime(2015, 12, 31, 23, 59, 58)
    found = [start, start + timedelta(seconds=2), datetime(2026, 1, 1, 12, 0, 0, 999_999)]
    for _ in range(300):
        moment = start + timedelta(seconds=draw.randrange(400_000_000),
                                   microseconds=draw.randrange(1_000_000))
        found.append(moment)
        found.append(moment.replace(tzinfo=UTC))
        found.append(moment.replace(tzinfo=timezone(timedelta(hours=draw.randrange(-12, 14)))))
    return found


@pytest.mark.parametrize("locale", ["en", "fr", "es", "de", "ar"])
@pytest.mark.parametrize("form", IN_PARTS)
def test_a_moment_written_in_parts_reads_as_babel_writes_it(locale: str, form: str) -> None:
    app = Flask(__name__)
    app.config["BABEL_DEFAULT_TIMEZONE"] = "UTC"  # as Accord sets it
    Babel(app)
    with app.test_request_context("/"), force_locale(locale):
        for moment in moments():
            assert datetime_in_parts(moment, form, locale) == format_datetime(moment, form), (
                moment, form, locale)
