"""Declarative viewsets: a FilterSet, three serializers and two named querysets each."""

from __future__ import annotations

from policies import filtersets
from policies.api import querysets
from policies.api import serializers as s
from portal.api.viewsets import EditorialViewSet


class AuthorityViewSet(EditorialViewSet):
    filterset_class = filtersets.AuthorityFilterSet
    serializer_class = s.AuthoritySerializer
    list_serializer_class = s.AuthorityListSerializer
    brief_serializer_class = s.AuthorityCompactSerializer
    list_queryset = staticmethod(querysets.authority_list)
    detail_queryset = staticmethod(querysets.authority_detail)


class PolicyViewSet(EditorialViewSet):
    filterset_class = filtersets.PolicyDocumentFilterSet
    serializer_class = s.PolicySerializer
    list_serializer_class = s.PolicyListSerializer
    brief_serializer_class = s.PolicyCompactSerializer
    list_queryset = staticmethod(querysets.policy_list)
    detail_queryset = staticmethod(querysets.policy_detail)
    detail_relations = staticmethod(querysets.policy_detail_relations)
