"""Texts translated once for a whole list and filled in for each row."""

from __future__ import annotations

import pytest
from flask import Flask
from flask_babel import lazy_gettext
from markupsafe import Markup

from accord.web.i18n import ROW_VALUE, per_row, resolved, row_value


def test_each_rows_value_is_escaped_into_the_text() -> None:
    fill = per_row(Markup("Action plan <b>%s</b>") % ROW_VALUE)
    assert fill("AP_GHA01") == Markup("Action plan <b>AP_GHA01</b>")
    assert fill("<script>") == Markup("Action plan <b>&lt;script&gt;</b>")
    assert isinstance(fill("x"), Markup)


def test_a_plain_text_is_escaped_once_and_every_place_of_the_value_is_filled() -> None:
    fill = per_row(f"{ROW_VALUE} & {ROW_VALUE}")
    assert fill("R&D") == Markup("R&amp;D &amp; R&amp;D")


def test_several_named_values_are_each_filled_in() -> None:
    fill = per_row(Markup("for %s to %s") % (row_value("start"), row_value("end")))
    assert fill(start="1 Jan", end="<30 Jun>") == Markup("for 1 Jan to &lt;30 Jun&gt;")


def test_labels_are_translated_once_per_language_and_told_apart_by_their_mapping(
        app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    first = {"a": lazy_gettext("Agreed"), "b": lazy_gettext("Contested")}
    second = {"a": lazy_gettext("Not reported")}
    with app.test_request_context("/"):
        made = resolved(first)
        assert made == {"a": Markup("Agreed"), "b": Markup("Contested")}
        assert resolved(second) == {"a": Markup("Not reported")}
        # Translated once: asked again, the same labels without a lookup.
        monkeypatch.setattr("flask_babel.Domain.gettext", lambda *args, **values: "looked up")
        assert resolved(first) is made
        assert resolved({"a": lazy_gettext("Agreed")}) == {"a": Markup("looked up")}
