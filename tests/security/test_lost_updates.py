"""No lost update: a save based on a stale read is refused, in the admin and the API (probe M4)."""

import pytest
from django.urls import reverse

from portal.models import Reference
from tests.admin_forms import posted
from tests.factories import ReferenceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_editor(db):
    from django.contrib.auth.models import Group

    return UserFactory(username="editor2", is_staff=True, groups=[Group.objects.get(name="Editor")])


def test_a_save_from_a_form_opened_before_another_save_is_refused(client, editor, second_editor):
    reference = ReferenceFactory(status="draft", title="Original title", authors="A. Author")
    url = reverse("admin:portal_reference_change", args=[reference.pk])
    client.force_login(editor)
    first = posted(client.get(url))
    client.force_login(second_editor)
    second = posted(client.get(url))
    client.force_login(editor)
    client.post(url, {**first, "authors": "B. Author"})
    client.force_login(second_editor)

    response = client.post(url, {**second, "title": "Second title"})

    assert "saved this item after you opened it" in response.content.decode()
    assert (Reference.objects.get(pk=reference.pk).title, Reference.objects.get(pk=reference.pk).authors) == (
        "Original title", "B. Author")


def test_the_refusal_links_to_the_history(client, editor):
    reference = ReferenceFactory(status="draft")
    url = reverse("admin:portal_reference_change", args=[reference.pk])
    client.force_login(editor)
    stale = posted(client.get(url))
    client.post(url, {**posted(client.get(url)), "authors": "Someone else"})

    response = client.post(url, stale)

    assert reverse("admin:portal_reference_history", args=[reference.pk]) in response.content.decode()


def test_a_save_from_a_fresh_form_goes_through(editor_client):
    reference = ReferenceFactory(status="draft")
    url = reverse("admin:portal_reference_change", args=[reference.pk])
    editor_client.post(url, {**posted(editor_client.get(url)), "authors": "First"})

    editor_client.post(url, {**posted(editor_client.get(url)), "authors": "Second"})

    assert Reference.objects.get(pk=reference.pk).authors == "Second"


# --- the API: If-Match --------------------------------------------------------------------

def _read(api, url):
    response = api.get(url)
    assert response.status_code == 200
    return response["ETag"]


def test_a_patch_with_the_current_etag_goes_through(editor_api):
    reference = ReferenceFactory(status="draft")
    url = f"/api/v1/references/{reference.slug}/"
    etag = _read(editor_api, url)

    response = editor_api.patch(url, {"authors": "New"}, format="json", HTTP_IF_MATCH=etag)

    assert response.status_code == 200


def test_a_patch_from_a_stale_read_is_412_and_changes_nothing(editor_api):
    reference = ReferenceFactory(status="draft", authors="Old")
    url = f"/api/v1/references/{reference.slug}/"
    etag = _read(editor_api, url)
    editor_api.patch(url, {"title": "Someone else's title"}, format="json")

    response = editor_api.patch(url, {"authors": "Mine"}, format="json", HTTP_IF_MATCH=etag)

    assert response.status_code == 412
    assert Reference.objects.get(pk=reference.pk).authors == "Old"


def test_a_put_from_a_stale_read_does_not_erase_a_concurrent_patch(editor_api):
    reference = ReferenceFactory(status="draft")
    url = f"/api/v1/references/{reference.slug}/"
    read = editor_api.get(url)
    editor_api.patch(url, {"authors": "Concurrent"}, format="json")
    body = {key: read.json()[key] for key in ("title", "kind", "authors", "publisher", "year", "url")}

    response = editor_api.put(url, body, format="json", HTTP_IF_MATCH=read["ETag"])

    assert (response.status_code, Reference.objects.get(pk=reference.pk).authors) == (412, "Concurrent")


def test_a_made_up_etag_is_412(editor_api):
    reference = ReferenceFactory(status="draft")

    response = editor_api.patch(f"/api/v1/references/{reference.slug}/", {"authors": "x"}, format="json",
                                HTTP_IF_MATCH='"0000"')

    assert response.status_code == 412


def test_a_patch_without_if_match_keeps_working(editor_api):
    reference = ReferenceFactory(status="draft")

    response = editor_api.patch(f"/api/v1/references/{reference.slug}/", {"authors": "x"}, format="json")

    assert response.status_code == 200


def test_a_method_the_history_does_not_take_is_405_whatever_the_parameters(editor_api):
    reference = ReferenceFactory()
    response = editor_api.put(f"/api/v1/references/{reference.slug}/history/?page=0", {}, format="json")
    assert response.status_code == 405
