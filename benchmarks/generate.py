"""A large, realistic data set for measuring Accord at scale, recorded through its own domain.

At full size (``--scale 1``): 100 countries, their action plans, 30,000 commitments (Summit
pledges among them, some embedded in action-plan commitments, milestones on about a third)
and 600,000 status claims by governments, civil-society organisations and the independent
reviewer: self-assessments, shadow reports, revisions, endorsements and challenges, with
withdrawals and the government's responses to challenges on top. Run from the project root:

    .venv/bin/python -m benchmarks.generate --scale 0.05 --data-dir /tmp/accord-bench

It writes into the Accord named by ``--data-dir`` (SQLite) or by ``ACCORD_DATABASE_URL``
(PostgreSQL), which must hold no commitment yet. The same seed gives the same data set.

Every event is made by the aggregates' own methods, as the use cases make them, inside
``acting_as`` the account a use case would act for (the system for set-up and imports, a
steward for the directory, each organisation's members for their claims), and saved with
``app.save(*aggregates)`` in large batches: one transaction per reporting round of a group of
countries, so that the log interleaves commitments and countries as real reporting does.
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

from accord.domain.account import Account, Role
from accord.domain.action_plan import ActionPlan, PlanStatus
from accord.domain.actor import acting_as
from accord.domain.base import AccordAggregate
from accord.domain.commitment import Commitment
from accord.domain.countries import country_name
from accord.domain.framework import Framework
from accord.domain.milestones import milestone
from accord.domain.organisation import Organisation, OrganisationKind
from accord.platform.application import AccordApplication
from accord.platform.directory import PLEDGE_FRAMEWORK, check_embedding
from accord.platform.policy import SYSTEM
from accord.services import Services
from accord.settings import Settings
from benchmarks import vocabulary as words
from benchmarks.reporting import Member, Reporter

SEED = 2016
FULL = {"countries": 100, "commitments": 30_000, "claims": 600_000}
GROUP = 10
"""Countries whose commitments report in the same rounds (and are held in memory together)."""
OGP = Framework.create_id("ogp-irm-completion")


@dataclass(frozen=True)
class Shape:
    """How big the data set is."""

    countries: int
    commitments: int
    claims: int

    @classmethod
    def at(cls, scale: float) -> Shape:
        """The full shape times ``scale``; countries shrink more slowly than commitments."""
        if not 0 < scale <= 1:
            raise ValueError("the scale is above 0 and at most 1")
        countries = max(2, min(FULL["countries"], round(FULL["countries"] * scale ** 0.5)))
        commitments = max(3 * countries, round(FULL["commitments"] * scale))
        return cls(countries, commitments, max(commitments, round(FULL["claims"] * scale)))


@dataclass
class Country:
    """A country's organisations and what it will register."""

    code: str
    government: Member
    civil_society: list[Member]
    commitments: int


class Generator:
    """Records the data set into ``app``, counting every event it saves."""

    def __init__(self, app: AccordApplication, shape: Shape, seed: int = SEED) -> None:
        self.app, self.shape = app, shape
        self.rng = random.Random(seed)  # noqa: S311 (made-up data, not secrets)
        self.events: Counter[str] = Counter()
        self.claims: Counter[str] = Counter()
        self.saves = 0

    def run(self) -> None:
        """Record everything: organisations, then each group of countries' plans,
        commitments and reporting rounds."""
        self.app.ensure_frameworks()
        vocabularies = {fid: self.app.framework(fid).current for fid in (OGP, PLEDGE_FRAMEWORK)}
        codes = sorted(self.rng.sample(words.COUNTRIES, self.shape.countries))
        if not words.SUMMIT & set(codes):  # a small data set has Summit pledges too
            codes[0] = self.rng.choice(sorted(words.SUMMIT & set(words.COUNTRIES)))
            codes.sort()
        sizes = apportion(self.shape.commitments - 3 * len(codes),
                          [self.rng.lognormvariate(0, 0.5) for _ in codes])
        countries, reviewer = self._organisations(codes, [3 + size for size in sizes])
        budgets = iter(apportion(self.shape.claims, [
            0.0 if self.rng.random() < 0.06 else self.rng.lognormvariate(0, 0.6)
            for _ in range(self.shape.commitments)]))
        for start in range(0, len(countries), GROUP):
            reporters = []
            for country in countries[start:start + GROUP]:
                commitments = self._register(country)
                reporters += [Reporter(c, country.government, country.civil_society,
                                       reviewer, vocabularies[c.framework_id], next(budgets),
                                       self.rng) for c in commitments]
            self._report(reporters)

    # -- the directory ----------------------------------------------------------------------

    def _organisations(self, codes: list[str], sizes: list[int]
                       ) -> tuple[list[Country], Member]:
        rng, aggregates = self.rng, []
        steward = self._member("Accord stewards", OrganisationKind.STEWARD, [], 1, aggregates,
                               registrar=SYSTEM.account_id)
        registrar = steward.accounts[0]
        reviewer = self._member("Independent Reporting Mechanism", OrganisationKind.REVIEWER,
                                codes, 2, aggregates, registrar)
        international = [
            self._member(name, OrganisationKind.CIVIL_SOCIETY,
                         sorted(rng.sample(codes, max(1, len(codes) // rng.randint(3, 6)))),
                         rng.randint(2, 3), aggregates, registrar)
            for name in words.INTERNATIONAL[:max(1, len(codes) // 15)]]
        countries = []
        for code, size in zip(codes, sizes, strict=True):
            name = country_name(code)
            government = self._member(f"Government of {name}", OrganisationKind.GOVERNMENT,
                                      [code], rng.randint(2, 4), aggregates, registrar)
            national = [self._member(f"{cso} {name}", OrganisationKind.CIVIL_SOCIETY, [code],
                                     rng.randint(1, 3), aggregates, registrar)
                        for cso in rng.sample(words.CSO_NAMES, rng.randint(2, 4))]
            others = [m for m in international if code in m.countries]
            countries.append(Country(code, government, national + others, size))
        self._save(aggregates)
        return countries, reviewer

    def _member(self, name: str, kind: OrganisationKind, countries: list[str], accounts: int,
                aggregates: list[AccordAggregate], registrar: str) -> Member:
        """An organisation with its administrator and members, invited and activated."""
        with acting_as(registrar):
            organisation = Organisation.register(name=name, kind=kind, countries=countries,
                                                 organisation_id=self._id())
            if self.rng.random() < 0.9:
                organisation.verify()
            members = [Account.invite(organisation_id=organisation.id, account_id=self._id(),
                                      role=Role.ADMINISTRATOR if n == 0 else Role.MEMBER)
                       for n in range(accounts)]
        for account in members:
            with acting_as(str(account.id)):
                account.activate()
        aggregates += [organisation, *members]
        return Member(str(organisation.id), [str(a.id) for a in members], countries,
                      kind.party)

    # -- plans and commitments --------------------------------------------------------------

    def _register(self, country: Country) -> list[Commitment]:
        """The country's action plans, commitments, milestones and embedded pledges."""
        rng = self.rng
        pledges = (max(1, country.commitments // 12)
                   if country.code in words.SUMMIT and country.commitments > 3 else 0)
        plans = self._plans(country.code, rng.randint(2, 6))
        per_plan = apportion(country.commitments - pledges, [rng.random() + 0.5 for _ in plans])
        commitments: list[Commitment] = []
        with acting_as(SYSTEM.account_id):
            for plan, count in zip(plans, per_plan, strict=True):
                for _ in range(count):
                    commitments.append(self._commitment(country.code, len(commitments) + 1,
                                                        plan))
            ogp = list(commitments)
            for number in range(1, pledges + 1):
                pledge = self._pledge(country.code, number)
                commitments.append(pledge)
                if ogp and rng.random() < 0.4:
                    host = rng.choice(ogp)
                    check_embedding(pledge, host)
                    host.embed_pledge(pledge.id)
        self._save([*plans, *commitments])
        return commitments

    def _plans(self, code: str, count: int) -> list[ActionPlan]:
        year, plans = self.rng.randint(2011, 2016), []
        with acting_as(SYSTEM.account_id):
            for number in range(1, count + 1):
                start = date(year, self.rng.choice([1, 7]), 1)
                end = add_months(start, 24) - timedelta(days=1)
                plans.append(ActionPlan.register(
                    plan_id=f"AP_{code}{number:02d}", country=code, number=number,
                    title=f"{country_name(code)} National Action Plan {number} "
                          f"({start.year}-{end.year})",
                    period_start=start, period_end=end,
                    status=PlanStatus.ENDED if end < date.today()
                    else PlanStatus.IMPLEMENTATION))
                year += 2
        return plans

    def _commitment(self, code: str, serial: int, plan: ActionPlan) -> Commitment:
        rng = self.rng
        themes = rng.sample(sorted(words.THEME_OBJECTS), rng.choices([1, 2, 3], [50, 35, 15])[0])
        institution = rng.choice(words.INSTITUTIONS)
        start = end = None
        if plan.period_start and plan.period_end and rng.random() < 0.95:
            start = plan.period_start + timedelta(days=rng.randint(0, 180))
            end = max(start, plan.period_end - timedelta(days=rng.randint(0, 90)))
        commitment = Commitment.register(
            country=code, reference=f"{code}{serial:04d}", title=words.title(rng, themes[0]),
            framework_id=OGP, action_plan_id=plan.plan_id,
            description=words.description(rng, themes[0], institution), themes=themes,
            lead_institution=institution, start_date=start, end_date=end)
        if rng.random() < 0.35:
            self._milestones(commitment, start, end)
        return commitment

    def _milestones(self, commitment: Commitment, start: date | None, end: date | None) -> None:
        steps = self.rng.randint(2, 5)
        for number, step in enumerate(words.MILESTONE_STEPS[:steps], start=1):
            due = (start + (end - start) * number / steps) if start and end else None
            commitment.add_milestone(milestone(reference=f"M{number}", title=step,
                                               due_date=due))
            if number == 2 and self.rng.random() < 0.2:
                commitment.add_milestone(milestone(reference="M2.1", parent="M2",
                                                   title="Pilot in selected regions",
                                                   due_date=due))

    def _pledge(self, code: str, number: int) -> Commitment:
        theme = self.rng.choice(sorted(words.THEME_OBJECTS))
        return Commitment.register(
            country=code, reference=f"{code}-SUMMIT-{number:02d}",
            title=words.title(self.rng, theme), framework_id=PLEDGE_FRAMEWORK,
            description=f"Pledge made at the 2016 Anti-Corruption Summit. "
                        f"{words.description(self.rng, theme, 'government')}",
            themes=[theme], lead_institution="")

    # -- reporting ----------------------------------------------------------------------------

    def _report(self, reporters: list[Reporter]) -> None:
        """Reporting rounds: in each, every commitment with claims left makes a few; saved
        together."""
        active = [r for r in reporters if r.remaining]
        while active:
            for reporter in active:
                reporter.play_round()
            self._save([r.commitment for r in active])
            active = [r for r in active if r.remaining]

    def _save(self, aggregates: Sequence[AccordAggregate]) -> None:
        for aggregate in aggregates:
            for event in aggregate.pending_events:
                self.events[type(event).__qualname__] += 1
                if isinstance(event, Commitment.StatusClaimed):
                    self.claims[claim_kind(event)] += 1
        self.app.save(*aggregates)
        self.saves += 1

    def _id(self) -> UUID:
        return UUID(int=self.rng.getrandbits(128), version=4)


def claim_kind(event: Commitment.StatusClaimed) -> str:
    """What kind of claim an event records."""
    if event.party == "independent_reviewer":
        return "reviewer rating"
    if event.endorses:
        return "endorsement"
    if event.challenges:
        return "challenge"
    if event.replaces:
        return "revision"
    return "self-assessment" if event.party == "government" else "shadow report"


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainders), summing exactly."""
    whole = sum(weights)
    if total <= 0 or whole <= 0:
        return [0] * len(weights)
    shares = [total * w / whole for w in weights]
    counts = [int(share) for share in shares]
    by_remainder = sorted(range(len(shares)), key=lambda i: counts[i] - shares[i])
    for i in by_remainder[:total - sum(counts)]:
        counts[i] += 1
    return counts


def add_months(day: date, months: int) -> date:
    """The first of the month ``months`` after ``day``'s month (``day`` is a first)."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def generate(app: AccordApplication, scale: float = 1.0, seed: int = SEED) -> Generator:
    """Record the data set at ``scale`` into ``app``; the generator holds the counts."""
    generator = Generator(app, Shape.at(scale), seed)
    generator.run()
    return generator


def report(generator: Generator, seconds: float) -> str:
    """A table of what was recorded and how fast."""
    total = sum(generator.events.values())
    lines = [f"Recorded {total:,} events in {seconds:.1f} s ({total / seconds:,.0f} events/s, "
             f"{generator.saves} transactions)."]
    lines += [f"  {name:<32} {count:>9,}" for name, count in sorted(generator.events.items())]
    lines.append("  claims by kind:")
    lines += [f"    {kind:<30} {count:>9,}" for kind, count in generator.claims.most_common()]
    return "\n".join(lines)


def main(argv: Iterable[str] | None = None) -> None:
    """Generate into the Accord named by ``--data-dir`` or the environment."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 is the full size")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--data-dir", type=Path, help="default: ACCORD_DATA_DIR or ./var")
    args = parser.parse_args(None if argv is None else list(argv))
    settings = Settings.from_env()
    if args.data_dir:
        settings = Settings(data_dir=args.data_dir.resolve(),
                            database_url=settings.database_url)
    services = Services(settings)
    try:
        if has_commitments(services):
            raise SystemExit("this Accord already holds commitments: give an empty one")
        started = time.perf_counter()
        generator = generate(services.app, args.scale, args.seed)
        print(report(generator, time.perf_counter() - started))
    finally:
        services.close()


def has_commitments(services: Services) -> bool:
    """Whether any commitment is recorded (the read model need not be up to date)."""
    topic = f"{Commitment.Registered.__module__}:{Commitment.Registered.__qualname__}"
    found: Any = services.app.recorder.select_notifications(start=1, limit=1, topics=[topic])
    return bool(found)


if __name__ == "__main__":
    main()
