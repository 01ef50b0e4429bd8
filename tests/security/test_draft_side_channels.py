"""The public history and change feed say nothing about unpublished work (probe L6):
a revision of a published item that only linked a draft or changed the editors' note is
not a public change."""

import pytest
import reversion
from django.utils import timezone

from tests import factories as f

pytestmark = pytest.mark.django_db


def _revision(obj, *, links=None, **changes):
    with reversion.create_revision():
        for name, value in changes.items():
            setattr(obj, name, value)
        obj.save()
        for name, items in (links or {}).items():
            getattr(obj, name).add(*items)
            reversion.add_to_revision(obj)


def _public_history(api, therapy):
    return [(entry["action"], entry["changed_fields"])
            for entry in api.get(f"/api/v1/therapies/{therapy.slug}/history/").json()["results"]]


@pytest.fixture
def published_therapy():
    therapy = f.TherapyFactory(status="published")
    _revision(therapy)
    return therapy


def test_linking_a_draft_is_not_in_the_public_history(api, published_therapy):
    _revision(published_therapy, links={"target_molecules": [f.MoleculeFactory(status="draft")]})
    assert [action for action, _fields in _public_history(api, published_therapy)] == ["created"]


def test_linking_a_published_item_is_in_the_public_history(api, published_therapy):
    _revision(published_therapy, links={"target_molecules": [f.MoleculeFactory(status="published")]})
    assert _public_history(api, published_therapy)[-1] == ("changed", ["target_molecules"])


def test_an_internal_note_is_not_in_the_public_history(api, published_therapy):
    _revision(published_therapy, internal_note="Check the EU date against the EPAR.")
    assert [action for action, _fields in _public_history(api, published_therapy)] == ["created"]


def test_editors_still_see_every_revision(editor_api, published_therapy):
    _revision(published_therapy, internal_note="Check the EU date against the EPAR.")
    body = editor_api.get(f"/api/v1/therapies/{published_therapy.slug}/history/").json()
    assert body["results"][-1]["changed_fields"] == ["internal_note"]


def test_linking_a_draft_is_not_in_the_change_feed(api, published_therapy):
    since = timezone.now()
    _revision(published_therapy, links={"conditions": [f.ConditionFactory(status="draft")]})
    assert api.get("/api/v1/changes/", {"since": since.isoformat()}).json()["count"] == 0


def test_a_public_edit_is_in_the_change_feed(api, published_therapy):
    since = timezone.now()
    _revision(published_therapy, summary_en="Corrected summary.")
    actions = [item["action"] for item in api.get("/api/v1/changes/", {"since": since.isoformat()}).json()["results"]]
    assert actions == ["changed"]
