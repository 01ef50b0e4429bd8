"""Property-based run of the whole API against its own OpenAPI schema (schemathesis, in-process).

Every operation gets a bounded number of generated requests; none may cause a server error,
and every documented response must match its schema. Anonymous requests only: writes must
answer 401, reads must never 500 whatever the parameters.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from portal.wsgi import application
from tests import factories as f

EXAMPLES_PER_OPERATION = 20


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


def test_api_conforms_to_its_schema(api_schema):
    # Operations are driven one by one with Hypothesis directly (schemathesis' own pytest
    # plugin does not run on this pytest version); a failure names its operation.
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 20
    for operation in operations:
        run_operation(operation)


def run_operation(operation):
    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck),
              database=None)
    def check(case):
        case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])

    try:
        check()
    except Exception as error:
        raise AssertionError(f"{operation.method.upper()} {operation.path}: {error}") from error
