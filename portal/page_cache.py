"""Shared cache of whole public responses, and the one owner of their validators.

Only anonymous GET/HEAD requests are served from or stored in the cache; a request that
carries a session cookie or an Authorization header (editors, API tokens) always reaches
the view, and its response is never stored (the API marks those private itself).

A page is stored under its scheme, host, path, query and negotiation headers, stamped with
the content generation it was made in (`portal/generation.py`), and served only while that
generation is current. A hit costs one cache round trip (the published generation and the
page are read together) and no SQL. Only canonical URLs are stored: a response whose view
never looked up one of the query parameters is answered but not kept, so junk query strings
cannot fill the cache.

The ETag of every anonymous 200 is a hash of its body, kept with the page: it shows nothing
of the generation, and a change that leaves a page's bytes alone (a draft saved) leaves its
ETag alone, so revalidations still get their 304. A hit carries the headers the view's
response had; CORS and the security headers are added outside this middleware (MIDDLEWARE),
so hits, misses and 304s get them alike.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified, QueryDict
from django.utils.cache import patch_vary_headers

from portal import generation

CACHED_PREFIXES = ("/en/", "/zh-hans/", "/api/v1/", "/sitemap.xml", "/sitemap-", "/robots.txt")
# Headers a 304 repeats from the response it stands for (RFC 9110 15.4.5), as Django's own do.
NOT_MODIFIED_HEADERS = ("Cache-Control", "Content-Location", "Date", "ETag", "Expires", "Vary")


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
    """If-None-Match names `etag`, or is `*`: callers ask only for a current representation (a 200)."""
    header = request.META.get("HTTP_IF_NONE_MATCH", "")
    return bool(header) and (header.strip() == "*" or etag in [tag.strip() for tag in header.split(",")])


class LookedUpQueryDict(QueryDict):
    """`request.GET` that remembers which parameters were asked for by name (`get`, `[]`,
    `getlist`, `in`), copies included; iterating (to echo the query string) asks for none."""

    def __init__(self, *args, **kwargs):
        self.looked_up: set[str] = set()  # before parsing, which looks keys up itself
        super().__init__(*args, **kwargs)
        self.looked_up.clear()

    def __getitem__(self, key):
        self.looked_up.add(key)
        return super().__getitem__(key)

    def getlist(self, key, default=None):
        self.looked_up.add(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        self.looked_up.add(key)
        return super().__contains__(key)

    def __copy__(self):
        result = super().__copy__()
        result.looked_up = self.looked_up
        return result

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.looked_up = self.looked_up
        return result

    @classmethod
    def watching(cls, query: QueryDict) -> LookedUpQueryDict:
        """The same parameters as `query`, as Django parsed them."""
        watched = cls(mutable=True, encoding=query.encoding)
        for key, values in query.lists():
            watched.setlist(key, values)
        watched._mutable = False
        return watched

    def all_looked_up(self) -> bool:
        return self.looked_up.issuperset(self.keys())


def _key(request) -> str:
    """What makes two anonymous requests get the same bytes: scheme and host (absolute links),
    path, query and negotiation headers."""
    parts = [
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        request.META.get("HTTP_ACCEPT", ""),
    ]
    if request.path.startswith("/api/"):
        # Without ?lang= the API answers in the language of the cookie or Accept-Language.
        parts += [request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, ""), request.META.get("HTTP_ACCEPT_LANGUAGE", "")]
    return "portal:page:" + hashlib.blake2b("\n".join(parts).encode(), digest_size=16).hexdigest()


class PageCacheMiddleware:
    """Serve anonymous GETs from the shared cache; answer revalidations of cached pages before any view runs."""

    # Set here for every request; never stored with a page.
    unstored_headers = frozenset({"etag", "x-cache"})

    def __init__(self, get_response):
        self.get_response = get_response
        self.timeout = settings.PAGE_CACHE_SECONDS
        self.max_age = settings.PUBLIC_MAX_AGE
        self.bypass_header = settings.PAGE_CACHE_BYPASS_HEADER

    def __call__(self, request):
        if not is_cacheable_request(request):
            return self.get_response(request)
        if self.bypass_header and request.headers.get(self.bypass_header):
            # The benchmark's cold read: rendered every time, never stored.
            return self._finish(request, self._render(request, generation.current(), store_as=None))
        key = _key(request)
        found = cache.get_many([generation.GENERATION_KEY, key])
        current = generation.current(seen_in_cache=found.get(generation.GENERATION_KEY))
        frozen = found.get(key)
        if current is not None and frozen is not None and frozen.get("generation") == current:
            return self._finish(request, self._serve_hit(frozen))
        # Not stored, or from an older generation (then overwritten by this one).
        return self._finish(request, self._render(request, current, store_as=key))

    def _serve_hit(self, frozen: dict) -> HttpResponse:
        response = HttpResponse(frozen["content"])
        for name, value in frozen["headers"].items():
            response[name] = value
        response["ETag"] = frozen["etag"]
        response["X-Cache"] = "hit"
        return response

    def _render(self, request, current: int | None, *, store_as: str | None):
        """The view's response, made in generation `current` and stored under `store_as` when it
        may be shared. Without a generation (the database cannot be read) nothing is stored."""
        request.GET = LookedUpQueryDict.watching(request.GET)
        with generation.pinned(current):
            response = self.get_response(request)
        if self._is_shareable(response):
            response["ETag"] = body_etag(response)
            if store_as and current is not None and request.method == "GET" and request.GET.all_looked_up():
                cache.set(store_as, self._freeze(response, current), self.timeout)
        response["X-Cache"] = "miss"
        return response

    def _finish(self, request, response):
        """Cache-Control of an anonymous 200, and a 304 when the client has its ETag."""
        if response.status_code != 200 or response.cookies:
            return response
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = self._cache_control(request)
        if request.path.startswith("/api/"):
            patch_vary_headers(response, ["Accept-Language"])
        if response.has_header("ETag") and etag_matches(request, response["ETag"]):
            return self._not_modified(response)
        return response

    def _cache_control(self, request) -> str:
        if request.path.startswith("/api/"):
            # API clients have always been given exactly this (tests/api pins it).
            return f"public, max-age={self.max_age}"
        return f"public, max-age={self.max_age}, stale-while-revalidate={self.max_age * 5}"

    @staticmethod
    def _is_shareable(response) -> bool:
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
            "etag": response["ETag"],
            "headers": {name: value for name, value in response.items() if name.lower() not in self.unstored_headers},
        }

    @staticmethod
    def _not_modified(response) -> HttpResponseNotModified:
        not_modified = HttpResponseNotModified()
        for name in NOT_MODIFIED_HEADERS:
            if response.has_header(name):
                not_modified[name] = response[name]
        return not_modified
