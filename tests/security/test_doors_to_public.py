"""Every door to "public", walked by an Editor: nothing becomes public, nothing withdrawn returns.

One test per door and direction (issue 16 item 1). The rule is `check_status_move`; this file
makes sure each path really asks it before anything is written.
"""

import pytest
import reversion
from django.urls import reverse
from reversion.models import Version

from portal import pending
from portal.models import PendingChange, Reference
from tests.admin_forms import posted
from tests.factories import ReferenceFactory

pytestmark = pytest.mark.django_db


def _status(reference):
    return Reference.objects.get(pk=reference.pk).status


def _admin_form(editor_client, reference, **changes):
    url = reverse("admin:portal_reference_change", args=[reference.pk])
    editor_client.post(url, posted(editor_client.get(url), **changes))


def _bulk(editor_client, reference, action):
    editor_client.post(reverse("admin:portal_reference_changelist"),
                       {"action": action, "_selected_action": [reference.pk]})


def _api_patch(editor_api, reference, status):
    editor_api.patch(f"/api/v1/references/{reference.slug}/", {"status": status}, format="json")


def _api_put(editor_api, reference, status):
    body = editor_api.get(f"/api/v1/references/{reference.slug}/").json()
    body = {key: body[key] for key in ("title", "kind", "authors", "publisher", "year", "url")}
    editor_api.put(f"/api/v1/references/{reference.slug}/", {**body, "status": status}, format="json")


DOORS = ["form", "bulk", "api_patch", "api_put"]


def _publish_through(door, reference, editor_client, editor_api):
    """An Editor asks `door` to make `reference` published."""
    {"form": lambda: _admin_form(editor_client, reference, status="published"),
     "bulk": lambda: _bulk(editor_client, reference, "publish"),
     "api_patch": lambda: _api_patch(editor_api, reference, "published"),
     "api_put": lambda: _api_put(editor_api, reference, "published")}[door]()


@pytest.mark.parametrize("door", DOORS)
def test_an_editor_cannot_publish_a_draft(door, editor_client, editor_api):
    draft = ReferenceFactory(status="in_review")
    _publish_through(door, draft, editor_client, editor_api)
    assert _status(draft) == "in_review"


@pytest.mark.parametrize("door", DOORS)
def test_an_editor_cannot_restore_an_archived_item(door, editor_client, editor_api):
    archived = ReferenceFactory(status="archived")
    _publish_through(door, archived, editor_client, editor_api)
    assert _status(archived) == "archived"


def test_an_editor_cannot_revert_an_archived_item_to_published(editor_client, publisher):
    reference = ReferenceFactory(status="published")
    with reversion.create_revision():
        reference.save()
    published = Version.objects.get_for_object(reference).first()
    reference.transition("archived", by=publisher)
    url = reverse("admin:portal_reference_revision", args=[reference.pk, published.pk])
    editor_client.post(url, posted(editor_client.get(url)))
    assert _status(reference) == "archived"


def test_an_editor_cannot_recover_a_deleted_item_as_published(editor_client):
    reference = ReferenceFactory(status="published")
    with reversion.create_revision():
        reference.save()
    with reversion.create_revision():
        reference.delete()
    url = reverse("admin:portal_reference_recover", args=[Version.objects.get_deleted(Reference).get().pk])
    editor_client.post(url, posted(editor_client.get(url)))
    assert not Reference.objects.filter(slug=reference.slug, status="published").exists()


def test_an_editor_cannot_approve_a_pending_change(editor_client, editor):
    reference = ReferenceFactory(status="published", title="Published title")
    with reversion.create_revision():
        reference.save()
    change = pending.hold(reference, editor, lambda: _retitled(reference))
    editor_client.post(reverse("admin:portal_pendingchange_change", args=[change.pk]), {"decision": "approve"})
    assert (Reference.objects.get(pk=reference.pk).title, PendingChange.objects.get().state) == (
        "Published title", "pending")


def _retitled(reference):
    reference.title = "Proposed title"
    reference.save()
    return reference
