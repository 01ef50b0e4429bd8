"""The API's non-resource endpoints: the root, the change feed, tokens and search."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView
from reversion.models import Version

from portal import search
from portal.api.history import ChangeSerializer, public_changes
from portal.api.pagination import Pagination, positive_int
from portal.api.resources import models_by_basename, resources
from portal.api.throttling import LoginThrottle
from portal.api.viewsets import LANG_PARAMETER, ApiViewMixin
from portal.models import SearchEntry


class RootView(ApiViewMixin, APIView):
    """The resources and endpoints of API v1."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[LANG_PARAMETER],
        responses=inline_serializer("ApiRoot", {"resources": serializers.DictField(child=serializers.URLField()),
                                                "endpoints": serializers.DictField(child=serializers.URLField())}),
    )
    def get(self, request):
        def absolute(name, **kwargs):
            return request.build_absolute_uri(reverse(name, kwargs=kwargs or None))

        return Response({
            "resources": {prefix: absolute(f"api:{basename}-list") for prefix, _viewset, basename in resources()},
            "endpoints": {
                "search": absolute("api:search"),
                "changes": absolute("api:changes"),
                "token": absolute("api:token"),
                "schema": absolute("api-schema"),
                "docs": absolute("api-docs"),
            },
        })


def parse_since(raw: str | None):
    """`since` as an aware datetime (a bare date means its midnight, UTC); None when absent."""
    if raw is None:
        return None
    try:
        moment = parse_datetime(raw)
        if moment is None:
            day = parse_date(raw)
            moment = datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.UTC) if day else None
    except ValueError:
        moment = None
    if moment is None:
        raise ValidationError({"since": [_("Give an ISO 8601 date or date and time, e.g. 2024-06-01T00:00:00Z.")]})
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, datetime.UTC)
    try:
        # In UTC: databases refuse some offsets Python accepts (PostgreSQL stops at ±15:59).
        return moment.astimezone(datetime.UTC)
    except OverflowError as error:
        raise ValidationError({"since": [_("That moment is out of range.")]}) from error


class ChangesView(ApiViewMixin, GenericAPIView):
    """What became public, changed publicly or stopped being public since a moment, oldest first."""

    permission_classes = [AllowAny]
    pagination_class = Pagination
    serializer_class = ChangeSerializer
    filter_backends = []
    queryset = Version.objects.none()  # changes are computed from versions, see public_changes()
    extra_query_params = frozenset({"since", "page", "page_size"})

    @extend_schema(parameters=[
        LANG_PARAMETER,
        OpenApiParameter("since", OpenApiTypes.DATETIME, description="Only changes after this moment (ISO 8601)."),
    ], responses=ChangeSerializer(many=True))
    def get(self, request):
        since = parse_since(request.query_params.get("since"))
        changes = public_changes(models_by_basename(), since, request)
        page = self.paginate_queryset(changes)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class TokenView(ApiViewMixin, ObtainAuthToken):
    """Exchange an editor's username and password for an API token (login attempts are throttled)."""

    throttle_classes = [LoginThrottle]
    renderer_classes = [JSONRenderer]
    # ObtainAuthToken names DRF's own parsers; ours bound the nesting of JSON bodies.
    parser_classes = api_settings.DEFAULT_PARSER_CLASSES


class SearchHitSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="Resource type: therapy, category, mechanism, molecule, condition, policy "
                                           "or authority.")
    slug = serializers.CharField()
    title = serializers.CharField()
    snippet = serializers.CharField(help_text="Text around the matched words, as HTML with the matches in <mark>.")
    score = serializers.IntegerField()
    url = serializers.URLField()
    web_url = serializers.URLField()


class SearchTookTooLong(APIException):
    status_code = 503
    default_detail = gettext_lazy("The search took too long; add a word to narrow it.")
    default_code = "search_timeout"


class SearchView(ApiViewMixin, GenericAPIView):
    """Cross-resource search over published items, best matches first (portal.search).

    Counting stops at `portal.search.ranking.RESULT_CAP` (1000) matches: `count` is then 1000 and only
    the first 1000 are listed.
    """

    permission_classes = [AllowAny]
    pagination_class = Pagination
    serializer_class = SearchHitSerializer
    filter_backends = []
    queryset = SearchEntry.objects.none()  # results come from portal.search, not a queryset
    extra_query_params = frozenset({"q", "type", "page", "page_size"})

    @extend_schema(
        parameters=[
            LANG_PARAMETER,
            OpenApiParameter("q", OpenApiTypes.STR, required=True,
                             description="Words to find; English inflections and Chinese text both match."),
            OpenApiParameter("type", OpenApiTypes.STR, description="Comma-separated types to keep, e.g. "
                             "`therapy,policy` (" + ", ".join(search.kinds()) + ").",
                             pattern=r"^ *(?:(?:{kinds}) *(?:, *|$))*$".format(kinds="|".join(search.kinds()))),
        ],
        responses=SearchHitSerializer(many=True),
    )
    def get(self, request):
        query = request.query_params.get("q", "").strip()
        if not query:
            raise ValidationError({"q": [_("Give the words to search for.")]})
        types = self.requested_types(request.query_params.get("type"))
        paginator = self.paginator
        page_size = paginator.get_page_size(request)
        number = positive_int(request, paginator.page_query_param) or 1
        found = search.search(query, language=request.LANGUAGE_CODE, types=types,
                              limit=page_size, offset=(number - 1) * page_size)
        if found.timed_out:
            raise SearchTookTooLong
        if number > 1 and (number - 1) * page_size >= found.total:
            raise NotFound(_("That page is past the last result."))
        hits = [self.hit(request, result) for result in found.results]
        return Response({
            "count": found.total,
            "next": self.page_link(request, number + 1) if number * page_size < found.total else None,
            "previous": self.page_link(request, number - 1) if number > 1 else None,
            "results": SearchHitSerializer(hits, many=True).data,
        })

    @staticmethod
    def requested_types(raw: str | None) -> set[str] | None:
        if not raw:
            return None
        types = {part.strip() for part in raw.split(",") if part.strip()}
        unknown = sorted(types - set(search.kinds()))
        if unknown:
            raise ValidationError({"type": [_("Unknown type: %(types)s. Use %(known)s.") % {
                "types": ", ".join(unknown), "known": ", ".join(search.kinds())}]})
        return types

    @staticmethod
    def hit(request, result) -> dict:
        api_url = reverse(f"api:{result.type}-detail", kwargs={"slug": result.slug})
        return {
            "type": result.type, "slug": result.slug, "title": result.title, "snippet": str(result.snippet),
            "score": result.score, "url": request.build_absolute_uri(api_url),
            "web_url": request.build_absolute_uri(result.url),
        }

    @staticmethod
    def page_link(request, number: int) -> str:
        return replace_query_param(request.build_absolute_uri(), "page", number)
