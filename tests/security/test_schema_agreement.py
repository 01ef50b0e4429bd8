"""The OpenAPI schema says what the API does (the probe's schema-violations table)."""

from __future__ import annotations

import pytest

from portal.models import Reference
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(api):
    return api.get("/api/schema/?format=json").json()


def parameter(operation, name):
    return next(item for item in operation["parameters"] if item["name"] == name)


def test_reads_are_documented_as_open_to_anonymous_readers(schema):
    for path in ("/api/v1/therapies/", "/api/v1/therapies/{slug}/", "/api/v1/therapies/{slug}/history/"):
        assert {} in schema["paths"][path]["get"]["security"], path


def test_writes_are_documented_as_needing_credentials(schema):
    security = schema["paths"]["/api/v1/therapies/"]["post"]["security"]
    assert {} not in security
    assert {"tokenAuth": []} in security


def test_the_token_endpoint_is_documented_as_open(schema):
    assert {} in schema["paths"]["/api/v1/auth/token/"]["post"]["security"]


@pytest.mark.parametrize("path", ["/api/v1/therapies/", "/api/v1/therapies/{slug}/history/", "/api/v1/search/"])
def test_page_and_page_size_are_documented_with_their_bounds(schema, path):
    operation = schema["paths"][path]["get"]
    assert parameter(operation, "page")["schema"]["minimum"] == 1
    assert parameter(operation, "page_size")["schema"] == {"type": "integer", "minimum": 1, "maximum": 100}


def test_csv_is_documented_on_lists(schema):
    assert "text/csv" in schema["paths"]["/api/v1/therapies/"]["get"]["responses"]["200"]["content"]


def test_an_empty_filter_choice_is_documented_as_no_filter(schema):
    operation = schema["paths"]["/api/v1/policies/"]["get"]
    assert "" in parameter(operation, "jurisdiction")["schema"]["enum"]
    assert "" in parameter(operation, "format")["schema"]["enum"]


def test_an_empty_filter_choice_lists_everything(api):
    f.PolicyDocumentFactory()
    response = api.get("/api/v1/policies/?jurisdiction=&format=")
    assert response.status_code == 200
    assert response.json()["count"] == 1


@pytest.mark.parametrize("prefix", ["approvals", "therapies"])
def test_an_ordering_of_empty_values_keeps_the_default_order(api, prefix):
    f.ApprovalFactory.create_batch(2)
    response = api.get(f"/api/v1/{prefix}/?ordering=,")
    assert response.status_code == 200
    assert response.json()["count"] == 2


def test_the_language_parameter_still_has_no_empty_choice(schema):
    assert "" not in parameter(schema["paths"]["/api/v1/policies/"]["get"], "lang")["schema"]["enum"]


@pytest.mark.parametrize("year", ["0.5", "1e3", "two"])
def test_a_year_that_is_not_a_whole_number_is_a_400(api, year):
    response = api.get(f"/api/v1/references/?year={year}")
    assert response.status_code == 400
    assert "year" in response.json()


def test_a_whole_year_still_filters(api):
    f.ReferenceFactory(year=2020)
    f.ReferenceFactory(year=2021)
    assert api.get("/api/v1/references/?year=2020").json()["count"] == 1


def test_a_doi_outside_ascii_links_to_a_valid_uri():
    assert Reference.link_for("10.12902/Zê", "", "") == "https://doi.org/10.12902/Z%C3%AA"


def test_a_doi_with_uri_delimiters_keeps_them_encoded():
    link = Reference.link_for("10.1002/(SICI)1097-4636(199706)35:4<425::AID-JBM2>3.0.CO;2-D#x?y", "", "")
    assert link == "https://doi.org/10.1002/(SICI)1097-4636(199706)35:4%3C425::AID-JBM2%3E3.0.CO;2-D%23x%3Fy"


def test_an_ascii_doi_link_is_unchanged():
    assert Reference.link_for("10.1186/s13287-025-04343-0", "", "") == "https://doi.org/10.1186/s13287-025-04343-0"
