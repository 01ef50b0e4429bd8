"""The Editor and Publisher roles edit an approval's events and a therapy's other names,
as they edit every other inline row (portal.roles)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from portal.roles import EDITOR, PUBLISHER, role_permissions

INLINE_MODELS = {"therapies": ["approvalevent", "therapyname"]}


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role in (EDITOR, PUBLISHER):
        group, _ = Group.objects.get_or_create(name=role)
        for app_label, codename in role_permissions(role, {}, INLINE_MODELS):
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="therapies",
                                            content_type__model__in=INLINE_MODELS["therapies"])
    for group in Group.objects.filter(name__in=[EDITOR, PUBLISHER]):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("therapies", "0007_drop_agency_columns"),
        ("portal", "0002_editorial_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
