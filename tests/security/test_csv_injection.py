"""CSV exports cannot carry spreadsheet formulas (probe L4, OWASP "CSV injection")."""

from __future__ import annotations

import csv
import io

import pytest

from portal.api.renderers import cell
from tests import factories as f


@pytest.mark.parametrize("text", ["=HYPERLINK(\"https://evil.example\")", "+1+2", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_a_text_cell_starting_a_formula_is_prefixed_with_a_quote(text):
    assert cell(text) == "'" + text


def test_a_text_that_looks_like_a_negative_number_is_still_text():
    assert cell("-5") == "'-5"


@pytest.mark.parametrize("number", [-3, -2.5, 0, 2021])
def test_a_number_stays_a_number(number):
    assert cell(number) == str(number)


def test_a_list_of_slugs_starting_a_formula_is_prefixed_once():
    assert cell([{"slug": "-a"}, {"slug": "b"}]) == "'-a; b"


def test_plain_text_is_unchanged():
    assert cell("Novartis") == "Novartis"


@pytest.mark.django_db
def test_the_csv_export_neutralises_a_formula_in_a_field(api):
    f.TherapyFactory(developer_en='=HYPERLINK("https://evil.example/","x")')
    response = api.get("/api/v1/therapies/?format=csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0]["developer"] == '\'=HYPERLINK("https://evil.example/","x")'
