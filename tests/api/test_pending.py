"""An Editor's PATCH on a published item answers 202 and waits for review (issue 15 item 1)."""

import pytest
import reversion
from reversion.models import Version

from portal.models import PendingChange
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def therapy():
    therapy = f.TherapyFactory(status="published", summary_en="Published summary.")
    with reversion.create_revision():
        therapy.save()
    return therapy


def test_a_held_patch_leaves_no_revision_in_the_history(editor_api, therapy):
    before = Version.objects.get_for_object(therapy).count()
    editor_api.patch(f"/api/v1/therapies/{therapy.slug}/", {"summary": "Proposed."}, format="json")
    assert Version.objects.get_for_object(therapy).count() == before


def test_an_editors_patch_on_a_published_item_is_202_with_the_pending_change(editor_api, therapy):
    response = editor_api.patch(f"/api/v1/therapies/{therapy.slug}/", {"summary": "Proposed."}, format="json")
    assert response.status_code == 202
    assert response.json()["pending_change"].endswith(f"/api/v1/pending-changes/{PendingChange.objects.get().pk}/")


def test_the_api_item_keeps_the_published_version_after_a_held_patch(editor_api, api, therapy):
    editor_api.patch(f"/api/v1/therapies/{therapy.slug}/", {"summary": "Proposed."}, format="json")
    assert api.get(f"/api/v1/therapies/{therapy.slug}/").json()["summary"] == "Published summary."


def test_staff_read_the_pending_change_at_its_own_url(editor_api, therapy):
    url = editor_api.patch(f"/api/v1/therapies/{therapy.slug}/", {"summary": "Proposed."},
                           format="json").json()["pending_change"]
    body = editor_api.get(url).json()
    assert {"field": "summary [en]", "old": "Published summary.", "new": "Proposed."}.items() <= next(
        d for d in body["differences"] if d["field"] == "summary [en]").items()


def test_the_pending_change_is_not_readable_anonymously(editor_api, api, therapy):
    url = editor_api.patch(f"/api/v1/therapies/{therapy.slug}/", {"summary": "Proposed."},
                           format="json").json()["pending_change"]
    assert api.get(url).status_code in (401, 403)


def test_a_second_patch_while_one_waits_is_409(editor_api, therapy):
    editor_api.patch(f"/api/v1/therapies/{therapy.slug}/", {"summary": "First."}, format="json")
    response = editor_api.patch(f"/api/v1/therapies/{therapy.slug}/", {"summary": "Second."}, format="json")
    assert response.status_code == 409
