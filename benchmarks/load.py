"""Concurrent load on a local Accord: wrk when it is installed, else a threaded client.

Every client keeps its connection open and asks for the given addresses in turn, each client
from another starting point, for a bounded time; the latencies of all requests are summarised
as percentiles. Only loopback addresses are ever loaded.
"""

from __future__ import annotations

import http.client
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

WRK_SCRIPT = """
local addresses = {}
local index = 0
local next_id = 1

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end

function init(args)
  for line in io.lines(args[1]) do addresses[#addresses + 1] = line end
  index = (id * 7919) % #addresses
end

function request()
  index = index % #addresses + 1
  return wrk.format("GET", addresses[index])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d %d %d\\n",
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout))
end
"""


@dataclass(frozen=True)
class Latency:
    """Latencies of one load, in milliseconds, and how it went."""

    p50: float
    p95: float
    p99: float
    maximum: float
    requests: int
    seconds: float
    bad_status: int
    failed: int

    @property
    def rate(self) -> float:
        """Requests answered per second."""
        return self.requests / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        """One line for the log."""
        return (f"p50 {self.p50:6.1f} ms  p95 {self.p95:6.1f} ms  p99 {self.p99:6.1f} ms  "
                f"max {self.maximum:6.0f} ms  {self.rate:6.1f} req/s"
                + (f"  {self.bad_status} not 2xx/3xx" if self.bad_status else "")
                + (f"  {self.failed} failed" if self.failed else ""))

    def cells(self) -> str:
        """The three percentiles, for a table."""
        flag = " !" if self.bad_status or self.failed else ""
        return f"{self.p50:.0f} / {self.p95:.0f} / {self.p99:.0f}{flag}"


def tool() -> str:
    """The load tool this machine has."""
    return "wrk" if shutil.which("wrk") else "threaded client (install wrk for less overhead)"


def status_of(url: str) -> int:
    """The HTTP status of one GET (0 if nothing answers)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port,
                                            timeout=60)
    try:
        connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
        response = connection.getresponse()
        response.read()
        return response.status
    except OSError:
        return 0
    finally:
        connection.close()


def run(base: str, addresses: list[str], *, clients: int, seconds: float) -> Latency:
    """``clients`` concurrent clients asking for ``addresses`` for ``seconds``."""
    if urlsplit(base).hostname not in ("127.0.0.1", "localhost"):
        raise ValueError("only a local server is loaded")
    if shutil.which("wrk"):
        return _wrk(base, addresses, clients, seconds)
    return _threads(base, addresses, clients, seconds)


def _wrk(base: str, addresses: list[str], clients: int, seconds: float) -> Latency:
    with tempfile.TemporaryDirectory(prefix="accord-load-") as folder:
        script, listing = Path(folder) / "load.lua", Path(folder) / "addresses.txt"
        script.write_text(WRK_SCRIPT)
        listing.write_text("\n".join(addresses) + "\n")
        output = subprocess.run(  # noqa: S603 (wrk, on a local address)
            [shutil.which("wrk") or "wrk", "-t2", f"-c{clients}",
             f"-d{max(1, round(seconds))}s", "--timeout", "30s", "-s", str(script), base, "--",
             str(listing)],
            capture_output=True, text=True, check=True, timeout=seconds + 60).stdout
    values = [int(v) for v in next(line for line in output.splitlines()
                                   if line.startswith("RESULT")).split()[1:]]
    p50, p95, p99, top, requests, duration, status, failed = values
    return Latency(p50 / 1000, p95 / 1000, p99 / 1000, top / 1000, requests,
                   duration / 1e6, status, failed)


def _threads(base: str, addresses: list[str], clients: int, seconds: float) -> Latency:
    parts = urlsplit(base)
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors = [0, 0]  # bad status, failed
    deadline = time.monotonic() + seconds

    def client(number: int) -> None:
        connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port,
                                                timeout=30)
        index = number * 7919
        while time.monotonic() < deadline:
            index = (index + 1) % len(addresses)
            started = time.perf_counter()
            try:
                connection.request("GET", addresses[index])
                response = connection.getresponse()
                response.read()
            except OSError:
                errors[1] += 1
                connection.close()
                continue
            latencies[number].append((time.perf_counter() - started) * 1000)
            if response.status >= 400:
                errors[0] += 1
        connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    ordered = sorted(value for values in latencies for value in values) or [0.0]

    def percentile(share: float) -> float:
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    return Latency(percentile(0.5), percentile(0.95), percentile(0.99), ordered[-1],
                   len(ordered), elapsed, errors[0], errors[1])
