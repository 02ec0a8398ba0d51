"""Countries, named by their ISO 3166-1 alpha-3 codes."""

from __future__ import annotations

import pycountry

from accord.domain.errors import N_, InvalidValue


def country_code(value: str) -> str:
    """Return the upper-case alpha-3 code, refusing anything that is not an ISO 3166-1 country."""
    code = value.strip().upper()
    if len(code) != 3 or pycountry.countries.get(alpha_3=code) is None:
        raise InvalidValue(
            N_("%(code)s is not an ISO 3166-1 alpha-3 country code."),
            field="country",
            code=value[:10],
        )
    return code


def country_name(code: str) -> str:
    """Return the English short name of a country, or the code itself if it is unknown."""
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return code
    return str(getattr(country, "common_name", None) or country.name)
