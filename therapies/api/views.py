"""Declarative viewsets: a FilterSet, three serializers and two named querysets each."""

from __future__ import annotations

from portal.api.viewsets import EditorialViewSet
from therapies import filtersets
from therapies.api import querysets
from therapies.api import serializers as s


class CategoryViewSet(EditorialViewSet):
    filterset_class = filtersets.TherapyCategoryFilterSet
    serializer_class = s.CategorySerializer
    list_serializer_class = s.CategoryListSerializer
    brief_serializer_class = s.CategoryCompactSerializer
    list_queryset = staticmethod(querysets.category_list)
    detail_queryset = staticmethod(querysets.category_detail)


class TherapyViewSet(EditorialViewSet):
    filterset_class = filtersets.TherapyFilterSet
    serializer_class = s.TherapySerializer
    list_serializer_class = s.TherapyListSerializer
    brief_serializer_class = s.TherapyCompactSerializer
    list_queryset = staticmethod(querysets.therapy_list)
    detail_queryset = staticmethod(querysets.therapy_detail)


class ConditionViewSet(EditorialViewSet):
    filterset_class = filtersets.ConditionFilterSet
    serializer_class = s.ConditionSerializer
    list_serializer_class = s.ConditionListSerializer
    brief_serializer_class = s.ConditionCompactSerializer
    list_queryset = staticmethod(querysets.condition_list)
    detail_queryset = staticmethod(querysets.condition_detail)


class MechanismViewSet(EditorialViewSet):
    filterset_class = filtersets.MechanismFilterSet
    serializer_class = s.MechanismSerializer
    list_serializer_class = s.MechanismListSerializer
    brief_serializer_class = s.MechanismCompactSerializer
    list_queryset = staticmethod(querysets.mechanism_list)
    detail_queryset = staticmethod(querysets.mechanism_detail)


class MoleculeViewSet(EditorialViewSet):
    filterset_class = filtersets.MoleculeFilterSet
    serializer_class = s.MoleculeSerializer
    list_serializer_class = s.MoleculeListSerializer
    brief_serializer_class = s.MoleculeCompactSerializer
    list_queryset = staticmethod(querysets.molecule_list)
    detail_queryset = staticmethod(querysets.molecule_detail)
