"""What makes an acceptable password (OWASP ASVS 5.0, level 2)."""

from __future__ import annotations

from functools import cache

from zxcvbn.frequency_lists import FREQUENCY_LISTS

from accord.domain.errors import N_, InvalidValue

MINIMUM = 8
MAXIMUM = 256
"""Long passphrases are welcome; the limit only keeps requests to a sane size."""
COMMON_REFUSED = 1_000


@cache
def common_passwords() -> frozenset[str]:
    """The most common passwords, from zxcvbn's list ranked by how often they were seen."""
    return frozenset(FREQUENCY_LISTS["passwords"][:COMMON_REFUSED])


def check_new_password(password: str, *, field: str = "password") -> str:
    """Return ``password`` unchanged if acceptable; refuse short, huge or common ones."""
    if len(password) < MINIMUM:
        raise InvalidValue(N_("The password must be at least %(minimum)s characters long."),
                           field=field, minimum=MINIMUM)
    if len(password) > MAXIMUM:
        raise InvalidValue(N_("The password must be %(maximum)s characters or fewer."),
                           field=field, maximum=MAXIMUM)
    if password.lower() in common_passwords():
        raise InvalidValue(N_("This password is one of the most common ones; choose another."),
                           field=field)
    return password
