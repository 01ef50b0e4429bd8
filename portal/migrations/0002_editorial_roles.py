"""Create the Editor and Publisher groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from portal.roles import EDITOR, PUBLISHER, role_permissions

# The models as they were at this migration, frozen: the runtime lists in portal.roles
# follow the code, and a migration must do the same thing whenever it runs.
CURATED_MODELS = {
    "portal": ["reference"],
    "therapies": ["therapycategory", "therapy", "condition", "mechanism", "molecule"],
    "policies": ["authority", "policydocument"],
}
INLINE_MODELS = {
    "therapies": ["approval", "therapymechanism", "mechanismmolecule"],
    "policies": ["keyprovision"],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now so the
    # groups can hold them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role in (EDITOR, PUBLISHER):
        group, _ = Group.objects.get_or_create(name=role)
        for app_label, codename in role_permissions(role, CURATED_MODELS, INLINE_MODELS):
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[EDITOR, PUBLISHER]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("therapies", "0001_initial"),
        ("policies", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
