"""What makes an acceptable password: long enough, not absurdly long, not a common one."""

from __future__ import annotations

import pytest

from accord.domain.errors import InvalidValue
from accord.platform.passwords import MAXIMUM, MINIMUM, check_new_password, common_passwords


def refusal(password: str, field: str = "password") -> InvalidValue:
    with pytest.raises(InvalidValue) as refused:
        check_new_password(password, field=field)
    assert refused.value.field == field
    return refused.value


@pytest.mark.parametrize("password", ["", "x", "tR7#kq2", " " * 7])
def test_a_password_of_fewer_than_8_characters_is_refused(password: str) -> None:
    refused = refusal(password)
    assert refused.message == "The password must be at least %(minimum)s characters long."
    assert refused.params == {"minimum": 8}


def test_8_characters_are_enough() -> None:
    assert MINIMUM == 8
    assert check_new_password("tR7#kq2z") == "tR7#kq2z"


@pytest.mark.parametrize("length", [64, 65, 128, 256])
def test_long_passwords_are_accepted_up_to_256_characters(length: int) -> None:
    password = ("correct horse battery staple " * 10)[:length]
    assert check_new_password(password) == password


def test_a_password_of_more_than_256_characters_is_refused() -> None:
    assert MAXIMUM == 256
    refused = refusal("y" * 257)
    assert refused.params == {"maximum": 256}


def test_a_long_passphrase_is_accepted_unchanged() -> None:
    # Spaces, punctuation and letters from any script are kept as typed (paste allowed).
    passphrase = "  Las cuentas claras y el chocolate espeso, ¿verdad? — Ama  "
    assert check_new_password(passphrase) == passphrase


@pytest.mark.parametrize("password", [
    "password", "12345678", "iloveyou", "sunshine", "football", "1qaz2wsx3edc",
])
def test_the_most_common_passwords_are_refused(password: str) -> None:
    refused = refusal(password)
    assert refused.message == "This password is one of the most common ones; choose another."


@pytest.mark.parametrize("password", ["PASSWORD", "Password", "ILoveYou", "SunShine"])
def test_common_passwords_are_refused_in_any_letter_case(password: str) -> None:
    refusal(password)


def test_a_password_just_outside_the_1000_most_common_is_accepted() -> None:
    # "highland" is the 1,001st password of the list: common, but not among those refused.
    assert "highland" not in common_passwords()
    assert check_new_password("highland") == "highland"


def test_the_list_of_refused_passwords_has_1000_entries() -> None:
    refused = common_passwords()
    assert len(refused) == 1000
    assert {"password", "12345678", "iloveyou", "qwerty"} <= refused
    assert all(entry == entry.lower() for entry in refused)


def test_the_refusal_names_the_form_field_it_concerns() -> None:
    assert refusal("iloveyou", field="new_password").field == "new_password"
    assert refusal("short", field="new_password").field == "new_password"
