"""How long `accord audit` takes on a log of a million events.

Run from the project root:

    .venv/bin/python benchmarks/audit.py [--events 1000000] [--data-dir DIR]

The script records ``--events`` events (commitment registrations, made by the domain and
saved through the application in batches of 10,000) into a fresh SQLite data dir (a
temporary one unless ``--data-dir`` names an empty folder), then runs, as a person would, and
times: ``accord audit checkpoint`` (hashing every event into the tree for the first time),
``accord audit verify``, ``accord audit export`` and the stand-alone
``tools/verify_export.py`` on the export, each with its wall time and peak memory (resident
set). Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).parents[1]
ACCORD = Path(sys.executable).parent / "accord"
BATCH = 10_000
COUNTRIES = ["GHA", "COL", "IDN", "KEN", "MEX", "PHL", "UKR", "ZAF"]


def record(data_dir: Path, events: int) -> None:
    """Save ``events`` commitment registrations, in batches of ``BATCH``.

    Run in a process of its own, so that the benchmark's process stays small and the peak
    memory of each command it starts is that command's alone.
    """
    from accord.domain.actor import acting_as
    from accord.domain.commitment import Commitment
    from accord.domain.framework import Framework
    from accord.platform.policy import SYSTEM
    from accord.services import Services
    from accord.settings import Settings

    services = Services(Settings(data_dir=data_dir))
    try:
        framework_id = Framework.create_id("ogp-irm-completion")
        started, done = time.perf_counter(), services.app.max_notification_id()
        with acting_as(SYSTEM.account_id):
            while done < events:
                count = min(BATCH, events - done)
                services.app.save(*(Commitment.register(
                    country=COUNTRIES[n % len(COUNTRIES)], reference=f"BM{n:07d}",
                    title=f"Publish the register of contracts, part {n}",
                    framework_id=framework_id, description="Benchmark commitment " * 5,
                ) for n in range(done, done + count)))
                done = services.app.max_notification_id()
                if done % 100_000 < BATCH:
                    print(f"  {done:,} events recorded", file=sys.stderr)
        print(f"recorded {done:,} events in {time.perf_counter() - started:.1f} s")
    finally:
        services.close()


def timed(label: str, command: list[str], env: dict[str, str]) -> None:
    """Run ``command``; print its wall time, its peak memory and its last line of output."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=err)  # noqa: S603 (our own commands)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        last = (out.read().strip().splitlines() or [""])[-1]
        print(f"{label:<26} {seconds:7.1f} s {usage.ru_maxrss / 1024:6.0f} MB peak  "
              f"exit {process.returncode}  {last[:90]}")
        if process.returncode:
            print(err.read(), file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--record-only", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.record_only:
        record(arguments.data_dir, arguments.events)
        return
    with tempfile.TemporaryDirectory(prefix="accord-audit-bench-") as folder:
        data_dir = (arguments.data_dir or Path(folder) / "data").resolve()
        subprocess.run([sys.executable, __file__, "--record-only", "--data-dir", str(data_dir),  # noqa: S603 (this script)
                        "--events", str(arguments.events)], check=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith("ACCORD_")}
        env["ACCORD_DATA_DIR"] = str(data_dir)
        export = Path(folder) / "export.jsonl"
        timed("accord audit checkpoint", [str(ACCORD), "audit", "checkpoint"], env)
        timed("accord audit verify", [str(ACCORD), "audit", "verify"], env)
        timed("accord audit export", [str(ACCORD), "audit", "export", str(export)], env)
        print(f"{'export size':<26} {export.stat().st_size / 1e6:7.1f} MB")
        timed("tools/verify_export.py", [sys.executable, "tools/verify_export.py", str(export)],
              env)
        for name in ("events.sqlite3", "accord.sqlite3"):
            print(f"{name:<26} {(data_dir / name).stat().st_size / 1e6:7.1f} MB")


if __name__ == "__main__":
    main()
