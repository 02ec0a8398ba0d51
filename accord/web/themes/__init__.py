"""Themes: the policy areas in use, each theme's commitments, and a theme compared across
countries for peer learning."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from accord.domain.countries import country_name
from accord.domain.themes import THEMES
from accord.platform.policy import Action
from accord.web.access import allow
from accord.web.context import reads, services
from accord.web.errors import render_error
from accord.web.i18n import theme_label
from accord.web.public.charts import theme_bars
from accord.web.public.lists import render_list

blueprint = Blueprint("themes", __name__)


@blueprint.before_request
def fresh_read_models() -> None:
    """Pages show every event recorded so far."""
    services().caught_up()


@blueprint.get("/themes")
@allow(Action.READ_PUBLIC)
def index() -> ResponseReturnValue:
    """Every theme that commitments carry, with how many and in how many countries."""
    themes = sorted(reads().themes.themes(), key=lambda summary: theme_label(summary.theme))
    return render_template("themes/index.html", themes=themes)


@blueprint.get("/themes/<theme>")
@allow(Action.READ_PUBLIC)
def theme(theme: str) -> ResponseReturnValue:
    """The commitments on one theme, in every country: filtered, sorted, a page at a time."""
    if theme not in THEMES:
        return render_error(404, _("There is no theme at this address."))
    return render_list("themes/theme.html", fixed={"theme": theme}, theme=theme)


@blueprint.get("/themes/<theme>/compare")
@allow(Action.READ_PUBLIC)
def compare(theme: str) -> ResponseReturnValue:
    """How far each country's commitments on the theme have got: agreed complete by both
    sides, and claimed complete by each."""
    if theme not in THEMES:
        return render_error(404, _("There is no theme at this address."))
    rows = sorted(reads().themes.comparison(theme), key=lambda row: country_name(row.country))
    return render_template("themes/compare.html", theme=theme, rows=rows, bars=theme_bars(rows))
