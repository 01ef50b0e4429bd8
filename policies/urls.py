"""Public URLs of the policies app; their shapes are a public contract (issue #3)."""

from django.urls import path

from policies import views

app_name = "policies"

urlpatterns = [
    path("policies/", views.PolicyListView.as_view(), name="policy-list"),
    path("policies/<slug:slug>/", views.PolicyDetailView.as_view(), name="policy-detail"),
    path("authorities/", views.AuthorityListView.as_view(), name="authority-list"),
    path("authorities/<slug:slug>/", views.AuthorityDetailView.as_view(), name="authority-detail"),
]
