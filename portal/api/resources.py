"""The API's resources in one list, and the `references` resource that belongs to no app.

Each app registers its resources (URL prefix, viewset, basename) from its `AppConfig.ready()`,
so the base lists them without importing the apps; the root lists them in the order of
INSTALLED_APPS, then `references`.
"""

from __future__ import annotations

from portal.api.serializers import ReferenceCompactSerializer, ReferenceSerializer
from portal.api.viewsets import EditorialViewSet
from portal.filtersets import ReferenceFilterSet


class ReferenceViewSet(EditorialViewSet):
    filterset_class = ReferenceFilterSet
    serializer_class = ReferenceSerializer
    list_serializer_class = ReferenceSerializer
    brief_serializer_class = ReferenceCompactSerializer


_registered: list[tuple[str, type, str]] = []


def register(app_resources) -> None:
    """Add an app's (URL prefix, viewset, basename) triples, once."""
    _registered.extend(resource for resource in app_resources if resource not in _registered)


def resources():
    """(URL prefix, viewset, basename) for every resource, in the order the root lists them."""
    return [*_registered, ("references", ReferenceViewSet, "reference")]


def models_by_basename() -> dict:
    """{model: basename} of every resource, for the change feed."""
    return {viewset.filterset_class.Meta.model: basename for _prefix, viewset, basename in resources()}
