"""The templates' translation functions: Jinja's newstyle gettext, in one call each."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.support import NullTranslations, Translations
from flask import Flask
from flask_babel import Babel
from jinja2 import Environment

from accord.web import i18n

SOURCES = [
    '{{ _("Plain & <b>bold</b> at 100%%") }}',
    '{{ _("Hello %(name)s", name="<x>") }}',
    '{{ gettext("Hello %(name)s", name=who) }}',
    '{{ _("Not in the catalogue, 50%%") }}',
    '{{ ngettext("%(num)d report", "%(num)d reports", 1) }}',
    '{{ ngettext("%(num)d report", "%(num)d reports", count) }}',
    '{{ ngettext("%(num)d report on %(what)s", "%(num)d reports on %(what)s", 2, what=who) }}',
    '{{ pgettext("agreement", "Open %(context)s") }}',
    '{{ npgettext("list", "%(num)d item", "%(num)d items", 2) }}',
    "{% trans %}Hello {{ who }}{% endtrans %}",
    "{% trans count=count %}{{ count }} report{% pluralize %}{{ count }} reports{% endtrans %}",
]


def catalogue() -> Translations:
    """A small French catalogue, compiled as Flask-Babel would load it."""
    messages = Catalog(locale="fr")
    messages.add("Plain & <b>bold</b> at 100%%", "Simple & <b>gras</b> à 100 %%")
    messages.add("Hello %(name)s", "Bonjour %(name)s")
    messages.add(("%(num)d report", "%(num)d reports"), ("%(num)d rapport", "%(num)d rapports"))
    messages.add(("%(num)d report on %(what)s", "%(num)d reports on %(what)s"),
                 ("%(num)d rapport sur %(what)s", "%(num)d rapports sur %(what)s"))
    messages.add("Open %(context)s", "Ouvert (%(context)s)", context="agreement")
    messages.add("Agreed", "D'accord")
    compiled = BytesIO()
    write_mo(compiled, messages)
    compiled.seek(0)
    return Translations(compiled)


@pytest.fixture
def app() -> Flask:
    flask_app = Flask(__name__)
    flask_app.jinja_env.add_extension("jinja2.ext.i18n")
    Babel(flask_app)
    i18n.init_app(flask_app)
    return flask_app


def ours(app: Flask, source: str, translations: Any, **values: Any) -> str:
    return app.jinja_env.from_string(source).render(babel_translations=translations, **values)


@pytest.mark.parametrize("escaping", [True, False], ids=["escaped", "plain"])
@pytest.mark.parametrize("source", SOURCES)
def test_each_text_renders_as_jinjas_own_newstyle_gettext_renders_it(
        app: Flask, source: str, escaping: bool) -> None:
    translations = catalogue()
    jinjas = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    jinjas.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    if not escaping:
        source = f"{{% autoescape false %}}{source}{{% endautoescape %}}"
    for count in (1, 3):
        values = {"who": "<Ana & Bo>", "count": count}
        expected = jinjas.from_string(source).render(**values)
        assert ours(app, source, translations, **values) == expected
        assert ours(app, source, translations, **values) == expected  # and remembered


def test_a_remembered_text_is_told_apart_by_its_catalogue(app: Flask) -> None:
    french, english = catalogue(), NullTranslations()
    assert ours(app, '{{ _("Agreed") }}', french) == "D'accord"
    assert ours(app, '{{ _("Agreed") }}', english) == "Agreed"
    assert ours(app, '{{ _("Agreed") }}', french) == "D'accord"


def test_a_remembered_text_is_told_apart_by_whether_the_template_escapes(app: Flask) -> None:
    source = '{{ _("Plain & <b>bold</b> at 100%%") }}'
    plain = f"{{% autoescape false %}}{source}{{% endautoescape %}}"
    # As plain text it is a string, which an escaping template would escape again.
    assert ours(app, plain, catalogue()) == "Simple & <b>gras</b> à 100 %"
    assert ours(app, f"{plain} {source}", catalogue()) == (
        "Simple & <b>gras</b> à 100 % Simple & <b>gras</b> à 100 %")


def test_no_more_texts_are_remembered_than_the_bound(
        app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(i18n, "_TEXTS", {})
    monkeypatch.setattr(i18n, "TEXTS_KEPT", 3)
    for number in range(10):
        assert ours(app, "{{ _(text) }}", NullTranslations(), text=f"text {number}") == (
            f"text {number}")
        assert len(i18n._TEXTS) <= 3
