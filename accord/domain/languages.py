"""Languages, named by ISO 639-1 codes (BCP 47 primary subtags), or "und" when unknown."""

from __future__ import annotations

import pycountry

from accord.domain.errors import N_, InvalidValue

UNDETERMINED = "und"


def language_code(value: str) -> str:
    """Return the lower-case two-letter code, or "und"; refuse anything else."""
    code = value.strip().lower()
    if code == UNDETERMINED or (len(code) == 2 and pycountry.languages.get(alpha_2=code)):
        return code
    raise InvalidValue(N_("%(code)s is not an ISO 639-1 language code (such as en, fr, es)."),
                       field="language", code=value[:10])


def language_name(code: str) -> str:
    """The English name of a language, or the code itself."""
    language = pycountry.languages.get(alpha_2=code) if len(code) == 2 else None
    return str(language.name) if language else code
