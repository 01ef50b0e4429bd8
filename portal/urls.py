"""Root URLs: the admin, and the public site under a language prefix (/en/, /zh-hans/).

A request for `/` is redirected by LocaleMiddleware to the visitor's language.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import path

from portal import health, views

# A lost database reached outside a view is a 503 too (portal/middleware.py).
handler500 = "portal.middleware.server_error"

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    # Probes stay outside the language prefix: no redirect, no locale, no session.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]

urlpatterns += i18n_patterns(
    path("", views.HomeView.as_view(), name="home"),
    prefix_default_language=True,
)
