"""What every API view shares: strict query parameters, language, conditional GET, caching.

Resource viewsets stay declarative: a FilterSet and three serializers (list item, detail,
compact), which state the resource's shape once for reads, writes and the schema; every
queryset starts from `visible_to(user)`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, status, viewsets
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response

from portal import pending
from portal.api.history import HistoryMixin
from portal.api.reads import Reader, Resource
from portal.api.schema import EditorialAutoSchema
from portal.page_cache import body_etag, is_anonymous

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
# Parameters every view accepts; lists add their filters, `page`, `page_size` and `brief`.
COMMON_PARAMS = frozenset({"lang", "format"})
LIST_PARAMS = frozenset({"page", "page_size", "brief"})
BRIEF_VALUES = {"1": True, "true": True, "0": False, "false": False}

class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _lazy("The item changed after you read it (If-Match no longer matches its ETag). "
                           "Read it again and make your change on the new version.")
    default_code = "precondition_failed"


IF_MATCH_PARAMETER = OpenApiParameter(
    "If-Match", OpenApiTypes.STR, location=OpenApiParameter.HEADER, required=False,
    description="The ETag of the version you read: the write is refused with 412 if the item changed since.",
)

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
        if getattr(self, request.method.lower(), None) is None:
            return  # a 405 follows: the method is wrong whatever the parameters
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
        """Validators for requests with credentials; anonymous ones get theirs from the page
        cache (portal/page_cache.py), which would replace anything set here."""
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Language"] = translation.get_language()
        patch_vary_headers(response, ("Accept", "Accept-Language", "Authorization", "Cookie"))
        if (request.method not in ("GET", "HEAD") or response.status_code != status.HTTP_200_OK
                or is_anonymous(request)):
            return response
        patch_cache_control(response, private=True, no_cache=True)
        # A hash of the body, so any edit that shows (a related object published, a
        # translation fixed) changes it, and nothing else does.
        response.render()
        response["ETag"] = body_etag(response)
        return get_conditional_response(request, etag=response["ETag"], response=response)


class FilterBackend(DjangoFilterBackend):
    """django-filter, skipped when the request names none of the FilterSet's parameters:
    an empty filter form leaves the queryset as it is, after costing more than the page."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None or request.query_params.keys().isdisjoint(filterset_class.base_filters):
            return queryset
        return super().filter_queryset(request, queryset, view)


@extend_schema_view(
    list=extend_schema(parameters=[LANG_PARAMETER, BRIEF_PARAMETER]),
    retrieve=extend_schema(parameters=[LANG_PARAMETER]),
    create=extend_schema(parameters=[LANG_PARAMETER]),
    update=extend_schema(parameters=[LANG_PARAMETER, IF_MATCH_PARAMETER]),
    partial_update=extend_schema(parameters=[LANG_PARAMETER, IF_MATCH_PARAMETER]),
)
class EditorialViewSet(ApiViewMixin, HistoryMixin, viewsets.ModelViewSet):
    """A curated resource looked up by slug.

    Subclasses set `filterset_class` and the serializers: `serializer_class` (detail and
    writes), `list_serializer_class` and `brief_serializer_class`. Reads are answered from
    rows shaped by plans compiled from those serializers (portal/api/reads.py), so each field
    is declared once.
    """

    schema = EditorialAutoSchema()
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    # No DELETE: a published item leaves the public by being archived, which the history
    # and the change feed record; a deletion would vanish without a trace.
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    filter_backends = [FilterBackend]
    permission_classes = [permissions.DjangoModelPermissionsOrAnonReadOnly]
    list_serializer_class = None
    brief_serializer_class = None

    def get_queryset(self):
        return self.filterset_class.Meta.model.objects.visible_to(self.request.user)

    # --- reads --------------------------------------------------------------------------
    @classmethod
    def resource(cls) -> Resource:
        """The resource's shapes, compiled once per viewset class."""
        if "_resource" not in cls.__dict__:
            cls._resource = Resource(cls.list_serializer_class, cls.serializer_class, cls.brief_serializer_class)
        return cls._resource

    def reader(self) -> Reader:
        return Reader(self.request, self.resource())

    def list(self, request, *args, **kwargs):
        reader = self.reader()
        queryset = self.filter_queryset(self.get_queryset())
        rows = self.paginate_queryset(reader.brief_rows(queryset) if self.brief else reader.list_rows(queryset))
        return self.get_paginated_response(reader.brief_items(rows) if self.brief else reader.items(rows))

    def retrieve(self, request, *args, **kwargs):
        return Response(self.reader().retrieve(self.get_queryset(), kwargs[self.lookup_field]))

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

    # --- writes: no lost update ---------------------------------------------------------
    def current_etag(self, instance) -> str:
        """The ETag a GET of the item by this user, in this language and format, carries now."""
        response = self.finalize_response(self.request, self.detail_response(instance, status.HTTP_200_OK))
        response.render()
        return body_etag(response)

    def check_if_match(self, instance) -> None:
        """A write that says which version it read (`If-Match`) is refused when the item has
        changed since: it would silently undo the other change. Without the header, as before."""
        header = self.request.META.get("HTTP_IF_MATCH", "").strip()
        if not header or header == "*":
            return
        if self.current_etag(instance) not in [tag.strip() for tag in header.split(",")]:
            raise PreconditionFailed

    # --- writes answer with the object as a reader would fetch it ---------------------
    def detail_response(self, instance, status_code):
        detail = self.reader().retrieve(self.get_queryset(), instance.slug)
        return Response(detail, status=status_code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instance = serializer.save()
        return self.detail_response(instance, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        self.check_if_match(instance)
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        if pending.needs_review(request.user, instance):
            return self.held_response(instance, serializer)
        instance = serializer.save()
        return self.detail_response(instance, status.HTTP_200_OK)

    def held_response(self, instance, serializer):
        """An Editor's change to a public item: 202, and where the pending change can be read."""
        try:
            change = pending.hold(instance, self.request.user, serializer.save,
                                  comment=str(self.request.data.get("change_comment", ""))[:2000])
        except DjangoValidationError as refused:
            return Response({"detail": " ".join(refused.messages)}, status=status.HTTP_409_CONFLICT)
        url = self.request.build_absolute_uri(reverse("api:pending-change", kwargs={"pk": change.pk}))
        return Response({"detail": _("The change is waiting for a Publisher's review; the public still sees the "
                                     "published version."), "pending_change": url},
                        status=status.HTTP_202_ACCEPTED, headers={"Location": url})
