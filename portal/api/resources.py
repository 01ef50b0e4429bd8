"""The API's resources in one list, and the `references` resource that belongs to no app."""

from __future__ import annotations

from portal.api.serializers import ReferenceCompactSerializer, ReferenceSerializer
from portal.api.viewsets import EditorialViewSet
from portal.filtersets import ReferenceFilterSet


class ReferenceViewSet(EditorialViewSet):
    filterset_class = ReferenceFilterSet
    serializer_class = ReferenceSerializer
    list_serializer_class = ReferenceSerializer
    brief_serializer_class = ReferenceCompactSerializer


def resources():
    """(URL prefix, viewset, basename) for every resource, in the order the root lists them."""
    from policies.api.urls import resources as policy_resources
    from therapies.api.urls import resources as therapy_resources

    return [*therapy_resources, *policy_resources, ("references", ReferenceViewSet, "reference")]


def models_by_basename() -> dict:
    """{model: basename} of every resource, for the change feed."""
    return {viewset.filterset_class.Meta.model: basename for _prefix, viewset, basename in resources()}
