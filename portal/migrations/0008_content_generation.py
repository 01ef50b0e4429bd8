import time

from django.db import migrations, models


def create_the_row(apps, schema_editor):
    # From the clock, like every bump: a number that keyed no cached page before.
    apps.get_model("portal", "ContentGeneration").objects.create(pk=1, value=time.time_ns())


class Migration(migrations.Migration):

    dependencies = [
        ("portal", "0007_loaded_records"),
    ]

    operations = [
        migrations.CreateModel(
            name="ContentGeneration",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("value", models.BigIntegerField()),
            ],
        ),
        migrations.RunPython(create_the_row, migrations.RunPython.noop),
    ]
