"""The forms with which a party claims, revises and withdraws a status."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import uuid4

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    EmailField,
    HiddenField,
    PasswordField,
    RadioField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from accord.domain.errors import DomainError
from accord.domain.values import NARRATIVE_MAX, REASON_MAX
from accord.projections.queries import StatusLabel
from accord.web.i18n import error_message

EVIDENCE_TEXT_MAX = 45_000


class ClaimForm(FlaskForm):  # type: ignore[misc]
    """A status claim, or a revision of one when ``replaces`` is set."""

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
    evidence = TextAreaField(
        _l("Evidence links (optional)"),
        validators=[Optional(), Length(max=EVIDENCE_TEXT_MAX)],
    )
    replaces = HiddenField()
    revision_reason = TextAreaField(
        _l("Why are you revising this claim?"),
        validators=[Length(max=REASON_MAX, message=_l(
            "The reason must be %(max)d characters or fewer."))],
    )
    claim_id = HiddenField()

    @classmethod
    def for_vocabulary(cls, vocabulary: Sequence[StatusLabel], **data: object) -> ClaimForm:
        """A form offering the statuses of the commitment's framework."""
        form = cls(**data)
        form.status.choices = [(label.code, label.label) for label in vocabulary]
        if not form.claim_id.data:
            form.claim_id.data = str(uuid4())
        return form

    def evidence_links(self) -> list[str]:
        """The evidence links, one per line."""
        return [line.strip() for line in (self.evidence.data or "").splitlines()
                if line.strip()]

    def add_error(self, error: DomainError) -> None:
        """Show a refusal from the platform against the field it concerns."""
        field = getattr(self, error.field or "", None) or self.status
        field.errors = [*field.errors, error_message(error)]


class WithdrawForm(FlaskForm):  # type: ignore[misc]
    """Withdrawing a claim, with the reason."""

    reason = TextAreaField(
        _l("Why are you withdrawing this claim?"),
        validators=[
            InputRequired(_l("Say why you are withdrawing this claim.")),
            Length(max=REASON_MAX, message=_l("The reason must be %(max)d characters or fewer.")),
        ],
    )

    def add_error(self, error: DomainError) -> None:
        """Show a refusal from the platform against the reason."""
        self.reason.errors = [*self.reason.errors, error_message(error)]


class SignInForm(FlaskForm):  # type: ignore[misc]
    """E-mail address and password."""

    email = EmailField(
        _l("E-mail address"),
        validators=[InputRequired(_l("Enter your e-mail address.")), Length(max=320)],
    )
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(_l("Enter your password.")), Length(max=1_000)],
    )
