"""`/api/v1/pending-changes/<id>/`: an Editor's change to a public item, waiting for review.

Staff only: the author and Publishers. The item's own URL keeps answering with the
published version to everyone; the proposal is read here, field by field.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from portal import pending
from portal.api.viewsets import LANG_PARAMETER, ApiViewMixin
from portal.models import PendingChange


class CanSeePendingChange(permissions.BasePermission):
    def has_permission(self, request, view):
        return bool(request.user and request.user.is_active and request.user.is_staff)

    def has_object_permission(self, request, view, change):
        return change.author_id == request.user.pk or pending.is_reviewer(request.user)


DIFFERENCES = inline_serializer("PendingDifference", {
    "row": serializers.CharField(), "field": serializers.CharField(),
    "old": serializers.JSONField(allow_null=True), "new": serializers.JSONField(allow_null=True),
}, many=True)


class PendingChangeView(ApiViewMixin, APIView):
    """One pending change: who proposed it, when, why, its state and what it would change."""

    permission_classes = [CanSeePendingChange]

    @extend_schema(parameters=[LANG_PARAMETER], responses=inline_serializer("PendingChange", {
        "id": serializers.IntegerField(), "item": serializers.CharField(), "item_type": serializers.CharField(),
        "author": serializers.CharField(), "created_at": serializers.DateTimeField(),
        "comment": serializers.CharField(), "state": serializers.ChoiceField(choices=PendingChange.State.choices),
        "reviewer": serializers.CharField(allow_null=True), "review_comment": serializers.CharField(),
        "differences": DIFFERENCES,
    }))
    def get(self, request, pk):
        change = get_object_or_404(PendingChange.objects.select_related("author", "reviewer", "content_type"), pk=pk)
        self.check_object_permissions(request, change)
        item_exists = change.content_type.model_class()._default_manager.filter(pk=change.object_id).exists()
        return Response({
            "id": change.pk,
            "item": change.item_label,
            "item_type": change.content_type.model,
            "author": str(change.author),
            "created_at": change.created_at,
            "comment": change.comment,
            "state": change.state,
            "reviewer": str(change.reviewer) if change.reviewer else None,
            "review_comment": change.review_comment,
            "differences": [difference.__dict__ for difference in pending.compare(change)] if item_exists else [],
        })
