"""Forms of the stewards' pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from accord.domain.account import Role
from accord.domain.values import REASON_MAX
from accord.web.forms import AccordForm
from accord.web.i18n import KIND_LABELS, ROLE_CHOICES


def _countries_field() -> StringField:
    return StringField(_l("Countries it reports on"), validators=[Length(max=2_000)])


def countries(text: str | None) -> list[str]:
    """ISO codes typed separated by spaces or commas."""
    return (text or "").replace(",", " ").split()


class OrganisationForm(AccordForm):
    """Registering an organisation."""

    name = StringField(_l("Name"), validators=[InputRequired(_l("Enter the name.")),
                                               Length(max=200)])
    kind = RadioField(_l("Kind of organisation"),
                      choices=[SelectChoice(kind.value, label)
                               for kind, label in KIND_LABELS.items()],
                      validators=[InputRequired(_l("Choose the kind of organisation."))])
    countries = _countries_field()


class RenameForm(AccordForm):
    """A new name."""

    name = StringField(_l("New name"), validators=[InputRequired(_l("Enter the new name.")),
                                                   Length(max=200)])


class CountriesForm(AccordForm):
    """A new scope."""

    countries = _countries_field()


class ReasonForm(AccordForm):
    """Why (suspending, reinstating, deactivating)."""

    reason = TextAreaField(_l("Reason"), validators=[
        InputRequired(_l("Give the reason.")),
        Length(max=REASON_MAX, message=_l("The reason must be %(max)d characters or fewer."))])


class InviteForm(AccordForm):
    """A person to invite into the organisation."""

    display_name = StringField(_l("Their name"), validators=[
        InputRequired(_l("Enter the person's name.")), Length(max=200)])
    email = EmailField(_l("Their e-mail address"), validators=[
        InputRequired(_l("Enter the person's e-mail address.")), Length(max=320)])
    role = RadioField(_l("Role"), default=Role.MEMBER.value,
                      choices=ROLE_CHOICES,
                      validators=[InputRequired(_l("Choose a role."))])


class RoleForm(AccordForm):
    """Another role."""

    role = RadioField(_l("Role"),
                      choices=ROLE_CHOICES,
                      validators=[InputRequired(_l("Choose a role."))])
