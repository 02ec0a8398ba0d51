"""Gunicorn settings for serving Accord: `gunicorn -c deploy/gunicorn.conf.py`."""

import gc
import os
from typing import Any

wsgi_app = "accord.web:create_app()"
bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# One request at a time per worker process (gunicorn's sync worker): rendering a page is
# Python work, so threads in one process only take turns with the interpreter lock, and a
# threaded worker keeps the keep-alive connections it accepted even while another worker
# sits idle (with 20 clients, half the CPU then went unused, at random). A sync worker takes
# a connection only when it is free, so the load spreads over every worker. ACCORD_THREADS
# above 1 makes each worker threaded again (gunicorn's gthread worker).
threads = int(os.environ.get("ACCORD_THREADS", "1"))
worker_class = "sync"
# A sync worker that does not answer within the timeout is killed. The first view of a past
# moment (?as_of=) replays the log up to it into a new read model: half a minute for
# 500,000 events on a 2-core machine.
timeout = 120
graceful_timeout = 20
# Each worker opens its own database connections after the fork.
preload_app = False
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


COLLECT_AFTER = 2_000
"""Allocations between two collections of the youngest objects (Python's default is 700)."""


def post_worker_init(worker: Any) -> None:
    """Once a worker has loaded Accord: what it has built so far (modules, the application,
    its settings and connection pools) lives as long as the worker, so Python's cycle
    collector stops looking at it (``gc.freeze``), and collects young objects less often.
    Rendering pages, a worker's full collections took 68 to 152 ms each, during which the
    requests waiting for that worker waited too; frozen, 30 ms at most, and all collections
    together half the time they took (0.27 ms a page instead of 0.55; see the README)."""
    gc.freeze()
    gc.set_threshold(COLLECT_AFTER, *gc.get_threshold()[1:])
