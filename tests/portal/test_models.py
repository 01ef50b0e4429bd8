import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from portal.markdown import render_markdown
from portal.models import Reference
from tests.factories import ReferenceFactory, TherapyCategoryFactory, TherapyFactory

pytestmark = pytest.mark.django_db


def test_published_excludes_drafts_in_review_and_archived():
    published = TherapyCategoryFactory()
    for status in ("draft", "in_review", "archived"):
        TherapyCategoryFactory(status=status)
    assert list(type(published).objects.published()) == [published]


def test_visible_to_shows_drafts_to_staff_who_may_view_them(editor):
    draft = TherapyCategoryFactory(status="draft")
    assert draft in type(draft).objects.visible_to(editor)


def test_visible_to_hides_drafts_from_anonymous_users():
    from django.contrib.auth.models import AnonymousUser

    draft = TherapyCategoryFactory(status="draft")
    assert draft not in type(draft).objects.visible_to(AnonymousUser())


def test_slug_is_generated_from_the_english_name_even_when_chinese_is_active():
    from django.utils import translation

    with translation.override("zh-hans"):
        category = TherapyCategoryFactory(name_en="Mesenchymal stem cells", name_zh_hans="间充质干细胞")
    assert category.slug == "mesenchymal-stem-cells"


def test_generated_slugs_do_not_collide():
    first = TherapyCategoryFactory(name_en="CAR-T")
    second = TherapyCategoryFactory(name_en="CAR-T")
    assert (first.slug, second.slug) == ("car-t", "car-t-2")


def test_first_publication_time_is_recorded_once():
    category = TherapyCategoryFactory(status="draft")
    assert category.published_at is None
    category.status = "published"
    category.save()
    first = category.published_at
    category.save()
    assert first is not None and category.published_at == first


def test_reference_requires_a_doi_pmid_or_url():
    with pytest.raises(IntegrityError):
        Reference.objects.create(title="No locator")


def test_reference_link_prefers_doi_then_pubmed():
    assert ReferenceFactory(doi="10.1186/s13287-025-04343-0").link == "https://doi.org/10.1186/s13287-025-04343-0"
    assert ReferenceFactory(doi="", pmid="32046775").link == "https://pubmed.ncbi.nlm.nih.gov/32046775/"


@pytest.mark.parametrize(("field", "value"), [("doi", "doi.org/10.1/x"), ("pmid", "PMID123")])
def test_reference_identifier_formats_are_validated(field, value):
    reference = ReferenceFactory.build(**{field: value})
    with pytest.raises(ValidationError) as error:
        reference.full_clean()
    assert field in error.value.message_dict


def test_editor_cannot_publish_through_the_model_layer(editor):
    therapy = TherapyFactory(status="draft")
    with pytest.raises(PermissionDenied):
        therapy.transition("published", by=editor)
    therapy.refresh_from_db()
    assert therapy.status == "draft"


def test_editor_may_submit_for_review(editor):
    therapy = TherapyFactory(status="draft")
    therapy.transition("in_review", by=editor)
    therapy.refresh_from_db()
    assert therapy.status == "in_review"


def test_editor_cannot_unpublish(editor):
    therapy = TherapyFactory(status="published")
    with pytest.raises(PermissionDenied):
        therapy.transition("draft", by=editor)


def test_publisher_publishes_and_the_change_is_stamped(publisher):
    therapy = TherapyFactory(status="in_review")
    therapy.transition("published", by=publisher)
    therapy.refresh_from_db()
    assert (therapy.status, therapy.updated_by) == ("published", publisher)


def test_transition_rejects_an_unknown_status(publisher):
    therapy = TherapyFactory(status="draft")
    with pytest.raises(ValidationError):
        therapy.transition("deleted", by=publisher)


def test_markdown_is_sanitised():
    html = render_markdown('Hi <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>')
    assert "<script" not in html and "javascript:" not in html and "onerror" not in html


def test_markdown_keeps_ordinary_formatting():
    assert "<strong>bold</strong>" in render_markdown("**bold**")


def test_markdown_keeps_nothing_from_one_text_to_the_next():
    """One converter per thread is reused: link definitions of one body must not resolve in another."""
    assert 'href="https://example.org/a"' in render_markdown("[source][a]\n\n[a]: https://example.org/a")
    assert "href" not in render_markdown("[source][a]")
