# Indexes for the orders a therapy list can be read in, so no page sorts the table: by name
# in Chinese (modeltranslation sorts by the reader's language; 0003 has the English one), and
# the API's `ordering=stage` and `ordering=updated_at`, each followed by the id
# (portal.filtersets.StableOrderingFilter).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('therapies', '0003_list_order_indexes'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='therapy',
            index=models.Index(fields=['name_zh_hans', 'id'], name='therapy_list_order_zh'),
        ),
        migrations.AddIndex(
            model_name='therapy',
            index=models.Index(fields=['stage', 'id'], name='therapy_stage_order'),
        ),
        migrations.AddIndex(
            model_name='therapy',
            index=models.Index(fields=['updated_at', 'id'], name='therapy_updated_order'),
        ),
    ]
