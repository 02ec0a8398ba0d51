"""Languages, and the labels and formats that templates use."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from babel import dates as babel_dates
from flask import Flask, request
from flask_babel import format_date, format_datetime, get_locale, get_translations, gettext
from flask_babel import lazy_gettext as _l
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape
from wtforms.fields.choices import SelectChoice

from accord.domain.account import AccountState, Role
from accord.domain.agreement import Agreement
from accord.domain.attachments import MEDIA_TYPES
from accord.domain.countries import country_name
from accord.domain.errors import DomainError
from accord.domain.languages import language_name
from accord.domain.organisation import OrganisationKind
from accord.domain.themes import THEMES
from accord.platform.policy import ANY, Action, Resource
from accord.projections.change_queries import in_utc
from accord.web.access import open_to_current_user

LANGUAGES = ("en",)
"""The languages with a catalogue: French and Spanish join as their translations arrive, so
that a page never declares a language it is not written in."""

TRANSLATIONS = Path(__file__).parents[1] / "translations"

AGREEMENT_LABELS = {
    Agreement.AGREED: _l("Agreed"),
    Agreement.CONTESTED: _l("Contested"),
    Agreement.AWAITING_GOVERNMENT: _l("Awaiting government"),
    Agreement.AWAITING_CIVIL_SOCIETY: _l("Awaiting civil society"),
    Agreement.NOT_REPORTED: _l("Not reported"),
}

KIND_LABELS = {
    OrganisationKind.GOVERNMENT: _l("Government"),
    OrganisationKind.CIVIL_SOCIETY: _l("Civil society"),
    OrganisationKind.AUDITOR: _l("Auditor"),
    OrganisationKind.STEWARD: _l("Steward"),
    OrganisationKind.REVIEWER: _l("Independent reviewer"),
}

ROLE_LABELS = {
    Role.MEMBER: _l("Member"),
    Role.ADMINISTRATOR: _l("Administrator"),
}

ROLE_CHOICES = [
    SelectChoice(Role.MEMBER.value, _l("Member")),
    SelectChoice(Role.ADMINISTRATOR.value,
                 _l("Administrator (also invites people into the organisation)")),
]

LANGUAGE_CHOICES = [
    SelectChoice("en", "English"), SelectChoice("fr", "Français"), SelectChoice("es", "Español"),
    SelectChoice("pt", "Português"), SelectChoice("ar", "العربية"), SelectChoice("ru", "Русский"),
    SelectChoice("id", "Bahasa Indonesia"), SelectChoice("sw", "Kiswahili"),
    SelectChoice("und", _l("Another language")),
]
"""The languages a claim can be written in, each named in itself."""

STATE_LABELS = {
    AccountState.INVITED: _l("Invited"),
    AccountState.ACTIVE: _l("Active"),
    AccountState.DEACTIVATED: _l("Deactivated"),
}


def can(action: str, **resource: str) -> bool:
    """For templates: whether the current visitor may do ``action`` (to ``resource``)."""
    return open_to_current_user(Action(action), Resource(**resource) if resource else ANY)


PARTY_LABELS = {
    "government": _l("Government"),
    "civil_society": _l("Civil society"),
    "independent_reviewer": _l("Independent reviewer"),
}


def select_locale() -> str | None:
    """The best of the offered languages for this request."""
    return request.accept_languages.best_match(LANGUAGES)


def error_message(error: DomainError) -> str:
    """A domain error's message in the reader's language."""
    params = {name: gettext(value) if name == "what" else value
              for name, value in error.params.items()}
    return str(gettext(error.message, **params))


def theme_label(code: str) -> str:
    """A theme's label in the reader's language."""
    return str(gettext(THEMES[code])) if code in THEMES else code


@pass_context
def _quick_theme_label(context: Context, code: str) -> str:
    """``theme_label`` in a template, from the page's catalogue."""
    return str(_translations(context).ugettext(THEMES[code])) if code in THEMES else code


def translated(text: str, translations: dict[str, dict[str, str]] | None, field: str) -> str:
    """A text in the reader's language when a translation exists, else as written."""
    locale = str(get_locale() or "en")
    return (translations or {}).get(locale, {}).get(field) or text


def media_label(media_type: str) -> str:
    """A kind of file in words, such as "PDF document"."""
    return str(gettext(MEDIA_TYPES[media_type])) if media_type in MEDIA_TYPES else media_type


@pass_context
def template_gettext(context: Context, string: str, /, **variables: Any) -> str:
    """``_()`` and ``gettext()`` in templates: what Jinja's newstyle ``gettext`` does (the
    text translated, as markup where the template escapes, and always formatted, so that
    ``%%`` is one ``%``), in one call instead of three, from the page's catalogue. A text
    without values is remembered per catalogue: pages repeat the same few dozen."""
    translations = _translations(context)
    autoescape = context.eval_ctx.autoescape
    if variables or type(string) is not str:
        return _newstyle(translations.ugettext(string), autoescape, variables)
    key = (id(translations), autoescape, string)
    kept = _TEXTS.get(key)
    if kept is None or kept[0] is not translations:
        if len(_TEXTS) >= TEXTS_KEPT:
            _TEXTS.clear()
        kept = _TEXTS[key] = (translations,
                              _newstyle(translations.ugettext(string), autoescape, {}))
    return kept[1]


@pass_context
def template_ngettext(context: Context, singular: str, plural: str, number: int, /,
                      **variables: Any) -> str:
    """``ngettext()`` in templates: Jinja's newstyle ``ngettext`` (``num`` is the number
    unless given), in one call, from the page's catalogue."""
    variables.setdefault("num", number)
    return _newstyle(_translations(context).ungettext(singular, plural, number),
                     context.eval_ctx.autoescape, variables)


def _newstyle(text: str, autoescape: bool, variables: dict[str, Any]) -> str:
    return (Markup(text) if autoescape else str(text)) % variables  # noqa: S704 (a catalogue's text)


_TEXTS: dict[tuple[int, bool, str], tuple[Any, str]] = {}
TEXTS_KEPT = 4096
"""At most this many translated texts are remembered (a template may translate a text it
was given, not only its own)."""


@pass_context
def template_pgettext(context: Context, message_context: str, string: str, /,
                      **variables: Any) -> str:
    """``pgettext()`` in templates, as Jinja's newstyle one (``context`` is the message's)."""
    variables.setdefault("context", message_context)
    return _newstyle(_translations(context).upgettext(message_context, string),
                     context.eval_ctx.autoescape, variables)


@pass_context
def template_npgettext(context: Context, message_context: str, singular: str, plural: str,
                       number: int, /, **variables: Any) -> str:
    """``npgettext()`` in templates, as Jinja's newstyle one."""
    variables.setdefault("context", message_context)
    variables.setdefault("num", number)
    return _newstyle(
        _translations(context).unpgettext(message_context, singular, plural, number),
        context.eval_ctx.autoescape, variables)


def page_gettext(context: Context) -> Callable[..., str]:
    """Flask-Babel's ``gettext`` from the page's catalogue, for Python that writes a page's
    parts: the text translated, then given its values (``%``), none of them escaped."""
    translations = _translations(context)

    def translate(string: str, /, **variables: Any) -> str:
        translated = str(translations.ugettext(string))
        return translated % variables if variables else translated

    return translate


def _translations(context: Context) -> Any:
    """The request's catalogue, looked up once per page (Flask-Babel looks it up again for
    every text, which cost pages a tenth of their time)."""
    found = context.get("babel_translations")
    return found if found is not None else get_translations()


@lru_cache(maxsize=8192)
def _cached_format(kind: str, value: Any, format: str | None, locale: str) -> str:
    formatter = format_date if kind == "date" else format_datetime
    return str(formatter(value, format) if format else formatter(value))


@pass_context
def quick_format_date(context: Context, value: Any, format: str | None = None) -> str:
    """Flask-Babel's ``format_date``, remembered per value, format and locale: the same
    dates come back on every page (reporting periods, due dates)."""
    return _format(context, "date", value, format)


@pass_context
def quick_format_datetime(context: Context, value: Any, format: str | None = None) -> str:
    """Flask-Babel's ``format_datetime``, remembered likewise."""
    return _format(context, "datetime", value, format)


def _format(context: Context, kind: str, value: Any, format: str | None) -> str:
    locale = context.get("current_locale")
    if locale is None:  # a macro imported without the page's context: no locale to key on
        formatter = format_date if kind == "date" else format_datetime
        return str(formatter(value, format) if format else formatter(value))
    if kind == "datetime" and format in IN_PARTS and type(value) is datetime:
        return datetime_in_parts(value, format, locale)
    return _cached_format(kind, value, format, locale)


InParts = Literal["medium", "short"]
IN_PARTS: tuple[InParts, ...] = ("medium", "short")
"""The formats of a moment that name no time zone: their text is the locale's date text and
time text, put together by the locale's pattern."""


def datetime_in_parts(value: datetime, format: InParts, locale: str) -> str:
    """Babel's ``format_datetime`` in UTC for a format of ``IN_PARTS``, from the day's text and
    the time's text, each remembered: moments are all different (a timeline shows dozens),
    their days and seconds much less so."""
    moment = in_utc(value)
    return (_datetime_pattern(format, locale)
            .replace("{0}", _time_text(moment.time().replace(microsecond=0), format, locale))
            .replace("{1}", _date_text(moment.date(), format, locale)))


@lru_cache(maxsize=16)
def _datetime_pattern(format: InParts, locale: str) -> str:
    return str(babel_dates.get_datetime_format(format, locale=locale)).replace("'", "")


@lru_cache(maxsize=4096)
def _date_text(day: date, format: str, locale: str) -> str:
    return str(babel_dates.format_date(day, format, locale=locale))


@lru_cache(maxsize=8192)
def _time_text(clock: time, format: str, locale: str) -> str:
    return str(babel_dates.format_time(clock, format, locale=locale))


def paragraphs(text: str) -> Markup:
    """A text as HTML paragraphs: a blank line starts a paragraph, a line break is kept as
    ``<br>``; everything written is escaped. The same HTML as the ``paragraphs`` macro of
    components/macros.html, made in Python for the pages that show many texts."""
    return Markup("".join(  # noqa: S704 (each line is escaped above the join)
        "\n    <p>" + "<br>".join(str(escape(line)) for line in paragraph.strip().split("\n"))
        + "</p>\n  "
        for paragraph in text.split("\n\n") if paragraph.strip()))


def row_value(name: str = "") -> str:
    """Where a text translated once for a whole list takes a row's value named ``name``
    (``per_row``): characters no text or translation holds, the same escaped or not."""
    return f"\x1f{name}\x1f"


ROW_VALUE = row_value()


def per_row(text: Markup) -> Callable[..., Markup]:
    """``text``, translated once for a list with ``ROW_VALUE`` for a value (``_("Action plan
    %(plan)s", plan=ROW_VALUE)``) or ``row_value(name)`` for each of several, as a function
    giving it with a row's values, escaped: a list of fifty rows spent a fifth of its time
    translating the same texts again."""
    # Filled as plain text, made markup once: markup's own ``replace`` escapes its
    # arguments again and makes new markup at each step.
    escaped = str(text if isinstance(text, Markup) else escape(text))

    def fill(value: object = None, /, **values: object) -> Markup:
        filled = escaped if value is None else escaped.replace(ROW_VALUE, escape(value))
        for name, named in values.items():
            filled = filled.replace(row_value(name), escape(named))
        return Markup(filled)  # noqa: S704 (the text is escaped, and each value)

    return fill


def machine_time(moment: datetime) -> str:
    """A moment for a ``<time datetime>`` attribute: UTC, with its offset written as ``Z``
    (the embedded database gives back times without their zone; they are UTC)."""
    return in_utc(moment).isoformat().replace("+00:00", "Z")


def resolved(labels: Mapping[Any, Any]) -> dict[Any, Markup]:
    """Lazily translated labels, translated once per language (a lazy text is looked up
    again each time it is shown). As markup, as a lazy text renders. ``labels`` must be a
    constant of a module: what it gave is kept for as long as the process runs."""
    key = (id(labels), str(get_locale() or "en"))
    kept = _RESOLVED.get(key)
    if kept is None or kept[0] is not labels:
        kept = _RESOLVED[key] = (labels, {name: Markup(str(label))  # noqa: S704 (our own texts)
                                          for name, label in labels.items()})
    return kept[1]


_RESOLVED: dict[tuple[int, str], tuple[Mapping[Any, Any], dict[Any, Markup]]] = {}


def init_app(app: Flask) -> None:
    """Make the labels available to every template."""
    # Jinja's newstyle gettext functions, each in one call: the i18n extension's ``_`` looks
    # ``gettext`` up and calls it, which calls the function that translates (three calls
    # through the template's context for each text). ``{% trans %}`` then formats nothing
    # itself.
    app.jinja_env.newstyle_gettext = True  # type: ignore[attr-defined]
    app.jinja_env.globals.update(_=template_gettext, gettext=template_gettext,
                                 ngettext=template_ngettext, pgettext=template_pgettext,
                                 npgettext=template_npgettext)

    @app.context_processor
    def labels() -> dict[str, Any]:
        return {
            "babel_translations": get_translations(),
            "current_locale": str(get_locale() or "en"),
            "can": can,
            "KIND_LABELS": KIND_LABELS,
            "ROLE_LABELS": ROLE_LABELS,
            "STATE_LABELS": STATE_LABELS,
            "AGREEMENTS": list(Agreement),
            "AGREEMENT_LABELS": resolved(AGREEMENT_LABELS),
            "PARTY_LABELS": resolved(PARTY_LABELS),
        }

    app.add_template_filter(country_name, "country_name")
    app.add_template_filter(translated, "translated")
    app.add_template_filter(language_name, "language_name")
    app.add_template_filter(media_label, "media_label")
    app.add_template_filter(date.fromisoformat, "isodate")
    app.add_template_filter(machine_time, "machine_time")
    app.add_template_filter(paragraphs, "paragraphs")
    app.add_template_global(error_message, "error_message")
    app.add_template_global(per_row, "per_row")
    app.add_template_global(row_value, "row_value")
    app.jinja_env.globals["ROW_VALUE"] = ROW_VALUE
    # Dates are formatted in UTC for everyone (BABEL_DEFAULT_TIMEZONE, no timezone chosen
    # per visitor), so a value, a format and a locale decide the text.
    app.add_template_filter(quick_format_date, "format_date")
    app.add_template_filter(quick_format_datetime, "format_datetime")
    app.add_template_filter(_quick_theme_label, "theme_label")
