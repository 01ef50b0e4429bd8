"""Shared cache of whole public responses, invalidated exactly by a content generation.

Every public page and API response shows only published content, so one number describes
the state all of them depend on: the *content generation*, kept in the shared cache and
bumped (after commit) by any save, delete or relation change of a curated model, whichever
door it came through (admin, API, load_curated, a history revert). Each stored page and each
ETag carries the generation it was made in, so after a change every worker on every server
misses and renders fresh content on its very next request; nothing needs to be found and
deleted. A hit costs one cache round trip: the generation and the page are read together.

Only anonymous GET/HEAD requests are served from or stored in the cache; a request that
carries a session cookie or an Authorization header (editors, API tokens) always reaches
the view, and its response is never stored.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import patch_vary_headers

from portal.generation import GENERATION_KEY, _request_generation, content_generation

CACHED_PREFIXES = ("/en/", "/zh-hans/", "/api/v1/", "/sitemap.xml", "/sitemap-", "/robots.txt")


def is_anonymous(request) -> bool:
    return settings.SESSION_COOKIE_NAME not in request.COOKIES and "HTTP_AUTHORIZATION" not in request.META


def is_cacheable_request(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and request.path.startswith(CACHED_PREFIXES)
        and is_anonymous(request)
    )


def _fingerprint(request) -> str:
    """What makes two anonymous requests get the same bytes: path, query and negotiation headers."""
    parts = [
        request.get_full_path(),
        request.META.get("HTTP_ACCEPT", ""),
    ]
    if request.path.startswith("/api/"):
        # Without ?lang= the API answers in the language of the cookie or Accept-Language.
        parts += [request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, ""), request.META.get("HTTP_ACCEPT_LANGUAGE", "")]
    return hashlib.blake2b("\n".join(parts).encode(), digest_size=16).hexdigest()


def etag_for(generation: int, fingerprint: str) -> str:
    return f'W/"{generation:x}-{fingerprint[:16]}"'


def _etag_matches(request, etag: str) -> bool:
    header = request.META.get("HTTP_IF_NONE_MATCH", "")
    return bool(header) and (header.strip() == "*" or etag in [tag.strip() for tag in header.split(",")])


class PageCacheMiddleware:
    """Serve anonymous GETs from the shared cache; answer revalidations before any view runs."""

    stored_headers = ("Content-Type", "Content-Language", "Vary", "Link", "Allow", "X-Robots-Tag")

    def __init__(self, get_response):
        self.get_response = get_response
        self.timeout = getattr(settings, "PAGE_CACHE_SECONDS", 24 * 3600)
        self.max_age = getattr(settings, "PAGE_CACHE_BROWSER_MAX_AGE", 60)
        self.bypass_header = getattr(settings, "PAGE_CACHE_BYPASS_HEADER", "")

    def __call__(self, request):
        if not is_cacheable_request(request):
            return self.get_response(request)
        fingerprint = _fingerprint(request)
        key = f"portal:page:{fingerprint}"
        bypass = self.bypass_header and request.headers.get(self.bypass_header)
        generation, cached = self._lookup(request, key, fetch_page=not bypass)
        etag = etag_for(generation, fingerprint)
        if _etag_matches(request, etag) and not bypass:
            return self._not_modified(etag)
        if cached is None and not bypass and "HTTP_IF_NONE_MATCH" in request.META:
            cached = self._page(cache.get(key), generation)
        if cached is not None:
            response = self._rebuild(cached)
            response["X-Cache"] = "hit"
        else:
            token = _request_generation.set(generation)
            try:
                response = self.get_response(request)
            finally:
                _request_generation.reset(token)
            if request.method == "GET" and self._storable(response) and not bypass:
                cache.set(key, self._freeze(response, generation), self.timeout)
            response["X-Cache"] = "miss"
        if response.status_code == 200 and not response.cookies:
            response["ETag"] = etag
            if not response.has_header("Cache-Control"):
                response["Cache-Control"] = (
                    f"public, max-age={self.max_age}, stale-while-revalidate={self.max_age * 5}"
                )
            patch_vary_headers(response, ["Accept-Language"] if request.path.startswith("/api/") else [])
        return response

    def _lookup(self, request, key: str, *, fetch_page: bool) -> tuple[int, dict | None]:
        """The content generation and, when it is current, the stored page: one cache round trip.

        A revalidation (If-None-Match) usually ends in a 304, so it asks for the generation
        alone and fetches the page only if the ETag turns out stale.
        """
        if not fetch_page or "HTTP_IF_NONE_MATCH" in request.META:
            return content_generation(), None
        found = cache.get_many([GENERATION_KEY, key])
        generation = found.get(GENERATION_KEY)
        if generation is None:
            return content_generation(), None
        return generation, self._page(found.get(key), generation)

    @staticmethod
    def _page(frozen, generation: int) -> dict | None:
        # Pages are stored under one key per URL and carry the generation they were made in;
        # a page from an older generation is a miss and is overwritten by the fresh one.
        return frozen if frozen is not None and frozen.get("generation") == generation else None

    def _storable(self, response) -> bool:
        cache_control = response.get("Cache-Control", "")
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in cache_control
            and "no-store" not in cache_control
        )

    def _freeze(self, response, generation: int) -> dict:
        return {
            "generation": generation,
            "content": response.content,
            "headers": {name: response[name] for name in self.stored_headers if response.has_header(name)},
        }

    @staticmethod
    def _rebuild(frozen):
        from django.http import HttpResponse

        response = HttpResponse(frozen["content"])
        for name, value in frozen["headers"].items():
            response[name] = value
        return response

    @staticmethod
    def _not_modified(etag):
        from django.http import HttpResponseNotModified

        response = HttpResponseNotModified()
        response["ETag"] = etag
        return response
