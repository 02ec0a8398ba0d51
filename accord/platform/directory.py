"""Setting Accord up: frameworks, organisations, accounts and commitments."""

from __future__ import annotations

from contextlib import suppress
from datetime import date
from uuid import UUID

from accord.domain.account import Account, Role
from accord.domain.actor import acting_as
from accord.domain.commitment import Commitment
from accord.domain.errors import N_
from accord.domain.framework import Framework, StatusDefinition, seed_frameworks
from accord.domain.organisation import Organisation, OrganisationKind
from accord.platform.base import Recorded, UseCases
from accord.platform.errors import AlreadyExists, NotPermitted
from accord.platform.policy import SYSTEM, Action, Actor, Resource, authorize


class Directory(UseCases):
    """The use cases of stewards (and of organisation administrators, for invitations)."""

    def ensure_frameworks(self) -> None:
        """Define the seed frameworks that are not defined yet (safe to run concurrently)."""
        for code, name, description, statuses in seed_frameworks():
            if self.exists(Framework.create_id(code)):
                continue
            with suppress(AlreadyExists):  # another process may define it at the same time
                self.define_framework(SYSTEM, code, name, description, statuses)

    def define_framework(
        self, actor: Actor, code: str, name: str, description: str,
        statuses: list[StatusDefinition],
    ) -> Recorded:
        """Define a status framework; refuse a code that is already defined."""
        authorize(actor, Action.MANAGE_FRAMEWORKS)
        with acting_as(actor.account_id):
            framework = Framework.define(code, name, description, statuses)
        return self._save_new(framework, N_("A framework with this code already exists."))

    # -- organisations ----------------------------------------------------------------------

    def register_organisation(
        self, actor: Actor, *, name: str, kind: OrganisationKind, countries: list[str],
        organisation_id: UUID | None = None,
    ) -> Recorded:
        """Register an organisation and the countries it reports on."""
        authorize(actor, Action.MANAGE_ORGANISATIONS)
        with acting_as(actor.account_id):
            organisation = Organisation.register(
                name=name, kind=kind, countries=countries, organisation_id=organisation_id
            )
        return self._save_new(organisation, N_("This organisation is already registered."))

    def rename_organisation(self, actor: Actor, organisation_id: UUID, name: str) -> Recorded:
        """Give an organisation a new name."""
        authorize(actor, Action.MANAGE_ORGANISATIONS)
        return self._change(Organisation, organisation_id, actor, lambda o: o.rename(name))

    def change_organisation_scope(
        self, actor: Actor, organisation_id: UUID, countries: list[str]
    ) -> Recorded:
        """Change the countries an organisation reports on."""
        authorize(actor, Action.MANAGE_ORGANISATIONS)
        return self._change(Organisation, organisation_id, actor,
                            lambda o: o.change_scope(countries))

    def verify_organisation(self, actor: Actor, organisation_id: UUID) -> Recorded:
        """Record that a steward vouches for an organisation."""
        authorize(actor, Action.MANAGE_ORGANISATIONS)
        return self._change(Organisation, organisation_id, actor, lambda o: o.verify())

    def suspend_organisation(self, actor: Actor, organisation_id: UUID, reason: str
                             ) -> Recorded:
        """Stop every member of an organisation from acting; its claims stay visible."""
        authorize(actor, Action.MANAGE_ORGANISATIONS)
        if str(organisation_id) == actor.organisation_id:
            raise NotPermitted(N_("You cannot suspend your own organisation."))
        return self._change(Organisation, organisation_id, actor, lambda o: o.suspend(reason))

    def reinstate_organisation(self, actor: Actor, organisation_id: UUID, reason: str
                               ) -> Recorded:
        """Lift an organisation's suspension."""
        authorize(actor, Action.MANAGE_ORGANISATIONS)
        return self._change(Organisation, organisation_id, actor,
                            lambda o: o.reinstate(reason))

    # -- accounts -----------------------------------------------------------------------------

    def invite_account(
        self, actor: Actor, *, organisation_id: UUID, role: Role = Role.MEMBER,
        account_id: UUID | None = None,
    ) -> Recorded:
        """Open an account in an organisation, to be activated by the invited person."""
        authorize(actor, Action.INVITE, Resource(organisation_id=str(organisation_id)))
        organisation = self._get(Organisation, organisation_id)
        if organisation.suspended:
            raise NotPermitted(N_("Nobody can be invited into a suspended organisation."))
        with acting_as(actor.account_id):
            account = Account.invite(organisation_id=organisation_id, role=role,
                                     account_id=account_id)
        return self._save_new(account, N_("This account already exists."))

    def activate_account(self, account_id: UUID) -> Recorded:
        """The invited person accepted: the account acts in its own name from now on."""
        holder = Actor(str(account_id), None, None)
        return self._change(Account, account_id, holder, lambda a: a.activate())

    def change_role(self, actor: Actor, account_id: UUID, role: Role) -> Recorded:
        """Give a member another role in their organisation."""
        authorize(actor, Action.MANAGE_ACCOUNTS)
        self._not_oneself(actor, account_id)
        return self._change(Account, account_id, actor, lambda a: a.change_role(role))

    def deactivate_account(self, actor: Actor, account_id: UUID, reason: str) -> Recorded:
        """Stop an account from signing in or acting; its claims stay visible."""
        authorize(actor, Action.MANAGE_ACCOUNTS)
        self._not_oneself(actor, account_id)
        return self._change(Account, account_id, actor, lambda a: a.deactivate(reason))

    def reactivate_account(self, actor: Actor, account_id: UUID) -> Recorded:
        """Let a deactivated account act again."""
        authorize(actor, Action.MANAGE_ACCOUNTS)
        return self._change(Account, account_id, actor, lambda a: a.reactivate())

    # -- commitments --------------------------------------------------------------------------

    def register_commitment(
        self, actor: Actor, *, country: str, reference: str, title: str, framework_id: UUID,
        action_plan_id: str | None = None, description: str = "",
        themes: list[str] | None = None, lead_institution: str = "",
        start_date: date | None = None, end_date: date | None = None,
    ) -> Recorded:
        """Register a commitment under an existing framework."""
        authorize(actor, Action.MANAGE_COMMITMENTS)
        self._get(Framework, framework_id)
        with acting_as(actor.account_id):
            commitment = Commitment.register(
                country=country, reference=reference, title=title, framework_id=framework_id,
                action_plan_id=action_plan_id, description=description, themes=themes,
                lead_institution=lead_institution, start_date=start_date, end_date=end_date)
        return self._save_new(
            commitment, N_("A commitment with this reference is already registered.")
        )

    @staticmethod
    def _not_oneself(actor: Actor, account_id: UUID) -> None:
        # A steward locking themselves out could leave nobody to manage Accord.
        if str(account_id) == actor.account_id:
            raise NotPermitted(N_("You cannot change your own role or deactivate yourself."))
