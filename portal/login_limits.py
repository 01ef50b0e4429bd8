"""How many failed admin logins lock a client out (django-axes' `AXES_FAILURE_LIMIT`).

Two limits, one per lockout parameter set in `AXES_LOCKOUT_PARAMETERS`: a few failures lock
one username at one address (a guessed password), and a larger number across usernames locks
the address (password spraying: one attempt at each of many accounts). Axes compares the
largest failure count of the sets with a single limit, so the limit it gets here depends on
which count is near its own limit.
"""

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.db.models import Sum


def _failures(attempts) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def failure_limit(request, credentials) -> int:
    """The username limit once this (username, address) pair reached it, else the address limit."""
    per_username = settings.AXES_USERNAME_FAILURE_LIMIT
    pair_attempts = AxesProxyHandler.get_implementation().get_user_attempts(request, credentials)[0]
    return per_username if _failures(pair_attempts) >= per_username else settings.AXES_ADDRESS_FAILURE_LIMIT
