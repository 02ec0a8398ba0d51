"""The policy areas a commitment can be tagged with."""

from __future__ import annotations

from accord.domain.errors import N_, InvalidValue
from accord.domain.values import THEMES_MAX

THEMES: dict[str, str] = {
    "anti_corruption": N_("Anti-corruption and integrity"),
    "access_to_information": N_("Access to information"),
    "asset_disclosure": N_("Asset disclosure"),
    "asset_recovery": N_("Asset recovery"),
    "beneficial_ownership": N_("Beneficial ownership"),
    "civic_space": N_("Civic space"),
    "extractive_industries": N_("Extractive industries"),
    "fiscal_openness": N_("Fiscal openness"),
    "law_enforcement": N_("Law enforcement"),
    "lobbying": N_("Lobbying transparency"),
    "open_contracting": N_("Open contracting"),
    "open_data": N_("Open data"),
    "public_procurement": N_("Public procurement"),
    "whistleblower_protection": N_("Whistleblower protection"),
}
"""Theme code to English label (translated by the web layer)."""


def themes(codes: list[str]) -> list[str]:
    """Return the theme codes without duplicates, refusing unknown ones."""
    cleaned = list(dict.fromkeys(code.strip() for code in codes if code.strip()))
    unknown = [code for code in cleaned if code not in THEMES]
    if unknown:
        raise InvalidValue(N_("Unknown theme: %(theme)s."), field="themes", theme=unknown[0])
    if len(cleaned) > THEMES_MAX:
        raise InvalidValue(
            N_("Give at most %(maximum)s themes."), field="themes", maximum=THEMES_MAX
        )
    return cleaned
