"""Inline citations `[^reference-slug]`: validated at every door, rendered as numbered links."""

import pytest
from django.urls import reverse

from portal.citations import citation_errors, link_citations, strip_citations
from portal.curated import CuratedDataError, load_curated
from tests.factories import ReferenceFactory, TherapyFactory
from therapies.models import Therapy

pytestmark = pytest.mark.django_db


def test_a_citation_of_an_unlisted_reference_names_the_field_and_the_slug():
    errors = citation_errors(Therapy, {"summary_en": "Approved in 2017[^fda-label].", "body_zh_hans": "见[^ema]。"},
                             ["fda-label"])
    assert list(errors) == ["body_zh_hans"]
    assert "[^ema]" in errors["body_zh_hans"]


def test_citations_become_numbered_links_to_the_reference_list():
    first, second = ReferenceFactory(slug="fda-label"), ReferenceFactory(slug="epar")
    html = link_citations("Approved<b>[^epar]</b> twice[^fda-label][^draft].", [first, second])
    assert html == ('Approved&lt;b&gt;<sup class="citation"><a href="#ref-epar">[2]</a></sup>&lt;/b&gt; twice'
                    '<sup class="citation"><a href="#ref-fda-label">[1]</a></sup>.')
    assert strip_citations("Approved in 2017 [^fda-label].") == "Approved in 2017."


def test_the_loader_refuses_a_citation_of_an_unlisted_reference(tmp_path, settings):
    (tmp_path / "references.yaml").write_text("- slug: label\n  title: Label\n  url: https://example.org/l\n")
    (tmp_path / "categories.yaml").write_text("- slug: car-t\n  name: {en: CAR-T}\n")
    (tmp_path / "therapies.yaml").write_text(
        "- slug: kymriah\n  name: {en: Kymriah}\n  category: car-t\n"
        "  summary: {en: 'First CAR-T[^label].', zh-hans: '首个CAR-T[^epar]。'}\n  references: [label]\n")
    with pytest.raises(CuratedDataError) as error:
        load_curated(tmp_path)
    assert "therapies.yaml, record 1 (kymriah), field 'summary_zh_hans'" in str(error.value)
    assert "[^epar]" in str(error.value)


def test_the_admin_refuses_a_citation_of_an_unlisted_reference(editor_client):
    therapy = TherapyFactory(status="draft", references=[ReferenceFactory(slug="label")])
    url = reverse("admin:therapies_therapy_change", args=[therapy.pk])
    data = _post_data(editor_client.get(url))
    data["summary_en"] = "Cited[^unlisted]."
    response = editor_client.post(url, data)
    assert response.status_code == 200  # the form again, with the error
    assert "Cites [^unlisted], which is not among this item" in response.content.decode()
    assert Therapy.objects.get(pk=therapy.pk).summary_en != "Cited[^unlisted]."


def test_the_api_refuses_a_citation_of_an_unlisted_reference(editor):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
    therapy = TherapyFactory(status="draft", references=[ReferenceFactory(slug="label")])
    response = api.patch(f"/api/v1/therapies/{therapy.slug}/", {"summary": "Cited[^unlisted]."}, format="json")
    assert response.status_code == 400
    assert "summary" in response.json()
    ok = api.patch(f"/api/v1/therapies/{therapy.slug}/", {"summary": "Cited[^label]."}, format="json")
    assert ok.status_code == 200


def test_the_page_numbers_the_citations(client):
    reference = ReferenceFactory(slug="label", title="Kymriah label")
    therapy = TherapyFactory(summary_en="Approved in 2017[^label].", references=[reference])
    html = client.get(f"/en/therapies/{therapy.slug}/").content.decode()
    assert '<sup class="citation"><a href="#ref-label">[1]</a></sup>' in html
    assert 'id="ref-label"' in html


def _post_data(page) -> dict:
    """Every field of the change form as the browser would post it (inline management forms too)."""
    form = page.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list | tuple) else value
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{formset.formset.prefix}-{name}"] = management[name].value()
        for inline_form in formset.formset.forms:
            for name in inline_form.fields:
                value = inline_form[name].value()
                if value is not None:
                    data[inline_form.add_prefix(name)] = value
    return data


def test_search_text_carries_no_citation_markers():
    from portal.search.indexes import source_for

    therapy = TherapyFactory(summary_en="Approved in 2017[^label].", references=[ReferenceFactory(slug="label")])
    assert "[^" not in source_for(Therapy).text(therapy, "en")
