"""The account journeys that touch both the event log and the personal-data store."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from uuid import UUID, uuid4, uuid5

from accord.domain.account import AccountState, Role
from accord.domain.errors import N_, InvalidValue
from accord.domain.ids import ACCORD_NAMESPACE
from accord.domain.organisation import OrganisationKind
from accord.platform.application import AccordApplication
from accord.platform.drafts import DraftStore
from accord.platform.errors import AlreadyExists, NotFound
from accord.platform.invitations import InvitationStore
from accord.platform.passwords import check_new_password
from accord.platform.people import PeopleStore
from accord.platform.policy import SYSTEM, Action, Actor, Resource, authorize
from accord.platform.sessions import SessionStore

STEWARDS_ORGANISATION = uuid5(ACCORD_NAMESPACE, "organisation:stewards")


@dataclass(frozen=True)
class Invitation:
    """An invitation just made: the token goes into the link sent to ``email``."""

    account_id: str
    email: str
    token: str
    position: int


class AccountService:
    """Inviting, accepting, changing passwords, ending sessions, deactivating, erasing."""

    def __init__(self, app: AccordApplication, people: PeopleStore,
                 invitations: InvitationStore, sessions: SessionStore,
                 drafts: DraftStore) -> None:
        self.app = app
        self.people = people
        self.drafts = drafts
        self.invitations = invitations
        self.sessions = sessions

    def invite(self, actor: Actor, *, organisation_id: UUID, role: Role, email: str,
               display_name: str) -> Invitation:
        """Open an invited account for a person and make the link that activates it.

        The person is stored first (the e-mail must be new), then the event recorded; if the
        event is refused, the person is removed again, so nothing is left half-made.
        """
        # Refused first: "this e-mail already has an account" is not for everyone to learn.
        authorize(actor, Action.INVITE, Resource(organisation_id=str(organisation_id)))
        account_id = uuid4()
        _check_email(email)
        self.people.add(str(account_id), email=email, display_name=_name(display_name))
        try:
            recorded = self.app.invite_account(actor, organisation_id=organisation_id,
                                               role=role, account_id=account_id)
        except BaseException:
            self.people.remove_unactivated(str(account_id))
            raise
        token = self.invitations.create(str(account_id), actor.account_id)
        return Invitation(str(account_id), email.strip().lower(), token, recorded.position)

    def accept(self, token: str, *, display_name: str, password: str) -> tuple[str, int]:
        """Activate the invited account with the person's password; returns (account, position)."""
        invitation = self.invitations.find(token)
        if invitation is None:
            raise NotFound(N_("This invitation link is not valid: it was used already, it has "
                              "expired or it was withdrawn. Ask for a new invitation."))
        account = self.app.account(UUID(invitation.account_id))
        if account.state is not AccountState.INVITED:
            raise NotFound(N_("This invitation was withdrawn. Ask for a new invitation."))
        check_new_password(password)
        name = _name(display_name)
        if not self.invitations.use(token):
            raise NotFound(N_("This invitation link has just been used or has expired."))
        self.people.set_password(invitation.account_id, password, display_name=name)
        recorded = self.app.activate_account(UUID(invitation.account_id))
        return invitation.account_id, recorded.position

    def change_password(self, actor: Actor, *, current: str, new: str) -> None:
        """Replace the password and end every session of the account (the caller starts one)."""
        if not self.people.verify_password(actor.account_id, current):
            raise InvalidValue(N_("Your current password is not right."),
                               field="current_password")
        check_new_password(new, field="new_password")
        if new == current:
            raise InvalidValue(N_("The new password must differ from the current one."),
                               field="new_password")
        self.people.set_password(actor.account_id, new)
        self.sessions.end_all(actor.account_id)

    def deactivate(self, actor: Actor, account_id: UUID, reason: str) -> int:
        """Deactivate an account and end its sessions; returns the log position."""
        recorded = self.app.deactivate_account(actor, account_id, reason)
        self.sessions.end_all(str(account_id))
        return recorded.position

    def erase(self, account_id: UUID) -> bool:
        """Remove a person's personal data for good; the account's history stays readable.

        The account is deactivated first (an event that says why), so that it can never act
        again; then the person, their sessions, invitations and drafts are deleted.
        """
        account = self.app.account(account_id)
        if account.state is not AccountState.DEACTIVATED:
            self.app.deactivate_account(SYSTEM, account_id, "Personal data erased on request.")
        self.sessions.end_all(str(account_id))
        self.invitations.withdraw(str(account_id))
        self.drafts.delete_all(str(account_id))
        return self.people.erase(str(account_id))

    def create_steward(self, email: str, display_name: str) -> Invitation:
        """Invite an administrator into the stewards' organisation (made on first use)."""
        if not self.app.exists(STEWARDS_ORGANISATION):
            with suppress(AlreadyExists):
                self.app.register_organisation(
                    SYSTEM, name="Accord stewards", kind=OrganisationKind.STEWARD,
                    countries=[], organisation_id=STEWARDS_ORGANISATION)
        return self.invite(SYSTEM, organisation_id=STEWARDS_ORGANISATION,
                           role=Role.ADMINISTRATOR, email=email, display_name=display_name)


def _name(display_name: str) -> str:
    name = display_name.strip()
    if not name or len(name) > 200:
        raise InvalidValue(N_("Enter a name of 200 characters or fewer."), field="display_name")
    return name


def _check_email(email: str) -> None:
    address = email.strip()
    local, _, domain = address.partition("@")
    if not local or "." not in domain or len(address) > 320 or any(c.isspace() for c in address):
        raise InvalidValue(N_("Enter an e-mail address in the right format, like "
                              "name@example.org."), field="email")


__all__ = ["STEWARDS_ORGANISATION", "AccountService", "Invitation"]
