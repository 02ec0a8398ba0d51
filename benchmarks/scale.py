"""Accord at a real scale: rebuild rates, page latencies under load, memory of the workers.

Run from the project root (wrk comes from Debian's package ``wrk``; without it a small
threaded client of this script's own is used):

    .venv/bin/python -m benchmarks.scale --scale 0.05
    ACCORD_BENCH_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python -m benchmarks.scale --scale 1

For each backend (SQLite, and PostgreSQL when ACCORD_BENCH_POSTGRES_URL names a server, in a
database ``accord_bench`` created for the run and dropped after it) the script:

1. generates the data set (``benchmarks/generate.py``) into a fresh Accord, or reuses the one
   named by ``--data-dir`` / kept by ``--keep``;
2. rebuilds every read model, as ``accord projections rebuild`` does, and reports events of the
   log replayed per second;
3. serves Accord with gunicorn and ``deploy/gunicorn.conf.py`` as deployed, and loads each
   kind of page in turn with 20 concurrent clients (many different countries, commitments
   and searches, so that no cache flatters), reporting p50 / p95 / p99 latency;
4. reports the resident memory of every gunicorn worker after the load.

Kinds of page whose first address does not answer 200 are reported as missing. Not a test:
nothing is asserted; the targets are printed beside the figures.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
from sqlalchemy import select

from accord.projections import tables
from accord.services import Services
from accord.settings import Settings
from benchmarks import load
from benchmarks.generate import generate, report
from benchmarks.vocabulary import THEME_OBJECTS

ROOT = Path(__file__).resolve().parents[1]
BENCH_DATABASE = "accord_bench"
SECRET = os.urandom(16).hex()
"""The session key of the served Accord (nobody signs in during the benchmark)."""
TARGETS = {"rebuild": 50_000, "p95": 100.0, "rss": 200.0}
SEARCHES = ["beneficial ownership", "procurement", "budget", "whistleblowers", "open data",
            "asset declarations", "lobbyists", "contracts", "extractive", "information",
            "registry", "municipalities", "audit", "journalists", "training"]


@dataclass(frozen=True)
class World:
    """What the addresses are made of: the data set's countries (with how many commitments
    each has), commitments, plans and themes."""

    countries: dict[str, int]
    commitments: list[str]
    plans: list[str]
    themes: list[str]

    def country_lists(self) -> list[str]:
        """Every country's list: each agreement state, each existing page, three orders."""
        return [f"/countries/{code}?{query}" for code, total in self.countries.items()
                for query in list_queries(total)]


@dataclass(frozen=True)
class PageKind:
    """A kind of page and the addresses that load it."""

    name: str
    addresses: Callable[[World, random.Random], list[str]]


AGREEMENTS = ["", "agreed", "contested", "awaiting_government", "awaiting_civil_society",
              "not_reported"]
SORTS = ["", "-end_date", "title"]
PER_PAGE = 50


def list_queries(total: int) -> list[str]:
    """Query strings for a list of ``total`` commitments: filters, orders, existing pages."""
    pages = range(1, min(3, -(-total // PER_PAGE)) + 1)
    return [f"agreement={agreement}&sort={sort}&page={page}" for agreement in AGREEMENTS
            for sort in SORTS for page in (pages if not agreement else [1])]


def searches(world: World, rng: random.Random) -> list[str]:
    """Every search word alone, per country, per agreement state, and overdue ones."""
    return [f"/search?q={quote(word)}{extra}" for word in SEARCHES
            for extra in ["", "&overdue=yes", *(f"&agreement={a}" for a in AGREEMENTS[1:]),
                          *(f"&country={c}" for c in world.countries)]]


PAGES = [
    PageKind("home", lambda w, r: ["/"]),
    PageKind("country", lambda w, r: w.country_lists()),
    PageKind("commitment", lambda w, r: [f"/commitments/{c}" for c in w.commitments]),
    PageKind("search", searches),
    PageKind("theme", lambda w, r: [f"/themes/{t}?agreement={a}&sort={s}" for t in w.themes
                                    for a in AGREEMENTS for s in SORTS]),
    PageKind("api countries", lambda w, r: ["/api/v1/countries"]),
    PageKind("api commitments", lambda w, r: [
        f"/api/v1/commitments?country={c}{q}" for c in w.countries
        for q in ["", *(f"&agreement={a}" for a in AGREEMENTS[1:]),
                  *(f"&q={quote(word)}" for word in SEARCHES)]]),
    PageKind("api commitment", lambda w, r: [f"/api/v1/commitments/{c}"
                                             for c in w.commitments]),
    PageKind("csv", lambda w, r: [f"/commitments.csv?country={c}&agreement={a}"
                                  for c in w.countries for a in AGREEMENTS]),
    PageKind("feed", lambda w, r: ["/feeds/changes.atom", *(
        f"/feeds/countries/{c}.atom" for c in w.countries), *(
        f"/feeds/commitments/{c}.atom" for c in w.commitments)]),
]
"""Every kind of page measured; add a kind here to measure it too. Each kind has hundreds or
thousands of addresses, so that a worker's memory of pages (ACCORD_PAGE_CACHE_MB) rarely
answers for it; the home page and the list of countries have one address each, and are
answered from that memory after their first rendering at each position of the log."""


@dataclass
class Results:
    """What one backend measured."""

    backend: str
    events: int = 0
    generation: tuple[float, int] | None = None
    rebuilds: list[tuple[str, float]] = field(default_factory=list)
    rebuild_rss: float = 0.0
    pages: dict[str, load.Latency | None] = field(default_factory=dict)
    workers: list[float] = field(default_factory=list)


def main() -> None:
    """Measure each backend, then print the summary table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=2016)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--data-dir", type=Path, help="reuse (or fill) this SQLite data dir")
    parser.add_argument("--keep", action="store_true",
                        help="keep the data dir and the PostgreSQL database for another run")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per kind")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds per kind")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--pages", help="comma-separated kinds of page (default: all)")
    parser.add_argument("--no-rebuild", action="store_true")
    args = parser.parse_args()
    server = os.environ.get("ACCORD_BENCH_POSTGRES_URL", "")
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    if "postgresql" in backends and not server:
        print("(PostgreSQL skipped: set ACCORD_BENCH_POSTGRES_URL to a server URL)")
        backends.remove("postgresql")
    kinds = [k for k in PAGES if not args.pages or k.name in args.pages.split(",")]
    before = reference_loop()
    print(f"load tool: {load.tool()}; {os.cpu_count()} cores; "
          f"load average {os.getloadavg()[0]:.1f} before starting; "
          f"reference loop {before:.2f} s")
    results = [run(backend, args, server, kinds) for backend in backends]
    print()
    print(summary(results, kinds, args.clients, (before, reference_loop())))


def reference_loop() -> float:
    """Seconds that a fixed loop of Python arithmetic takes here, the best of three: how fast
    this machine's cores are at the time, so that runs on different days (or virtual machines
    whose hosts are busier) can be compared. A run is only as fast as its reference loop."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        sum(i * i for i in range(10**7))
        best = min(best, time.perf_counter() - started)
    return best


def run(backend: str, args: argparse.Namespace, server: str, kinds: list[PageKind]
        ) -> Results:
    """Generate (or reuse), rebuild, load and measure on one backend."""
    results = Results("SQLite" if backend == "sqlite" else "PostgreSQL")
    print(f"\n== {results.backend}")
    with accord_for(backend, args, server) as settings:
        services = Services(settings)
        try:
            results.events = services.app.max_notification_id()
            if not has_data(services):
                started = time.perf_counter()
                generator = generate(services.app, args.scale, args.seed)
                seconds = time.perf_counter() - started
                print(report(generator, seconds))
                results.events = services.app.max_notification_id()
                results.generation = (seconds, results.events)
            if not args.no_rebuild:
                results.rebuilds, results.rebuild_rss = rebuild(services, results.events)
            services.caught_up()
            world = world_of(services, random.Random(args.seed))  # noqa: S311
        finally:
            services.close()
        with gunicorn(settings) as (base, master):
            results.pages = measure_pages(base, world, kinds, args)
            results.workers = worker_rss(master)
        print(f"worker RSS after the load: {', '.join(f'{m:.0f} MB' for m in results.workers)}")
    return results


def has_data(services: Services) -> bool:
    """Whether a data set was generated here already."""
    return services.app.max_notification_id() > 1_000


def rebuild(services: Services, events: int) -> tuple[list[tuple[str, float]], float]:
    """Rebuild every read model in this process, timing each."""
    timings = []
    for projector in services.projectors:
        started = time.perf_counter()
        projector.rebuild()
        seconds = time.perf_counter() - started
        timings.append((projector.projection.name, seconds))
        print(f"rebuilt {projector.projection.name:<10} in {seconds:7.2f} s: "
              f"{events / seconds:>9,.0f} log events/s")
    rss = peak_rss_mb()
    print(f"peak RSS of this process (generation and rebuilds): {rss:.0f} MB")
    return timings, rss


def world_of(services: Services, rng: random.Random) -> World:
    """Countries, a few thousand commitments and the plans, drawn from the read model."""
    c, n = tables.commitments, tables.countries
    with services.database.reader.connect() as connection:
        countries = {row.country: row.total for row in
                     connection.execute(select(n.c.country, n.c.total).order_by(n.c.country))}
        commitments = list(connection.execute(select(c.c.commitment_id)).scalars())
        plans = list(connection.execute(select(tables.plans.c.plan_id)).scalars())
    rng.shuffle(commitments)
    return World(countries, sorted(commitments[:3_000]), sorted(plans), sorted(THEME_OBJECTS))


def measure_pages(base: str, world: World, kinds: list[PageKind], args: argparse.Namespace
                  ) -> dict[str, load.Latency | None]:
    """Each kind of page in turn: a warm-up, then the measured load."""
    results: dict[str, load.Latency | None] = {}
    for kind in kinds:
        addresses = kind.addresses(world, random.Random(args.seed))  # noqa: S311
        random.Random(args.seed).shuffle(addresses)  # noqa: S311
        status = load.status_of(base + addresses[0])
        if status != 200:
            print(f"{kind.name:<16} missing: {addresses[0]} answered {status}")
            results[kind.name] = None
            continue
        load.run(base, addresses, clients=args.clients, seconds=args.warmup)
        latency = load.run(base, addresses, clients=args.clients, seconds=args.duration)
        results[kind.name] = latency
        print(f"{kind.name:<16} {latency.line()}  ({len(addresses):,} addresses)")
    return results


@contextmanager
def accord_for(backend: str, args: argparse.Namespace, server: str) -> Iterator[Settings]:
    """Settings for the run's Accord: a data dir, and the ``accord_bench`` database."""
    data_dir = args.data_dir
    temporary = None
    if data_dir is None:
        temporary = Path(tempfile.mkdtemp(prefix=f"accord-scale-{backend}-", dir="/var/tmp"))
        data_dir = temporary
    data_dir = data_dir.resolve()
    url = ""
    if backend == "postgresql":
        url = postgres_database(server, fresh=not args.keep)
        data_dir = data_dir / "postgresql"
    try:
        yield Settings(data_dir=data_dir, database_url=url, secret_key=SECRET)
    finally:
        if args.keep:
            print(f"kept: data dir {data_dir}" + (f", database {BENCH_DATABASE}" if url else ""))
        else:
            if url:
                drop_database(server)
            if temporary is not None:
                shutil.rmtree(temporary, ignore_errors=True)


def postgres_database(server: str, *, fresh: bool) -> str:
    """The URL of the ``accord_bench`` database on ``server``, created (anew if ``fresh``)."""
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                    (BENCH_DATABASE,)).fetchone()
        if exists and fresh:
            connection.execute(f'DROP DATABASE "{BENCH_DATABASE}" WITH (FORCE)')
        if not exists or fresh:
            connection.execute(f'CREATE DATABASE "{BENCH_DATABASE}"')
    return f"{server.rpartition('/')[0]}/{BENCH_DATABASE}"


def drop_database(server: str) -> None:
    """Drop the ``accord_bench`` database."""
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)')


@contextmanager
def gunicorn(settings: Settings) -> Iterator[tuple[str, int]]:
    """Accord served by gunicorn with deploy/gunicorn.conf.py, on a free local port."""
    port = free_port()
    environment = {**os.environ, "HOST": "127.0.0.1", "PORT": str(port),
                   "ACCORD_DATA_DIR": str(settings.data_dir),
                   "ACCORD_DATABASE_URL": settings.database_url,
                   "ACCORD_SECRET_KEY": SECRET}
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    log = (settings.data_dir / "gunicorn.log").open("wb")
    process = subprocess.Popen(  # noqa: S603 (our own gunicorn, our own configuration)
        [str(Path(sys.executable).with_name("gunicorn")), "-c", "deploy/gunicorn.conf.py"],
        cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process)
        yield base, process.pid
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def wait_until_up(base: str, process: subprocess.Popen[Any]) -> None:
    """Until the health check answers (a minute at most)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn stopped; see gunicorn.log in the data dir")
        if load.status_of(base + "/healthz") == 200:
            return
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer within a minute")


def free_port() -> int:
    """A local port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def worker_rss(master: int) -> list[float]:
    """The resident memory, in MB, of each worker of the gunicorn master ``master``."""
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines()
                          if ":" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(master):
            sizes.append(int(fields["VmRSS"].split()[0]) / 1024)
    return sorted(sizes)


def peak_rss_mb() -> float:
    """The peak resident memory of this process, in MB."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def summary(results: list[Results], kinds: list[PageKind], clients: int,
            reference: tuple[float, float]) -> str:
    """The table of every figure, one column per backend, with the targets; ``reference``
    holds the seconds of ``reference_loop`` before and after the run."""
    head = f"{'':<30}" + "".join(f"{r.backend:>26}" for r in results)
    lines = [head, "-" * len(head)]

    def row(label: str, cells: list[str]) -> None:
        lines.append(f"{label:<30}" + "".join(f"{cell:>26}" for cell in cells))

    row("events in the log", [f"{r.events:,}" for r in results])
    row("generation", [f"{g[0]:.0f} s ({g[1] / g[0]:,.0f} ev/s)" if (g := r.generation)
                       else "reused" for r in results])
    names = [name for name, _ in results[0].rebuilds] if results else []
    for name in names:
        row(f"rebuild {name} (>= {TARGETS['rebuild']:,}/s)",
            [next((f"{r.events / s:,.0f} ev/s ({s:.1f} s)" for n, s in r.rebuilds
                   if n == name), "-") for r in results])
    row("peak RSS of the rebuild", [f"{r.rebuild_rss:.0f} MB" for r in results])
    row(f"page, {clients} clients: p50/p95/p99", ["ms" for _ in results])
    for kind in kinds:
        row(f"  {kind.name}", [(lat.cells() if (lat := r.pages.get(kind.name)) else "missing")
                               for r in results])
    row(f"worker RSS (< {TARGETS['rss']:.0f} MB)",
        [" / ".join(f"{m:.0f}" for m in r.workers) + " MB" for r in results])
    lines.append(f"(targets: p95 under {TARGETS['p95']:.0f} ms; run {time.strftime('%F %T')}, "
                 f"load average {os.getloadavg()[0]:.1f} at the end; reference loop "
                 f"{reference[0]:.2f} s before, {reference[1]:.2f} s after)")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
