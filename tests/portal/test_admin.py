"""Admin smoke tests for every curated model and the editorial workflow through the admin."""

import pytest
from django.contrib import admin
from django.urls import reverse
from reversion.models import Version

from portal import i18n, registry
from portal.models import PendingChange
from tests.factories import (
    ApprovalFactory,
    ConditionFactory,
    KeyProvisionFactory,
    MechanismMoleculeFactory,
    ReferenceFactory,
    RegulatorFactory,
    TherapyCategoryFactory,
    TherapyFactory,
    TherapyMechanismFactory,
)
from therapies.models import Therapy

pytestmark = pytest.mark.django_db

ADMIN_MODELS = [(model._meta.app_label, model._meta.model_name) for model in registry.curated_models()]
# Session, user, permissions and the page's own queries; must not grow with the rows shown.
ADMIN_QUERY_BOUND = 20


def _many_rows():
    """Enough data of every kind that a per-row query would show up in the counts."""
    for _ in range(3):
        therapy = TherapyFactory(references=[ReferenceFactory()])
        ApprovalFactory(therapy=therapy)
        TherapyMechanismFactory(therapy=therapy)
        MechanismMoleculeFactory()
        KeyProvisionFactory()


@pytest.fixture(params=["editor_client", "publisher_client"])
def staff_client(request):
    return request.getfixturevalue(request.param)


@pytest.mark.parametrize(("app", "model"), ADMIN_MODELS)
def test_changelist_renders_with_bounded_queries(staff_client, app, model, django_assert_max_num_queries):
    _many_rows()
    with django_assert_max_num_queries(ADMIN_QUERY_BOUND):
        response = staff_client.get(reverse(f"admin:{app}_{model}_changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize(("app", "model"), ADMIN_MODELS)
def test_add_page_renders(staff_client, app, model, django_assert_max_num_queries):
    with django_assert_max_num_queries(ADMIN_QUERY_BOUND):
        response = staff_client.get(reverse(f"admin:{app}_{model}_add"))
    assert response.status_code == 200


@pytest.mark.parametrize(("app", "model"), ADMIN_MODELS)
def test_change_page_renders_with_bounded_queries(staff_client, app, model, django_assert_max_num_queries):
    _many_rows()
    from django.apps import apps

    obj = apps.get_model(app, model).objects.order_by("pk").last()
    # Inline rows each render an autocomplete widget for their selected value: allow for them.
    with django_assert_max_num_queries(ADMIN_QUERY_BOUND + 10):
        response = staff_client.get(reverse(f"admin:{app}_{model}_change", args=[obj.pk]))
    assert response.status_code == 200


def _therapy_form(category, condition, status="draft", **extra):
    """POST data for the therapy add form with one approval inline."""
    regulator = RegulatorFactory(slug="fda")
    data = {
        "name_en": "Example CAR-T", "name_zh_hans": "示例CAR-T", "kind": "product", "category": category.pk,
        "slug": "example-car-t", "status": status, "cell_source": "autologous", "stage": "approved",
        "summary_en": "A product.", "summary_zh_hans": "一个产品。",
        "approvals-TOTAL_FORMS": "1", "approvals-INITIAL_FORMS": "0",
        "approvals-MIN_NUM_FORMS": "0", "approvals-MAX_NUM_FORMS": "1000",
        "approvals-0-regulator": regulator.pk, "approvals-0-decided_on": "2017-08-30",
        "approvals-0-decided_on_precision": "day", "approvals-0-pathway": "standard",
        "approvals-0-condition": condition.pk,
        "mechanism_links-TOTAL_FORMS": "0", "mechanism_links-INITIAL_FORMS": "0",
        "mechanism_links-MIN_NUM_FORMS": "0", "mechanism_links-MAX_NUM_FORMS": "1000",
        "other_names-TOTAL_FORMS": "0", "other_names-INITIAL_FORMS": "0",
        "other_names-MIN_NUM_FORMS": "0", "other_names-MAX_NUM_FORMS": "1000",
    }
    data.update(extra)
    return data


def test_editor_drafts_a_therapy_with_an_approval_inline(editor_client, editor):
    form = _therapy_form(TherapyCategoryFactory(), ConditionFactory())
    response = editor_client.post(reverse("admin:therapies_therapy_add"), form)
    assert response.status_code == 302
    therapy = Therapy.objects.get(slug="example-car-t")
    assert (therapy.status, therapy.created_by, therapy.approvals.count()) == ("draft", editor, 1)


def test_editor_posting_status_published_is_refused(editor_client):
    form = _therapy_form(TherapyCategoryFactory(), ConditionFactory(), status="published")
    response = editor_client.post(reverse("admin:therapies_therapy_add"), form)
    assert response.status_code == 200
    assert "Only a Publisher can publish" in response.content.decode()
    assert not Therapy.objects.filter(slug="example-car-t").exists()


def test_editor_cannot_run_the_publish_action(editor_client):
    therapy = TherapyFactory(status="in_review")
    response = editor_client.post(
        reverse("admin:therapies_therapy_changelist"), {"action": "publish", "_selected_action": [therapy.pk]}
    )
    therapy.refresh_from_db()
    assert therapy.status == "in_review"
    assert response.status_code in (200, 302)


def test_editor_can_submit_for_review_in_bulk(editor_client):
    drafts = [TherapyFactory(status="draft") for _ in range(2)]
    editor_client.post(
        reverse("admin:therapies_therapy_changelist"),
        {"action": "submit_for_review", "_selected_action": [d.pk for d in drafts]},
    )
    assert set(Therapy.objects.filter(pk__in=[d.pk for d in drafts]).values_list("status", flat=True)) == {"in_review"}


def test_publisher_publishes_in_bulk(publisher_client):
    drafts = [TherapyFactory(status="in_review") for _ in range(2)]
    publisher_client.post(
        reverse("admin:therapies_therapy_changelist"),
        {"action": "publish", "_selected_action": [d.pk for d in drafts]},
    )
    assert set(Therapy.objects.filter(pk__in=[d.pk for d in drafts]).values_list("status", flat=True)) == {"published"}


def test_history_records_the_draft_and_the_publication_and_reverts(client, editor, publisher):
    category, condition = TherapyCategoryFactory(), ConditionFactory()
    client.force_login(editor)
    client.post(reverse("admin:therapies_therapy_add"), _therapy_form(category, condition))
    therapy = Therapy.objects.get(slug="example-car-t")
    client.force_login(publisher)
    client.post(
        reverse("admin:therapies_therapy_changelist"), {"action": "publish", "_selected_action": [therapy.pk]}
    )
    versions = Version.objects.get_for_object(therapy).order_by("pk")
    assert [v.revision.user for v in versions] == [editor, publisher]
    assert versions[0].field_dict["status"] == "draft"

    history = client.get(reverse("admin:therapies_therapy_history", args=[therapy.pk]))
    assert history.status_code == 200
    revert_url = reverse("admin:therapies_therapy_revision", args=[therapy.pk, versions[0].pk])
    page = client.get(revert_url)
    assert page.status_code == 200
    client.post(revert_url, _therapy_form(category, condition, **{
        "approvals-INITIAL_FORMS": "1", "approvals-0-id": str(therapy.approvals.get().pk),
        "approvals-0-therapy": str(therapy.pk),
    }))
    therapy.refresh_from_db()
    assert therapy.status == "draft"


def test_history_keeps_both_languages_and_reverts_a_chinese_only_edit(publisher):
    import reversion

    category = TherapyCategoryFactory(name_en="Stem cell therapy", name_zh_hans="干细胞疗法")
    with reversion.create_revision():
        category.save()
    with reversion.create_revision():
        category.name_zh_hans = "干细胞治疗"
        category.save()
    versions = Version.objects.get_for_object(category)
    assert [v.field_dict["name_zh_hans"] for v in versions] == ["干细胞治疗", "干细胞疗法"]
    versions[1].revision.revert()
    category.refresh_from_db()
    assert category.name_zh_hans == "干细胞疗法"


def _without(fieldsets, *names):
    """`fieldsets` as if they had never named `names` (modeltranslation may have put a
    translated field's language columns in its place already)."""
    gone = {*names, *(column for name in names for column in i18n.columns(name))}
    return [(title, {**options, "fields": [name for name in options["fields"] if name not in gone]})
            for title, options in fieldsets]


def test_a_field_the_fieldsets_leave_out_still_shows_and_saves(monkeypatch, editor_client):
    therapy_admin = admin.site._registry[Therapy]
    monkeypatch.setattr(therapy_admin, "fieldsets", _without(therapy_admin.fieldsets, "generic_name", "developer"))
    page = editor_client.get(reverse("admin:therapies_therapy_add")).content.decode()
    assert ">Other</h2>" in page
    # A translated field shows once, as modeltranslation shows it: one input per language.
    assert [f'name="{name}"' in page for name in ("generic_name_zh_hans", "developer_en", "developer_zh_hans",
                                                  "developer")] == [True, True, True, False]
    form = _therapy_form(TherapyCategoryFactory(), ConditionFactory(), generic_name_en="tisagenlecleucel",
                         generic_name_zh_hans="替沙仑赛", developer_en="Novartis", developer_zh_hans="诺华")
    assert editor_client.post(reverse("admin:therapies_therapy_add"), form).status_code == 302
    therapy = Therapy.objects.get(slug="example-car-t")
    assert (therapy.generic_name_zh_hans, therapy.developer_en, therapy.developer_zh_hans) == (
        "替沙仑赛", "Novartis", "诺华")


def test_a_field_an_inline_leaves_out_still_shows(monkeypatch, editor_client):
    from therapies.admin import ApprovalInline

    monkeypatch.setattr(ApprovalInline, "fieldsets", [(None, {"fields": ["regulator", "decided_on"]})])
    page = editor_client.get(reverse("admin:therapies_therapy_add")).content.decode()
    for name in ("indication_text_en", "indication_text_zh_hans", "reference"):
        assert f'name="approvals-__prefix__-{name}"' in page


def test_an_inline_child_without_a_declared_inline_still_shows(monkeypatch, editor_client):
    from therapies.admin import ApprovalInline

    monkeypatch.setattr(admin.site._registry[Therapy], "inlines", [ApprovalInline])
    page = editor_client.get(reverse("admin:therapies_therapy_add")).content.decode()
    assert 'name="mechanism_links-TOTAL_FORMS"' in page
    assert 'name="mechanism_links-__prefix__-role_zh_hans"' in page


def test_an_editor_marks_a_published_item_checked_and_it_waits_for_review(editor_client):
    import datetime

    therapy = TherapyFactory(last_reviewed_on=datetime.date(2024, 1, 1))
    editor_client.post(reverse("admin:therapies_therapy_changelist"),
                       {"action": "mark_facts_checked", "_selected_action": [therapy.pk]})
    therapy.refresh_from_db()
    assert therapy.last_reviewed_on == datetime.date(2024, 1, 1)
    assert PendingChange.objects.get().comment == "Facts checked against the sources."


def test_a_publisher_marks_facts_checked_and_the_page_shows_the_month(publisher_client, client):
    import datetime

    from django.utils import timezone

    therapy = TherapyFactory(last_reviewed_on=datetime.date(2024, 1, 1))
    publisher_client.post(reverse("admin:therapies_therapy_changelist"),
                       {"action": "mark_facts_checked", "_selected_action": [therapy.pk]})
    therapy.refresh_from_db()
    assert therapy.last_reviewed_on == timezone.localdate()
    page = client.get(therapy.get_absolute_url()).content.decode()
    assert f'<time datetime="{therapy.last_reviewed_on:%Y-%m}">' in page


def _status_choices(client, url):
    return [value for value, _label in client.get(url).context["adminform"].form.fields["status"].choices]


def test_an_editor_is_offered_only_draft_and_review_for_a_new_item(editor_client):
    assert _status_choices(editor_client, reverse("admin:therapies_therapy_add")) == ["draft", "in_review"]


def test_an_editor_is_offered_only_the_current_status_of_a_published_item(editor_client):
    therapy = TherapyFactory(status="published")
    assert _status_choices(editor_client, reverse("admin:therapies_therapy_change", args=[therapy.pk])) == [
        "published"]


def test_a_publisher_is_offered_every_status(publisher_client):
    assert _status_choices(publisher_client, reverse("admin:therapies_therapy_add")) == [
        "draft", "in_review", "published", "archived"]
