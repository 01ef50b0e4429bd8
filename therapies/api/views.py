"""Declarative viewsets: a FilterSet, a reader and three serializers each."""

from __future__ import annotations

from portal.api.viewsets import EditorialViewSet
from therapies import filtersets
from therapies.api import reads
from therapies.api import serializers as s


class CategoryViewSet(EditorialViewSet):
    reader_class = reads.CategoryReader
    filterset_class = filtersets.TherapyCategoryFilterSet
    serializer_class = s.CategorySerializer
    list_serializer_class = s.CategoryListSerializer
    brief_serializer_class = s.CategoryCompactSerializer


class TherapyViewSet(EditorialViewSet):
    reader_class = reads.TherapyReader
    filterset_class = filtersets.TherapyFilterSet
    serializer_class = s.TherapySerializer
    list_serializer_class = s.TherapyListSerializer
    brief_serializer_class = s.TherapyCompactSerializer


class ConditionViewSet(EditorialViewSet):
    reader_class = reads.ConditionReader
    filterset_class = filtersets.ConditionFilterSet
    serializer_class = s.ConditionSerializer
    list_serializer_class = s.ConditionListSerializer
    brief_serializer_class = s.ConditionCompactSerializer


class MechanismViewSet(EditorialViewSet):
    reader_class = reads.MechanismReader
    filterset_class = filtersets.MechanismFilterSet
    serializer_class = s.MechanismSerializer
    list_serializer_class = s.MechanismListSerializer
    brief_serializer_class = s.MechanismCompactSerializer


class MoleculeViewSet(EditorialViewSet):
    reader_class = reads.MoleculeReader
    filterset_class = filtersets.MoleculeFilterSet
    serializer_class = s.MoleculeSerializer
    list_serializer_class = s.MoleculeListSerializer
    brief_serializer_class = s.MoleculeCompactSerializer
