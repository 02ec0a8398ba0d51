"""How a rebuild's bulk insert on SQLite fares while another thread runs Python.

Run from the project root:

    .venv/bin/python -m benchmarks.bulk_writes [--rows 10000]

The progress rebuild writes the timeline entries of events other than claims in a thread of
its own while Python prepares the rest of the batch. The script writes the same number of
timeline rows into a fresh SQLite database in a thread, both ways ``accord.projections.rows``
can (executemany, and one statement reading the rows from JSON), once with the main thread
idle and once with it running Python, and prints the seconds each took. Not a test: nothing
is asserted.
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

from sqlalchemy import create_engine

from accord.projections import rows, tables


def timeline_rows(count: int) -> list[dict[str, Any]]:
    """Entries shaped like a rebuild's: a commitment's country, party and status."""
    moment = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
    commitment = str(uuid4())
    return [{
        "position": position, "commitment_id": commitment, "country": "GHA",
        "at": moment + timedelta(seconds=position), "kind": "withdrawn",
        "claim_id": str(uuid4()), "related_claim_id": None, "milestone": None,
        "party": "government", "organisation_id": str(uuid4()), "status": "limited",
        "detail": "Posted on the wrong commitment.",
    } for position in range(1, count + 1)]


def timed_write(directory: Path, entries: list[dict[str, Any]], *, json: bool,
                python_meanwhile: bool) -> float:
    """Seconds the thread took to write ``entries`` into an empty timeline table."""
    engine = create_engine(f"sqlite:///{directory / f'bulk-{json}-{python_meanwhile}.db'}")
    tables.timeline.create(engine)
    write = rows.inserting(engine.dialect, tables.timeline, entries, busy=lambda: json)
    assert write is not None  # entries are never empty here

    def run() -> float:
        started = time.perf_counter()
        with engine.begin() as connection:
            write(connection)
        return time.perf_counter() - started

    done = threading.Event()
    with ThreadPoolExecutor(max_workers=1) as thread:
        writing = thread.submit(run)
        writing.add_done_callback(lambda _: done.set())
        while python_meanwhile and not done.is_set():
            sum(number * number for number in range(1_000))
        seconds = writing.result()
    engine.dispose()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    entries = timeline_rows(args.rows)
    print(f"{args.rows:,} timeline rows written by a thread, in seconds:")
    with tempfile.TemporaryDirectory(prefix="accord-bulk-") as directory:
        for json in (False, True):
            for python_meanwhile in (False, True):
                seconds = timed_write(Path(directory), entries, json=json,
                                      python_meanwhile=python_meanwhile)
                print(f"  {'one statement from JSON' if json else 'executemany':<24} "
                      f"{'main thread running Python' if python_meanwhile else 'main idle':<27}"
                      f"{seconds:8.2f}")


if __name__ == "__main__":
    main()
