"""Rate limits (rates in settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]), the 429 body, and the 413."""

from __future__ import annotations

import math

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext_lazy as _
from rest_framework import status, throttling
from rest_framework.exceptions import APIException, Throttled
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


class SettingsRateMixin:
    """Read the rate when the throttle is used, not when DRF is imported, so settings changes apply."""

    def get_rate(self):
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        # "off" turns a limit off (the benchmark drives the API from one address).
        return None if rate in (None, "", "off") else rate


class AnonymousThrottle(SettingsRateMixin, throttling.AnonRateThrottle):
    scope = "anon"


class EditorThrottle(SettingsRateMixin, throttling.UserRateThrottle):
    """Signed-in users only: DRF's UserRateThrottle would also count anonymous requests by
    address, putting readers under the editors' limit on top of their own."""

    scope = "user"

    def get_cache_key(self, request, view):
        if not request.user.is_authenticated:
            return None
        return super().get_cache_key(request, view)


class LoginThrottle(SettingsRateMixin, throttling.SimpleRateThrottle):
    """Token requests per client address, whoever they claim to be."""

    scope = "login"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class BodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "body_too_large"


def exception_handler(exc, context):
    """DRF's handler, plus `retry_after` (seconds) in the body of a 429; a body over
    DATA_UPLOAD_MAX_MEMORY_SIZE is a JSON 413 (Django would answer an HTML 400)."""
    if isinstance(exc, RequestDataTooBig):
        exc = BodyTooLarge(_("The request body is too large: at most %(limit)s bytes.") % {
            "limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE})
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, Throttled):
        wait = math.ceil(exc.wait) if exc.wait is not None else None
        response.data = {"detail": response.data["detail"], "retry_after": wait}
    return response
