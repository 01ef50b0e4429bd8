"""What every API view shares: strict query parameters, language, conditional GET, caching.

Resource viewsets stay declarative: a FilterSet, two serializers and two named querysets
(`list_queryset(user)`, `detail_queryset(user)`) that already do the prefetching and the
visibility rule.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.http import Http404
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from portal.api.history import HistoryMixin
from portal.api.schema import EditorialAutoSchema

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
# Parameters every view accepts; lists add their filters, `page`, `page_size` and `brief`.
COMMON_PARAMS = frozenset({"lang", "format"})
LIST_PARAMS = frozenset({"page", "page_size", "brief"})
BRIEF_VALUES = {"1": True, "true": True, "0": False, "false": False}
# Public responses may be reused by browsers and proxies for this long, then revalidated (ETag).
PUBLIC_MAX_AGE = 60

LANG_PARAMETER = OpenApiParameter(
    "lang", OpenApiTypes.STR, enum=list(LANGUAGES),
    description="Language of the human fields (default: the Accept-Language header, else English).",
)
BRIEF_PARAMETER = OpenApiParameter(
    "brief", OpenApiTypes.STR, enum=["1", "0", "true", "false"],
    description="`1` returns only the compact form of each item (`slug`, name or title, `url`).",
)


class ApiViewMixin:
    """Behaviour of every API view, resource or not."""

    extra_query_params: frozenset[str] = frozenset()

    def allowed_query_params(self) -> set[str]:
        return set(COMMON_PARAMS | self.extra_query_params)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        unknown = sorted(set(request.query_params) - self.allowed_query_params())
        if unknown:
            raise ValidationError({name: [_("Unknown query parameter.")] for name in unknown})
        language = request.query_params.get("lang")
        if language is not None:
            if language not in LANGUAGES:
                raise ValidationError({"lang": [_("Use one of: %s.") % ", ".join(LANGUAGES)]})
            translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def perform_content_negotiation(self, request, force=False):
        try:
            return super().perform_content_negotiation(request, force)
        except Http404 as error:
            # DRF answers an unknown ?format= with a 404; it is bad input, so say which parameter.
            raise ValidationError({"format": [_("Unknown format.")]}) from error

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["language"] = translation.get_language()
        return context

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Language"] = translation.get_language()
        patch_vary_headers(response, ("Accept", "Accept-Language", "Authorization", "Cookie"))
        if request.method not in ("GET", "HEAD") or response.status_code != status.HTTP_200_OK:
            return response
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, no_cache=True)
        else:
            patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
        # The ETag is a hash of the body, so any edit that shows (a related object published,
        # a translation fixed) changes it, and nothing else does.
        response.render()
        digest = hashlib.sha256(response.content + response["Content-Language"].encode()).hexdigest()[:32]
        response["ETag"] = f'"{digest}"'
        return get_conditional_response(request, etag=response["ETag"], response=response)


@extend_schema_view(
    list=extend_schema(parameters=[LANG_PARAMETER, BRIEF_PARAMETER]),
    retrieve=extend_schema(parameters=[LANG_PARAMETER]),
    create=extend_schema(parameters=[LANG_PARAMETER]),
    update=extend_schema(parameters=[LANG_PARAMETER]),
    partial_update=extend_schema(parameters=[LANG_PARAMETER]),
)
class EditorialViewSet(ApiViewMixin, HistoryMixin, viewsets.ModelViewSet):
    """A curated resource looked up by slug.

    Subclasses set `filterset_class`, `serializer_class` (detail and writes),
    `list_serializer_class`, `brief_serializer_class`, and the querysets.
    """

    schema = EditorialAutoSchema()
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    # No DELETE: a published item leaves the public by being archived, which the history
    # and the change feed record; a deletion would vanish without a trace.
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    filter_backends = [DjangoFilterBackend]
    permission_classes = [permissions.DjangoModelPermissionsOrAnonReadOnly]
    list_serializer_class = None
    brief_serializer_class = None

    # --- querysets: the viewset only chooses; the named querysets do the work -----------
    def list_queryset(self, user):
        raise NotImplementedError

    def detail_queryset(self, user):
        raise NotImplementedError

    # Optional: `detail_relations(obj, user)` loads what a detail shows beyond its queryset.
    detail_relations = None

    def get_object(self):
        obj = super().get_object()
        if self.detail_relations is not None:
            self.detail_relations(obj, self.request.user)
        return obj

    def get_queryset(self):
        user = self.request.user
        if self.action == "list":
            if self.brief:
                return self.filterset_class.Meta.model.objects.visible_to(user)
            return self.list_queryset(user)
        return self.detail_queryset(user)

    # --- parameters -------------------------------------------------------------------
    def allowed_query_params(self) -> set[str]:
        allowed = super().allowed_query_params()
        if self.action == "list":
            allowed |= LIST_PARAMS | set(self.filterset_class.base_filters)
        elif self.action == "history":
            allowed |= {"page", "page_size"}
        return allowed

    @property
    def brief(self) -> bool:
        raw = self.request.query_params.get("brief")
        if raw is None:
            return False
        if raw not in BRIEF_VALUES:
            raise ValidationError({"brief": [_("Use 1 or 0.")]})
        return BRIEF_VALUES[raw]

    def get_serializer_class(self):
        if self.action == "list":
            return self.brief_serializer_class if self.brief else self.list_serializer_class
        return self.serializer_class

    # --- writes answer with the object as a reader would fetch it ---------------------
    def detail_response(self, instance, status_code):
        fresh = self.detail_queryset(self.request.user).get(pk=instance.pk)
        if self.detail_relations is not None:
            self.detail_relations(fresh, self.request.user)
        return Response(self.get_serializer(fresh).data, status=status_code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instance = serializer.save()
        return self.detail_response(instance, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        instance = serializer.save()
        return self.detail_response(instance, status.HTTP_200_OK)
