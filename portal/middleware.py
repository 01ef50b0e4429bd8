"""Request-wide safety nets: per-section CSP, a 503 when the database is gone, the client address.

Each piece is here rather than in a view because it must hold for every URL, including
the ones other apps add later.
"""

from __future__ import annotations

import logging
import sys

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults

logger = logging.getLogger(__name__)

# Seconds a client (or a proxy) should wait before trying again.
RETRY_AFTER_SECONDS = 30


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
    """Answer 503 (friendly page or JSON) when the database cannot be reached.

    Without this a lost database means a 500 and, with DEBUG on, a traceback. Django closes
    the broken connection at the end of the request and `CONN_HEALTH_CHECKS` tests a reused
    one before use, so the next request after the database returns simply works.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.warning("Database unavailable for %s: %s", request.path, exception)
        return service_unavailable(request)


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    """`handler500`: a lost database anywhere (middleware included) is a 503, anything else a 500.

    `DatabaseUnavailableMiddleware` only sees exceptions from views; this catches the rest,
    e.g. a middleware that reads the database before the view runs.
    """
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return service_unavailable(request)
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
