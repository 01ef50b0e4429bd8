"""Helpers that render faster than Django's own must render exactly what Django's would."""

import datetime

import pytest
from django import forms
from django.utils import translation

from policies.forms import FacetSelect, PolicyFilterForm
from portal.templatetags.portal_tags import display
from tests.factories import ApprovalFactory, AuthorityFactory, PolicyDocumentFactory, TherapyFactory
from therapies.choices import ApprovalStatus

CHOICES = [
    ("", "Any"),
    ("a&b", 'Quotes " and <tags>'),
    ("2021", "2021"),
    ("Group", [("x", "Ex"), ("y", "Why")]),
]


@pytest.mark.parametrize("value", ["", "a&b", "y", None, "unknown"])
@pytest.mark.parametrize("attrs", [None, {"id": "id_f"}, {"id": "id_f", "required": True, "disabled": False}])
def test_facet_select_renders_the_html_of_django_select(value, attrs):
    ours = FacetSelect(choices=CHOICES).render("f", value, attrs=attrs)
    django = forms.Select(choices=CHOICES).render("f", value, attrs=attrs)
    assert ours == django


@pytest.mark.parametrize("query", ["", "jurisdiction=CN&year=2021&type=plan&status=in_force&view=timeline&authority=a"])
def test_policy_facet_form_renders_as_with_django_widgets(db, query):
    from django.http import QueryDict

    authorities, years = [("a", "Authority <A>"), ("b", "B")], [2021, 2012]
    ours = PolicyFilterForm(QueryDict(query), authorities=authorities, years=years)
    django = PolicyFilterForm(QueryDict(query), authorities=authorities, years=years)
    for field in django.fields.values():
        field.widget = forms.Select(choices=field.choices)
    assert [str(field) for field in ours] == [str(field) for field in django]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_display_filter_is_get_field_display(db, language):
    approvals = [ApprovalFactory(agency="nmpa", pathway=""), ApprovalFactory(pathway="conditional")]
    items = [
        *((approval, field) for approval in approvals for field in ("pathway", "decided_on_precision")),
        (TherapyFactory(stage="phase_2"), "stage"), (TherapyFactory(), "kind"),
        (PolicyDocumentFactory(), "doc_type"), (PolicyDocumentFactory(), "legal_status"),
        (AuthorityFactory(), "jurisdiction"),
    ]
    with translation.override(language):
        for obj, field in items:
            assert display(obj, field) == getattr(obj, f"get_{field}_display")(), field


def test_display_filter_shows_an_unknown_stored_value_as_is(db):
    approval = ApprovalFactory()
    approval.pathway = "retired-pathway"
    assert display(approval, "pathway") == approval.get_pathway_display() == "retired-pathway"


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_display_filter_labels_a_derived_status(db, language):
    approval = ApprovalFactory(withdrawn_on=datetime.date(2020, 1, 1))
    loaded = type(approval).objects.get(pk=approval.pk)
    with translation.override(language):
        assert display(loaded, "status") == str(ApprovalStatus.WITHDRAWN.label)
