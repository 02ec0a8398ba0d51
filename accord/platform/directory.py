"""Setting Accord up: frameworks, organisations, accounts and commitments."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from datetime import date
from typing import Any
from uuid import UUID

from accord.domain.account import Account, Role
from accord.domain.action_plan import ActionPlan
from accord.domain.actor import acting_as
from accord.domain.commitment import Commitment
from accord.domain.errors import N_, InvalidValue
from accord.domain.framework import Framework, SeedFramework, StatusDefinition, seed_frameworks
from accord.domain.milestones import Milestone
from accord.domain.organisation import Organisation, OrganisationKind
from accord.platform.base import Recorded, UseCases
from accord.platform.errors import AlreadyExists, NotPermitted
from accord.platform.policy import SYSTEM, Action, Actor, Resource, authorize

PLEDGE_FRAMEWORK = Framework.create_id("ti-pledge-tracker")


def check_embedding(pledge: Commitment, commitment: Commitment) -> None:
    """A Summit pledge is embedded in a commitment of another framework, of its country."""
    if pledge.framework_id != PLEDGE_FRAMEWORK:
        raise InvalidValue(N_("Only a Summit pledge (tracked under the TI pledge tracker) can be "
                              "embedded in a commitment."), field="pledge")
    if commitment.framework_id == PLEDGE_FRAMEWORK:
        raise InvalidValue(N_("A pledge is embedded in an action plan's commitment, not in "
                              "another pledge."), field="pledge")
    if pledge.country != commitment.country:
        raise InvalidValue(N_("A pledge is embedded in a commitment of the same country."),
                           field="pledge")


def _revision_to(seed: SeedFramework) -> Callable[[Framework], None]:
    def revise(framework: Framework) -> None:
        framework.revise_vocabulary(seed.statuses, seed.note or "Seed vocabulary updated.")

    return revise


class Directory(UseCases):
    """The use cases of stewards (and of organisation administrators, for invitations)."""

    def ensure_frameworks(self) -> None:
        """Define the seed frameworks, or revise their vocabularies to the seeds' latest.

        Safe to run by several processes at once: a definition or revision made meanwhile by
        another is found on retry, and an unchanged vocabulary is never revised.
        """
        for seed in seed_frameworks():
            framework_id = Framework.create_id(seed.code)
            if not self.exists(framework_id):
                with suppress(AlreadyExists):
                    self.define_framework(SYSTEM, seed.code, seed.name, seed.description,
                                          seed.statuses)
                continue
            with suppress(InvalidValue):  # already the seed's vocabulary
                self._change(Framework, framework_id, SYSTEM, _revision_to(seed))

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
        locality: str | None = None, translations: dict[str, dict[str, str]] | None = None,
    ) -> Recorded:
        """Register a commitment under an existing framework."""
        authorize(actor, Action.MANAGE_COMMITMENTS)
        self._get(Framework, framework_id)
        with acting_as(actor.account_id):
            commitment = Commitment.register(
                country=country, reference=reference, title=title, framework_id=framework_id,
                action_plan_id=action_plan_id, description=description, themes=themes,
                lead_institution=lead_institution, start_date=start_date, end_date=end_date,
                locality=locality, translations=translations or {})
        return self._save_new(
            commitment, N_("A commitment with this reference is already registered.")
        )

    def register_action_plan(self, actor: Actor, *, plan_id: str, country: str,
                             **details: Any) -> Recorded:
        """Register an action plan (number, title, period, status; see ``ActionPlan``)."""
        authorize(actor, Action.MANAGE_COMMITMENTS)
        with acting_as(actor.account_id):
            plan = ActionPlan.register(plan_id=plan_id, country=country, **details)
        return self._save_new(plan, N_("An action plan with this id is already registered."))

    def add_milestone(self, actor: Actor, commitment_id: UUID, milestone: Milestone
                      ) -> Recorded:
        """Add a milestone, with its own due date, to a commitment."""
        authorize(actor, Action.MANAGE_COMMITMENTS)
        return self._change(Commitment, commitment_id, actor,
                            lambda c: c.add_milestone(milestone))

    def embed_pledge(self, actor: Actor, commitment_id: UUID, pledge_id: UUID) -> Recorded:
        """Link a Summit pledge to a commitment of the same country's action plan."""
        authorize(actor, Action.MANAGE_COMMITMENTS)
        pledge = self._get(Commitment, pledge_id)

        def embed(commitment: Commitment) -> None:
            check_embedding(pledge, commitment)
            commitment.embed_pledge(pledge_id)

        return self._change(Commitment, commitment_id, actor, embed)

    @staticmethod
    def _not_oneself(actor: Actor, account_id: UUID) -> None:
        # A steward locking themselves out could leave nobody to manage Accord.
        if str(account_id) == actor.account_id:
            raise NotPermitted(N_("You cannot change your own role or deactivate yourself."))
