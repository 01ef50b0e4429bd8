"""An Editor's change to a published item waits for a Publisher, in the admin and the API
(issue 15 item 1, probe M5).

Until it is approved the public sees the published version on every surface; approving
writes it in one revision naming both people; sending it back leaves the item untouched.
"""

import pytest
import reversion
from django.contrib.auth.models import Group
from django.urls import reverse
from reversion.models import Version

from portal import pending
from portal.models import PendingChange
from tests import factories as f
from tests.admin_forms import posted
from therapies.models import Approval, Therapy

pytestmark = pytest.mark.django_db


@pytest.fixture
def publisher_client(publisher):
    """A browser of its own: the shared `client` is the Editor's in these tests."""
    from django.test import Client

    browser = Client()
    browser.force_login(publisher)
    return browser


@pytest.fixture
def therapy():
    therapy = f.TherapyFactory(status="published", summary_en="Published summary.")
    with reversion.create_revision():
        therapy.save()
    return therapy


def _change_url(therapy):
    return reverse("admin:therapies_therapy_change", args=[therapy.pk])


def _propose(client, therapy, **changes):
    page = client.get(_change_url(therapy))
    return client.post(_change_url(therapy), posted(page, **changes))


def test_an_editors_admin_change_to_a_published_item_is_held(editor_client, therapy, editor):
    _propose(editor_client, therapy, summary_en="Proposed summary.", change_comment="Per the 2024 label.")
    change = PendingChange.objects.get()
    assert (change.author, change.state, change.comment) == (editor, "pending", "Per the 2024 label.")
    assert Therapy.objects.get(pk=therapy.pk).summary_en == "Published summary."


def test_the_public_page_and_api_keep_the_published_version(editor_client, client, therapy):
    _propose(editor_client, therapy, summary_en="Proposed summary.")
    client.logout()
    page = client.get(f"/en/therapies/{therapy.slug}/").content.decode()
    api = client.get(f"/api/v1/therapies/{therapy.slug}/").json()
    assert "Proposed summary." not in page and "Published summary." in page
    assert api["summary"] == "Published summary."


def test_the_editor_is_sent_to_the_pending_change(editor_client, therapy):
    response = _propose(editor_client, therapy, summary_en="Proposed summary.")
    assert response["Location"] == reverse("admin:portal_pendingchange_change", args=[PendingChange.objects.get().pk])


def test_a_publisher_sees_the_change_field_by_field(editor_client, publisher_client, therapy):
    _propose(editor_client, therapy, summary_en="Proposed summary.")
    page = publisher_client.get(reverse("admin:portal_pendingchange_change", args=[PendingChange.objects.get().pk]))
    differences = [(d.field, d.old, d.new) for d in page.context["differences"]]
    assert ("summary [en]", "Published summary.", "Proposed summary.") in differences


def test_approving_publishes_the_change_in_one_revision_naming_both(editor_client, publisher_client, therapy,
                                                                    editor, publisher, client):
    _propose(editor_client, therapy, summary_en="Proposed summary.")
    change = PendingChange.objects.get()
    publisher_client.post(reverse("admin:portal_pendingchange_change", args=[change.pk]), {"decision": "approve"})
    revision = Version.objects.get_for_object(therapy).first().revision
    assert Therapy.objects.get(pk=therapy.pk).summary_en == "Proposed summary."
    assert revision.user == publisher and str(editor) in revision.comment
    client.logout()
    assert "Proposed summary." in client.get(f"/en/therapies/{therapy.slug}/").content.decode()


def test_sending_back_keeps_the_item_and_tells_the_author(editor_client, publisher_client, therapy, editor):
    _propose(editor_client, therapy, summary_en="Proposed summary.")
    change = PendingChange.objects.get()
    publisher_client.post(reverse("admin:portal_pendingchange_change", args=[change.pk]),
                          {"decision": "send_back", "review_comment": "Cite the EPAR, not the press release."})
    change.refresh_from_db()
    assert (change.state, change.review_comment) == ("sent_back", "Cite the EPAR, not the press release.")
    assert Therapy.objects.get(pk=therapy.pk).summary_en == "Published summary."
    assert list(pending.waiting_for(editor)) == [change]


def test_sending_back_needs_a_comment(publisher, therapy, editor):
    change = pending.hold(therapy, editor, lambda: therapy)
    with pytest.raises(Exception, match="Say what should change"):
        pending.send_back(change, publisher, "  ")


def test_an_editor_cannot_approve(editor, therapy):
    change = pending.hold(therapy, editor, lambda: therapy)
    with pytest.raises(pending.PermissionDenied):
        pending.approve(change, editor)


def test_a_second_change_while_one_waits_is_refused_naming_the_first_author(client, therapy, editor):
    second = f.UserFactory(username="editor2", is_staff=True, groups=[Group.objects.get(name="Editor")])
    client.force_login(editor)
    _propose(client, therapy, summary_en="First proposal.")
    client.force_login(second)
    response = _propose(client, therapy, summary_en="Second proposal.")
    assert PendingChange.objects.count() == 1
    assert "by editor is waiting for review" in client.get(response["Location"]).content.decode()


def test_a_proposal_older_than_the_item_cannot_be_approved(editor_client, publisher, therapy):
    _propose(editor_client, therapy, summary_en="Proposed summary.")
    with reversion.create_revision():
        therapy.developer_en = "Changed since by a Publisher"
        therapy.save()
    with pytest.raises(pending.ValidationError, match="changed after this change was proposed"):
        pending.approve(PendingChange.objects.get(), publisher)


def test_a_draft_is_saved_directly(editor_client):
    draft = f.TherapyFactory(status="draft")
    _propose(editor_client, draft, summary_en="Draft text.")
    assert not PendingChange.objects.exists()
    assert Therapy.objects.get(pk=draft.pk).summary_en == "Draft text."


def test_a_publishers_own_edit_goes_live_directly(publisher_client, therapy):
    _propose(publisher_client, therapy, summary_en="Publisher's text.")
    assert not PendingChange.objects.exists()
    assert Therapy.objects.get(pk=therapy.pk).summary_en == "Publisher's text."


def test_a_new_inline_row_waits_and_is_written_on_approval(editor_client, publisher, therapy):
    regulator = f.RegulatorFactory(slug="ema")
    page = editor_client.get(_change_url(therapy))
    data = posted(page, **{"approvals-TOTAL_FORMS": "1", "approvals-0-regulator": str(regulator.pk),
                           "approvals-0-decided_on": "2018-08-01", "approvals-0-decided_on_precision": "month",
                           "approvals-0-pathway": "standard"})
    editor_client.post(_change_url(therapy), data)
    assert not Approval.objects.filter(therapy=therapy).exists()
    pending.approve(PendingChange.objects.get(), publisher)
    assert Approval.objects.get(therapy=therapy).regulator == regulator


def test_an_editors_change_to_an_approval_of_a_published_product_waits(editor_client, therapy):
    approval = f.ApprovalFactory(therapy=therapy, indication_text_en="As labelled.")
    url = reverse("admin:therapies_approval_change", args=[approval.pk])
    editor_client.post(url, posted(editor_client.get(url), indication_text_en="Changed wording."))
    assert Approval.objects.get(pk=approval.pk).indication_text_en == "As labelled."
    assert PendingChange.objects.get().content_type.model == "approval"


def test_reverting_a_published_item_waits_too(editor_client, therapy):
    with reversion.create_revision():
        therapy.summary_en = "Newer summary."
        therapy.save()
    older = Version.objects.get_for_object(therapy).last()
    url = reverse("admin:therapies_therapy_revision", args=[therapy.pk, older.pk])
    editor_client.post(url, posted(editor_client.get(url)))
    assert Therapy.objects.get(pk=therapy.pk).summary_en == "Newer summary."
    assert PendingChange.objects.get().state == "pending"


def test_a_held_change_leaves_no_revision_in_the_history(editor_client, therapy):
    before = Version.objects.get_for_object(therapy).count()
    _propose(editor_client, therapy, summary_en="Proposed summary.")
    assert Version.objects.get_for_object(therapy).count() == before


def test_the_admin_home_lists_what_waits_for_a_publisher(editor_client, publisher_client, therapy):
    _propose(editor_client, therapy, summary_en="Proposed summary.")
    home = publisher_client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:portal_pendingchange_change", args=[PendingChange.objects.get().pk]) in home


def test_the_admin_home_shows_an_editor_what_was_sent_back(editor_client, publisher, therapy, editor):
    change = pending.hold(therapy, editor, lambda: therapy)
    pending.send_back(change, publisher, "Cite the label.")
    assert "Cite the label." in editor_client.get(reverse("admin:index")).content.decode()


def test_a_held_change_shows_on_no_public_surface(editor_client, client, therapy):
    """Search, the category's list, the feeds, the sitemap, the API list and its CSV."""
    from django.test import Client

    _propose(editor_client, therapy, name_en="Zqxmarker Renamed", summary_en="Zqxmarker summary.")
    reader = Client()
    surfaces = ["/en/search/?q=zqxmarker", "/api/v1/search/?q=zqxmarker", "/en/therapies/",
                f"/en/categories/{therapy.category.slug}/", "/api/v1/therapies/", "/api/v1/therapies/?format=csv",
                "/en/feeds/approvals/", "/sitemap-therapy.xml"]
    for url in surfaces:
        response = reader.get(url)
        assert response.status_code == 200, url
        assert b"Zqxmarker" not in response.content and b"zqxmarker summary" not in response.content.lower(), url


# --- through the API ----------------------------------------------------------------------

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
