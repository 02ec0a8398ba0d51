"""The words the history pages use for kinds of event, fields and recorded values."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from accord.domain.countries import country_name
from accord.domain.languages import language_name
from accord.web.i18n import KIND_LABELS, PARTY_LABELS, ROLE_LABELS, STATE_LABELS, theme_label

EVENT_LABELS = {
    "commitment_registered": _l("Commitment registered"),
    "commitment_details_revised": _l("Details revised"),
    "milestone_added": _l("Milestone added"),
    "milestone_revised": _l("Milestone revised"),
    "pledge_embedded": _l("Summit pledge linked"),
    "claim_recorded": _l("Claim recorded"),
    "claim_revised": _l("Claim revised"),
    "claim_endorsed": _l("Government claim endorsed"),
    "claim_challenged": _l("Government claim challenged"),
    "claim_withdrawn": _l("Claim withdrawn"),
    "challenge_answered": _l("Challenge answered"),
    "organisation_registered": _l("Organisation registered"),
    "organisation_renamed": _l("Organisation renamed"),
    "organisation_scope_changed": _l("Countries changed"),
    "organisation_verified": _l("Organisation verified"),
    "organisation_suspended": _l("Organisation suspended"),
    "organisation_reinstated": _l("Organisation reinstated"),
    "account_invited": _l("Account invited"),
    "account_activated": _l("Invitation accepted"),
    "account_role_changed": _l("Role changed"),
    "account_deactivated": _l("Account deactivated"),
    "account_reactivated": _l("Account reactivated"),
    "action_plan_registered": _l("Action plan registered"),
    "action_plan_revised": _l("Action plan revised"),
    "framework_defined": _l("Framework defined"),
    "framework_vocabulary_revised": _l("Vocabulary revised"),
}

FIELD_LABELS = {
    "action_plan_id": _l("Action plan"), "attachments": _l("Files"),
    "challenge_id": _l("Challenged claim"), "challenges": _l("Challenges the claim"),
    "claim_id": _l("Current claim"), "claim_state": _l("Claim"),
    "countries": _l("Countries"), "country": _l("Country"),
    "description": _l("Description"), "due_date": _l("Due date"),
    "due_text": _l("Due"), "embedded_pledges": _l("Summit pledges"),
    "end_date": _l("End date"), "endorses": _l("Endorses the claim"),
    "evidence": _l("Evidence"), "framework_id": _l("Framework"),
    "kind": _l("Kind"), "language": _l("Language"),
    "lead_institution": _l("Lead institution"), "locality": _l("Locality"),
    "milestone": _l("Milestone"), "name": _l("Name"), "narrative": _l("Narrative"),
    "number": _l("Number"), "organisation_id": _l("Organisation"),
    "parent": _l("Part of milestone"), "party": _l("Party"),
    "period_end": _l("Period ends"), "period_start": _l("Period starts"),
    "plan_id": _l("Action plan id"), "reference": _l("Reference"), "role": _l("Role"),
    "start_date": _l("Start date"), "state": _l("State"), "status": _l("Status"),
    "statuses": _l("Statuses"), "suspended": _l("Suspended"), "themes": _l("Themes"),
    "title": _l("Title"), "translations": _l("Translations"), "verified": _l("Verified"),
    "vocabulary_version": _l("Vocabulary version"),
}

CLAIM_STATES = {"active": _l("Current"), "withdrawn": _l("Withdrawn")}


def event_label(kind: str) -> str:
    """What happened, in words."""
    label = EVENT_LABELS.get(kind)
    return str(label) if label is not None else kind.replace("_", " ").capitalize()


def field_label(name: str) -> str:
    """A field's name, in words."""
    label = FIELD_LABELS.get(name)
    return str(label) if label is not None else name.replace("_", " ").capitalize()


def shown(name: str, value: Any, names: dict[str, dict[str, str]]) -> str:
    """A recorded value as text: labels for codes, ``names[field][value]`` for ids (such as
    organisations), "—" for none."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return str(gettext("Yes") if value else gettext("No"))
    if isinstance(value, list):
        return ", ".join(shown(name, item, names) for item in value)
    if isinstance(value, dict):
        return _record(value, names)
    return _coded(name, str(value), names)


def _coded(name: str, value: str, names: dict[str, dict[str, str]]) -> str:
    labels: dict[str, Any] = {
        "party": PARTY_LABELS, "claim_state": CLAIM_STATES,
        "role": ROLE_LABELS, "state": STATE_LABELS, "kind": KIND_LABELS,  # StrEnum keys
        **names,
    }
    if name in labels and value in labels[name]:
        return str(labels[name][value])
    if name == "themes":
        return theme_label(value)
    if name in ("country", "countries"):
        return str(country_name(value))
    if name == "language":
        return language_name(value)
    return value


def _record(value: dict[str, Any], names: dict[str, dict[str, str]]) -> str:
    """A nested record (a status, a file, a translation) in one line."""
    for key in ("code", "name"):
        if isinstance(value.get(key), str):
            return str(value[key])
    return "; ".join(f"{key}: {shown(key, item, names)}" for key, item in value.items())
