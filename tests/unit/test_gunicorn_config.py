"""The deployed gunicorn settings, as gunicorn itself reads them."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from gunicorn.app.base import Application

CONFIG = Path(__file__).parents[2] / "deploy" / "gunicorn.conf.py"


class Deployed(Application):  # type: ignore[misc]
    """Gunicorn's configuration from the deployed file, and nothing else."""

    def load_config(self) -> None:
        self.load_config_from_file(str(CONFIG))

    def load(self) -> None:
        raise AssertionError("the application is not loaded here")


@pytest.fixture
def collector() -> Iterator[None]:
    """The cycle collector's state put back as it was after the test."""
    threshold = gc.get_threshold()
    frozen = gc.get_freeze_count()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)
    assert frozen == 0, "something else froze objects before the test"


def test_a_worker_that_has_loaded_accord_freezes_what_it_built(collector: None) -> None:
    config = Deployed().cfg
    assert config.worker_class_str == "sync"
    gc.unfreeze()
    config.post_worker_init(None)
    assert gc.get_freeze_count() > 1_000
    assert gc.get_threshold()[0] == 2_000
