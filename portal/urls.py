"""Root URLs: the admin, and the public site under a language prefix (/en/, /zh-hans/).

A request for `/` is redirected by LocaleMiddleware to the visitor's language.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import path

from portal import views

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("", views.HomeView.as_view(), name="home"),
    prefix_default_language=True,
)
