"""API v1 routes, under /api/ (outside the language prefixes: the language is a parameter)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from portal.api import pending, views
from portal.api.resources import resources

app_name = "api"

router = SimpleRouter()
for prefix, viewset, basename in resources():
    router.register(prefix, viewset, basename=basename)

v1 = [
    path("", views.RootView.as_view(), name="root"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("changes/", views.ChangesView.as_view(), name="changes"),
    path("auth/token/", views.TokenView.as_view(), name="token"),
    path("pending-changes/<int:pk>/", pending.PendingChangeView.as_view(), name="pending-change"),
    *router.urls,
]

urlpatterns = [
    path("v1/", include(v1)),
]

