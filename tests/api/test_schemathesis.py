"""Property-based run of the whole API against its own OpenAPI schema (schemathesis, in-process).

Every operation gets a bounded number of generated requests; none may cause a server error,
and every documented response must match its schema. Two personas: anonymous (writes must
answer 401, reads must never 500 whatever the parameters) and an Editor with a token, whose
writes reach the serializers and the models: each detail operation is pointed at an object
that exists, so bodies are validated rather than 404'd.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from portal.api.resources import resources
from portal.wsgi import application
from tests import factories as f

# Per operation and persona; about 52 operations, so the test stays well under a minute.
EXAMPLES_PER_OPERATION = {"anonymous": 20, "editor": 8}


@pytest.fixture
def api_schema(db, settings):
    # The generated requests would trip the anonymous rate limit long before they run out.
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        "anon": "100000/min", "user": "100000/min", "login": "100000/min"}}
    therapy = f.TherapyFactory(slug="kymriah")
    f.ApprovalFactory(therapy=therapy)
    f.TherapyMechanismFactory(therapy=therapy)
    f.KeyProvisionFactory()
    f.ReferenceFactory()
    f.MechanismMoleculeFactory()
    # Like Django's test client: keep the test's database connection (and its transaction)
    # open across requests, instead of closing it when each WSGI request finishes.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def existing_slugs() -> dict[str, str]:
    """{"/api/v1/<prefix>/": slug of one object of that resource}."""
    return {f"/api/v1/{prefix}/": viewset.filterset_class.Meta.model.objects.order_by("pk").first().slug
            for prefix, viewset, _basename in resources()}


def test_api_conforms_to_its_schema_for_anonymous_readers(api_schema):
    # Operations are driven one by one with Hypothesis directly (schemathesis' own pytest
    # plugin does not run on this pytest version); a failure names its operation.
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 20
    for operation in operations:
        run_operation(operation, EXAMPLES_PER_OPERATION["anonymous"])


def test_api_conforms_to_its_schema_for_an_editor(api_schema, editor):
    headers = {"Authorization": f"Token {Token.objects.create(user=editor).key}"}
    slugs = existing_slugs()
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert any(operation.method.upper() == "PATCH" for operation in operations)
    for operation in operations:
        slug = next((slug for prefix, slug in slugs.items() if operation.path.startswith(prefix)), None)
        run_operation(operation, EXAMPLES_PER_OPERATION["editor"], headers=headers, slug=slug)


def run_operation(operation, examples: int, *, headers: dict | None = None, slug: str | None = None):
    @given(case=operation.as_strategy())
    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case):
        if slug is not None and "slug" in case.path_parameters:
            case.path_parameters["slug"] = slug
        case.call_and_validate(headers=headers, checks=[not_a_server_error, response_schema_conformance])

    try:
        check()
    except Exception as error:
        raise AssertionError(f"{operation.method.upper()} {operation.path}: {error}") from error
