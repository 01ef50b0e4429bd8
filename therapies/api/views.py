"""Declarative viewsets: a FilterSet and three serializers each."""

from __future__ import annotations

from portal.api.viewsets import EditorialViewSet
from therapies import filtersets
from therapies.api import serializers as s


class CategoryViewSet(EditorialViewSet):
    filterset_class = filtersets.TherapyCategoryFilterSet
    serializer_class = s.CategorySerializer
    list_serializer_class = s.CategoryListSerializer
    brief_serializer_class = s.CategoryCompactSerializer


class TherapyViewSet(EditorialViewSet):
    filterset_class = filtersets.TherapyFilterSet
    serializer_class = s.TherapySerializer
    list_serializer_class = s.TherapyListSerializer
    brief_serializer_class = s.TherapyCompactSerializer


class ConditionViewSet(EditorialViewSet):
    filterset_class = filtersets.ConditionFilterSet
    serializer_class = s.ConditionSerializer
    list_serializer_class = s.ConditionListSerializer
    brief_serializer_class = s.ConditionCompactSerializer


class MechanismViewSet(EditorialViewSet):
    filterset_class = filtersets.MechanismFilterSet
    serializer_class = s.MechanismSerializer
    list_serializer_class = s.MechanismListSerializer
    brief_serializer_class = s.MechanismCompactSerializer


class MoleculeViewSet(EditorialViewSet):
    filterset_class = filtersets.MoleculeFilterSet
    serializer_class = s.MoleculeSerializer
    list_serializer_class = s.MoleculeListSerializer
    brief_serializer_class = s.MoleculeCompactSerializer


class ApprovalViewSet(EditorialViewSet):
    """Read-only: approvals are edited with their therapy (admin, data files)."""

    http_method_names = ["get", "head", "options"]
    filterset_class = filtersets.ApprovalFilterSet
    serializer_class = s.ApprovalSerializer
    list_serializer_class = s.ApprovalSerializer
    brief_serializer_class = s.ApprovalCompactSerializer
