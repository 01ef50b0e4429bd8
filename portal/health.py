"""Liveness and readiness probes for load balancers and orchestrators.

`/healthz` says the process answers HTTP and nothing more, so a database outage never
gets healthy web processes restarted. `/readyz` says whether this process can serve real
pages: the database and the cache both answer.
"""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

READY_KEY = "portal:readyz"


@never_cache
@require_GET
def healthz(request):
    """Liveness: no database, no session, no template; a few bytes."""
    return HttpResponse("ok", content_type="text/plain")


def database_is_up() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("Readiness: database unavailable: %s", error)
        return False
    return True


def cache_is_up() -> bool:
    """Round-trip a key; a cache with a `ping()` (portal.cache) is asked directly.

    The resilient Redis backend hides outages from ordinary calls, which is exactly what
    the site wants and exactly what a readiness probe must not be fooled by.
    """
    try:
        ping = getattr(cache, "ping", None)
        if ping is not None:
            ping()
            return True
        cache.set(READY_KEY, "1", timeout=10)
        return cache.get(READY_KEY) == "1"
    except Exception as error:  # any backend's outage error; the probe only reports it
        logger.warning("Readiness: cache unavailable: %s", error)
        return False


@never_cache
@require_GET
def readyz(request):
    """Readiness: 200 when the database and the cache answer, else 503 naming what is down."""
    checks = {"database": database_is_up(), "cache": cache_is_up()}
    down = sorted(name for name, up in checks.items() if not up)
    body = {
        "status": "ok" if not down else "unavailable",
        "checks": {name: "ok" if up else "down" for name, up in checks.items()},
        "down": down,
    }
    return JsonResponse(body, status=503 if down else 200)
