"""Public URLs of the therapies app; their shapes are a public contract (issue #3)."""

from django.urls import path

from therapies import views

app_name = "therapies"

urlpatterns = [
    path("categories/", views.CategoryListView.as_view(), name="category-list"),
    path("categories/<slug:slug>/", views.CategoryDetailView.as_view(), name="category-detail"),
    path("therapies/", views.TherapyListView.as_view(), name="therapy-list"),
    path("therapies/<slug:slug>/", views.TherapyDetailView.as_view(), name="therapy-detail"),
    path("mechanisms/", views.MechanismListView.as_view(), name="mechanism-list"),
    path("mechanisms/<slug:slug>/", views.MechanismDetailView.as_view(), name="mechanism-detail"),
    path("molecules/", views.MoleculeListView.as_view(), name="molecule-list"),
    path("molecules/<slug:slug>/", views.MoleculeDetailView.as_view(), name="molecule-detail"),
    path("conditions/", views.ConditionListView.as_view(), name="condition-list"),
    path("conditions/<slug:slug>/", views.ConditionDetailView.as_view(), name="condition-detail"),
]
