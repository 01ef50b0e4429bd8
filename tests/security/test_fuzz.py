"""Garbage in every query string and slug of every public and API URL: a 4xx or a page, never a 500.

URL patterns are enumerated from the resolver, so new routes are fuzzed without touching this
file. Bounded (a few examples per route, no deadline) to keep the suite fast.
"""

import re

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern, RegexPattern
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.factories import (
    ApprovalFactory,
    KeyProvisionFactory,
    MechanismMoleculeFactory,
    PolicyDocumentFactory,
    ReferenceFactory,
    TherapyMechanismFactory,
)

PUBLISHED_SLUGS: list[str] = []  # filled by the `world` fixture
HOSTILE_SLUGS = [
    "..", "../../etc/passwd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "%00", "a" * 600, "<script>", "-", "0",
    "999999999999999999999", "%E2%80%AE", "drop table", "no-such-item",
]
GARBAGE = st.one_of(
    st.sampled_from([
        "\x00", "a\x00b", "x" * 5000, "-1", "0", "999999999999999999999", "1e309", "NaN", "true", "[]", "{}",
        "../../etc/passwd", "' OR 1=1 --", "<script>alert(1)</script>", "name,-slug,__class__", "-unknown",
        "__all__", "2024-13-45", "cD0yMDIw", "%00", " ", "\ud7ff", "🧬" * 50,
    ]),
    st.text(max_size=60),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)
KNOWN_PARAMETERS = [
    "page", "page_size", "limit", "offset", "cursor", "ordering", "sort", "q", "search", "format", "brief",
    "lang", "language", "category", "status", "kind", "stage", "cell_source", "jurisdiction", "agency",
    "authority", "doc_type", "legal_status", "year", "condition", "molecule", "mechanism", "therapy",
    "view", "issued_after", "issued_before", "expand", "fields",
]
QUERIES = st.dictionaries(
    keys=st.one_of(st.sampled_from(KNOWN_PARAMETERS), st.text(min_size=1, max_size=20)),
    values=st.one_of(GARBAGE, st.lists(GARBAGE, max_size=3)),
    max_size=4,
)
PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def _routes(patterns, prefix=""):
    """Every URL pattern as a route template, e.g. 'en/therapies/<slug:slug>/'."""
    for entry in patterns:
        pattern = entry.pattern
        if isinstance(pattern, LocalePrefixPattern):
            part = pattern.language_prefix
        else:
            part = str(pattern)
            if isinstance(pattern, RegexPattern):
                part = part.lstrip("^").rstrip("$").replace("\\.", ".").replace("/?", "/")
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix + part)
        elif isinstance(entry, URLPattern):
            yield prefix + part


def public_routes() -> list[str]:
    routes = {route for route in _routes(get_resolver().url_patterns) if not route.startswith(settings.ADMIN_URL)}
    # Only patterns that are plain text around their parameters can be filled in.
    return sorted(route for route in routes if not re.search(r"[\\^$*+?\[\]|]", PARAMETER.sub("", route)))


def fill(route: str, value: str) -> str:
    def replace(match):
        name = match.group(1) or match.group(2)
        return "json" if name == "format" else value

    return "/" + PARAMETER.sub(replace, route)


@pytest.fixture
def world(db):
    """A few published items of every kind, so detail routes have something real to find."""
    ApprovalFactory(therapy__references=[ReferenceFactory()])
    TherapyMechanismFactory()
    MechanismMoleculeFactory()
    KeyProvisionFactory(policy=PolicyDocumentFactory())
    PUBLISHED_SLUGS[:] = sorted({
        slug for model in apps.get_models() if hasattr(model, "slug_source_field")
        for slug in model.objects.values_list("slug", flat=True)
    })
    return PUBLISHED_SLUGS


FUZZ = hypothesis_settings(
    max_examples=6, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def test_there_are_routes_to_fuzz():
    routes = public_routes()
    assert "en/" in routes and "healthz" in routes


@pytest.mark.parametrize("route", public_routes())
@FUZZ
@given(query=QUERIES, slug_choice=st.integers(min_value=0, max_value=10**6))
def test_garbage_never_causes_a_server_error(client, world, route, query, slug_choice):
    slugs = world + HOSTILE_SLUGS
    path = fill(route, slugs[slug_choice % len(slugs)])
    response = client.get(path, query)
    assert response.status_code < 500, (path, query, response.status_code)
