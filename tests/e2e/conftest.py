"""A real Accord served by gunicorn, and a real Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

BIN = Path(sys.executable).parent
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        reason = "browser tests skipped: Chromium is not installed (apt-get install chromium)"
        if os.environ.get("ACCORD_REQUIRE_BROWSER"):
            pytest.fail(reason.replace("skipped", "required"))
        pytest.skip(reason)
    return path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_healthy(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not become healthy within 30 s")


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the served Accord keeps its data (and its outbox of e-mails)."""
    return tmp_path_factory.mktemp("e2e-data")


@pytest.fixture(scope="session")
def base_url(data_dir: Path) -> Iterator[str]:
    """Accord with the demo data, served by gunicorn with two workers on a free port."""
    env = {**os.environ, "ACCORD_DATA_DIR": str(data_dir),
           "ACCORD_DATABASE_URL": "", "WEB_CONCURRENCY": "2"}
    subprocess.run([BIN / "accord", "demo"], env=env, check=True, capture_output=True)
    port = _free_port()
    env["PORT"] = str(port)
    env["ACCORD_BASE_URL"] = f"http://127.0.0.1:{port}"  # the address in e-mailed links
    config = Path(__file__).parents[2] / "deploy" / "gunicorn.conf.py"
    process = subprocess.Popen([BIN / "gunicorn", "-c", str(config)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium."""
    executable = _chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True,
                                              args=CHROMIUM_FLAGS)
        yield launched
        launched.close()
