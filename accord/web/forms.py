"""The forms with which a party claims, revises and withdraws a status."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar
from uuid import uuid4

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    MultipleFileField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import EqualTo, InputRequired, Length, Optional

from accord.domain.errors import DomainError
from accord.domain.values import NARRATIVE_MAX, REASON_MAX
from accord.platform.passwords import MAXIMUM
from accord.projections.queries import StatusLabel
from accord.web.i18n import LANGUAGE_CHOICES, error_message

EVIDENCE_TEXT_MAX = 45_000


class AccordForm(FlaskForm):  # type: ignore[misc]
    """A form that can show the platform's refusals against the field they concern."""

    FIELD_ALIASES: ClassVar[dict[str, str]] = {"attachments": "files"}
    """Where the platform's field names differ from the form's."""

    def add_error(self, error: DomainError) -> None:
        """Attach the refusal to its field, or to the first field when it names none."""
        name = self.FIELD_ALIASES.get(error.field or "", error.field or "")
        field = getattr(self, name, None)
        if field is None:
            field = next(f for f in self if f.name != "csrf_token" and f.type != "HiddenField")
        field.errors = [*field.errors, error_message(error)]


class ClaimForm(AccordForm):
    """A status claim: new, a revision (``replaces``) or a challenge (``challenges``)."""

    milestone = SelectField(_l("What the claim is about"), validate_choice=False)
    status = RadioField(
        _l("Status"), validators=[InputRequired(_l("Choose a status."))], validate_choice=False
    )
    period_start = DateField(
        _l("Reporting period starts"),
        validators=[InputRequired(_l("Enter the first day of the reporting period."))],
    )
    period_end = DateField(
        _l("Reporting period ends"),
        validators=[InputRequired(_l("Enter the last day of the reporting period."))],
    )
    narrative = TextAreaField(
        _l("What has been done, and how you know"),
        validators=[
            InputRequired(_l("Explain the status you claim.")),
            Length(max=NARRATIVE_MAX, message=_l(
                "The explanation must be %(max)d characters or fewer.")),
        ],
    )
    language = SelectField(_l("Language of the explanation"), choices=LANGUAGE_CHOICES,
                           default="en")
    evidence = TextAreaField(
        _l("Evidence links (optional)"),
        validators=[Optional(), Length(max=EVIDENCE_TEXT_MAX)],
    )
    files = MultipleFileField(_l("Evidence files (optional)"))
    keep_files = SelectMultipleField(_l("Files already attached"), validate_choice=False)
    replaces = HiddenField()
    challenges = HiddenField()
    revision_reason = TextAreaField(
        _l("Why are you revising this claim?"),
        validators=[Length(max=REASON_MAX, message=_l(
            "The reason must be %(max)d characters or fewer."))],
    )
    claim_id = HiddenField()

    @classmethod
    def for_page(cls, statuses: Sequence[StatusLabel], milestones: Sequence[tuple[str, str]],
                 **data: object) -> ClaimForm:
        """A form offering the statuses a party may claim and the commitment's milestones."""
        form = cls(**data)
        form.status.choices = [SelectChoice(label.code, label.label) for label in statuses]
        form.milestone.choices = [SelectChoice("", str(_l("The commitment as a whole")))] + [
            SelectChoice(reference, f"{reference}: {title}") for reference, title in milestones]
        if not form.claim_id.data:
            form.claim_id.data = str(uuid4())
        return form

    def evidence_links(self) -> list[str]:
        """The evidence links, one per line."""
        return [line.strip() for line in (self.evidence.data or "").splitlines()
                if line.strip()]


class EndorseForm(AccordForm):
    """Agreeing with a government claim, with an optional comment."""

    narrative = TextAreaField(_l("Comment (optional)"), validators=[
        Optional(), Length(max=NARRATIVE_MAX, message=_l(
            "The comment must be %(max)d characters or fewer."))])
    language = SelectField(_l("Language of the comment"), choices=LANGUAGE_CHOICES,
                           default="en")
    claim_id = HiddenField()


class RespondForm(AccordForm):
    """A government's answer to a challenge."""

    narrative = TextAreaField(_l("Your response"), validators=[
        InputRequired(_l("Write your response.")),
        Length(max=NARRATIVE_MAX, message=_l(
            "The response must be %(max)d characters or fewer."))])
    language = SelectField(_l("Language of the response"), choices=LANGUAGE_CHOICES,
                           default="en")
    evidence = TextAreaField(_l("Evidence links (optional)"),
                             validators=[Optional(), Length(max=EVIDENCE_TEXT_MAX)])
    files = MultipleFileField(_l("Evidence files (optional)"))
    response_id = HiddenField()

    def evidence_links(self) -> list[str]:
        """The evidence links, one per line."""
        return [line.strip() for line in (self.evidence.data or "").splitlines()
                if line.strip()]


class WithdrawForm(AccordForm):
    """Withdrawing a claim, with the reason."""

    reason = TextAreaField(
        _l("Why are you withdrawing this claim?"),
        validators=[
            InputRequired(_l("Say why you are withdrawing this claim.")),
            Length(max=REASON_MAX, message=_l("The reason must be %(max)d characters or fewer.")),
        ],
    )


class SignInForm(AccordForm):
    """E-mail address and password."""

    email = EmailField(
        _l("E-mail address"),
        validators=[InputRequired(_l("Enter your e-mail address.")), Length(max=320)],
    )
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(_l("Enter your password.")), Length(max=1_000)],
    )
    remember = BooleanField(_l("Keep me signed in on this device for 30 days"))


def _new_password(label: str) -> PasswordField:
    return PasswordField(label, validators=[
        InputRequired(_l("Enter a new password.")),
        Length(max=MAXIMUM, message=_l("The password must be %(max)d characters or fewer.")),
    ])


def _confirmation(field: str) -> PasswordField:
    return PasswordField(_l("Type the new password again"), validators=[
        InputRequired(_l("Type the new password again.")),
        EqualTo(field, message=_l("The two passwords are not the same.")),
    ])


class AcceptInvitationForm(AccordForm):
    """The invited person's name and first password."""

    display_name = StringField(_l("Your name"), validators=[
        InputRequired(_l("Enter your name.")), Length(max=200)])
    password = _new_password(_l("Choose a password"))
    confirm_password = _confirmation("password")


class ChangePasswordForm(AccordForm):
    """The current password and a new one."""

    current_password = PasswordField(_l("Current password"), validators=[
        InputRequired(_l("Enter your current password.")), Length(max=1_000)])
    new_password = _new_password(_l("New password"))
    confirm_password = _confirmation("new_password")
