"""Gunicorn settings for serving Accord: `gunicorn -c deploy/gunicorn.conf.py`."""

import os

wsgi_app = "accord.web:create_app()"
bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("ACCORD_THREADS", "4"))
worker_class = "gthread"
timeout = 30
graceful_timeout = 20
# Each worker opens its own database connections after the fork.
preload_app = False
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
