"""How long imports take: the real 259-row OGP sample and a generated 10,000-row file.

Run from the project root:

    .venv/bin/python benchmarks/imports.py

Each file is imported into a fresh, temporary SQLite data dir (and into a fresh PostgreSQL
database when ACCORD_BENCH_POSTGRES_URL names a server, such as
postgresql://postgres@127.0.0.1:5432/postgres). The script prints the wall time of the import
(reading, checking and the one atomic save), of the read models' catch-up, and of a second
import of the same file (which records nothing). Not a test: nothing is asserted.
"""

from __future__ import annotations

import csv
import os
import random
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

from accord.platform.imports.ogp import import_ogp
from accord.platform.imports.ogp_row import COLUMNS
from accord.platform.policy import SYSTEM
from accord.services import Services
from accord.settings import Settings

SAMPLE = Path(__file__).parents[1].parent / "shared" / "data" / "ogp_commitments_sample.csv"
ROWS = 10_000
MEMBERS = ["ALB", "ARG", "ARM", "AUS", "BGR", "BRA", "CAN", "CHL", "CIV", "COL", "CRI", "CZE",
           "DEU", "DNK", "DOM", "ECU", "EST", "FIN", "FRA", "GEO", "GHA", "GRC", "GTM", "HND",
           "HRV", "IDN", "IRL", "ISR", "ITA", "JAM", "JOR", "KEN", "KGZ", "XKX", "MEX", "NGA",
           "PER", "PHL", "PRY", "ROU", "SEN", "SRB", "SVK", "TUN", "UKR", "URY", "USA", "ZAF",
           "ARBA", "MXJL", "NGKD", "COBO", "PHQC"]
LOCALITIES = {"ARBA": "Buenos Aires, Argentina", "MXJL": "Jalisco, Mexico",
              "NGKD": "Kaduna State, Nigeria", "COBO": "Bogotá, Colombia",
              "PHQC": "Quezon City, Philippines"}
WORDS = ["open", "government", "transparency", "budget", "procurement", "contracts", "data",
         "portal", "citizens", "ministry", "council", "integrity", "beneficial", "ownership",
         "registry", "publish", "monitor", "audit", "participation", "access", "information",
         "whistleblower", "protection", "lobbying", "asset", "declarations", "municipal",
         "justice", "extractive", "revenue", "fiscal", "civic", "space"]
RATINGS = (["Not Started", "Limited", "Substantial", "Complete", "Withdrawn", "Unclear", "ND",
            "NR", "NA"], [6, 20, 18, 12, 1, 1, 25, 15, 2])


def main() -> None:
    """Generate the big file, then time each file on each backend."""
    with tempfile.TemporaryDirectory(prefix="accord-bench-") as folder:
        generated = Path(folder) / "ogp_10000.csv"
        generate(generated, ROWS, random.Random(2016))  # noqa: S311 (made-up data, not secrets)
        files = ([("sample (259 rows)", SAMPLE)] if SAMPLE.is_file() else []) + [
            (f"generated ({ROWS:,} rows)", generated)]
        if not SAMPLE.is_file():
            print(f"(the real sample is not at {SAMPLE}; timing the generated file only)")
        print(f"generated file: {generated.stat().st_size / 1e6:.1f} MB")
        backends = [("SQLite", None)]
        if os.environ.get("ACCORD_BENCH_POSTGRES_URL"):
            backends.append(("PostgreSQL", os.environ["ACCORD_BENCH_POSTGRES_URL"]))
        for backend, server in backends:
            for name, path in files:
                with settings_for(Path(folder), server) as settings:
                    measure(f"{backend:<10} {name}", settings, path)


def measure(label: str, settings: Settings, path: Path) -> None:
    """Import the file into an empty Accord; print the times and the summary line."""
    services = Services(settings)
    try:
        data = path.read_bytes()
        started = time.perf_counter()
        report = import_ogp(services.app, SYSTEM, data, source_name=path.name)
        imported = time.perf_counter()
        services.caught_up(report.position)
        caught_up = time.perf_counter()
        import_ogp(services.app, SYSTEM, data, source_name=path.name)
        again = time.perf_counter()
        print(f"{label}: import {imported - started:6.2f} s, read models "
              f"{caught_up - imported:6.2f} s, second import {again - caught_up:6.2f} s")
        print(f"    {report.summary()}")
    finally:
        services.close()


@contextmanager
def settings_for(folder: Path, server: str | None) -> Iterator[Settings]:
    """Settings for a fresh data dir, and a fresh PostgreSQL database when a server is given."""
    data_dir = folder / f"data-{uuid.uuid4().hex[:8]}"
    if server is None:
        yield Settings(data_dir=data_dir)
        return
    name = f"accord_bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield Settings(data_dir=data_dir, database_url=f"{server.rpartition('/')[0]}/{name}")
    finally:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def generate(path: Path, count: int, rng: random.Random) -> None:
    """A plausible file in the OGP layout: the sample's 171 columns, made-up values."""
    columns = _header()
    plans = _plans(rng)
    with path.open("w", newline="", encoding="utf-8") as target:
        writer = csv.DictWriter(target, fieldnames=columns, restval="0")
        writer.writeheader()
        for serial in range(1, count + 1):
            writer.writerow(_row(rng, serial, rng.choice(plans)))


def _header() -> list[str]:
    if SAMPLE.is_file():
        with SAMPLE.open(newline="", encoding="utf-8") as source:
            return next(csv.reader(source))
    return [*COLUMNS, *(f"Other column {n}" for n in range(171 - len(COLUMNS)))]


def _plans(rng: random.Random) -> list[tuple[str, int, int, int]]:
    """(member, number, first year, last year) of each member's action plans."""
    plans = []
    for member in MEMBERS:
        year = rng.randint(2011, 2014)
        for number in range(1, rng.randint(3, 7) + 1):
            length = rng.choice([2, 2, 2, 4])
            plans.append((member, number, year, year + length))
            year += length
    return plans


def _row(rng: random.Random, serial: int, plan: tuple[str, int, int, int]) -> dict[str, str]:
    member, number, first, last = plan
    start, end = _dates(rng, first, last)
    title = _words(rng, rng.randint(3, 14))
    row = {
        "Commitment Unique Identifier": f"{member}{serial:05d}",
        "Country/Locality": LOCALITIES.get(member, member.title()), "Code": member,
        "Action Plan ID": f"AP_{member}{number:02d}", "Action Plan Number": str(number),
        "Year Of Submission": str(first), "Action Plan End Year": str(last),
        "National Or Local": "Legacy Local" if member in LOCALITIES else "National",
        "Commitment Title": title.upper() if rng.random() < 0.1 else title.capitalize(),
        "Short Title": _words(rng, 3), "Full Text": _text(rng), "Start Date": start,
        "End Date": end, "Lead Institution": "" if rng.random() < 0.05 else
        f"Ministry of {_words(rng, rng.randint(1, 4)).title()}",
        "URL": f"https://opengovpartnership.org/members/x/commitments/{member.lower()}{serial}",
        "Latest IRM Report": rng.choice(["NA", "NA", str(last + 1)]),
    }
    for column in COLUMNS:
        if column not in row and not column.startswith(("Completion", "Report Publication")):
            row[column] = rng.choices(["0", "1", "ND"], [70, 25, 5])[0]
    for rating, year, offset in (("Progress Report", "Progress Report", 1),
                                 ("End Of Term", "End Of Term", 2)):
        value = rng.choices(*RATINGS)[0]
        row[f"Completion ({rating})"] = value
        row[f"Report Publication Year ({year})"] = (
            value if value in ("ND", "NR") else str(min(last + offset, 2025)))
    return row


def _dates(rng: random.Random, first: int, last: int) -> tuple[str, str]:
    """A start and an end in one of the dataset's many forms (the end never before the start)."""
    form = rng.randrange(6)
    if form == 0:
        return "NA", rng.choice(["NA", "ND", "Underway"])
    if form == 1:
        return f"{rng.randint(1, 12)}/1/{first}", f"12/31/{last}"
    if form == 2:
        return rng.choice(["July", "September", "January"]) + f" {first}", f"June {last}"
    if form == 3:
        return f"Quarter {rng.randint(1, 4)} {first}", f"Quarter 4 {last}"
    if form == 4:
        return f"Spring {first}", f"31/12/{last}"
    return str(first), str(last)


def _words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(count))


def _text(rng: random.Random) -> str:
    """Paragraphs, sometimes many (one text in a hundred runs to some 25,000 characters)."""
    paragraphs = rng.choice([1, 2, 4, 6, 8, 12]) if rng.random() > 0.01 else 70
    return "\n\n".join(_words(rng, rng.randint(25, 60)).capitalize() + "."
                       for _ in range(paragraphs))


if __name__ == "__main__":
    main()
