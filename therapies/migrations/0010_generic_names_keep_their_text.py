"""Copy each generic name into its English column.

Migration 0005 made `Therapy.generic_name` translated: modeltranslation reads `generic_name_en`
and `generic_name_zh_hans`, which 0005 added empty, so on a database from before it every
product lost its generic name on its pages, in the API and in search. The text was still in
the original `generic_name` column; this copies it where the English column is empty. Going
back leaves both columns as they are (the original column was never changed).
"""

from django.db import migrations
from django.db.models import F, Q


def copy_generic_names(apps, schema_editor):
    Therapy = apps.get_model("therapies", "Therapy")
    empty = Q(generic_name_en__isnull=True) | Q(generic_name_en="")
    Therapy.objects.filter(empty).exclude(generic_name="").exclude(generic_name__isnull=True).update(
        generic_name_en=F("generic_name"))


class Migration(migrations.Migration):
    dependencies = [("therapies", "0009_approval_date_may_be_unknown")]

    operations = [migrations.RunPython(copy_generic_names, migrations.RunPython.noop)]
