"""Declarative viewsets: a FilterSet and three serializers each."""

from __future__ import annotations

from policies import filtersets
from policies.api import serializers as s
from portal.api.viewsets import EditorialViewSet


class AuthorityViewSet(EditorialViewSet):
    filterset_class = filtersets.AuthorityFilterSet
    serializer_class = s.AuthoritySerializer
    list_serializer_class = s.AuthorityListSerializer
    brief_serializer_class = s.AuthorityCompactSerializer


class PolicyViewSet(EditorialViewSet):
    filterset_class = filtersets.PolicyDocumentFilterSet
    serializer_class = s.PolicySerializer
    list_serializer_class = s.PolicyListSerializer
    brief_serializer_class = s.PolicyCompactSerializer
