"""The OpenAPI schema and its Swagger UI, hardened (probe L3, L5).

The schema costs 0.25–0.5 s to generate and depends only on the code and the language, so it
is generated and rendered once per process, language and format, and served with an ETag and
a public Cache-Control. Both views answer only GET and HEAD: DRF's OPTIONS metadata has no
template for the Swagger page (a 500) and describes nothing a client needs.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import translation
from django.utils.cache import patch_vary_headers
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.views import APIView

from portal.api.viewsets import ApiViewMixin
from portal.page_cache import body_etag, etag_matches

READ_METHODS = ["get", "head"]

# (language, media type) -> the rendered schema's body, headers and ETag, for this process.
_rendered: dict[tuple[str, str], dict] = {}


def forget_schemas() -> None:
    """Drop the rendered schemas (tests that change what the schema says)."""
    _rendered.clear()


class SchemaView(ApiViewMixin, SpectacularAPIView):
    """`/api/schema/`: unknown parameters and languages are a 400 (ApiViewMixin), as on every API view."""

    http_method_names = READ_METHODS

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        key = (translation.get_language(), request.accepted_media_type)
        if key not in _rendered:
            _rendered[key] = self._render(super().get(request, *args, **kwargs))
        schema = _rendered[key]
        if etag_matches(request, schema["etag"]):
            response = HttpResponseNotModified()
        else:
            response = HttpResponse(schema["content"], content_type=schema["content_type"])
            response["Content-Disposition"] = schema["disposition"]
        response["ETag"] = schema["etag"]
        response["Cache-Control"] = f"public, max-age={settings.PUBLIC_MAX_AGE}"
        return response

    def _render(self, response) -> dict:
        response.accepted_renderer = self.request.accepted_renderer
        response.accepted_media_type = self.request.accepted_media_type
        response.renderer_context = self.get_renderer_context()
        response.render()
        return {"content": response.content, "content_type": response["Content-Type"],
                "disposition": response["Content-Disposition"], "etag": body_etag(response)}

    def finalize_response(self, request, response, *args, **kwargs):
        # The same schema for every reader, so public, with its own ETag: not the private,
        # body-hashed one ApiViewMixin gives responses to requests with credentials.
        response = APIView.finalize_response(self, request, response, *args, **kwargs)
        response["Content-Language"] = translation.get_language()
        patch_vary_headers(response, ("Accept", "Accept-Language", "Cookie"))
        return response


class DocsView(SpectacularSwaggerSplitView):
    """`/api/docs/`: Swagger UI, its start-up script loaded from a URL (docs/security.md, CSP)."""

    http_method_names = READ_METHODS
