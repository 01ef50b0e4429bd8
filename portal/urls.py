"""Root URLs: the admin, and the public site under a language prefix (/en/, /zh-hans/).

A request for `/` is redirected by LocaleMiddleware to the visitor's language.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from portal import health, views
from portal.api.docs import DocsView, SchemaView
from portal.sitemaps import SITEMAPS

# A lost database reached outside a view is a 503 too (portal/middleware.py).
handler500 = "portal.middleware.server_error"

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    # Probes stay outside the language prefix: no redirect, no locale, no session.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("sitemap.xml", sitemap_views.index, {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
         name="sitemap"),
    path("sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap-section"),
    path("robots.txt", views.robots_txt, name="robots"),
    # The JSON API and its documentation: outside the language prefix, the language is ?lang=.
    path("api/", include("portal.api.urls")),
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    path("api/docs/", DocsView.as_view(url_name="api-schema"), name="api-docs"),
]

urlpatterns += i18n_patterns(
    path("", views.HomeView.as_view(), name="home"),
    path("about/", views.AboutView.as_view(), name="about"),
    path("search/", views.SearchView.as_view(), name="search"),
    # The apps' pages and feeds, included by name so that this module imports no app.
    path("", include("policies.feeds")),
    path("", include("therapies.feeds")),
    path("", include("therapies.urls")),
    path("", include("policies.urls")),
    prefix_default_language=True,
)
