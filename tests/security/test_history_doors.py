"""Reverting and recovering through the admin history are doors to "public" like any other.

django-reversion writes the old revision before it builds the form; these tests make sure an
Editor can no more re-publish, restore an archived item or bring back a deleted published one
through the history than through the change form (probe finding H1).
"""

import pytest
import reversion
from django.urls import reverse
from reversion.models import Version

from portal.models import Reference
from tests.admin_forms import posted
from tests.factories import ReferenceFactory

pytestmark = pytest.mark.django_db


def _saved_revision(item, **changes):
    with reversion.create_revision():
        for name, value in changes.items():
            setattr(item, name, value)
        item.save()
    return Version.objects.get_for_object(item).first()


def _revert_url(version):
    return reverse("admin:portal_reference_revision", args=[version.object_id, version.pk])


def test_editor_reverting_an_archived_item_to_a_published_revision_is_refused(editor_client, publisher):
    reference = ReferenceFactory(status="published")
    published = _saved_revision(reference)
    reference.transition("archived", by=publisher)
    page = editor_client.get(_revert_url(published))

    response = editor_client.post(_revert_url(published), posted(page))

    assert "Only a Publisher can publish" in response.content.decode()
    assert Reference.objects.get(pk=reference.pk).status == "archived"


def test_publisher_reverts_an_archived_item_to_its_published_revision(publisher_client, publisher):
    reference = ReferenceFactory(status="published")
    published = _saved_revision(reference)
    reference.transition("archived", by=publisher)
    page = publisher_client.get(_revert_url(published))

    publisher_client.post(_revert_url(published), posted(page))

    assert Reference.objects.get(pk=reference.pk).status == "published"


def _deleted_published_reference():
    """A published reference, deleted with a revision: (it, the URL that recovers it)."""
    reference = ReferenceFactory(status="published")
    _saved_revision(reference)
    with reversion.create_revision():
        reference.delete()
    deleted = Version.objects.get_deleted(Reference).get()
    return reference, reverse("admin:portal_reference_recover", args=[deleted.pk])


def test_editor_recovering_a_deleted_published_item_as_published_is_refused(editor_client):
    reference, url = _deleted_published_reference()

    response = editor_client.post(url, posted(editor_client.get(url)))

    assert "Only a Publisher can publish" in response.content.decode()
    assert not Reference.objects.filter(slug=reference.slug).exists()


def test_editor_may_recover_a_deleted_published_item_as_a_draft(editor_client):
    reference, url = _deleted_published_reference()

    editor_client.post(url, posted(editor_client.get(url), status="draft"))

    assert Reference.objects.get(slug=reference.slug).status == "draft"


def test_editor_revert_that_would_restore_another_archived_item_is_refused(editor_client, publisher):
    draft, other = ReferenceFactory(status="draft"), ReferenceFactory(status="published")
    with reversion.create_revision():  # one revision holding both, as one load_curated run does
        draft.save()
        other.save()
    together = Version.objects.get_for_object(draft).first()
    other.transition("archived", by=publisher)
    page = editor_client.get(_revert_url(together))

    editor_client.post(_revert_url(together), posted(page))

    assert Reference.objects.get(pk=other.pk).status == "archived"


def test_editor_is_warned_before_posting_a_revert_that_would_restore_another_item(editor_client, publisher):
    draft, other = ReferenceFactory(status="draft"), ReferenceFactory(status="published", title="Other record")
    with reversion.create_revision():
        draft.save()
        other.save()
    together = Version.objects.get_for_object(draft).first()
    other.transition("archived", by=publisher)

    page = editor_client.get(_revert_url(together))

    assert "Other record" in page.content.decode()
    assert "Only a Publisher can publish" in page.content.decode()
