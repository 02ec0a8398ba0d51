"""Countries, named by their ISO 3166-1 alpha-3 codes."""

from __future__ import annotations

from functools import lru_cache

import pycountry

from accord.domain.errors import N_, InvalidValue

USER_ASSIGNED = {"XKX": "Kosovo"}
"""Codes in ISO 3166's user-assigned range that international bodies (and OGP) use."""


def country_code(value: str) -> str:
    """Return the upper-case alpha-3 code, refusing anything that is not an ISO 3166-1 country
    (or a user-assigned code in common use, such as XKX for Kosovo)."""
    code = value.strip().upper()
    if code in USER_ASSIGNED:
        return code
    if len(code) != 3 or pycountry.countries.get(alpha_3=code) is None:
        raise InvalidValue(
            N_("%(code)s is not an ISO 3166-1 alpha-3 country code."),
            field="country",
            code=value[:10],
        )
    return code


@lru_cache(maxsize=1024)
def country_name(code: str) -> str:
    """Return the English short name of a country, or the code itself if it is unknown
    (remembered: lists name a country on every row)."""
    if code in USER_ASSIGNED:
        return USER_ASSIGNED[code]
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return code
    return str(getattr(country, "common_name", None) or country.name)


def country_of_alpha_2(value: str) -> str | None:
    """The alpha-3 code of an alpha-2 code, or None."""
    country = pycountry.countries.get(alpha_2=value.strip().upper())
    return None if country is None else str(country.alpha_3)
