"""Permission matrix: anonymous, editor, publisher, superuser x every admin write path.

Nobody does more than their role allows: an Editor adds and changes drafts, a Publisher also
deletes and publishes; nobody but a superuser touches users, groups or permissions.
"""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from portal import registry
from tests.factories import (
    AuthorityFactory,
    ConditionFactory,
    MechanismFactory,
    MoleculeFactory,
    PolicyDocumentFactory,
    ReferenceFactory,
    TherapyCategoryFactory,
    TherapyFactory,
)

pytestmark = pytest.mark.django_db

FACTORIES = {
    "portal.reference": ReferenceFactory,
    "therapies.therapycategory": TherapyCategoryFactory,
    "therapies.therapy": TherapyFactory,
    "therapies.condition": ConditionFactory,
    "therapies.mechanism": MechanismFactory,
    "therapies.molecule": MoleculeFactory,
    "policies.authority": AuthorityFactory,
    "policies.policydocument": PolicyDocumentFactory,
}
ALLOWED = {
    "anonymous": set(),
    "editor": {"add", "change"},
    "publisher": {"add", "change", "delete", "publish", "archive"},
    "superuser": {"add", "change", "delete", "publish", "archive"},
}
ACTIONS = ["add", "change", "delete", "publish", "archive"]


@pytest.fixture(params=list(ALLOWED))
def persona(request, client):
    if request.param != "anonymous":
        client.force_login(request.getfixturevalue(request.param))
    return request.param, client


def admin_url(label, view, *args):
    app, model = label.split(".")
    return reverse(f"admin:{app}_{model}_{view}", args=args)


def attempt(client, label, action) -> bool:
    """Try `action` on a fresh item of `label`; True when it took effect."""
    factory = FACTORIES[label]
    model = factory._meta.model
    if action == "add":
        return client.get(admin_url(label, "add")).status_code == 200
    if action == "change":
        item = factory(status="draft")
        return client.get(admin_url(label, "change", item.pk)).status_code == 200
    if action == "delete":
        item = factory(status="draft")
        client.post(admin_url(label, "delete", item.pk), {"post": "yes"})
        return not model.objects.filter(pk=item.pk).exists()
    target = {"publish": "published", "archive": "archived"}[action]
    item = factory(status="in_review")
    client.post(admin_url(label, "changelist"), {"action": action, "_selected_action": [item.pk]})
    item.refresh_from_db()
    return item.status == target


@pytest.mark.parametrize("label", list(FACTORIES))
@pytest.mark.parametrize("action", ACTIONS)
def test_admin_permission_matrix(persona, label, action):
    name, client = persona
    assert attempt(client, label, action) is (action in ALLOWED[name]), f"{name} {action} {label}"


def test_every_curated_model_is_in_the_matrix():
    assert {model._meta.label_lower for model in registry.curated_models()} == set(FACTORIES)


@pytest.mark.parametrize("role", ["editor", "publisher"])
@pytest.mark.parametrize("view", ["auth_user_changelist", "auth_group_changelist", "auth_user_add", "auth_group_add"])
def test_staff_roles_cannot_open_user_or_group_admin(client, request, role, view):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse(f"admin:{view}")).status_code == 403


@pytest.mark.parametrize("role", ["editor", "publisher"])
def test_staff_roles_cannot_escalate_themselves(client, request, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    publisher_group = Group.objects.get(name="Publisher")
    response = client.post(
        reverse("admin:auth_user_change", args=[user.pk]),
        {"username": user.username, "is_staff": "on", "is_superuser": "on", "is_active": "on",
         "groups": [publisher_group.pk], "date_joined_0": "2024-01-01", "date_joined_1": "00:00:00"},
    )
    assert response.status_code == 403
    user.refresh_from_db()
    assert not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == [role.capitalize()]


def test_superuser_can_manage_users(client, superuser):
    client.force_login(superuser)
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 200
