"""Shared cache of whole public responses, and the one owner of their validators.

Only anonymous GET/HEAD requests are served from or stored in the cache; a request that
carries a session cookie or an Authorization header (editors, API tokens) always reaches
the view, and its response is never stored (the API marks those private itself).

Each stored page and each ETag carries the content generation it was made in
(`portal/generation.py`), so after a change every worker on every server misses and renders
fresh content on its very next request. A hit costs one cache round trip: the generation
and the page are read together. A revalidation (If-None-Match) reads the generation alone
and is answered with a 304 before any view runs.

This middleware sets ETag and Cache-Control on every anonymous 200 it sees, cached or not:
with the cache down (no generation can be kept) the ETag is a hash of the body, so a
conditional GET still gets its 304. CORS headers are added outside it (see MIDDLEWARE), so
a cached copy never carries another request's Access-Control-Allow-Origin.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers

from portal import generation

CACHED_PREFIXES = ("/en/", "/zh-hans/", "/api/v1/", "/sitemap.xml", "/sitemap-", "/robots.txt")


def is_anonymous(request) -> bool:
    """The request carries no credentials: no session cookie, no Authorization header."""
    return settings.SESSION_COOKIE_NAME not in request.COOKIES and "HTTP_AUTHORIZATION" not in request.META


def is_cacheable_request(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and request.path.startswith(CACHED_PREFIXES)
        and is_anonymous(request)
    )


def body_etag(response) -> str:
    """A strong ETag from the rendered body and its content headers: right whatever the cache holds."""
    digest = hashlib.sha256(response.content)
    digest.update(f"\n{response.get('Content-Type', '')}\n{response.get('Content-Language', '')}".encode())
    return f'"{digest.hexdigest()[:32]}"'


def etag_matches(request, etag: str) -> bool:
    header = request.META.get("HTTP_IF_NONE_MATCH", "")
    return bool(header) and (header.strip() == "*" or etag in [tag.strip() for tag in header.split(",")])


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


def etag_for(content_generation: int, fingerprint: str) -> str:
    return f'W/"{content_generation:x}-{fingerprint[:16]}"'


class PageCacheMiddleware:
    """Serve anonymous GETs from the shared cache; answer revalidations before any view runs."""

    stored_headers = ("Content-Type", "Content-Language", "Vary", "Link", "Allow", "X-Robots-Tag")

    def __init__(self, get_response):
        self.get_response = get_response
        self.timeout = settings.PAGE_CACHE_SECONDS
        self.max_age = settings.PUBLIC_MAX_AGE
        self.bypass_header = settings.PAGE_CACHE_BYPASS_HEADER

    def __call__(self, request):
        if not is_cacheable_request(request):
            return self.get_response(request)
        fingerprint = _fingerprint(request)
        if self.bypass_header and request.headers.get(self.bypass_header):
            # The benchmark's cold read: rendered every time, never stored, never a 304.
            current = generation.stored_generation()
            return self._finish(request, self._render(request, current, store_as=None), fingerprint, current)
        if "HTTP_IF_NONE_MATCH" in request.META:
            return self._revalidate(request, fingerprint)
        current, frozen = self._lookup(self._key(fingerprint))
        return self._serve(request, fingerprint, current, frozen)

    @staticmethod
    def _key(fingerprint: str) -> str:
        return f"portal:page:{fingerprint}"

    def _lookup(self, key: str) -> tuple[int | None, dict | None]:
        """The content generation and, when it is current, the stored page: one cache round trip."""
        found = cache.get_many([generation.GENERATION_KEY, key])
        current = found.get(generation.GENERATION_KEY)
        if current is None:  # a fresh or flushed cache (or none at all): start a generation
            return generation.stored_generation(), None
        return current, self._current_page(found.get(key), current)

    def _revalidate(self, request, fingerprint: str):
        """A 304 when the client's ETag is the current one; the generation alone is read for
        it. A stale tag (the content changed since) then reads the page, as a plain GET would."""
        current = generation.stored_generation()
        if current is not None and etag_matches(request, etag_for(current, fingerprint)):
            return self._not_modified(etag_for(current, fingerprint))
        frozen = self._current_page(cache.get(self._key(fingerprint)), current) if current is not None else None
        return self._serve(request, fingerprint, current, frozen)

    def _serve(self, request, fingerprint: str, current: int | None, frozen: dict | None):
        if frozen is not None:
            response = self._serve_hit(frozen)
        else:
            response = self._render(request, current, store_as=self._key(fingerprint))
        return self._finish(request, response, fingerprint, current)

    def _serve_hit(self, frozen: dict) -> HttpResponse:
        response = HttpResponse(frozen["content"])
        for name, value in frozen["headers"].items():
            response[name] = value
        response["X-Cache"] = "hit"
        return response

    def _render(self, request, current: int | None, *, store_as: str | None):
        """The view's response, made in generation `current` and stored under `store_as`
        when it may be shared. Without a generation (cache down) nothing is stored."""
        with generation.pinned(current):
            response = self.get_response(request)
        if store_as and current is not None and request.method == "GET" and self._storable(response):
            cache.set(store_as, self._freeze(response, current), self.timeout)
        response["X-Cache"] = "miss"
        return response

    def _finish(self, request, response, fingerprint: str, current: int | None):
        """ETag and Cache-Control of an anonymous 200; a 304 when a body-hash ETag matches."""
        if response.status_code != 200 or response.cookies:
            return response
        if current is not None:
            response["ETag"] = etag_for(current, fingerprint)
        elif not response.streaming:
            response["ETag"] = body_etag(response)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = self._cache_control(request)
        if request.path.startswith("/api/"):
            patch_vary_headers(response, ["Accept-Language"])
        if current is None and response.has_header("ETag") and etag_matches(request, response["ETag"]):
            return self._not_modified(response["ETag"])
        return response

    def _cache_control(self, request) -> str:
        if request.path.startswith("/api/"):
            # API clients have always been given exactly this (tests/api pins it).
            return f"public, max-age={self.max_age}"
        return f"public, max-age={self.max_age}, stale-while-revalidate={self.max_age * 5}"

    @staticmethod
    def _current_page(frozen, current: int) -> dict | None:
        # Pages are stored under one key per URL and carry the generation they were made in;
        # a page from an older generation is a miss and is overwritten by the fresh one.
        return frozen if frozen is not None and frozen.get("generation") == current else None

    def _storable(self, response) -> bool:
        cache_control = response.get("Cache-Control", "")
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in cache_control
            and "no-store" not in cache_control
        )

    def _freeze(self, response, current: int) -> dict:
        return {
            "generation": current,
            "content": response.content,
            "headers": {name: response[name] for name in self.stored_headers if response.has_header(name)},
        }

    @staticmethod
    def _not_modified(etag: str) -> HttpResponseNotModified:
        response = HttpResponseNotModified()
        response["ETag"] = etag
        return response
