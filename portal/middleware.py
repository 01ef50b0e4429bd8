"""Request-wide safety nets: per-section CSP, a 503 when the database is gone, the client address.

Each piece is here rather than in a view because it must hold for every URL, including
the ones other apps add later.
"""

from __future__ import annotations

import itertools
import logging
import sys
import threading
import time

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.db import Error, InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults

logger = logging.getLogger(__name__)

# Seconds a client (or a proxy) should wait before trying again.
RETRY_AFTER_SECONDS = 30
# A read that meets a lost database waits at most this long for it (per outage, per process)
# before the 503: a PostgreSQL restart refuses connections for 3-4 s. Keep it well under
# gunicorn's worker `timeout` (30 s), since a sync worker serves nothing else meanwhile.
RECONNECT_WINDOW_SECONDS = 5.0
# Pauses between reconnect attempts within the window: quick at first, then twice a second.
RECONNECT_PAUSES = (0.1, 0.2, 0.3, 0.5)
RETRIED_METHODS = frozenset({"GET", "HEAD"})
# SQLSTATEs that mean the connection itself is gone: class 08 (connection exception),
# 57P01-57P03 (terminated by a shutdown, or "the database system is starting up").
CONNECTION_LOST_SQLSTATES = ("08", "57P01", "57P02", "57P03")
# Where the 503 leaves the error on the request, for the retry to find.
FAULT_ATTRIBUTE = "_database_fault"


class SectionCSPMiddleware(CSPMiddleware):
    """django-csp, plus the few extra sources some sections need (`CSP_SECTION_RELAXATIONS`).

    The site-wide policy stays strict; a section (the admin, the API docs) only ever adds
    sources to it, chosen by path prefix, so a public page can never inherit a relaxation.
    A view can still narrow or widen its own policy with django-csp's decorators.
    """

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only:
            return parts
        relaxation = section_relaxation(request.path_info)
        if relaxation:
            parts.update = {**relaxation, **(parts.update or {})}
        return parts


def section_relaxation(path: str) -> dict[str, list[str]] | None:
    """The extra CSP sources for the section `path` is in, or None for the strict default."""
    for prefix, directives in getattr(settings, "CSP_SECTION_RELAXATIONS", {}).items():
        if path.startswith(prefix):
            return directives
    return None


class DatabaseUnavailableMiddleware:
    """Answer 503 (friendly page or JSON) when the database cannot be reached, after one
    more try for reads.

    A GET or HEAD that met a lost connection is run once more on a fresh one as soon as the
    database answers again, within the outage's reconnect window (`OutageWindow`); so a
    database restart costs reads some latency, not an error. Writes are never replayed:
    they get the 503 with Retry-After at once. Without this a lost database means a 500
    and, with DEBUG on, a traceback.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.outage = OutageWindow(RECONNECT_WINDOW_SECONDS)

    def __call__(self, request):
        response = self.get_response(request)
        fault = getattr(request, FAULT_ATTRIBUTE, None)
        if fault is None or request.method not in RETRIED_METHODS or not is_connection_lost(fault):
            return response
        if not self.wait_for_database():
            return response
        delattr(request, FAULT_ATTRIBUTE)
        logger.info("Database back; %s %s run again", request.method, request.path)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        return database_unavailable(request, exception)

    def wait_for_database(self) -> bool:
        """Try fresh connections until one answers (True) or the outage's window closes (False)."""
        deadline = self.outage.fault_seen()
        for pause in itertools.chain(RECONNECT_PAUSES, itertools.repeat(RECONNECT_PAUSES[-1])):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.outage.fault_seen()  # still down: later faults in this outage answer at once
                return False
            time.sleep(min(pause, remaining))
            if database_answers():
                self.outage.ended()
                return True
        return False  # unreachable: the pauses never run out


class OutageWindow:
    """The one bounded wait a process grants reads per database outage, shared by its threads.

    The first fault opens the window; every read that meets the outage waits at most until
    it closes. A long outage therefore costs each process one window of waiting, then 503s
    as fast as before, rather than a full wait per request. A fault after a quiet spell as
    long as the window starts a new outage.
    """

    def __init__(self, seconds: float):
        self.seconds = seconds
        self._lock = threading.Lock()
        self._closes_at: float | None = None
        self._last_fault = 0.0

    def fault_seen(self) -> float:
        """Note a fault now; the time (time.monotonic) at which waiting for this outage ends."""
        now = time.monotonic()
        with self._lock:
            if self._closes_at is None or now - self._last_fault > self.seconds:
                self._closes_at = now + self.seconds
            self._last_fault = now
            return self._closes_at

    def ended(self) -> None:
        with self._lock:
            self._closes_at = None


def is_connection_lost(error: Exception) -> bool:
    """True when `error` says the connection is gone (a new one may work), not that a
    statement failed on a live one (a statement timeout, say, which a rerun would repeat)."""
    if isinstance(error, InterfaceError):
        return True
    sqlstate = getattr(error.__cause__, "pgcode", None)
    return sqlstate is None or sqlstate.startswith(CONNECTION_LOST_SQLSTATES)


def database_answers() -> bool:
    """Close this thread's connections, so a broken one is never reused, and try fresh ones."""
    try:
        for conn in connections.all(initialized_only=True):
            if not conn.in_atomic_block:  # inside a transaction (a test's) there is nothing to renew
                conn.close()
            with conn.cursor() as cursor:
                cursor.execute("SELECT 1")
    except Error:  # DatabaseError or InterfaceError
        return False
    return True


def database_unavailable(request, error: Exception) -> HttpResponse:
    """The 503 for a lost database, noting `error` on the request for the read retry."""
    logger.warning("Database unavailable for %s: %s", request.path, error)
    setattr(request, FAULT_ATTRIBUTE, error)
    return service_unavailable(request)


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    """`handler500`: a lost database anywhere (middleware included) is a 503, anything else a 500.

    `DatabaseUnavailableMiddleware` only sees exceptions from views; this catches the rest,
    e.g. a middleware that reads the database before the view runs. When that middleware
    runs inside `DatabaseUnavailableMiddleware`, a read is retried there too.
    """
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        return database_unavailable(request, error)
    return defaults.server_error(request, template_name)


def wants_json(request) -> bool:
    """True for the API and for clients that ask for JSON but not HTML."""
    if request.path_info.startswith("/api/"):
        return True
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


def service_unavailable(request) -> HttpResponse:
    """A 503 that touches neither the database nor the session, so it works when they are down."""
    if wants_json(request):
        response = JsonResponse(
            {"detail": _("The service is temporarily unavailable. Please try again shortly."),
             "status": 503},
            status=503,
        )
    else:
        # Rendered without a request: no context processor may reach for the user or session.
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def client_ip(request) -> str | None:
    """The visitor's address, for login lockouts (django-axes `AXES_CLIENT_IP_CALLABLE`).

    Behind `TRUSTED_PROXY_COUNT` reverse proxies the address is the one the outermost proxy
    saw, read from the right of X-Forwarded-For; entries further left are client-supplied and
    could be forged to dodge a lockout, so they are never used.
    """
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
