"""Gunicorn settings for production and for `make bench`; every value can come from the environment."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# Connections one threaded worker holds at once (gunicorn's default 1000); all are cut when it dies.
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", "1000"))
# Load the app once in the master so workers share its memory pages (copy-on-write).
preload_app = True
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak can never grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = 2000
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")


def when_ready(server):
    """Build in the master what each worker would otherwise build on its first requests.

    Workers are forked from the master (preload_app) and recycled every `max_requests`, so
    whatever the master has loaded, every new worker starts with: the URLconf with every
    view it imports, both languages' catalogues and the compiled templates. Without this a
    fresh worker spent its first requests importing (~0.3 s), which showed as p99 spikes.
    Nothing here opens a database connection (a forked one would be shared).
    """
    from pathlib import Path

    from django.conf import settings
    from django.template import engines
    from django.urls import get_resolver
    from django.utils.translation import trans_real

    get_resolver().url_patterns  # noqa: B018 - importing the URLconf is the point
    for code, _name in settings.LANGUAGES:
        trans_real.translation(code)
    engine = engines["django"]
    for directory in engine.engine.dirs:  # the site's own templates (settings.TEMPLATES DIRS)
        for path in Path(directory).rglob("*.html"):
            engine.get_template(str(path.relative_to(directory)))
