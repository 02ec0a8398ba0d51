"""Demo data: three countries, their organisations, accounts, commitments and claims.

All of it is invented for demonstrations (``demo.json`` beside this module). Loading is
idempotent: the events are saved in one atomic transaction, only if they are not there yet,
and each demo person's details are stored only if missing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any
from uuid import UUID, uuid5

from accord.domain.account import Account, Role
from accord.domain.action_plan import ActionPlan, PlanStatus
from accord.domain.actor import acting_as
from accord.domain.base import AccordAggregate
from accord.domain.commitment import Commitment
from accord.domain.framework import Framework
from accord.domain.ids import ACCORD_NAMESPACE
from accord.domain.milestones import milestone
from accord.domain.organisation import Organisation, OrganisationKind
from accord.domain.values import ReportingPeriod
from accord.platform.application import AccordApplication
from accord.platform.people import PeopleStore
from accord.platform.policy import SYSTEM, Actor, reporting_party


@dataclass(frozen=True)
class DemoAccount:
    """A demo account, as printed for the person trying Accord."""

    email: str
    password: str
    display_name: str
    organisation: str
    kind: str
    country: str


@dataclass(frozen=True)
class DemoResult:
    """What ``load_demo`` did."""

    loaded_events: bool
    position: int
    accounts: list[DemoAccount]


def demo_id(kind: str, key: str) -> UUID:
    """The fixed id of a demo thing, so that loading twice finds the first load."""
    return uuid5(ACCORD_NAMESPACE, f"demo-{kind}:{key}")


def load_demo(app: AccordApplication, people: PeopleStore) -> DemoResult:
    """Record the demo data unless it is already recorded, and store the demo people."""
    data = json.loads(resources.files(__package__).joinpath("demo.json").read_text("utf-8"))
    first_organisation = demo_id("organisation", data["countries"][0]["organisations"][0]["key"])
    loaded = not app.exists(first_organisation)
    if loaded:
        app.save(*_aggregates(app, data))
    accounts = _store_people(people, data)
    return DemoResult(loaded, app.max_notification_id(), accounts)


def _aggregates(app: AccordApplication, data: dict[str, Any]) -> list[AccordAggregate]:
    aggregates: list[AccordAggregate] = []
    for spec in data["organisations"]:
        aggregates += _member(spec, spec["countries"])
    for country in data["countries"]:
        actors: dict[str, Actor] = {}
        for spec in country["organisations"]:
            organisation, account = _member(spec, [country["country"]])
            aggregates += [organisation, account]
            actors[spec["key"]] = Actor(str(account.id), str(organisation.id), organisation.kind,
                                        frozenset(organisation.countries), role=account.role)
        commitments = {spec["reference"]: _commitment(app, country["country"], spec, actors)
                       for spec in country["commitments"]}
        _embed(country, commitments)
        aggregates += [*_plans(country["country"], country["commitments"]),
                       *commitments.values()]
    return aggregates


def _member(spec: dict[str, Any], countries: list[str]) -> tuple[Organisation, Account]:
    """An organisation with one administrator, invited and already active."""
    with acting_as(SYSTEM.account_id):
        organisation = Organisation.register(
            name=spec["name"], kind=OrganisationKind(spec["kind"]), countries=countries,
            organisation_id=demo_id("organisation", spec["key"]))
        organisation.verify()
        account = Account.invite(organisation_id=organisation.id, role=Role.ADMINISTRATOR,
                                 account_id=demo_id("account", spec["key"]))
    with acting_as(str(account.id)):
        account.activate()
    return organisation, account


def _commitment(app: AccordApplication, country: str, spec: dict[str, Any],
                actors: dict[str, Actor]) -> Commitment:
    framework = app.framework(Framework.create_id(spec["framework"]))
    with acting_as(SYSTEM.account_id):
        commitment = Commitment.register(
            country=country, reference=spec["reference"], title=spec["title"],
            framework_id=framework.id, action_plan_id=spec["action_plan_id"],
            description=spec["description"], themes=spec["themes"],
            lead_institution=spec["lead_institution"],
            start_date=_date(spec["start_date"]), end_date=_date(spec["end_date"]))
        for item in spec.get("milestones", []):
            commitment.add_milestone(milestone(reference=item["reference"], title=item["title"],
                                               due_date=_date(item.get("due_date"))))
    ids: list[str] = []
    for number, claim in enumerate(spec["claims"], start=1):
        actor = actors[claim["by"]]
        claim_id = str(demo_id("claim", f"{country}:{spec['reference']}:{number}"))
        ids.append(claim_id)
        with acting_as(actor.account_id):
            _claim(commitment, framework, actor, claim_id, claim, ids)
            ids[-1] = _follow_up(commitment, framework, actors, claim_id, claim, ids)
    return commitment


def _follow_up(commitment: Commitment, framework: Framework, actors: dict[str, Actor],
               claim_id: str, claim: dict[str, Any], ids: list[str]) -> str:
    """A claim's revision, withdrawal, and the government's response to a challenge; returns
    the id of the claim that now stands for it (its revision, if revised)."""
    actor = actors[claim["by"]]
    assert actor.organisation_id is not None
    latest = claim_id
    if "revision" in claim:
        latest = str(demo_id("revision", claim_id))
        _claim(commitment, framework, actor, latest, {**claim, **claim["revision"]}, ids,
               replaces=claim_id, reason=claim["revision"]["reason"])
    if "withdrawal" in claim:
        commitment.withdraw_claim(claim_id=latest, organisation_id=actor.organisation_id,
                                  reason=claim["withdrawal"])
    if "response" in claim:
        challenged = commitment.claims[ids[claim["challenges"]]]
        responder = next(a for a in actors.values()
                         if a.organisation_id == challenged.organisation_id)
        with acting_as(responder.account_id):
            commitment.respond(response_id=str(demo_id("response", claim_id)),
                               challenge_id=claim_id,
                               organisation_id=challenged.organisation_id,
                               narrative=claim["response"]["narrative"],
                               evidence=claim["response"].get("evidence", []), language="en")
    return latest


def _claim(commitment: Commitment, framework: Framework, actor: Actor, claim_id: str,
           claim: dict[str, Any], ids: list[str], replaces: str | None = None,
           reason: str | None = None) -> None:
    assert actor.organisation_id is not None
    endorses = ids[claim["endorses"]] if "endorses" in claim else None
    challenges = ids[claim["challenges"]] if "challenges" in claim else None
    status = commitment.claims[endorses].status if endorses else claim["status"]
    commitment.claim_status(
        claim_id=claim_id, party=reporting_party(actor, commitment.country),
        organisation_id=actor.organisation_id, status=status,
        vocabulary=framework.current, narrative=claim["narrative"],
        evidence=claim.get("evidence", []),
        period=ReportingPeriod(date.fromisoformat(claim["period"][0]),
                               date.fromisoformat(claim["period"][1])),
        replaces=replaces, revision_reason=reason, milestone=claim.get("milestone"),
        language="en", endorses=endorses, challenges=challenges)


def _plans(country: str, specs: list[dict[str, Any]]) -> list[AccordAggregate]:
    """The action plans the commitments name: numbered by their id, spanning their dates."""
    plans: list[AccordAggregate] = []
    for plan_id in dict.fromkeys(spec["action_plan_id"] for spec in specs
                                 if spec["action_plan_id"]):
        members = [spec for spec in specs if spec["action_plan_id"] == plan_id]
        start = date.fromisoformat(min(s["start_date"] for s in members if s["start_date"]))
        end = date.fromisoformat(max(s["end_date"] for s in members if s["end_date"]))
        number = int("".join(ch for ch in plan_id if ch.isdigit()) or 0) or None
        with acting_as(SYSTEM.account_id):
            plans.append(ActionPlan.register(
                plan_id=plan_id, country=country, number=number,
                title=f"National Action Plan {number} (demo)", period_start=start,
                period_end=end,
                status=PlanStatus.ENDED if end < date.today() else PlanStatus.IMPLEMENTATION))
    return plans


def _embed(country: dict[str, Any], commitments: dict[str, Commitment]) -> None:
    """Link the Summit pledges the demo embeds in action-plan commitments."""
    with acting_as(SYSTEM.account_id):
        for spec in country["commitments"]:
            for reference in spec.get("embeds", []):
                commitments[spec["reference"]].embed_pledge(commitments[reference].id)


def _store_people(people: PeopleStore, data: dict[str, Any]) -> list[DemoAccount]:
    members = [(spec, "") for spec in data["organisations"]] + [
        (spec, country["country"])
        for country in data["countries"] for spec in country["organisations"]]
    accounts = []
    for spec, country in members:
        account_id = str(demo_id("account", spec["key"]))
        person = spec["account"]
        if people.get(account_id) is None:
            people.save(account_id, email=person["email"], display_name=person["name"],
                        password=data["password"])
        accounts.append(DemoAccount(person["email"], data["password"], person["name"],
                                    spec["name"], spec["kind"], country))
    return accounts


def _date(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)
