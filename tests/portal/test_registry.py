"""portal.registry: the curated models and their inline children, as the models declare them."""

from pathlib import Path

import pytest
import reversion
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import translation
from reversion.models import Version

from portal import registry
from portal.models import Reference, SearchEntry
from portal.roles import EDITOR, PUBLISHER, role_permissions
from portal.sitemaps import SITEMAPS, StaticPagesSitemap
from tests.factories import ApprovalFactory, TherapyFactory

CURATED = [
    "portal.reference", "therapies.therapycategory", "therapies.molecule", "therapies.condition",
    "therapies.mechanism", "therapies.therapy", "policies.authority", "policies.policydocument",
]
# The order to load them in: regulators (authorities) before the therapies whose approvals name them.
LOAD_ORDER = [
    "portal.reference", "therapies.therapycategory", "therapies.molecule", "therapies.condition",
    "therapies.mechanism", "policies.authority", "therapies.therapy", "policies.policydocument",
]
INLINE_CHILDREN = {
    ("therapies.mechanism", "molecule_links"): ("therapies.mechanismmolecule", "mechanism"),
    ("therapies.therapy", "approvals"): ("therapies.approval", "therapy"),
    ("therapies.therapy", "mechanism_links"): ("therapies.therapymechanism", "therapy"),
    ("therapies.therapy", "other_names"): ("therapies.therapyname", "therapy"),
    ("policies.policydocument", "provisions"): ("policies.keyprovision", "policy"),
}
# Rows inside inline rows: an approval's events.
NESTED_CHILDREN = {("therapies.approval", "events"): ("therapies.approvalevent", "approval")}
MARKDOWN = {
    "therapies.therapycategory": ("description",), "therapies.molecule": ("description",),
    "therapies.condition": ("description",), "therapies.mechanism": ("body",), "therapies.therapy": ("body",),
    "policies.authority": ("description",), "policies.policydocument": ("body",),
}


def labels(models):
    return [model._meta.label_lower for model in models]


def test_curated_models_are_the_editorial_models():
    assert labels(registry.curated_models()) == CURATED


def test_inline_children_are_the_rows_edited_inside_their_parent():
    found = {
        (parent._meta.label_lower, child.related_name): (child.model._meta.label_lower, child.parent_field)
        for parent in registry.curated_models()
        for child in registry.inline_children(parent)
    }
    assert found == INLINE_CHILDREN
    nested = {
        (parent._meta.label_lower, child.related_name): (child.model._meta.label_lower, child.parent_field)
        for parent in registry.inline_models()
        for child in registry.inline_children(parent)
    }
    assert nested == NESTED_CHILDREN
    assert set(labels(registry.inline_models())) == {
        label for label, _ in (*INLINE_CHILDREN.values(), *NESTED_CHILDREN.values())}


def test_load_order_puts_every_model_after_the_curated_models_it_points_at():
    order = registry.load_order()
    assert labels(order) == LOAD_ORDER
    for position, model in enumerate(order):
        rows = [model, *(child.model for child in registry.inline_children(model))]
        pointed_at = {
            field.related_model
            for row in rows for field in row._meta.get_fields()
            if field.is_relation and not field.auto_created and field.related_model in order
        }
        assert all(order.index(other) < position for other in pointed_at - {model}), model


def test_content_models_are_what_the_content_generation_has_always_followed():
    # The rule of portal/page_cache.py before the registry: every model of the two content
    # apps, the references and the search index.
    before = {
        *apps.get_app_config("therapies").get_models(), *apps.get_app_config("policies").get_models(),
        Reference, SearchEntry,
    }
    assert set(registry.content_models()) == before
    assert len(registry.content_models()) == len(before)


def test_markdown_fields_are_declared_and_rendered():
    assert {
        model._meta.label_lower: registry.markdown_fields(model)
        for model in registry.curated_models() if registry.markdown_fields(model)
    } == MARKDOWN
    therapy = apps.get_model("therapies", "Therapy")(body_en="Binds **CD19**.", body_zh_hans="结合 *CD19*。")
    assert therapy.body_html == "<p>Binds <strong>CD19</strong>.</p>"
    with translation.override("zh-hans"):
        assert therapy.body_html == "<p>结合 <em>CD19</em>。</p>"


def test_every_curated_model_names_a_data_file_of_its_own():
    files = [model.data_file for model in registry.curated_models()]
    assert len(set(files)) == len(files)
    assert all((Path(settings.CURATED_DATA_DIR) / name).exists() for name in files)


@pytest.mark.django_db
def test_a_revision_of_a_parent_holds_its_inline_children():
    therapy = TherapyFactory()
    approval = ApprovalFactory(therapy=therapy)
    with reversion.create_revision():
        reversion.add_to_revision(therapy)
    assert Version.objects.get_for_object(approval).count() == 1
    assert "name_zh_hans" in Version.objects.get_for_object(therapy).get().field_dict


@pytest.mark.django_db
@pytest.mark.parametrize("role", [EDITOR, PUBLISHER])
def test_the_roles_in_the_database_cover_every_curated_model(role):
    """The groups come from a data migration with its own frozen model list: when this fails,
    a new curated model or inline child needs a migration that grants it to the roles."""
    granted = set(Group.objects.get(name=role).permissions.values_list("content_type__app_label", "codename"))
    assert granted == set(role_permissions(role))


def test_the_sitemaps_cover_every_curated_model_with_a_public_page():
    assert set(SITEMAPS) == {
        "pages", "therapycategory", "therapy", "mechanism", "molecule", "condition", "policydocument", "authority",
    }
    assert set(StaticPagesSitemap().items()) == {
        "home", "about", "therapies:category-list", "therapies:therapy-list", "therapies:mechanism-list",
        "therapies:molecule-list", "therapies:condition-list", "policies:policy-list", "policies:authority-list",
    }
